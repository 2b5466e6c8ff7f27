/**
 * Resolves a path inside a parsed YAML document to a file position. Positions are computed
 * only when a diagnostic needs them (the yaml AST keeps byte offsets; the LineCounter turns
 * them into line and column).
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from './diagnostic.js';
import type { FastLocator } from './fast-locate.js';

/** A path into a document: map keys and sequence indices. */
export type DocPath = readonly (string | number)[];

/** One YAML document of an input file, with what is needed to point back into it. */
export interface SourceDocument {
  /** Repo-relative POSIX path of the file. */
  readonly file: string;
  /** 0-based index of the document in its file. */
  readonly index: number;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
  /** Positions without the syntax tree, where the file's YAML allows (fast-locate.ts). */
  readonly fast?: FastLocator;
}

/** Formats a path as a JSON pointer (RFC 6901). */
export function toJsonPointer(path: DocPath): string {
  let pointer = '';
  for (const p of path) {
    const s = String(p);
    pointer += '/' + (s.includes('~') || s.includes('/') ? s.replace(/~/g, '~0').replace(/\//g, '~1') : s);
  }
  return pointer;
}

/** Parses a JSON pointer back into path segments (numbers stay strings). */
export function fromJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => (s.includes('~') ? s.replace(/~1/g, '/').replace(/~0/g, '~') : s));
}

interface Found {
  node: Node | null;
  key: Node | null;
  /** How many segments of the path were found. */
  depth: number;
}

function walk(root: Node | null, path: DocPath): Found {
  let node: Node | null = root;
  let key: Node | null = null;
  let depth = 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      key = (pair.key as Node) ?? null;
      node = (pair.value as Node | null) ?? null;
    } else if (isSeq(node)) {
      const i = typeof seg === 'number' ? seg : Number(seg);
      const item = Number.isInteger(i) ? node.items[i] : undefined;
      if (item === undefined) break;
      key = null;
      node = item as Node;
    } else {
      break;
    }
    depth++;
  }
  return { node, key, depth };
}

/**
 * Position of the value at `path` (or, with `atKey`, of its key). When the path does not
 * exist, the position of the deepest node that does, so that "missing field" points at the
 * map that lacks it.
 */
export function locate(source: SourceDocument, path: DocPath, atKey = false): SourcePosition {
  const fast = source.fast?.locate(source.index, path, atKey);
  if (fast) return { file: source.file, line: fast.line, col: fast.col, path: toJsonPointer(path) };
  const found = walk(source.doc.contents as Node | null, path);
  const target = atKey && found.key && found.depth === path.length ? found.key : found.node ?? found.key;
  const offset = target?.range?.[0] ?? source.doc.range?.[0] ?? 0;
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col, path: toJsonPointer(path) };
}

/** Position of a whole file (for problems not tied to a node). */
export function fileStart(file: string): SourcePosition {
  return { file, line: 1, col: 1, path: '' };
}

/**
 * The source text of the scalar at `path`, and whether it is plain (unquoted), when the path
 * leads to a scalar: messages quote what the user wrote (`1e400`, `y`), not what it became.
 */
export function scalarSourceAt(source: SourceDocument, path: DocPath): { text: string; plain: boolean } | undefined {
  const fast = source.fast?.scalar(source.index, path);
  if (fast === 'not-scalar') return undefined;
  if (fast) return fast;
  const found = walk(source.doc.contents as Node | null, path);
  if (found.depth !== path.length || !isScalar(found.node)) return undefined;
  const text = typeof found.node.source === 'string' ? found.node.source : undefined;
  return text === undefined ? undefined : { text, plain: found.node.type === 'PLAIN' };
}
