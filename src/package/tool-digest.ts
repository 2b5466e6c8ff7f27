/**
 * A digest of the tool itself — its compiled code, templates, schemas and version — for the
 * unit cache key: a cache filled by one build is never read by another. I/O edge.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareText } from '../base/compare-text.js';
import { PACKAGE_ROOT } from './package-info.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => compareText(a.name, b.name))
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

let digest: string | undefined;

export function toolDigest(root = PACKAGE_ROOT): string {
  if (digest) return digest;
  const hash = createHash('sha256');
  for (const dir of ['dist/src', 'templates', 'schemas']) {
    for (const file of filesUnder(join(root, dir))) {
      if (!/\.(js|hbs|json)$/.test(file)) continue;
      hash.update(`${file.slice(root.length)}\n`);
      hash.update(readFileSync(file));
    }
  }
  hash.update(readFileSync(join(root, 'package.json')));
  return (digest = hash.digest('hex'));
}
