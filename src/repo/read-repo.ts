/** Reading the input repository from disk into a RepoSnapshot (SPEC §2.1). I/O edge. */
import fg from 'fast-glob';
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { readTextFile } from '../disk/read-text-file.js';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fileStart } from '../diagnostics/locate.js';
import { makeInputSelection, resolveLinkTarget } from '../load/input-selection.js';
import { RENDER_CONFIG_FILE } from '../load/kinds.js';
import { peekReaderSettings, type ReaderSettings } from '../load/render-settings-peek.js';
import { readListedFile, type ListedInputFile, type RepoListing, type RepoSnapshot } from '../load/repo-snapshot.js';
import { readHeadCommit } from './git-head.js';
import { openInputStatCache } from './input-stat-cache.js';
import { toolDigest } from '../package/tool-digest.js';
import { compareText } from '../base/compare-text.js';

const INPUT_PATTERNS = ['**/*.yaml', '**/*.yml', '**/*.json'];
const ALWAYS_IGNORED = ['**/.git/**', '**/node_modules/**'];

/** Reads kmm-render.yaml's reader settings, if the file exists. */
export function readReaderSettings(repo: string): ReaderSettings {
  try {
    return peekReaderSettings(readFileSync(join(repo, RENDER_CONFIG_FILE), 'utf8'));
  } catch {
    return peekReaderSettings(undefined);
  }
}

/** The repo-relative POSIX path of `abs`, or undefined when it is outside the repo. */
function repoRelative(repo: string, abs: string): string | undefined {
  const rel = relative(repo, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/**
 * True unless `p` is a symbolic link, or a chain of them, with a hop that leaves the
 * repository or is absolute (a clone elsewhere would read something else): the rule
 * git/read-revision.ts applies to a revision's links (load/input-selection.ts).
 */
function linkStaysInside(repo: string, p: string): boolean {
  let at = p;
  for (let hop = 0; hop < 40; hop++) {
    const abs = join(repo, at);
    let isLink: boolean;
    try {
      isLink = lstatSync(abs).isSymbolicLink();
    } catch {
      return true; // dangling: realpath says so (FILE_UNREADABLE)
    }
    if (!isLink) return true;
    const next = resolveLinkTarget(at, readlinkSync(abs, 'utf8'));
    if (next === undefined) return false;
    at = next;
  }
  return true; // a loop: realpath says so
}

/**
 * Reads every input file of the repo. `outDir` (absolute) is skipped when it is inside the
 * repo. Symbolic links are followed only when they resolve inside the repo.
 */
export function readRepo(repoDir: string, outDir: string | undefined, settings: ReaderSettings): RepoSnapshot {
  // Without the stat cache every file is read: readListedFile only returns it.
  const listing = walkRepo(repoDir, outDir, settings, undefined);
  return { ...listing, files: listing.files.map(readListedFile) };
}

/**
 * Lists the input files of the repo as readRepo does, except that files whose stat is
 * unchanged since the last listing (the input stat cache under `statCacheDir`) are not read:
 * run/ reads those a compile needs (readListedFile).
 */
export function listRepo(repoDir: string, outDir: string | undefined, settings: ReaderSettings, statCacheDir: string): RepoListing {
  return walkRepo(repoDir, outDir, settings, statCacheDir);
}

function walkRepo(repoDir: string, outDir: string | undefined, settings: ReaderSettings, statCacheDir: string | undefined): RepoListing {
  const repo = resolve(repoDir);
  const repoReal = realpathSync(repo);
  const stats = statCacheDir ? openInputStatCache(statCacheDir, repoReal, toolDigest()) : undefined;
  const outRel = outDir ? repoRelative(repo, resolve(outDir)) : undefined;
  // The listing skips what can never be an input; which paths are inputs is decided by the
  // one selection `diff` uses too (load/input-selection.ts).
  const selection = makeInputSelection(settings, outRel);
  const skip = [...ALWAYS_IGNORED, ...(outRel ? [`${fg.escapePath(outRel)}/**`] : [])];
  const paths = fg.sync(INPUT_PATTERNS, { cwd: repo, dot: true, ignore: skip, followSymbolicLinks: false, onlyFiles: false, unique: true }).filter(selection.isInput);
  paths.sort(compareText);
  const files: ListedInputFile[] = [];
  const readDiagnostics: Diagnostic[] = [];
  for (const p of paths) {
    const abs = join(repo, p);
    try {
      // Folders named *.yaml are not inputs; links are read when they stay in the repo.
      if (lstatSync(abs).isDirectory()) continue;
      if (!linkStaysInside(repo, p) || !repoRelative(repoReal, realpathSync(abs))) {
        readDiagnostics.push(diagnostic('SYMLINK_OUTSIDE_REPO', fileStart(p), `${p} is a symbolic link to a place outside the repository; not read`));
        continue;
      }
      const real = realpathSync(abs);
      const stat = statSync(real, { bigint: true });
      if (!stat.isFile()) continue;
      if (stat.size > BigInt(settings.limits.maxFileBytes)) {
        readDiagnostics.push(diagnostic('LIMIT_FILE_SIZE', fileStart(p), `${p} has ${stat.size} bytes, more than the ${settings.limits.maxFileBytes} allowed (limits.maxFileBytes in kmm-render.yaml); not read`));
        continue;
      }
      files.push(stats ? stats.inputFile(p, real, stat) : { path: p, text: readTextFile(real) });
    } catch (e) {
      readDiagnostics.push(diagnostic('FILE_UNREADABLE', fileStart(p), `cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
    }
  }
  stats?.save();
  const commit = readHeadCommit(repo);
  return commit ? { files, readDiagnostics, commit } : { files, readDiagnostics };
}
