/**
 * `kmm-render comment github|gitlab --parts DIR`: posts the parts `diff --comment-parts DIR`
 * wrote to the pull request the CI job runs for, editing the comments an earlier run posted
 * (docs/review.md). I/O edge: reads DIR, talks to the forge.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_MARKER, isMarkerName, markedBody } from '../../forge/comment-marker.js';
import { FORGES } from '../../forge/forges.js';
import { postCommentParts } from '../../forge/post-comments.js';
import { MARKDOWN_LIMIT } from '../../review/format-diff.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';

export interface CommentOptions {
  forge: string | undefined;
  parts: string | undefined;
  marker?: string;
  pullRequest?: string;
}

/** DIR/part-1.md … part-N.md, in order; refuses gaps. */
function readParts(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    throw new UsageError(`cannot read --parts ${dir}: ${(e as Error).message}`);
  }
  const numbers = names.flatMap((f) => /^part-([1-9][0-9]*)\.md$/.exec(f)?.[1] ?? []).map(Number).sort((a, b) => a - b);
  if (numbers.length === 0) throw new UsageError(`${dir} holds no part-1.md; write it with kmm-render diff --comment-parts ${dir}`);
  numbers.forEach((n, i) => {
    if (n !== i + 1) throw new UsageError(`${dir} has part-${n}.md but no part-${i + 1}.md`);
  });
  return numbers.map((n) => readFileSync(join(dir, `part-${n}.md`), 'utf8'));
}

export async function runComment(o: CommentOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const forge = o.forge === undefined ? undefined : FORGES[o.forge];
  if (!forge) throw new UsageError(`usage: kmm-render comment ${Object.keys(FORGES).join('|')} --parts DIR [--marker NAME] [--pull-request N]`);
  if (!o.parts) throw new UsageError('comment needs --parts DIR (written by kmm-render diff --comment-parts DIR)');
  const marker = o.marker ?? DEFAULT_MARKER;
  if (!isMarkerName(marker)) throw new UsageError(`--marker must be letters, digits, ".", "_" or "-" (at most 63), not ${marker}`);
  if (o.pullRequest !== undefined && !/^[1-9][0-9]{0,9}$/.test(o.pullRequest)) throw new UsageError(`--pull-request must be a number, not ${o.pullRequest}`);
  const parts = readParts(resolve(o.parts));
  parts.forEach((text, i) => {
    const size = Buffer.byteLength(markedBody(marker, i + 1, text));
    if (size > MARKDOWN_LIMIT) throw new UsageError(`part-${i + 1}.md is ${size} bytes with its marker, more than a comment takes (${MARKDOWN_LIMIT}); write the parts with kmm-render diff --comment-parts`);
  });
  const target = forge.targetOf(env, o.pullRequest, (path) => readFileSync(path, 'utf8'));
  if ('missing' in target) throw new UsageError(`comment ${forge.name} needs ${target.missing} (it reads ${forge.environment})`);
  const { operations } = await postCommentParts(forge, target, parts, marker);
  const count = (op: string) => operations.filter((x) => x.op === op).length;
  process.stdout.write(
    `kmm-render: ${forge.pullRequest} ${target.number}: ${parts.length} part(s): ${count('create')} created, ${count('update')} edited, ${count('keep')} unchanged, ${count('delete')} deleted\n`,
  );
  return EXIT_OK;
}
