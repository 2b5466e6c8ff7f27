import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CATALOGUE, DIAGNOSTIC_CODES } from '../src/diagnostics/catalogue.js';
import { FIXTURES, ROOT } from './support/paths.js';

const doc = readFileSync(join(ROOT, 'docs', 'diagnostics.md'), 'utf8');
const documented = new Map<string, string>();
for (const m of doc.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| (error|warning) \|/gm)) documented.set(m[1]!, m[2]!);

function filesBelow(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? filesBelow(abs, suffix) : name.endsWith(suffix) ? [abs] : [];
  });
}

test('every diagnostic code is documented in docs/diagnostics.md with its severity', () => {
  for (const code of DIAGNOSTIC_CODES) {
    assert.ok(documented.has(code), `${code} is not documented`);
    assert.is(documented.get(code), CATALOGUE[code].severity, `${code} severity`);
  }
});

test('docs/diagnostics.md documents no code that does not exist', () => {
  for (const code of documented.keys()) assert.ok(code in CATALOGUE, `${code} is documented but not in the catalogue`);
});

test('every diagnostic code is asserted with its position by a test or a golden fixture', () => {
  const golden = filesBelow(FIXTURES, 'expected-diagnostics.txt').map((f) => readFileSync(f, 'utf8')).join('\n');
  const testLines = filesBelow(join(ROOT, 'test'), '.ts')
    .filter((f) => !f.endsWith('docs-diagnostics.test.ts'))
    .flatMap((f) => readFileSync(f, 'utf8').split('\n'));
  for (const code of DIAGNOSTIC_CODES) {
    if (golden.includes(` ${code}:`)) continue; // golden lines are file:line:col: severity CODE
    const positioned = testLines.some((line, i) => {
      if (!line.includes(`'${code}'`)) return false;
      if (/(expectAt|codeAt)\(/.test(line)) return true;
      // or a position assertion right after it: `${d.line}:${d.col}`
      return testLines.slice(i, i + 4).some((l) => /\.line\}:\$\{.*\.col\}/.test(l));
    });
    assert.ok(positioned, `${code} is never asserted together with a position`);
  }
});

test.run();
