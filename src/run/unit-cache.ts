/**
 * The on-disk cache of unit results (src/units/): `<dir>/units/<cluster>/<key>.json`, where
 * the key digests every input of the unit and the tool itself (unit-key.ts), so an entry
 * can only be found by a render that would compute the same result. Safe to delete at any
 * time; entries are written whole (temporary file, then rename); an unreadable or foreign
 * entry is a miss. Each cluster keeps its most recently used entries only. I/O edge.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitResult } from '../units/compile-unit.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';

/** Entries kept per cluster (the current render, the base of a diff, a few older). */
const KEEP_PER_CLUSTER = 8;

export interface UnitCache {
  get(cluster: string, key: string): UnitResult | undefined;
  put(cluster: string, key: string, result: UnitResult): void;
}

export { defaultCacheDir } from '../disk/cache-dir.js';

export function openUnitCache(dir: string): UnitCache {
  const folder = (cluster: string) => join(dir, 'units', cluster);
  return {
    get(cluster, key) {
      const file = join(folder(cluster), `${key}.json`);
      try {
        const entry = JSON.parse(readFileSync(file, 'utf8')) as { key?: string; result?: UnitResult };
        if (entry.key !== key || !entry.result || entry.result.cluster !== cluster) return undefined;
        const now = new Date();
        utimesSync(file, now, now);
        return entry.result;
      } catch {
        return undefined;
      }
    },
    put(cluster, key, result) {
      // The cache only saves time: a full disk or a read-only home must not fail a render.
      try {
        const dirPath = folder(cluster);
        mkdirSync(dirPath, { recursive: true });
        const file = join(dirPath, `${key}.json`);
        writeFileAtomically(file, JSON.stringify({ key, result }));
        const entries = readdirSync(dirPath)
          .filter((n) => n.endsWith('.json'))
          .map((n) => ({ n, t: statSync(join(dirPath, n)).mtimeMs }))
          .sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
        for (const old of entries.slice(KEEP_PER_CLUSTER)) rmSync(join(dirPath, old.n), { force: true });
      } catch {
        // ignored: see above
      }
    },
  };
}
