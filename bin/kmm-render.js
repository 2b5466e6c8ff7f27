#!/usr/bin/env node
// The kmm-render command. The TypeScript is compiled to dist/ by `npm install` (prepare),
// and the CLI bundled into dist/bundle/ for start-up speed (scripts/bundle-cli.ts); without
// the bundle, the compiled modules run as they are.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/kmm-render.js', import.meta.url);
const { main } = await import(existsSync(bundle) ? bundle.href : '../dist/src/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
