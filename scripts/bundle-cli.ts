/**
 * Bundles the CLI for start-up speed (issue 17): Node resolves and reads a few chunks instead
 * of hundreds of module files. esbuild splits at every dynamic import(), so each command and
 * the rarely used dependencies stay in chunks loaded on demand; the worker thread is its own
 * entry beside them (run/worker-pool.ts finds it next to itself). The unbundled dist/src
 * stays for tests and the public API; bin/kmm-render.js prefers the bundle when it exists.
 * Run by `npm run build` after tsc.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../src/package/package-info.js';

/** Loaded only by commands that need them (inventory pull, diff of revisions): kept out of the bundle. */
const EXTERNAL = ['@kubernetes/client-node', 'simple-git'];

const dist = join(PACKAGE_ROOT, 'dist');
const result = await build({
  entryPoints: { 'kmm-render': join(dist, 'src', 'cli', 'main.js'), 'unit-worker': join(dist, 'src', 'run', 'unit-worker.js') },
  outdir: join(dist, 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS dependencies call require(); in an ES module it must be made.
  banner: { js: "import { createRequire as __kmmRenderCreateRequire } from 'node:module'; const require = __kmmRenderCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});
// What each output imports, statically or dynamically (test/bundle.test.ts checks the laziness).
writeFileSync(join(dist, 'bundle', 'meta.json'), JSON.stringify(result.metafile));
console.log(`bundled the CLI into ${Object.keys(result.metafile.outputs).length} files in dist/bundle/`);
