/**
 * Heavy dependencies load only for the commands that need them: a plain render (and its
 * worker threads) never loads the cluster client, git, or the text-diff library. Checked on
 * the static import graph of the compiled code (dynamic `import()` is how the others load).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './support/paths.js';

const HEAVY = ['@kubernetes/client-node', 'simple-git', 'diff'];

/** Packages reached through static imports from `entry` (our files followed, packages listed). */
function staticPackages(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = m[1] ?? m[2]!;
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else if (!spec.startsWith('node:')) packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return packages;
}

test('the CLI entry loads no dependency before it knows the command (--version stays fast)', () => {
  assert.equal([...staticPackages(join(ROOT, 'dist', 'src/cli/main.js'))], []);
});

for (const entry of ['src/cli/commands/render.js', 'src/cli/commands/check.js', 'src/run/unit-worker.js']) {
  test(`${entry} loads none of ${HEAVY.join(', ')} up front`, () => {
    const packages = staticPackages(join(ROOT, 'dist', entry));
    assert.ok(packages.has('yaml'), 'the graph was followed');
    for (const heavy of HEAVY) assert.not.ok(packages.has(heavy), `${heavy} is loaded by ${entry}`);
  });
}

test('the commands that need them do load them', () => {
  // The cluster client is imported when a pull starts (cluster/client-library.ts: an ES module the CLI bundle cannot require).
  assert.match(readFileSync(join(ROOT, 'dist', 'src/cluster/client-library.js'), 'utf8'), /import\('@kubernetes\/client-node'\)/);
  assert.match(readFileSync(join(ROOT, 'dist', 'src/cluster/pull-inventory.js'), 'utf8'), /importClientLibrary\(\)/);
  assert.ok(staticPackages(join(ROOT, 'dist', 'src/cli/commands/diff.js')).has('simple-git'));
  assert.ok(staticPackages(join(ROOT, 'dist', 'src/cli/commands/diff.js')).has('diff'));
});

test.run();
