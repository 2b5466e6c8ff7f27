/** Duplicate detection: one kind, namespace and name per cluster scope (SPEC §2.2). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedObject } from '../load/classify-documents.js';
import { at } from '../load/object-ref.js';

function identity(o: LoadedObject): string {
  const meta = (o.value.metadata ?? {}) as { name?: string; namespace?: string };
  return `${o.kind.group}/${o.kind.key}/${meta.namespace ?? ''}/${meta.name ?? ''}`;
}

function describe(o: LoadedObject): string {
  const meta = (o.value.metadata ?? {}) as { name?: string; namespace?: string };
  return `${o.kind.key} ${meta.namespace ? meta.namespace + '/' : ''}${meta.name ?? ''}`;
}

/**
 * Reports the second and later of objects sharing an identity in one scope; each
 * diagnostic names the first one as related. `scopes` lists the objects of each scope.
 */
export function findDuplicates(scopes: readonly (readonly LoadedObject[])[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const objects of scopes) {
    const first = new Map<string, LoadedObject>();
    for (const o of objects) {
      const id = identity(o);
      const prev = first.get(id);
      if (!prev) {
        first.set(id, o);
        continue;
      }
      const where = o.cluster ?? prev.cluster;
      out.push(
        diagnostic('DUPLICATE_OBJECT', at(o.ref, ['metadata', 'name']), `${describe(o)} is defined twice${where ? ` in the scope of cluster ${where}` : ''}`, {
          related: [at(prev.ref, ['metadata', 'name'])],
        }),
      );
    }
  }
  return out;
}
