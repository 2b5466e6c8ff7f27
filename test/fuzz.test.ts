/**
 * Seeded mutation fuzzing (SPEC §10): every fixture and every corpus file (when ../shared is
 * present), mutated — keys deleted, duplicated and retyped, values swapped, files truncated,
 * tabs, unicode, huge numbers, deep nesting, anchors, aliases inside their own anchor, alias
 * cycles, self-merges and tags injected. Each input goes through what render and validate
 * run (compile), what diff runs (a compile of the unmutated seed and the diff of the two),
 * explain (every cluster's first node) and nfd dryrun (its rules and NodeFeatures). For each:
 * no internal error, every error has a file, line and column, a valid output tree is fully
 * written, and the command ends (a hang fails the run). FUZZ_RUNS (default 500) and
 * FUZZ_SEED set the run; a sample also goes through the real CLI to check exit codes and
 * that no stack trace is printed.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAssets } from '../src/package/assets.js';
import { explainNode } from '../src/explain/explain-node.js';
import type { InputFile } from '../src/load/repo-snapshot.js';
import { runDryrun } from '../src/nfd-dryrun.js';
import { writeOutputTree } from '../src/output/write-tree.js';
import { diffFleet } from '../src/review/diff-fleet.js';
import { compileSnapshot, readTree, tempDir, writeTree } from './support/compile-fixture.js';
import { mutatedRepo, SEEDS } from './support/mutations.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

test(`${RUNS} mutated inputs: no internal error, positioned errors, output fully written (seed ${SEED})`, () => {
  assert.ok(SEEDS.length >= 10);
  let written = 0;
  let refused = 0;
  let recursive = 0;
  let dryruns = 0;
  const assets = loadAssets();
  const seedResults = new Map<number, ReturnType<typeof compileSnapshot>>();
  const positioned = (ds: readonly { severity: string; file?: string; line: number; col: number }[]) => {
    for (const d of ds) {
      if (d.severity !== 'error') continue;
      if (!d.file || d.line < 1 || d.col < 1) throw new Error(`error without a position: ${JSON.stringify(d)}`);
    }
  };
  fc.assert(
    fc.property(mutatedRepo, fc.nat({ max: 9 }), ({ files, seed, label }, coin) => {
      if (/self|aliasCycle|recursiveHeader/.test(label)) recursive++;
      const result = compileSnapshot({ files, readDiagnostics: [] });
      positioned(result.diagnostics);
      // nfd dryrun: the repository's NodeFeatureRules over each of its NodeFeature files.
      const rules = files.filter((f) => f.text.includes('NodeFeatureRule'));
      for (const features of files.filter((f) => /kind: *"?NodeFeature"?\s/.test(f.text)).slice(0, 2)) {
        positioned(runDryrun({ rules, features: features as InputFile }, assets.validators).diagnostics);
        dryruns++;
      }
      if (!result.ok) {
        refused++;
        return;
      }
      // diff: the unmutated seed against the mutated repository.
      if (!seedResults.has(seed)) seedResults.set(seed, compileSnapshot({ files: SEEDS[seed]!, readDiagnostics: [] }));
      const base = seedResults.get(seed)!;
      if (base.ok) diffFleet(base.clusters!, result.clusters!);
      // explain: the first node of every cluster.
      for (const cluster of result.model!.clusters) {
        const rendered = result.clusters!.find((c) => c.plan.cluster.name === cluster.settings.name);
        const node = cluster.nodes[0];
        if (node && rendered) explainNode(cluster, rendered, node.name);
      }
      if (coin === 0) {
        // One run in ten also goes to disk: the new tree is there, whole.
        const out = join(tempDir(), 'out');
        writeOutputTree(out, result.tree!);
        const disk = readTree(out);
        if (disk.size !== result.tree!.files.size || [...result.tree!.files].some(([p, t]) => disk.get(p) !== t)) throw new Error('the written tree differs from the compiled one');
        written++;
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  // The recursive mutations are drawn (1 in 5 of them), so the bound is exercised every run.
  assert.ok(recursive >= RUNS / 20, `only ${recursive} recursive inputs in ${RUNS}`);
  console.log(`  fuzz: ${RUNS} inputs (${recursive} with recursive aliases or merges), ${refused} refused with diagnostics, ${written} written to disk and checked, ${dryruns} nfd dryruns`);
});

test('a sample of mutated inputs through the CLI: exit 0 or 1, no stack trace, the old tree intact or replaced whole', () => {
  const samples = fc.sample(mutatedRepo, { numRuns: 12, seed: SEED + 1 });
  const base = SEEDS.find((s) => s.some((f) => f.path === 'modules/simple-kmod.yaml'))!;
  for (const { files, label } of samples) {
    const repo = tempDir();
    writeTree(repo, Object.fromEntries(files.map((f) => [f.path, f.text])));
    const out = join(tempDir(), 'out');
    const baseRepo = tempDir();
    writeTree(baseRepo, Object.fromEntries(base.map((f) => [f.path, f.text])));
    assert.is(runCli(['render', '--repo', baseRepo, '--out', out]).status, 0);
    const before = readTree(out);
    const r = runCli(['render', '--repo', repo, '--out', out]);
    assert.ok(r.status === 0 || r.status === 1, `${label}: exit ${r.status}: ${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr), `${label}: ${r.stderr}`);
    for (const line of r.stderr.split('\n').filter((l) => / error [A-Z_]+:/.test(l))) assert.match(line, /^[^:]+:\d+:\d+: error /, label);
    if (r.status === 1) assert.equal(readTree(out), before, `${label}: a refused input leaves the old tree`);
  }
});

test.run();
