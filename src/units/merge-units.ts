/**
 * Merging unit results into one render, in a fixed order whatever order they finished in.
 * A diagnostic about a fleet-wide file is found by every unit; it is reported once.
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ClusterFolder } from '../output/build-tree.js';
import type { UnitResult } from './compile-unit.js';

export interface MergedUnits {
  readonly diagnostics: readonly Diagnostic[];
  readonly folders: readonly ClusterFolder[];
}

/**
 * The merged render, or undefined when a unit failed: the caller then compiles the fleet
 * whole, so that a failing render reports exactly what the whole compile reports.
 */
export function mergeUnitResults(results: readonly UnitResult[]): MergedUnits | undefined {
  if (results.some((r) => !r.ok || !r.files)) return undefined;
  const sorted = [...results].sort((a, b) => (a.cluster < b.cluster ? -1 : a.cluster > b.cluster ? 1 : 0));
  return {
    diagnostics: sortDiagnostics(sorted.flatMap((r) => r.diagnostics)),
    folders: sorted.map((r) => ({ name: r.cluster, files: new Map(r.files), objectCount: r.objectCount ?? 0 })),
  };
}
