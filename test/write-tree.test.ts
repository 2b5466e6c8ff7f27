/** Writing the output tree: pruning only what kmm-render owns, partial renders, recovery (SPEC §6). */
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OutputBusyError, OutputConflictError, readPreservedClusters, recoverOutputTree, sideFolders, withOutputLock, writeOutputTree } from '../src/output/write-tree.js';
import { compileSnapshot, filesOf, readTree, snapshotFromFiles, snapshotOf, tempDir } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

const fleet = () => filesOf(snapshotOf(join(FIXTURES, 'example-fleet', 'repo')));

test('a second render prunes files it wrote before and keeps files it never wrote', () => {
  const out = join(tempDir(), 'rendered');
  const files = fleet();
  writeOutputTree(out, compileSnapshot(snapshotFromFiles(files)).tree!);
  writeFileSync(join(out, 'prod-east', 'NOTES.md'), 'mine\n');
  writeFileSync(join(out, 'owners.txt'), 'team-a\n');
  // Drop the GPU driver: its DaemonSets, device plugin and MachineConfig go away.
  delete files['modules/gpu-driver.yaml'];
  const second = compileSnapshot(snapshotFromFiles(files)).tree!;
  const { pruned } = writeOutputTree(out, second);
  assert.ok(pruned.includes('prod-east/10-machine-config/machineconfig-99-worker-kernel-args-firmware-path.yaml'), pruned.join(','));
  assert.ok(pruned.includes('prod-east/40-loaders/daemonset-openshift-kmm-gpu-driver-device-plugin.yaml'));
  const tree = readTree(out);
  assert.is(tree.get('prod-east/NOTES.md'), 'mine\n');
  assert.is(tree.get('owners.txt'), 'team-a\n');
  for (const [p, text] of second.files) assert.is(tree.get(p), text, p);
  assert.is(tree.size, second.files.size + 2);
});

test('a re-render links the files whose bytes did not change and writes the rest, even an edit of the same size', () => {
  const out = join(tempDir(), 'rendered');
  const tree = compileSnapshot(snapshotFromFiles(fleet())).tree!;
  writeOutputTree(out, tree);
  const [unchanged, edited, replaced] = [...tree.files.keys()].filter((p) => p.endsWith('.yaml')).slice(0, 3) as [string, string, string];
  const inode = (p: string) => statSync(join(out, p)).ino;
  const before = inode(unchanged);
  // A hand edit that keeps the size, and a symlink with the same bytes: neither is reused.
  const text = tree.files.get(edited)!;
  writeFileSync(join(out, edited), text.slice(0, -2) + 'x\n');
  const elsewhere = join(tempDir(), 'copy.yaml');
  writeFileSync(elsewhere, tree.files.get(replaced)!);
  rmSync(join(out, replaced));
  symlinkSync(elsewhere, join(out, replaced));
  writeOutputTree(out, tree);
  assert.is(inode(unchanged), before, 'the unchanged file is the same file, linked into the new tree');
  assert.is(readFileSync(join(out, edited), 'utf8'), text, 'the edited file is written again');
  assert.ok(lstatSync(join(out, replaced)).isFile(), 'the symlink is replaced by a file');
  const written = readTree(out);
  for (const [p, t] of tree.files) assert.is(written.get(p), t, p);
  assert.is(written.size, tree.files.size);
});

test('a render refuses to overwrite a file it did not write', () => {
  const out = tempDir();
  mkdirSync(join(out, 'prod-east'));
  writeFileSync(join(out, 'prod-east', 'kustomization.yaml'), 'hand-written\n');
  assert.throws(() => writeOutputTree(out, compileSnapshot(snapshotFromFiles(fleet())).tree!), (e: unknown) => e instanceof OutputConflictError);
  assert.is(readFileSync(join(out, 'prod-east', 'kustomization.yaml'), 'utf8'), 'hand-written\n');
  assert.not.ok(existsSync(sideFolders(out).staging), 'no staging folder is left behind');
});

test('a partial render (--cluster) leaves the other clusters exactly as they were', () => {
  const out = join(tempDir(), 'rendered');
  const files = fleet();
  writeOutputTree(out, compileSnapshot(snapshotFromFiles(files)).tree!);
  const before = readTree(out);
  files['modules/simple-kmod.yaml'] = files['modules/simple-kmod.yaml']!.replace('quay.io/example/simple-kmod', 'quay.io/example/simple-kmod-v2');
  const partial = compileSnapshot(snapshotFromFiles(files), { clusters: ['prod-west'], preserved: readPreservedClusters(out, ['prod-west']) }).tree!;
  writeOutputTree(out, partial, true);
  const after = readTree(out);
  for (const [p, text] of after) {
    if (p.startsWith('prod-east/') || p.startsWith('edge-lab/')) assert.is(text, before.get(p), `${p} must be untouched`);
  }
  assert.is.not(after.get('prod-west/40-loaders/daemonset-openshift-kmm-simple-kmod-5-14-0-427-22-1-el9-4-x86-64.yaml'), before.get('prod-west/40-loaders/daemonset-openshift-kmm-simple-kmod-5-14-0-427-22-1-el9-4-x86-64.yaml'));
  assert.match(after.get('render.lock')!, /output sha256:[0-9a-f]{64} prod-east\/kustomization.yaml/);
  assert.match(after.get('README.md')!, /\[prod-east\]\(prod-east\/README.md\) \| 6 \|/);
  // The lock lists exactly the files on disk, with their digests.
  const listed = [...after.get('render.lock')!.matchAll(/^output sha256:([0-9a-f]{64}) (.+)$/gm)].map((m) => m[2]);
  assert.equal(listed.sort(), [...after.keys()].filter((p) => p !== 'render.lock').sort());
});

test('an interrupted swap is undone: the old tree comes back complete', () => {
  const out = join(tempDir(), 'rendered');
  writeOutputTree(out, compileSnapshot(snapshotFromFiles(fleet())).tree!);
  const before = readTree(out);
  const { backup, staging } = sideFolders(out);
  // The state after a kill between the two renames: the old tree under the backup name,
  // a complete new tree in staging.
  renameSync(out, backup);
  mkdirSync(staging);
  writeFileSync(join(staging, 'half.yaml'), 'x\n');
  recoverOutputTree(out);
  assert.equal(readTree(out), before);
  assert.not.ok(existsSync(backup));
  assert.not.ok(existsSync(staging));
});

test('a lock held by a live process makes a second writer fail clearly after waiting; a dead holder\'s lock is taken over', () => {
  const out = join(tempDir(), 'rendered');
  const { lock } = sideFolders(out);
  writeFileSync(lock, String(process.pid)); // this process is alive
  const start = Date.now();
  assert.throws(() => withOutputLock(out, () => 'never', 300), (e: unknown) => e instanceof OutputBusyError && /another kmm-render \(pid \d+\) is writing/.test((e as Error).message));
  assert.ok(Date.now() - start >= 300, 'it waited');
  writeFileSync(lock, '999999999'); // no such process
  assert.is(withOutputLock(out, () => 'ran', 300), 'ran');
  assert.not.ok(existsSync(lock), 'released');
});

test('a lock file its holder has not yet written its pid into is not taken over; an old empty one is', () => {
  // The window between creating the lock and writing the pid: a second render reading ""
  // there had taken the lock over, and two renders wrote the staging folder at once.
  const out = join(tempDir(), 'rendered');
  const { lock } = sideFolders(out);
  writeFileSync(lock, '');
  let ran = false;
  assert.throws(() => withOutputLock(out, () => (ran = true), 300), (e: unknown) => e instanceof OutputBusyError);
  assert.not.ok(ran, 'the second writer did not run');
  assert.ok(existsSync(lock), 'the fresh lock is left to its holder');
  const longAgo = new Date(Date.now() - 60_000);
  utimesSync(lock, longAgo, longAgo); // left by a process that died before writing its pid
  assert.is(withOutputLock(out, () => 'ran', 300), 'ran');
});

test.run();
