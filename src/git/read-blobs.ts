/**
 * Reading many blobs of a repository with one `git cat-file --batch` process instead of one
 * process per blob: a medium fleet's revision is 70 files and 76 MB, and `diff` reads two.
 * Blobs already read (the other revision shares most of them) are not read again. I/O edge.
 */
import { spawn } from 'node:child_process';
import { decodeText } from '../base/decode-text.js';
import { OperationalError } from '../base/operational-error.js';

/** Git could not give a blob: a repository problem, not a bug (exit 2, one line). */
export class GitReadError extends OperationalError {}

/** Blob texts by object name, shared by the revisions one command reads. */
export type BlobTexts = Map<string, string>;

/** The texts of `names` (blob object names) in `repo`, read in one batch; adds them to `known`. */
export async function readBlobs(repo: string, names: readonly string[], known: BlobTexts = new Map()): Promise<BlobTexts> {
  const wanted = [...new Set(names)].filter((n) => !known.has(n));
  if (wanted.length === 0) return known;
  const output = await runBatch(repo, wanted.join('\n') + '\n');
  let at = 0;
  for (const name of wanted) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) throw new Error(`bug: git cat-file --batch ended before ${name}`);
    const header = output.toString('utf8', at, eol).split(' ');
    // A blob the tree lists but the object store lacks (a partial clone that cannot fetch it).
    if (header[0] === name && header[1] === 'missing') throw new GitReadError(`cannot read blob ${name} of ${repo}: git reports it missing`);
    if (header[0] !== name || header[1] !== 'blob') throw new Error(`bug: git cat-file --batch answered ${JSON.stringify(header.join(' '))} for ${name}`);
    const size = Number(header[2]);
    known.set(name, decodeText(output.subarray(eol + 1, eol + 1 + size)));
    at = eol + 1 + size + 1;
  }
  return known;
}

/** Runs `git cat-file --batch` with `input` on its standard input; its standard output. */
function runBatch(repo: string, input: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => errors.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(Buffer.concat(chunks));
      else reject(new GitReadError(`git cat-file --batch in ${repo} exited with ${code}: ${Buffer.concat(errors).toString('utf8').trim()}`));
    });
    child.stdin.end(input);
  });
}
