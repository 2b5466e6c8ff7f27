/** Classifying parsed documents by kind and placing them in a cluster scope (SPEC §2.1, §2.2). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { classifyKind, listItemDefault, RENDER_CONFIG_FILE, type KindInfo } from './kinds.js';
import { at, type ObjectRef } from './object-ref.js';
import type { ParsedDocument } from './parse-documents.js';
import { pruneNulls } from './prune-nulls.js';

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
