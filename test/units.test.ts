/**
 * The unit pipeline (src/units/, src/run/render-fleet.ts) renders exactly what the whole
 * compile renders: per fixture, serially, on worker threads and from the cache; the cache
 * recomputes exactly the clusters whose inputs changed and never changes the output.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFleet } from '../bench/generate-fleet.js';
import { loadAssets } from '../src/package/assets.js';
import type { RepoSnapshot } from '../src/load/repo-snapshot.js';
import { renderFleet, type FleetRenderOptions } from '../src/run/render-fleet.js';
import { openUnitCache } from '../src/run/unit-cache.js';
import { openFileParseCache } from '../src/run/file-parse-cache.js';
import { parseFile } from '../src/load/parse-documents.js';
import { diffByUnits } from '../src/run/diff-by-units.js';
import { diffFleet } from '../src/review/diff-fleet.js';
import { splitIntoUnits } from '../src/units/split-units.js';
import { unitKey } from '../src/units/unit-key.js';
import { compileSnapshot, PROVENANCE, readTree, snapshotFromFiles, snapshotOf, tempDir } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';
import { runCli } from './support/run-cli.js';
import fc from 'fast-check';
import { applyMutations, mutationSteps, SEEDS } from './support/mutations.js';

const fixtures = readdirSync(FIXTURES)
  .sort()
  .filter((n) => existsSync(join(FIXTURES, n, 'repo')));

const render = (snapshot: RepoSnapshot, options: Partial<FleetRenderOptions> = {}) => renderFleet(snapshot, loadAssets, { provenance: PROVENANCE, jobs: 1, ...options });

/** A fleet of four clusters with NodeFeatures, from the bench generator. */
function fleet(): Record<string, string> {
  const files = generateFleet({ clusters: 4, nodesPerCluster: 24, profiles: 4, rules: 10, modules: 6, kernelsPerCluster: 2, nodeFeatures: true });
  return Object.fromEntries(files);
}

for (const name of fixtures) {
  test(`${name}: the unit pipeline gives the whole compile's tree and diagnostics`, async () => {
    const snapshot = snapshotOf(join(FIXTURES, name, 'repo'));
    const whole = compileSnapshot(snapshot);
    const units = await render(snapshot);
    assert.equal(units.diagnostics, whole.diagnostics);
    assert.is(units.ok, whole.ok);
    assert.equal(units.tree?.files, whole.tree?.files);
  });
}

test('mutated multi-cluster fleets: when units fail, their merged diagnostics are exactly the whole compile\'s', async () => {
  const multi = [...SEEDS.filter((files) => (splitIntoUnits({ files })?.length ?? 0) >= 2), Object.entries(fleet()).map(([path, text]) => ({ path, text }))];
  assert.ok(multi.length >= 2);
  const samples = fc.sample(fc.record({ seed: fc.nat({ max: multi.length - 1 }), steps: mutationSteps }), { numRuns: Number(process.env.FUZZ_RUNS ?? 500) / 5, seed: 20261201 });
  let failed = 0;
  for (const { seed, steps } of samples) {
    const { files, label: mutations } = applyMutations(multi[seed]!, steps);
    const snapshot = { files, readDiagnostics: [] };
    const whole = compileSnapshot(snapshot);
    const units = await render(snapshot);
    const label = `${seed}:${mutations}`;
    assert.is(units.ok, whole.ok, label);
    assert.equal(units.diagnostics, whole.diagnostics, label);
    if (!whole.ok) failed++;
  }
  assert.ok(failed > 0, 'no sample failed: the merge of failing units was not exercised');
});

test('a fleet of four clusters is split into four units, each with the fleet-wide files and its own folder', () => {
  const units = splitIntoUnits(snapshotFromFiles(fleet()))!;
  assert.equal(units.map((u) => u.cluster), ['cluster-000', 'cluster-001', 'cluster-002', 'cluster-003']);
  for (const u of units) {
    assert.ok(u.files.every((f) => !f.path.startsWith('clusters/') || f.path.startsWith(`clusters/${u.cluster}/`)));
    assert.ok(u.files.some((f) => f.path.startsWith('modules/')));
  }
});

test('hub-and-spoke fleets are compiled whole (a hub reads its spokes)', () => {
  assert.is(splitIntoUnits(snapshotOf(join(FIXTURES, 'hub-spoke', 'repo'))), undefined);
});

test('parallel and serial renders are byte-identical, with workers really used', async () => {
  const snapshot = snapshotFromFiles(fleet());
  const serial = await render(snapshot, { jobs: 1 });
  const parallel = await render(snapshot, { jobs: 2, parallelMinBytes: 0 });
  assert.is(serial.stats.workers, 0);
  assert.is(parallel.stats.workers, 2);
  assert.ok(serial.ok);
  assert.equal(parallel.tree!.files, serial.tree!.files);
  assert.equal(parallel.diagnostics, serial.diagnostics);
  assert.equal(serial.tree!.files, compileSnapshot(snapshot).tree!.files);
});

test('the cache recomputes exactly the clusters whose inputs changed, and never changes the output', async () => {
  const cache = openUnitCache(tempDir());
  const files = fleet();
  const check = async (expectComputed: number) => {
    const snapshot = snapshotFromFiles(files);
    const withCache = await render(snapshot, { cache });
    const without = await render(snapshot);
    assert.equal(withCache.tree!.files, without.tree!.files);
    assert.equal(withCache.diagnostics, without.diagnostics);
    assert.is(withCache.stats.computed, expectComputed);
    return withCache;
  };
  await check(4);
  await check(0);
  // A label on one node of cluster-002: only that cluster is recomputed.
  files['clusters/cluster-002/nodes.yaml'] = files['clusters/cluster-002/nodes.yaml']!.replace('kubernetes.io/arch: amd64', 'kubernetes.io/arch: arm64');
  const one = await check(1);
  assert.is(one.stats.cached, 3);
  // A fleet-wide Module: every cluster.
  files['modules/module-0.yaml'] = files['modules/module-0.yaml']!.replace('1.0-', '1.1-');
  await check(4);
  // A cluster-scoped Module in cluster-001 only.
  files['clusters/cluster-001/extra-module.yaml'] = files['modules/module-1.yaml']!.replace('accel-driver-1', 'extra-driver');
  await check(1);
  await check(0);
});

test('a damaged or foreign cache entry is a miss, not a wrong answer', async () => {
  const dir = tempDir();
  const cache = openUnitCache(dir);
  const snapshot = snapshotFromFiles(fleet());
  const first = await render(snapshot, { cache });
  const folder = join(dir, 'units', 'cluster-000');
  const [entry] = readdirSync(folder);
  writeFileSync(join(folder, entry!), readFileSync(join(folder, entry!), 'utf8').slice(0, 100));
  const second = await render(snapshot, { cache });
  assert.is(second.stats.computed, 1);
  assert.equal(second.tree!.files, first.tree!.files);
});

test('the cache key changes with the tool, the options, a file path or a file content', () => {
  const [unit] = splitIntoUnits(snapshotFromFiles(fleet()))!;
  const digests = new Map(unit!.files.map((f) => [f.path, 'd']));
  const base = unitKey(unit!, digests, 'tool-a', { strict: false, pinDigests: false });
  assert.is.not(unitKey(unit!, digests, 'tool-b', { strict: false, pinDigests: false }), base);
  assert.is.not(unitKey(unit!, digests, 'tool-a', { strict: true, pinDigests: false }), base);
  assert.is.not(unitKey(unit!, digests, 'tool-a', { strict: false, pinDigests: true }), base);
  assert.is.not(unitKey(unit!, new Map([...digests].map(([p], i) => [p, i === 0 ? 'e' : 'd'])), 'tool-a', { strict: false, pinDigests: false }), base);
  const renamed = { ...unit!, files: unit!.files.map((f, i) => (i === 0 ? { ...f, path: f.path + 'x' } : f)) };
  assert.is.not(unitKey(renamed, new Map(renamed.files.map((f) => [f.path, 'd'])), 'tool-a', { strict: false, pinDigests: false }), base);
});

test('diff by units gives the whole review: changed Modules, a changed node, a cluster added and one removed', async () => {
  const base = fleet();
  const cases: [string, (f: Record<string, string>) => void][] = [
    ['nothing', () => {}],
    ['a fleet-wide Module', (f) => (f['modules/module-0.yaml'] = f['modules/module-0.yaml']!.replace('1.0-', '2.0-'))],
    ['a cluster-scoped Module', (f) => (f['clusters/cluster-002/extra.yaml'] = f['modules/module-1.yaml']!.replace('accel-driver-1', 'extra-driver'))],
    ['a node label', (f) => (f['clusters/cluster-001/nodes.yaml'] = f['clusters/cluster-001/nodes.yaml']!.replace(/example\.com\/accel-1: "true"/, 'example.com/accel-2: "true"'))],
    ['a cluster removed, one added', (f) => {
      for (const p of Object.keys(f).filter((p) => p.startsWith('clusters/cluster-003/'))) {
        f[p.replace('cluster-003', 'cluster-009')] = f[p]!;
        delete f[p];
      }
    }],
  ];
  const cache = openUnitCache(tempDir());
  for (const [label, change] of cases) {
    const head = { ...base };
    change(head);
    const baseSnap = snapshotFromFiles(base);
    const headSnap = snapshotFromFiles(head);
    const whole = diffFleet(compileSnapshot(baseSnap).clusters!, compileSnapshot(headSnap).clusters!);
    const serial = await diffByUnits(baseSnap, headSnap, loadAssets, { diff: {}, jobs: 1 });
    const parallel = await diffByUnits(baseSnap, headSnap, loadAssets, { diff: {}, jobs: 2, parallelMinBytes: 0, cache });
    assert.equal(serial, whole, label);
    assert.equal(parallel, whole, label);
    if (label !== 'nothing') assert.ok(whole.objects.length > 0, `${label} changes something`);
  }
});

test('diff by units declines when a side has input errors (the whole compile reports them)', async () => {
  const base = fleet();
  const head = { ...base, 'clusters/cluster-000/bad.yaml': 'apiVersion: v1\nkind: Node\nmetadata: {name: broken}\n' };
  assert.is(await diffByUnits(snapshotFromFiles(base), snapshotFromFiles(head), loadAssets, { diff: {}, jobs: 1 }), undefined);
});

test('parsed files come back from the disk cache with the same values, and positions on demand', () => {
  const dir = tempDir();
  const text = generateFleet({ clusters: 1, nodesPerCluster: 300, profiles: 4, rules: 2, modules: 2, kernelsPerCluster: 2, nodeFeatures: true }).get('clusters/cluster-000/nodefeatures.yaml')!;
  assert.ok(text.length > 64 * 1024);
  const file = { path: 'clusters/c/nodefeatures.yaml', text };
  const parsed = parseFile(file);
  openFileParseCache(dir).set(file, 'limits', parsed);
  const again = openFileParseCache(dir).get(file, 'limits');
  assert.ok(again, 'read back by a new cache instance, from disk');
  assert.equal(again!.documents.map((d) => [d.source.index, d.value]), parsed.documents.map((d) => [d.source.index, d.value]));
  const second = again!.documents[1]!.source;
  assert.is(second.lineCounter.linePos(second.doc.contents!.range![0]).line, parsed.documents[1]!.source.lineCounter.linePos(parsed.documents[1]!.source.doc.contents!.range![0]).line);
  assert.is(openFileParseCache(dir).get(file, 'other limits'), undefined, 'other limits, other entry');
  assert.is(openFileParseCache(dir).get({ ...file, text: text + '\n# changed\n' }, 'limits'), undefined, 'other text, other entry');
  const dated = { path: 'clusters/c/dated.yaml', text: text.replace('kind: NodeFeature', 'kind: NodeFeature\nwhen: 2024-01-01') };
  openFileParseCache(dir).set(dated, 'limits', parseFile(dated));
  // A timestamp is its text, as Kubernetes reads it, so it comes back unchanged.
  assert.is((openFileParseCache(dir).get(dated, 'limits')?.documents[0]?.value as { when?: unknown } | undefined)?.when, '2024-01-01');
  const slow = { path: 'clusters/c/anchored.yaml', text: text.replace('kind: NodeFeature', 'kind: NodeFeature\nx: &a 1\ny: *a') };
  const slowParse = parseFile(slow);
  assert.not.ok(slowParse.fastRead);
  openFileParseCache(dir).set(slow, 'limits', slowParse);
  assert.is(openFileParseCache(dir).get(slow, 'limits'), undefined, 'what the slow path read is not stored');
});

test('renders with the parsed-file cache are byte-identical to renders without it, cold and after a change', async () => {
  const files = Object.fromEntries(generateFleet({ clusters: 2, nodesPerCluster: 200, profiles: 4, rules: 6, modules: 4, kernelsPerCluster: 2, nodeFeatures: true }));
  const fileCacheDir = tempDir();
  const cache = openUnitCache(fileCacheDir);
  for (let round = 0; round < 3; round++) {
    if (round === 2) files['clusters/cluster-001/extra.yaml'] = files['modules/module-1.yaml']!.replace('accel-driver-1', 'extra-driver');
    const snapshot = snapshotFromFiles(files);
    const cached = await render(snapshot, { cache, fileCacheDir });
    const plain = await render(snapshot);
    assert.equal(cached.tree!.files, plain.tree!.files, `round ${round}`);
    assert.equal(cached.diagnostics, plain.diagnostics, `round ${round}`);
  }
  assert.ok(readdirSync(join(fileCacheDir, 'files')).length >= 2, 'the inventories were stored');
});

test('the CLI: --jobs 2 and --jobs 1 write the same tree; the second render takes unchanged clusters from the cache', () => {
  const repo = tempDir();
  for (const [p, text] of Object.entries(fleet())) {
    const abs = join(repo, p);
    mkdirp(abs);
    writeFileSync(abs, text);
  }
  const cacheDir = tempDir();
  const a = join(tempDir(), 'a');
  const b = join(tempDir(), 'b');
  const r1 = runCli(['render', '--repo', repo, '--out', a, '--jobs', '2', '--cache-dir', cacheDir]);
  assert.is(r1.status, 0, r1.stderr);
  const r2 = runCli(['render', '--repo', repo, '--out', b, '--jobs', '1', '--no-cache']);
  assert.is(r2.status, 0, r2.stderr);
  assert.equal(readTree(a), readTree(b));
  const r3 = runCli(['render', '--repo', repo, '--out', a, '--cache-dir', cacheDir]);
  assert.match(r3.stderr, /4 cluster\(s\) unchanged, from the cache/);
  assert.equal(readTree(a), readTree(b));
  assert.is(runCli(['render', '--repo', repo, '--out', a, '--jobs', 'many']).status, 2);
});

function mkdirp(file: string) {
  mkdirSync(join(file, '..'), { recursive: true });
}

test.run();
