/**
 * Parsed input files on disk, beside the unit cache: `<dir>/files/<key>.json`, the key a
 * digest of the tool, the limits and the file's text (its sha256). A cluster recompiled because one of
 * its Modules changed then reads its unchanged inventory as JSON (~8× faster than YAML).
 * Only files read on the fast path without a diagnostic, whose values JSON keeps exactly, are
 * stored (no -0, which JSON writes as 0; timestamps are strings, as Kubernetes reads them). Positions are recomputed from the text on
 * demand, as for any fast read. Safe to delete; unreadable entries are misses. I/O edge.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { memoryParseCache, type ParseCache, type ParsedFile } from '../load/load-documents.js';
import { documentsWithLazyPositions } from '../load/parse-documents.js';
import type { InputFile } from '../load/repo-snapshot.js';
import { toolDigest } from '../package/tool-digest.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';

/** Files smaller than this parse faster than their cache entry is read. */
const MIN_BYTES = 64 * 1024;

/** Entries kept: when there are more, the least recently written go. */
const MAX_ENTRIES = 400;

function prune(folder: string): void {
  const names = readdirSync(folder).filter((n) => n.endsWith('.json'));
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(join(folder, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const old of byAge.slice(0, names.length - MAX_ENTRIES)) rmSync(join(folder, old.n), { force: true });
}

/** JSON text of the documents, or undefined when JSON would not give the same values back. */
function serialize(result: ParsedFile): string | undefined {
  let exact = true;
  const text = JSON.stringify(
    result.documents.map((d) => ({ index: d.source.index, value: d.value })),
    function (this: Record<string, unknown>, key: string, value: unknown) {
      const raw = this[key];
      if ((typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0))) || typeof raw === 'bigint') exact = false;
      return value;
    },
  );
  return exact ? text : undefined;
}

export function openFileParseCache(dir: string): ParseCache {
  const memory = memoryParseCache();
  const folder = join(dir, 'files');
  // Keyed by the file's digest when the reader knows it (no need to read or hash the text).
  const keyOf = (file: InputFile, limits: string) =>
    createHash('sha256')
      .update(`${toolDigest()}\n${limits}\n${file.digest ?? createHash('sha256').update(file.text).digest('hex')}`)
      .digest('hex');
  const sizeOf = (file: InputFile) => file.bytes ?? file.text.length;
  return {
    get(file, limits) {
      const hit = memory.get(file, limits);
      if (hit || sizeOf(file) < MIN_BYTES) return hit;
      try {
        const key = keyOf(file, limits);
        const entries = JSON.parse(readFileSync(join(folder, `${key}.json`), 'utf8')) as { index: number; value: unknown }[];
        const result: ParsedFile = { documents: documentsWithLazyPositions(file, entries), diagnostics: [], fastRead: true };
        memory.set(file, limits, result);
        return result;
      } catch {
        return undefined;
      }
    },
    set(file, limits, result) {
      memory.set(file, limits, result);
      // Only fast reads: their positions come from the file's text as it is (a file the slow
      // path had to re-indent would not), which is how cached entries find theirs.
      if (sizeOf(file) < MIN_BYTES || !result.fastRead || result.diagnostics.length > 0) return;
      const text = serialize(result);
      if (text === undefined) return;
      try {
        mkdirSync(folder, { recursive: true });
        const path = join(folder, `${keyOf(file, limits)}.json`);
        writeFileAtomically(path, text);
        prune(folder);
      } catch {
        // The cache only saves time.
      }
    },
  };
}
