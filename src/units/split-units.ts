/**
 * Splitting a fleet into compile units, one per cluster, so that clusters can be compiled in
 * parallel and cached on their own. A unit holds what its cluster's render reads: every file
 * outside `clusters/` (fleet-wide Modules, rules, kmm-render.yaml) and its own folder.
 *
 * Some fleets are not split: a hub renders for its spokes and so reads their inventories
 * (SPEC §5.7), and whether a ManagedClusterModule has a hub is a fleet-wide question. A
 * repository that mentions either is compiled as one unit, as is one without clusters.
 */
import { clusterFolderOf } from '../load/classify-documents.js';
import type { InputFile, ListedInputFile } from '../load/repo-snapshot.js';
import { compareText } from '../base/compare-text.js';
import { mentionsHub } from '../load/hub-mention.js';

/** The input files one cluster's render reads (`F`: read files, or a listing's, some unread). */
export interface CompileUnit<F extends ListedInputFile = InputFile> {
  readonly cluster: string;
  /** Sorted by path. */
  readonly files: readonly F[];
}

/**
 * The units of a snapshot, or undefined when it must be compiled whole. `selected` limits
 * the units to those clusters (undefined when one of them has no folder: the whole compile
 * says so).
 */
export function splitIntoUnits<F extends ListedInputFile>(snapshot: { readonly files: readonly F[] }, selected?: readonly string[]): CompileUnit<F>[] | undefined {
  const files = [...snapshot.files].sort((a, b) => compareText(a.path, b.path));
  const fleetWide: F[] = [];
  const byFolder = new Map<string, F[]>();
  for (const f of files) {
    if (f.mentionsHub ?? (f.text !== undefined && mentionsHub(f.text))) return undefined;
    const folder = clusterFolderOf(f.path);
    if (folder === undefined) fleetWide.push(f);
    else {
      const list = byFolder.get(folder);
      if (list) list.push(f);
      else byFolder.set(folder, [f]);
    }
  }
  if (byFolder.size === 0) return undefined;
  if (selected && selected.some((name) => !byFolder.has(name))) return undefined;
  const names = [...byFolder.keys()].sort(compareText).filter((name) => !selected || selected.includes(name));
  return names.map((cluster) => ({ cluster, files: [...fleetWide, ...byFolder.get(cluster)!].sort((a, b) => compareText(a.path, b.path)) }));
}
