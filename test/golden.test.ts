/**
 * Golden fixtures: every fixtures/<case>/repo compiles to exactly fixtures/<case>/expected/
 * and prints exactly fixtures/<case>/expected-diagnostics.txt. UPDATE_GOLDEN=1 rewrites them
 * (read the diff before committing); a mismatch leaves the actual tree in expected.actual/.
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatDiagnosticsText } from '../src/diagnostics/format.js';
import { compileSnapshot, readTree, snapshotOf, writeTree } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

const update = process.env.UPDATE_GOLDEN === '1';

for (const name of readdirSync(FIXTURES).sort()) {
  const dir = join(FIXTURES, name);
  if (!existsSync(join(dir, 'repo'))) continue;
  test(`fixture ${name} renders its golden output and diagnostics`, () => {
    const result = compileSnapshot(snapshotOf(join(dir, 'repo')));
    const diagnostics = formatDiagnosticsText(result.diagnostics);
    const expectedDir = join(dir, 'expected');
    const diagFile = join(dir, 'expected-diagnostics.txt');
    const actualDir = join(dir, 'expected.actual');
    rmSync(actualDir, { recursive: true, force: true });
    if (update) {
      writeFileSync(diagFile, diagnostics);
      rmSync(expectedDir, { recursive: true, force: true });
      if (result.tree) writeTree(expectedDir, result.tree.files);
      return;
    }
    assert.fixture(diagnostics, existsSync(diagFile) ? readFileSync(diagFile, 'utf8') : '', `diagnostics of ${name}`);
    const expected = readTree(expectedDir);
    if (!result.ok) {
      assert.is(expected.size, 0, `${name} fails to compile, so it must have no expected/ tree`);
      return;
    }
    const actual = result.tree!.files;
    const same = actual.size === expected.size && [...actual].every(([p, t]) => expected.get(p) === t);
    if (!same) writeTree(actualDir, actual);
    assert.equal([...actual.keys()].sort(), [...expected.keys()].sort(), `file list of ${name} (actual tree left in ${actualDir})`);
    for (const [p, text] of actual) assert.fixture(text, expected.get(p)!, `${name}/${p} (actual tree left in ${actualDir})`);
  });
}

test.run();
