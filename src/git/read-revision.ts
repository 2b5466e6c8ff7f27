/**
 * Reading the input files of a git revision through simple-git (`ls-tree`) and one
 * `git cat-file --batch` (read-blobs.ts), for `diff`: never a checkout, never touching the
 * working tree or the index. I/O edge.
 */
import { simpleGit, type SimpleGit } from 'simple-git';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fileStart } from '../diagnostics/locate.js';
import { makeInputSelection, resolveLinkTarget } from '../load/input-selection.js';
import { RENDER_CONFIG_FILE } from '../load/kinds.js';
import { peekReaderSettings } from '../load/render-settings-peek.js';
import type { InputFile, RepoSnapshot } from '../load/repo-snapshot.js';
import { DEFAULT_OUTPUT } from '../validate/defaults.js';
import { OperationalError } from '../base/operational-error.js';
import { readBlobs, type BlobTexts } from './read-blobs.js';

/** A revision argument that could be read as an option is refused (SPEC §7). */
export class BadRevisionError extends OperationalError {}

interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly sha: string;
  /** Bytes of a blob ("-" for others). */
  readonly size: string;
  readonly path: string;
}

async function listTree(git: SimpleGit, commit: string): Promise<TreeEntry[]> {
  const raw = await git.raw(['ls-tree', '-r', '-l', '-z', '--full-tree', commit]);
  return raw
    .split('\0')
    .filter((l) => l !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha, size] = line.slice(0, tab).split(/ +/) as [string, string, string, string];
      return { mode, type, sha, size, path: line.slice(tab + 1) };
    });
}

const SYMLINK_MODE = '120000';

/** Resolves a revision to a commit; refuses arguments that start with "-". */
export async function resolveRevision(repo: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new BadRevisionError(`refusing revision ${JSON.stringify(ref)}: it starts with "-"`);
  try {
    return (await simpleGit(repo).raw(['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).trim();
  } catch {
    throw new BadRevisionError(`${ref} is not a commit of ${repo}`);
  }
}

/**
 * The input files of `commit`, as `readRepo` reads them from a checkout of it: paths
 * relative to `repo` (which may be a folder inside the work tree), chosen by the same
 * selection (load/input-selection.ts: output folder, excludes and dot folders of that
 * revision's kmm-render.yaml), links read as the blob they point at inside the repo, the
 * same read diagnostics. `blobs` holds the texts read so far, so that a second revision reads
 * only the blobs the first did not have.
 */
export async function readRevision(repo: string, commit: string, outInRepo: string | undefined, blobs: BlobTexts = new Map()): Promise<RepoSnapshot> {
  const git = simpleGit(repo);
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  const entries = (await listTree(git, commit)).filter((e) => e.type === 'blob' && e.path.startsWith(prefix)).map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const show = async (sha: string) => (await readBlobs(repo, [sha], blobs)).get(sha)!;
  const configEntry = byPath.get(RENDER_CONFIG_FILE);
  const settings = peekReaderSettings(configEntry && configEntry.mode !== SYMLINK_MODE ? await show(configEntry.sha) : undefined);
  const selection = makeInputSelection(settings, outInRepo ?? settings.output ?? DEFAULT_OUTPUT);
  const read: { path: string; sha: string }[] = [];
  const readDiagnostics: Diagnostic[] = [];
  for (const e of entries) {
    if (!selection.isInput(e.path)) continue;
    const target = await followLinks(e, byPath, show);
    if (target === 'outside') readDiagnostics.push(diagnostic('SYMLINK_OUTSIDE_REPO', fileStart(e.path), `${e.path} is a symbolic link to a place outside the repository; not read`));
    else if (target === 'missing' || target === 'loop') readDiagnostics.push(diagnostic('FILE_UNREADABLE', fileStart(e.path), `cannot read ${e.path}: ${target === 'loop' ? 'ELOOP' : 'ENOENT'}`));
    else if (target === 'folder') continue;
    else if (Number(target.size) > settings.limits.maxFileBytes) {
      readDiagnostics.push(diagnostic('LIMIT_FILE_SIZE', fileStart(e.path), `${e.path} has ${target.size} bytes, more than the ${settings.limits.maxFileBytes} allowed (limits.maxFileBytes in kmm-render.yaml); not read`));
    } else read.push({ path: e.path, sha: target.sha });
  }
  await readBlobs(repo, read.map((r) => r.sha), blobs);
  const files: InputFile[] = read.map((r) => ({ path: r.path, text: blobs.get(r.sha)! }));
  return { files, readDiagnostics, commit };
}

/** The blob a link (or a chain of them) points at, or why there is none to read. */
async function followLinks(entry: TreeEntry, byPath: ReadonlyMap<string, TreeEntry>, show: (sha: string) => Promise<string>): Promise<TreeEntry | 'outside' | 'missing' | 'folder' | 'loop'> {
  let at = entry;
  for (let hop = 0; hop < 40 && at.mode === SYMLINK_MODE; hop++) {
    const next = resolveLinkTarget(at.path, await show(at.sha));
    if (next === undefined) return 'outside';
    const found = byPath.get(next);
    if (!found) return [...byPath.keys()].some((p) => p.startsWith(next + '/')) ? 'folder' : 'missing';
    at = found;
  }
  return at.mode === SYMLINK_MODE ? 'loop' : at;
}
