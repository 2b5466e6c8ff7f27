#!/usr/bin/env node
// The kmm-render command. The TypeScript is compiled to dist/ by `npm install` (prepare),
// and the CLI bundled into dist/bundle/ for start-up speed (scripts/bundle-cli.ts); without
// the bundle, the compiled modules run as they are.
//
// The bundle is CommonJS so that V8 keeps a code cache of it between runs, in the `v8/`
// folder of kmm-render's cache (src/disk/cache-dir.ts): Node's own where it has it
// (module.enableCompileCache, Node 22.1+; NODE_DISABLE_COMPILE_CACHE=1 turns it off), else
// src/cli/load-bundle.ts (Node 20; KMM_RENDER_CODE_CACHE=off turns it off). Worker threads run
// through the same loader (run/worker-pool.ts).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/bundle/kmm-render.js', import.meta.url));
let main;
if (existsSync(bundle)) {
  const require = createRequire(import.meta.url);
  const { runBundle } = require('../dist/bundle/load-bundle.js');
  ({ main } = runBundle(bundle, (specifier) => import(specifier)));
} else ({ main } = await import('../dist/src/cli/main.js'));
process.exitCode = await main(process.argv.slice(2));
