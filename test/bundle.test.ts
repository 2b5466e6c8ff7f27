/**
 * The CLI bundle (scripts/bundle-cli.ts, issue 17) keeps what the unbundled CLI keeps: the
 * same output, and laziness — `--version` requires nothing from outside the bundle, and a
 * render (with its worker threads) requires neither the text-diff library, git nor the
 * cluster client, which `diff` and `inventory pull` do. Read from the packages a real run
 * requires, and from esbuild's metafile of the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFleet } from '../bench/generate-fleet.js';
import { readTree, tempDir, writeTree } from './support/compile-fixture.js';
import { BIN, FIXTURES, ROOT } from './support/paths.js';
import { runCli } from './support/run-cli.js';

interface Meta {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown> }>;
}
const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle', 'meta.json'), 'utf8')) as Meta;

/** What the bundle made from `entryPoint` holds (each bundle is self-contained). */
function inputsOf(entryPoint: string): string[] {
  const out = Object.values(meta.outputs).find((o) => o.entryPoint === entryPoint);
  assert.ok(out, `a bundle for ${entryPoint}`);
  return Object.keys(out!.inputs).sort();
}

/** The packages a run of the bundled CLI requires, per thread ("main", "worker-N"). */
function packagesRequired(args: string[], env: Record<string, string> = {}): { status: number | null; packages: string[] } {
  const log = join(tempDir(), 'requires.log');
  const r = spawnSync(process.execPath, ['--require', join(ROOT, 'test', 'data', 'record-requires.cjs'), BIN, ...args], { encoding: 'utf8', env: { ...process.env, KMM_TEST_REQUIRE_LOG: log, ...env } });
  const lines = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: r.status, packages: [...new Set(lines)].sort() };
}

test('bin/kmm-render.js runs the bundle with a V8 code cache in the cache folder; a cached run renders the same bytes', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'bundle', 'kmm-render.js')));
  assert.is(JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle', 'package.json'), 'utf8')).type, 'commonjs');
  const cache = tempDir();
  const render = (env: Record<string, string>) => {
    const out = tempDir();
    const r = runCli(['render', '--repo', join(FIXTURES, 'example-fleet', 'repo'), '--out', out, '--no-cache'], { env: { KMM_RENDER_CACHE: cache, ...env } });
    assert.is(r.status, 0, r.stderr);
    return readTree(out);
  };
  const nodeHasCompileCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  if (!nodeHasCompileCache) {
    render({ KMM_RENDER_CODE_CACHE: 'off' });
    assert.not.ok(existsSync(join(cache, 'v8')), 'KMM_RENDER_CODE_CACHE=off writes no code cache');
  }
  const first = render({});
  const entries = readdirSync(join(cache, 'v8'));
  assert.ok(entries.length > 0, 'the first run wrote the code cache');
  if (!nodeHasCompileCache) assert.ok(entries.some((f) => /^kmm-render-[0-9a-f]{24}\.bin$/.test(f)), entries.join(', '));
  assert.equal(render({}), first, 'the run from the cache writes the same tree');
});

test('--version requires no package from outside the bundle', () => {
  const inputs = inputsOf('dist/src/cli/main.js');
  assert.ok(inputs.some((i) => i.includes('node_modules/yaml/')), 'the bundle holds the commands');
  assert.equal(packagesRequired(['--version']).packages, []);
});

test('a render, on worker threads too, requires neither jsdiff, git nor the cluster client; diff requires jsdiff', () => {
  // Over 6 MiB of input (6.7) and two clusters: compiled on worker threads.
  const fleet = tempDir();
  writeTree(fleet, generateFleet({ clusters: 2, nodesPerCluster: 220, profiles: 4, rules: 4, modules: 4, kernelsPerCluster: 2, nodeFeatures: true, seed: 5 }));
  const cache = tempDir();
  const render = packagesRequired(['render', '--repo', fleet, '--out', tempDir(), '--no-cache', '--jobs', '2'], { KMM_RENDER_CACHE: cache });
  assert.is(render.status, 0);
  if (typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache !== 'function') {
    assert.ok(readdirSync(join(cache, 'v8')).some((f) => f.startsWith('unit-worker-')), 'the workers ran through the code cache too');
  }
  assert.equal(render.packages.filter((p) => / (diff|simple-git|@kubernetes\/client-node)(\/|$)/.test(p)), []);
  const threads = new Set(render.packages.map((p) => p.split(' ')[0]));
  assert.ok([...threads].some((t) => t.startsWith('worker-')), `the render ran on worker threads, and the log saw them: ${[...threads].join(', ')}`);
  const diff = packagesRequired(['diff', '--repo', join(FIXTURES, 'example-fleet', 'repo'), '--base', 'HEAD']);
  assert.ok(diff.packages.includes('main simple-git'), `diff reads git: ${diff.packages.join(', ')}`);
});

test('the bundled CLI renders the example fleet as the unbundled modules do', async () => {
  const repo = join(FIXTURES, 'example-fleet', 'repo');
  const bundled = tempDir();
  const r = runCli(['render', '--repo', repo, '--out', bundled, '--no-cache']);
  assert.is(r.status, 0, r.stderr);
  const { main } = (await import('../src/cli/main.js')) as { main: (argv: string[]) => Promise<number> };
  const plain = tempDir();
  const stderr = process.stderr.write;
  process.stderr.write = () => true; // the unbundled run's report is the bundled one's
  try {
    assert.is(await main(['render', '--repo', repo, '--out', plain, '--no-cache']), 0);
  } finally {
    process.stderr.write = stderr;
  }
  assert.equal(readTree(bundled), readTree(plain));
});

test.run();
