/** The package's root folder and version, read from disk without loading the compiler. I/O edge. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the nearest folder above this module with kmm-render's package.json.
 * This module runs from dist/src/package/ (tests, the public API) or from the CLI bundle in
 * dist/bundle/, so the depth is not fixed.
 */
function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'kmm-render') return dir;
    if (dirname(dir) === dir) throw new Error(`bug: no kmm-render package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The package version from package.json. */
export function toolVersion(root = PACKAGE_ROOT): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}
