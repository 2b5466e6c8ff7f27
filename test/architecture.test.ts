/**
 * The design holds (ARCHITECTURE.md): domain folders are pure — no file system, process,
 * network, git, cluster client, clock or randomness. I/O lives in cli/, repo/ and
 * output/write-tree.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './support/paths.js';

const PURE = ['diagnostics', 'k8s', 'load', 'validate', 'nfd', 'kmm', 'plan', 'render', 'model', 'review', 'explain', 'preflight', 'gitops', 'units'];
const PURE_FILES = ['compile.ts', 'output/build-tree.ts', 'output/readme.ts', 'output/render-lock.ts', 'cluster/inventory-objects.ts', 'cluster/compact-inventory.ts'];
const FORBIDDEN_IMPORTS = /from '(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|os|worker_threads|cluster)'|from '(simple-git|@kubernetes\/client-node|fast-glob)'/;
const FORBIDDEN_CALLS = /\bDate\.now\(|\bnew Date\(|\bMath\.random\(|\bprocess\.(env|cwd|argv|hrtime)\b|\bperformance\.now\(/;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const abs = join(dir, n);
    return statSync(abs).isDirectory() ? tsFiles(abs) : n.endsWith('.ts') ? [abs] : [];
  });
}

const src = join(ROOT, 'src');
const pureFiles = [...PURE.flatMap((d) => tsFiles(join(src, d))), ...PURE_FILES.map((f) => join(src, f))];

test('there are domain files to check', () => {
  assert.ok(pureFiles.length > 20);
});

for (const file of pureFiles) {
  const rel = file.slice(src.length + 1);
  test(`${rel} touches no disk, process, network, git, clock or randomness`, () => {
    const text = readFileSync(file, 'utf8');
    const imp = FORBIDDEN_IMPORTS.exec(text);
    assert.not.ok(imp, `${rel} imports ${imp?.[0]}`);
    const call = FORBIDDEN_CALLS.exec(text);
    assert.not.ok(call, `${rel} uses ${call?.[0]}`);
  });
}

test('domain code never imports from the I/O edges', () => {
  for (const file of pureFiles) {
    const text = readFileSync(file, 'utf8');
    assert.not.match(text, /from '\.\.?\/(\.\.\/)*(cli|repo)\//, file);
    assert.not.match(text, /write-tree\.js'/, file);
  }
});

test('no grab-bag files (utils, helpers, misc)', () => {
  for (const file of tsFiles(src)) assert.not.match(file, /(utils|helpers|misc)\.ts$/);
});

test.run();
