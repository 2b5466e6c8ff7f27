/**
 * Writing a file so that a reader sees the old content or the new, never a part: write a
 * temporary file beside it, then rename it over (atomic on POSIX file systems). The caches,
 * `inventory pull` and the input stat cache write this way; the output tree has its own
 * staged swap (output/write-tree.ts). I/O edge.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';

let written = 0;

/**
 * Replaces `path` with `data`. The temporary name is unique per process, thread and call:
 * worker threads share the process id and may write the same cache entry at once.
 * Throws what the file system throws (after removing the temporary file).
 */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}-${threadId}-${written++}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
