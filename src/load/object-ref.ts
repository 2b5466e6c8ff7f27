/** Where a loaded object lives, so that any later phase can point a diagnostic at it. */
import type { SourcePosition } from '../diagnostics/diagnostic.js';
import { locate, scalarSourceAt, type DocPath, type SourceDocument } from '../diagnostics/locate.js';

/** A document, and the path of the object inside it (non-empty for items of a List). */
export interface ObjectRef {
  readonly source: SourceDocument;
  readonly base: DocPath;
}

/** The position of `path` inside the object (of its key with `atKey`). */
export function at(ref: ObjectRef, path: DocPath = [], atKey = false): SourcePosition {
  return locate(ref.source, [...ref.base, ...path], atKey);
}

/** What the source says at `path` inside the object, when it is a scalar (see scalarSourceAt). */
export function sourceTextAt(ref: ObjectRef, path: DocPath): { text: string; plain: boolean } | undefined {
  return scalarSourceAt(ref.source, [...ref.base, ...path]);
}
