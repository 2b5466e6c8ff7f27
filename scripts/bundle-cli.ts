/**
 * Bundles the CLI for start-up speed (issue 17): Node then reads one file per run instead of
 * hundreds of modules, and — because the bundle is CommonJS — V8 can keep a persistent code
 * cache of it (bin/kmm-render.js: `module.enableCompileCache()` where Node has it, else
 * src/cli/load-bundle.ts), so a run does not compile the same code again.
 *
 * Three bundles: the command line with every command (`kmm-render.js`; one bundle, so that
 * module state such as --max-diagnostics is shared as in the unbundled code), the worker
 * thread beside it (run/worker-pool.ts finds it next to itself), and the loader
 * (`load-bundle.js`). Inside a bundle, dynamic imports stay lazy — a module is evaluated when
 * first imported — and the cluster client, git and jsdiff stay outside it, loaded only by the
 * commands that use them (the cluster client, an ES module, through import()).
 * `dist/bundle/package.json` makes the `.js` files there CommonJS. The unbundled dist/src
 * stays for tests and the public API. Run by `npm run build` after tsc.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { PACKAGE_ROOT } from '../src/package/package-info.js';

/** Loaded only by commands that need them (inventory pull, diff of revisions, text diffs): kept out of the bundles, so that a test sees when they are required. */
const EXTERNAL = ['@kubernetes/client-node', 'simple-git', 'diff'];

const outdir = join(PACKAGE_ROOT, 'dist', 'bundle');
const src = join(PACKAGE_ROOT, 'dist', 'src');

/**
 * The cluster client is an ES module: the code cache's compiled bundle cannot import() it, so
 * it comes through `client-library.js`, a bundle of its own that Node loads as usual.
 */
const clientLibraryOutside: Plugin = {
  name: 'client-library-outside',
  setup(b) {
    b.onResolve({ filter: /\/client-library\.js$/ }, (args) => (args.importer.endsWith('pull-inventory.js') ? { path: './client-library.js', external: true } : undefined));
  },
};

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// import.meta.url in CommonJS: the bundle file's own URL (package-info.ts and worker-pool.ts read it).
const shim = join(outdir, '.import-meta-url.js');
writeFileSync(shim, "export const importMetaUrl = require('node:url').pathToFileURL(__filename).href;\n");
const result = await build({
  entryPoints: {
    'kmm-render': join(src, 'cli', 'main.js'),
    'unit-worker': join(src, 'run', 'unit-worker.js'),
    // What bin/kmm-render.js runs the CLI bundle with on Node 20 (and where the code cache is).
    'load-bundle': join(src, 'cli', 'load-bundle.js'),
    'client-library': join(src, 'cluster', 'client-library.js'),
  },
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  plugins: [clientLibraryOutside],
  define: { 'import.meta.url': 'importMetaUrl' },
  inject: [shim],
  metafile: true,
  logLevel: 'warning',
});
rmSync(shim);
writeFileSync(join(outdir, 'package.json'), '{ "type": "commonjs" }\n');
// What each bundle holds and imports (test/bundle.test.ts checks the laziness).
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
console.log(`bundled the CLI into ${Object.keys(result.metafile.outputs).length} files in dist/bundle/`);
