/**
 * The cache key of a unit: a digest of everything its result depends on — the tool (a
 * digest of its own code, templates and schemas, not just its version), the options, the
 * cluster, and each input file's path and content digest.
 */
import { createHash } from 'node:crypto';
import type { ListedInputFile } from '../load/repo-snapshot.js';
import type { CompileUnit } from './split-units.js';
import type { UnitOptions } from './compile-unit.js';

export function unitKey(unit: CompileUnit<ListedInputFile>, inputDigests: ReadonlyMap<string, string>, toolDigest: string, options: UnitOptions): string {
  const hash = createHash('sha256');
  hash.update(`kmm-render unit v1\n${toolDigest}\nstrict=${options.strict}\npinDigests=${options.pinDigests}\ncluster=${unit.cluster}\n`);
  for (const f of unit.files) hash.update(`${inputDigests.get(f.path)} ${JSON.stringify(f.path)}\n`);
  return hash.digest('hex');
}
