/**
 * Crash safety (SPEC §6): SIGKILL at random moments of a render into an existing tree leaves
 * either the old tree or the new one, complete — never a mix, never a half-written file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFleet } from '../bench/generate-fleet.js';
import { recoverOutputTree, sideFolders } from '../src/output/write-tree.js';
import { readTree, tempDir, writeTree } from './support/compile-fixture.js';
import { BIN } from './support/paths.js';

const TRIALS = Number(process.env.KILL_TRIALS ?? 50);

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([p, t]) => b.get(p) === t);
}

test(`SIGKILL at ${TRIALS} random moments leaves the old or the new tree, complete`, async () => {
  const repo = tempDir();
  const files = generateFleet({ clusters: 3, nodesPerCluster: 100, profiles: 8, rules: 2, modules: 10, kernelsPerCluster: 3, nodeFeatures: false, seed: 7 });
  writeTree(repo, files);
  const render = (out: string) => spawnSync(process.execPath, [BIN, 'render', '--repo', repo, '--out', out], { encoding: 'utf8' });

  const oldOut = join(tempDir(), 'old');
  assert.is(render(oldOut).status, 0);
  const oldTree = readTree(oldOut);
  // Change every Module's image: the new tree differs in most files.
  for (const [p, text] of files) if (p.startsWith('modules/')) writeTree(repo, { [p]: text.replace(/quay\.io\/example\//g, 'quay.io/example2/') });
  const newOut = join(tempDir(), 'new');
  const start = Date.now();
  assert.is(render(newOut).status, 0);
  const duration = Date.now() - start;
  const newTree = readTree(newOut);
  assert.not.ok(sameTree(oldTree, newTree));

  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const outcomes = { old: 0, new: 0, window: 0 };
  for (let i = 0; i < TRIALS; i++) {
    const out = join(tempDir(), 'rendered');
    cpSync(oldOut, out, { recursive: true });
    const child = spawn(process.execPath, [BIN, 'render', '--repo', repo, '--out', out], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const delay = Math.floor(rnd() * duration * 1.1);
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await exited;
    if (existsSync(out)) {
      const tree = readTree(out);
      if (sameTree(tree, oldTree)) outcomes.old++;
      else if (sameTree(tree, newTree)) outcomes.new++;
      else assert.unreachable(`trial ${i} (kill after ${delay} ms): the tree is neither the old nor the new one`);
    } else {
      // Killed between the two renames of the swap: the old tree is complete under the
      // backup name and the next run puts it back.
      assert.ok(sameTree(readTree(sideFolders(out).backup), oldTree), `trial ${i}: backup incomplete`);
      outcomes.window++;
    }
    recoverOutputTree(out);
    assert.ok(sameTree(readTree(out), oldTree) || sameTree(readTree(out), newTree), `trial ${i}: after recovery`);
    assert.not.ok(existsSync(sideFolders(out).staging), `trial ${i}: staging left after recovery`);
    rmSync(out, { recursive: true, force: true });
  }
  console.log(`  kill outcomes over ${TRIALS} trials (render takes ${duration} ms): ${JSON.stringify(outcomes)}`);
  assert.is(outcomes.old + outcomes.new + outcomes.window, TRIALS);
});

test.run();
