/**
 * The commit a work tree is at, read from `<repo>/.git` without running git. Only the repo
 * root itself counts: a folder inside another repository (a fixture, say) has no commit of
 * its own, and taking the outer one would make the output change with every outer commit.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

function gitDir(repo: string): string | undefined {
  const dotGit = join(repo, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
  return m ? resolve(repo, m[1]!.trim()) : undefined;
}

function commonDir(dir: string): string {
  const file = join(dir, 'commondir');
  return existsSync(file) ? resolve(dir, readFileSync(file, 'utf8').trim()) : dir;
}

/** The commit of HEAD at `repo`, or undefined when `repo` is not the root of a git work tree. */
export function readHeadCommit(repo: string): string | undefined {
  try {
    const dir = gitDir(repo);
    if (!dir) return undefined;
    const head = readFileSync(join(dir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    for (const base of [dir, commonDir(dir)]) {
      const loose = join(base, ref);
      if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
      const packed = join(base, 'packed-refs');
      if (existsSync(packed)) {
        for (const line of readFileSync(packed, 'utf8').split('\n')) {
          const [sha, name] = line.split(' ');
          if (name === ref && sha) return sha;
        }
      }
    }
    return undefined; // a branch without commits yet
  } catch {
    return undefined;
  }
}
