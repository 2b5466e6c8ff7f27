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
import type { InputFile, RepoSnapshot } from '../load/repo-snapshot.js';

/** The input files one cluster's render reads. */
export interface CompileUnit {
  readonly cluster: string;
  /** Sorted by path. */
  readonly files: readonly InputFile[];
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A `hub:` key anywhere, or a ManagedClusterModule: the fleet is compiled whole. */
const HUB_AND_SPOKE = /ManagedClusterModule|\bhub["']?\s*:/;

/** True when `text` may make the fleet a hub-and-spoke one (then it is compiled whole). */
export function mentionsHub(text: string): boolean {
  return HUB_AND_SPOKE.test(text);
}

/**
 * The units of a snapshot, or undefined when it must be compiled whole. `selected` limits
 * the units to those clusters (undefined when one of them has no folder: the whole compile
 * says so).
 */
export function splitIntoUnits(snapshot: RepoSnapshot, selected?: readonly string[]): CompileUnit[] | undefined {
  const files = [...snapshot.files].sort((a, b) => compareText(a.path, b.path));
  const fleetWide: InputFile[] = [];
  const byFolder = new Map<string, InputFile[]>();
  for (const f of files) {
    if (f.mentionsHub ?? mentionsHub(f.text)) return undefined;
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
