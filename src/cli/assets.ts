/** Reading the package's own schemas and templates from disk. I/O edge. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareAssets, type Assets, type RawAssets } from '../compile.js';
import { PACKAGE_ROOT } from './package-info.js';

export { PACKAGE_ROOT, toolVersion } from './package-info.js';

function readDir(dir: string, suffix: string): [string, string][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => [f.slice(0, -suffix.length), readFileSync(join(dir, f), 'utf8')]);
}

/** Reads the raw assets. */
export function readRawAssets(root = PACKAGE_ROOT): RawAssets {
  const inputSchemas: Record<string, object> = {};
  for (const [name, text] of readDir(join(root, 'schemas', 'input'), '.schema.json')) inputSchemas[name] = JSON.parse(text) as object;
  return { inputSchemas, templates: Object.fromEntries(readDir(join(root, 'templates'), '.yaml.hbs')) };
}

let cached: Assets | undefined;

/** The compiled assets, read and compiled once per process. */
export function loadAssets(): Assets {
  cached ??= prepareAssets(readRawAssets());
  return cached;
}
