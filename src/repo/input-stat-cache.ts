/**
 * What a render remembers of its input files between runs, as git's index does: per file,
 * its stat (size, inode, modification and change times in nanoseconds) and what was learnt
 * from its content (sha256, whether it mentions a hub). When a file's stat is unchanged, the
 * reader takes those facts without reading the file, and reads the text only if a compile
 * needs it (a cluster whose cached result cannot be used). Such a late read is checked
 * against the remembered digest: a file changed behind an unchanged stat stops the render
 * (InputChangedError) rather than feed stale digests to the caches.
 *
 * An entry is trusted only when the file had not changed for RACY_NS before the entry was
 * made (git's "racily clean" rule): a write in the same clock tick as the read cannot hide.
 * And only by the build of kmm-render that made it: what is learnt from a file (whether it
 * mentions a hub, which decides how the fleet is split) is the tool's judgement, so the file
 * records the tool's digest and another build starts afresh. One JSON file per repository
 * under `<cache>/inputs/`; safe to delete. I/O edge.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, type BigIntStats } from 'node:fs';
import { readTextFile } from '../disk/read-text-file.js';
import { join } from 'node:path';
import type { InputFile, ListedInputFile, UnreadInputFile } from '../load/repo-snapshot.js';
import { sha256 } from '../base/sha256.js';
import { mentionsHub } from '../load/hub-mention.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';
import { OperationalError } from '../base/operational-error.js';

/** A file changed within this long before it was recorded is read again next time. */
const RACY_NS = 2_000_000_000n;

interface Entry {
  readonly size: string;
  readonly ino: string;
  readonly mtimeNs: string;
  readonly ctimeNs: string;
  readonly digest: string;
  readonly mentionsHub: boolean;
  /** When the entry was made (ns since the epoch). */
  readonly seenNs: string;
}

/** A file of the repository changed between its stat and its read. Not a bug: run again. */
export class InputChangedError extends OperationalError {
  constructor(readonly path: string) {
    super(`${path} changed while kmm-render was reading the repository; nothing was written, run again`);
  }
}

export interface InputStatCache {
  /** The input file at `abs` (`path` in the repo): read now, or unread when its stat is unchanged. */
  inputFile(path: string, abs: string, stat: BigIntStats): ListedInputFile;
  /** Stores what was learnt, keeping only the files of this read. */
  save(): void;
}

const statFields = (stat: BigIntStats) => ({ size: String(stat.size), ino: String(stat.ino), mtimeNs: String(stat.mtimeNs), ctimeNs: String(stat.ctimeNs) });

function sameStat(entry: Entry, stat: BigIntStats): boolean {
  const now = statFields(stat);
  return entry.size === now.size && entry.ino === now.ino && entry.mtimeNs === now.mtimeNs && entry.ctimeNs === now.ctimeNs;
}

/** An input file whose facts are known; its text is read, and checked, when run/ asks for it. */
function unreadInputFile(path: string, abs: string, entry: Entry): UnreadInputFile {
  const facts = { path, digest: entry.digest, bytes: Number(entry.size), mentionsHub: entry.mentionsHub };
  return {
    ...facts,
    read(): InputFile {
      const text = readTextFile(abs);
      if (sha256(text) !== entry.digest) throw new InputChangedError(path);
      return { ...facts, text };
    },
  };
}

/** The cache of the repository at `repoReal` (its real path) for the tool `tool` (its digest), stored under `dir`. */
export function openInputStatCache(dir: string, repoReal: string, tool: string): InputStatCache {
  const file = join(dir, 'inputs', `${createHash('sha256').update(repoReal).digest('hex').slice(0, 32)}.json`);
  let previous: Record<string, Entry> = {};
  let stale = false;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { repo?: string; tool?: string; files?: Record<string, Entry> };
    if (parsed.repo === repoReal && parsed.tool === tool && parsed.files && typeof parsed.files === 'object') previous = parsed.files;
    else stale = true;
  } catch {
    // No cache yet, or an unreadable one: every file is read.
  }
  const next: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
  let changed = false;
  return {
    inputFile(path, abs, stat) {
      const old = Object.hasOwn(previous, path) ? previous[path] : undefined;
      if (old && sameStat(old, stat) && BigInt(old.seenNs) - stat.ctimeNs > RACY_NS && BigInt(old.seenNs) - stat.mtimeNs > RACY_NS) {
        next[path] = old;
        return unreadInputFile(path, abs, old);
      }
      const text = readTextFile(abs);
      const entry: Entry = { ...statFields(stat), digest: sha256(text), mentionsHub: mentionsHub(text), seenNs: String(BigInt(Date.now()) * 1_000_000n) };
      next[path] = entry;
      changed = true;
      return { path, text, digest: entry.digest, bytes: Number(stat.size), mentionsHub: entry.mentionsHub };
    },
    save() {
      if (!changed && !stale && Object.keys(next).length === Object.keys(previous).length) return;
      // The cache only saves time: a full disk or a read-only home must not fail a render.
      try {
        mkdirSync(join(dir, 'inputs'), { recursive: true });
        writeFileAtomically(file, JSON.stringify({ repo: repoReal, tool, files: next }));
      } catch {
        // ignored: see above
      }
    },
  };
}
