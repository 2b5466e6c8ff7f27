/**
 * The CLI bundle (scripts/bundle-cli.ts, issue 17) keeps what the unbundled CLI keeps: the
 * same output, and laziness — `--version` statically loads no compiler dependency, and the
 * render command (and the worker) statically load neither the text-diff library, git nor the
 * cluster client. Read from esbuild's own metafile of the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readTree, tempDir } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';
import { runCli } from './support/run-cli.js';

interface Meta {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }>;
}
const meta = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle', 'meta.json'), 'utf8')) as Meta;

/** The inputs (source modules, packages) an output loads before running: its static import closure. */
function staticInputs(entryPoint: string): string[] {
  const start = Object.keys(meta.outputs).find((o) => meta.outputs[o]!.entryPoint === entryPoint);
  assert.ok(start, `an output for ${entryPoint}`);
  const seen = new Set<string>();
  const inputs = new Set<string>();
  const visit = (out: string) => {
    if (seen.has(out)) return;
    seen.add(out);
    const o = meta.outputs[out]!;
    for (const i of Object.keys(o.inputs)) inputs.add(i);
    for (const imp of o.imports) {
      if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
      if (imp.kind === 'import-statement' && imp.external) inputs.add(`external:${imp.path}`);
    }
  };
  visit(start!);
  return [...inputs].sort();
}

test('bin/kmm-render.js runs the bundle', () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'bundle', 'kmm-render.js')));
  assert.match(readFileSync(join(ROOT, 'bin', 'kmm-render.js'), 'utf8'), /dist\/bundle\/kmm-render\.js/);
});

test('--version loads no compiler dependency (yaml, js-yaml, handlebars, ajv, re2js, fast-glob)', () => {
  const loaded = staticInputs('dist/src/cli/main.js');
  assert.equal(loaded.filter((i) => /node_modules\/(yaml|js-yaml|handlebars|ajv|re2js|fast-glob)\//.test(i)), []);
});

for (const entry of ['dist/src/cli/commands/render.js', 'dist/src/run/unit-worker.js']) {
  test(`${entry} loads neither jsdiff, git nor the cluster client until asked`, () => {
    const loaded = staticInputs(entry);
    assert.ok(loaded.some((i) => i.includes('node_modules/yaml/')), 'the closure is the real one (it has the YAML reader)');
    assert.equal(loaded.filter((i) => /node_modules\/diff\/|simple-git|@kubernetes\/client-node/.test(i)), []);
  });
}

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
