/** Classifying parsed documents by kind and placing them in a cluster scope (SPEC §2.1, §2.2). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { classifyKind, listItemDefault, RENDER_CONFIG_FILE, type KindInfo } from './kinds.js';
import { at, type ObjectRef } from './object-ref.js';
import type { ParsedDocument } from './parse-documents.js';

/** An object of a kind kmm-render reads, with where it came from. */
export interface LoadedObject {
  readonly ref: ObjectRef;
  readonly kind: KindInfo;
  readonly apiVersion: string;
  readonly value: Record<string, unknown>;
  /** The cluster folder (`clusters/<name>/`) holding the file, if any. */
  readonly cluster?: string;
}

/** The cluster folder name of a repo-relative path, if the path is inside one. */
export function clusterFolderOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length >= 3 && parts[0] === 'clusters' ? parts[1] : undefined;
}

/**
 * Drops null-valued fields, as the Kubernetes API server does for fields that are not
 * nullable: `matchFeatures:` with only comments under it is the same as no matchFeatures,
 * and `selector:` with nothing under it is a missing selector.
 */
export function pruneNulls(value: unknown): unknown {
  return pruneNullsWithDepth(value).value;
}

/**
 * pruneNulls and the nesting depth of the result, in one walk (the fast reader checks the
 * depth limit anyway), and whether some key could be a null key stringified. Depth counts collections, as valueDepth does. Parsed values belong to
 * the pipeline, so children are replaced in place; a mapping with null fields is copied
 * (`delete` would leave a slow dictionary-mode object).
 */
export function pruneNullsWithDepth(value: unknown): { value: unknown; depth: number; nullLikeKey: boolean } {
  let max = 0;
  // A key that a null scalar could have become in a reader that stringifies keys (fast-read.ts).
  let nullLikeKey = false;
  // Assigning `__proto__` would set the prototype; a parsed `__proto__` key is data.
  const define = (o: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (depth > max) max = depth;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        if (c !== null && typeof c === 'object') v[i] = walk(c, depth + 1);
      }
      return v;
    }
    const record = v as Record<string, unknown>;
    let hasNull = false;
    for (const k in record) {
      if (k.length <= 4 && (k === '' || k === '~' || k === 'null' || k === 'Null' || k === 'NULL')) nullLikeKey = true;
      const c = record[k];
      if (c === null) hasNull = true;
      else if (typeof c === 'object') {
        const pruned = walk(c, depth + 1);
        if (pruned !== c) define(record, k, pruned);
      }
    }
    if (!hasNull) return record;
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(record)) if (c !== null) define(out, k, c);
    return out;
  };
  const out = walk(value, 1);
  return { value: out, depth: max, nullLikeKey };
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Classifies documents and expands Lists. Unknown kinds are warnings (errors with --strict,
 * which the caller applies); placement rules are errors, unless `checkPlacement` is false
 * (files given on the command line, as for `nfd dryrun`).
 */
export function classifyDocuments(
  docs: readonly ParsedDocument[],
  options: { checkPlacement?: boolean } = {},
): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const checkPlacement = options.checkPlacement ?? true;
  const objects: LoadedObject[] = [];
  const diagnostics: Diagnostic[] = [];

  const place = (value: Record<string, unknown>, ref: ObjectRef, clean: boolean, defaults?: { apiVersion: string; kind: string } | null) => {
    const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : defaults?.apiVersion;
    const kindName = typeof value.kind === 'string' ? value.kind : defaults?.kind;
    const file = ref.source.file;
    if (!apiVersion || !kindName) {
      diagnostics.push(diagnostic('DOCUMENT_WITHOUT_KIND', at(ref), 'document has no apiVersion/kind; ignored'));
      return;
    }
    const itemDefaults = listItemDefault(apiVersion, kindName);
    if (itemDefaults !== undefined) {
      const items = Array.isArray(value.items) ? value.items : [];
      items.forEach((item, i) => {
        const rec = asRecord(item);
        const itemRef: ObjectRef = { source: ref.source, base: [...ref.base, 'items', i] };
        if (!rec) diagnostics.push(diagnostic('DOCUMENT_NOT_OBJECT', at(itemRef), 'a List item must be a mapping'));
        else place(rec, itemRef, clean, itemDefaults);
      });
      return;
    }
    const kind = classifyKind(apiVersion, kindName);
    if (!kind) {
      diagnostics.push(
        diagnostic('UNKNOWN_KIND', at(ref, ['kind']), `kmm-render does not read ${apiVersion} ${kindName}; ignored`),
      );
      return;
    }
    const cluster = clusterFolderOf(file);
    if (checkPlacement && kind.placement === 'cluster' && cluster === undefined) {
      diagnostics.push(
        diagnostic(
          'INVENTORY_OUTSIDE_CLUSTER',
          at(ref, ['kind']),
          `${kindName} is inventory and must be inside a cluster folder clusters/<name>/`,
        ),
      );
      return;
    }
    if (checkPlacement && kind.placement === 'root-config' && file !== RENDER_CONFIG_FILE) {
      diagnostics.push(
        diagnostic('RENDER_CONFIG_MISPLACED', at(ref, ['kind']), `RenderConfig is read only from ${RENDER_CONFIG_FILE} at the repo root`),
      );
      return;
    }
    const pruned = (clean ? value : pruneNulls(value)) as Record<string, unknown>;
    objects.push(cluster === undefined ? { ref, kind, apiVersion, value: pruned } : { ref, kind, apiVersion, value: pruned, cluster });
  };

  for (const d of docs) place(d.value as Record<string, unknown>, { source: d.source, base: [] }, d.nullsPruned === true);
  return { objects, diagnostics };
}
