/**
 * Reading the input files of a git revision through simple-git (`ls-tree`, `cat-file`), for
 * `diff`: never a checkout, never touching the working tree or the index. I/O edge.
 */
import picomatch from 'picomatch';
import { simpleGit, type SimpleGit } from 'simple-git';
import { RENDER_CONFIG_FILE } from '../load/kinds.js';
import { peekReaderSettings } from '../load/render-settings-peek.js';
import type { InputFile, RepoSnapshot } from '../load/repo-snapshot.js';

/** A revision argument that could be read as an option is refused (SPEC §7). */
export class BadRevisionError extends Error {}

const INPUT = /\.(ya?ml|json)$/;

interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly sha: string;
  readonly path: string;
}

async function listTree(git: SimpleGit, commit: string): Promise<TreeEntry[]> {
  const raw = await git.raw(['ls-tree', '-r', '-z', '--full-tree', commit]);
  return raw
    .split('\0')
    .filter((l) => l !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      const [mode, type, sha] = line.slice(0, tab).split(' ') as [string, string, string];
      return { mode, type, sha, path: line.slice(tab + 1) };
    });
}

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
 * The input files of `commit`, as `readRepo` would read them from a checkout of it: paths
 * relative to `repo` (which may be a folder inside the work tree), the output folder and
 * the excludes of that revision's kmm-render.yaml left out. Symbolic links are not read.
 */
export async function readRevision(repo: string, commit: string, outInRepo: string | undefined): Promise<RepoSnapshot> {
  const git = simpleGit(repo);
  const prefix = (await git.raw(['rev-parse', '--show-prefix'])).trim();
  const entries = (await listTree(git, commit)).filter((e) => e.type === 'blob' && e.path.startsWith(prefix)).map((e) => ({ ...e, path: e.path.slice(prefix.length) }));
  const show = (sha: string) => git.raw(['cat-file', 'blob', sha]);
  const configEntry = entries.find((e) => e.path === RENDER_CONFIG_FILE);
  const settings = peekReaderSettings(configEntry ? await show(configEntry.sha) : undefined);
  const out = outInRepo ?? settings.output ?? 'rendered';
  const excluded = settings.exclude.length ? picomatch([...settings.exclude], { dot: true }) : () => false;
  const ignored = (p: string) =>
    p.split('/').some((seg) => seg === '.git' || seg === 'node_modules') || p === out || p.startsWith(out + '/') || p.split('/').some((seg) => seg.startsWith('.')) || excluded(p);
  const files: InputFile[] = [];
  for (const e of entries) {
    if (!INPUT.test(e.path) || ignored(e.path) || e.mode === '120000') continue;
    files.push({ path: e.path, text: await show(e.sha) });
  }
  return { files, readDiagnostics: [], commit };
}
