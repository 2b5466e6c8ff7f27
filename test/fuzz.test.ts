/**
 * Seeded mutation fuzzing (SPEC §10): every fixture and every corpus file (when ../shared is
 * present), mutated — keys deleted, duplicated and retyped, values swapped, files truncated,
 * tabs, unicode, huge numbers, deep nesting, anchors and tags injected. For each input:
 * no internal error, every error has a file, line and column, and a valid output tree is
 * fully written. FUZZ_RUNS (default 500) and FUZZ_SEED set the run; a sample also goes
 * through the real CLI to check exit codes and that no stack trace is printed.
 */
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeOutputTree } from '../src/output/write-tree.js';
import { compileSnapshot, readTree, tempDir, writeTree } from './support/compile-fixture.js';
import { mutatedRepo, SEEDS } from './support/mutations.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

test(`${RUNS} mutated inputs: no internal error, positioned errors, output fully written (seed ${SEED})`, () => {
  assert.ok(SEEDS.length >= 10);
  let written = 0;
  let refused = 0;
  fc.assert(
    fc.property(mutatedRepo, fc.nat({ max: 9 }), ({ files }, coin) => {
      const result = compileSnapshot({ files, readDiagnostics: [] });
      for (const d of result.diagnostics) {
        if (d.severity !== 'error') continue;
        if (!d.file || d.line < 1 || d.col < 1) throw new Error(`error without a position: ${JSON.stringify(d)}`);
      }
      if (!result.ok) {
        refused++;
        return;
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
  console.log(`  fuzz: ${RUNS} inputs, ${refused} refused with diagnostics, ${written} written to disk and checked`);
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
