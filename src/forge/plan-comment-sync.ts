/**
 * What to do with a pull request's comments so that it shows exactly this run's parts, in
 * order: edit the comment that holds each part (when its text differs), create the parts
 * that have none, delete the parts an earlier, longer run left and any duplicates. Pure.
 */
import { markedBody, markedPart } from './comment-marker.js';

export interface ExistingComment {
  readonly id: string;
  readonly body: string;
}

export type CommentOperation =
  | { readonly op: 'create'; readonly part: number; readonly body: string }
  | { readonly op: 'update'; readonly part: number; readonly id: string; readonly body: string }
  | { readonly op: 'keep'; readonly part: number; readonly id: string }
  | { readonly op: 'delete'; readonly part: number; readonly id: string };

/** The operations, in the order to run them: parts 1…N, then deletions. */
export function planCommentSync(existing: readonly ExistingComment[], parts: readonly string[], marker: string): CommentOperation[] {
  // The first comment (oldest, as the forge lists them) that holds each part is the one kept.
  const holder = new Map<number, ExistingComment>();
  const extra: { part: number; id: string }[] = [];
  for (const c of existing) {
    const part = markedPart(c.body, marker);
    if (part === undefined) continue;
    if (holder.has(part) || part > parts.length) extra.push({ part, id: c.id });
    else holder.set(part, c);
  }
  const ops: CommentOperation[] = parts.map((text, i) => {
    const part = i + 1;
    const body = markedBody(marker, part, text);
    const c = holder.get(part);
    if (!c) return { op: 'create', part, body };
    return c.body === body ? { op: 'keep', part, id: c.id } : { op: 'update', part, id: c.id, body };
  });
  for (const e of extra) ops.push({ op: 'delete', part: e.part, id: e.id });
  return ops;
}
