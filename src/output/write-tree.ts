/**
 * Writing the output tree to disk, atomically (SPEC §6). I/O edge.
 *
 * The new tree is built in a sibling staging folder — new files written, files kmm-render
 * does not own hard-linked over untouched — and swapped in with two renames. A kill before
 * the swap leaves the old tree as it was; a kill between the two renames (a window of two
 * system calls) leaves the old tree complete under the backup name, and every later run
 * puts it back before doing anything (`recoverOutputTree`).
 */
import { closeSync, existsSync, linkSync, lstatSync, copyFileSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { OutputTree, PreservedClusters } from './build-tree.js';
import { parseRenderLockOutputs, RENDER_LOCK_FILE } from './render-lock.js';
import { OperationalError } from '../base/operational-error.js';

/** Paths of the staging and backup folders and the lock file beside an output folder. */
export function sideFolders(outDir: string): { staging: string; backup: string; lock: string } {
  const out = resolve(outDir);
  const parent = dirname(out);
  const base = basename(out);
  return { staging: join(parent, `.${base}.kmm-render-new`), backup: join(parent, `.${base}.kmm-render-old`), lock: join(parent, `.${base}.kmm-render-lock`) };
}


/** How old a lock file without a pid must be to count as left by a process that died. */
const UNWRITTEN_LOCK_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` holding the output folder's lock file (created exclusively, holding our pid).
 * A second render waits up to `waitMs` for the first, then fails clearly; a lock left by a
 * process that died (a kill) is taken over.
 */
export function withOutputLock<T>(outDir: string, fn: () => T, waitMs = 60_000): T {
  const { lock } = sideFolders(outDir);
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(lock, 'utf8'));
      } catch {
        continue; // released between the two calls
      }
      if (!Number.isInteger(holder) || holder <= 0) {
        // Empty: its holder has created it and not yet written its pid (or died in between,
        // which leaves the file old). Taking over a fresh one would let two renders in.
        let age = 0;
        try {
          age = Date.now() - statSync(lock).mtimeMs;
        } catch {
          continue; // released meanwhile
        }
        if (age > UNWRITTEN_LOCK_MS) rmSync(lock, { force: true });
        else if (Date.now() > deadline) throw new OutputBusyError(`another kmm-render is taking the lock of ${resolve(outDir)}; try again when it has finished`);
        else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (!alive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new OutputBusyError(`another kmm-render (pid ${holder}) is writing ${resolve(outDir)}; try again when it has finished`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Finishes or undoes an interrupted swap; removes a leftover staging folder. */
export function recoverOutputTree(outDir: string): void {
  const out = resolve(outDir);
  const { staging, backup } = sideFolders(out);
  if (!existsSync(out) && existsSync(backup)) renameSync(backup, out);
  if (existsSync(backup)) rmSync(backup, { recursive: true, force: true });
  if (existsSync(staging)) rmSync(staging, { recursive: true, force: true });
}

/** Every file below `dir`, as POSIX paths relative to it. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

/** Every file below `dir` (POSIX relative path → text), sorted; empty when `dir` does not exist. */
export function readOutputTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  for (const p of listFiles(dir).sort()) out.set(p, readFileSync(join(dir, p), 'utf8'));
  return out;
}

/** The files a previous render wrote (its render.lock lists them), render.lock included. */
export function readOwnedFiles(outDir: string): Map<string, string> {
  const lock = join(resolve(outDir), RENDER_LOCK_FILE);
  if (!existsSync(lock)) return new Map();
  const owned = parseRenderLockOutputs(readFileSync(lock, 'utf8'));
  owned.set(RENDER_LOCK_FILE, '');
  return owned;
}

/**
 * What a partial render (`--cluster`) keeps of the other clusters: their files as the
 * previous render.lock lists them, and their object counts for the top-level README.
 */
export function readPreservedClusters(outDir: string, rendered: readonly string[]): PreservedClusters {
  const files = new Map<string, string>();
  const objectCounts = new Map<string, number>();
  for (const [p, digest] of readOwnedFiles(outDir)) {
    const slash = p.indexOf('/');
    if (slash < 0) continue;
    const cluster = p.slice(0, slash);
    if (rendered.includes(cluster)) continue;
    files.set(p, digest);
    const base = p.slice(slash + 1);
    const isObject = !base.endsWith('kustomization.yaml') && base !== 'README.md';
    objectCounts.set(cluster, (objectCounts.get(cluster) ?? 0) + (isObject ? 1 : 0));
  }
  return { files, objectCounts };
}

/** The output folder holds something kmm-render must not overwrite (exit 2, not a bug). */
export class OutputConflictError extends OperationalError {}

/** Another kmm-render holds the output folder for longer than we wait (exit 2, not a bug). */
export class OutputBusyError extends OutputConflictError {}

/**
 * Links the previous render's file into the new tree when it already holds exactly `text`
 * (a regular file, compared byte for byte, not trusted from render.lock): on every commit
 * most output is unchanged, and a link costs a fraction of writing the file. False when it
 * must be written.
 */
function linkUnchanged(previous: string, target: string, text: string): boolean {
  try {
    const stat = lstatSync(previous);
    if (!stat.isFile() || stat.size !== Buffer.byteLength(text)) return false;
    if (!readFileSync(previous).equals(Buffer.from(text))) return false;
    linkSync(previous, target);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes `tree` into `outDir`. Files the previous render owned and no longer produces are
 * removed; files it did not own are kept as they are. With `partial`, owned files of cluster
 * folders not in this render are kept too (`render --cluster`).
 */
export function writeOutputTree(outDir: string, tree: OutputTree, partial = false): { written: number; pruned: string[] } {
  return withOutputLock(outDir, () => writeLocked(outDir, tree, partial));
}

function writeLocked(outDir: string, tree: OutputTree, partial: boolean): { written: number; pruned: string[] } {
  const out = resolve(outDir);
  for (const p of tree.files.keys()) {
    // Names are sanitised before they become paths; this is the last line of defence.
    if (p.startsWith('/') || p.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')) {
      throw new Error(`bug: output path ${JSON.stringify(p)} would leave the output folder`);
    }
  }
  recoverOutputTree(out);
  const { staging, backup } = sideFolders(out);
  const exists = existsSync(out);
  if (exists && !statSync(out).isDirectory()) throw new OutputConflictError(`${out} exists and is not a folder`);
  const owned = exists ? readOwnedFiles(out) : new Map<string, string>();
  const existing = exists ? listFiles(out) : [];
  const rendered = new Set(tree.clusters);

  const carry: string[] = [];
  const pruned: string[] = [];
  for (const p of existing) {
    const cluster = p.includes('/') ? p.slice(0, p.indexOf('/')) : undefined;
    const keepOtherCluster = partial && cluster !== undefined && !rendered.has(cluster);
    if (!owned.has(p)) {
      if (tree.files.has(p)) throw new OutputConflictError(`refusing to overwrite ${p} in ${out}: kmm-render did not write it (it is not in render.lock)`);
      carry.push(p);
    } else if (keepOtherCluster) {
      carry.push(p);
    } else if (!tree.files.has(p)) {
      pruned.push(p);
    }
  }

  mkdirSync(staging, { recursive: true });
  // Each folder is made once, not once per file in it.
  const made = new Set<string>();
  const folderFor = (target: string) => {
    const dir = dirname(target);
    if (!made.has(dir)) mkdirSync(dir, { recursive: true });
    made.add(dir);
  };
  try {
    for (const p of carry) {
      const target = join(staging, p);
      folderFor(target);
      try {
        linkSync(join(out, p), target);
      } catch {
        copyFileSync(join(out, p), target);
      }
    }
    for (const [p, text] of tree.files) {
      const target = join(staging, p);
      folderFor(target);
      if (!(owned.has(p) && linkUnchanged(join(out, p), target, text))) writeFileSync(target, text);
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (exists) renameSync(out, backup);
  renameSync(staging, out);
  if (exists) rmSync(backup, { recursive: true, force: true });
  return { written: tree.files.size, pruned: pruned.sort() };
}
