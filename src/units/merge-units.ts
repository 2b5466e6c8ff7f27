/**
 * Merging unit results into one render, in a fixed order whatever order they finished in.
 * A diagnostic about a fleet-wide file is found by every unit; it is reported once.
 */
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { ClusterFolder } from '../output/build-tree.js';
import type { UnitResult } from './compile-unit.js';
import { compareText } from '../base/compare-text.js';

export interface MergedUnits {
  readonly diagnostics: readonly Diagnostic[];
  /** The cluster folders; absent when a unit failed. */
  readonly folders?: readonly ClusterFolder[];
}

/**
 * The merged render. When a unit failed, the diagnostics are exactly the ones the whole
 * compile reports (test/units.test.ts): a whole compile that load and validate stop reports
 * their diagnostics only, and load and validate of the fleet find what they find in each
 * unit; one that goes on plans every cluster, each as its unit does. Only for a fleet split
 * into all its clusters (a unit does not read other clusters' files).
 */
export function mergeUnitResults(results: readonly UnitResult[]): MergedUnits {
  const sorted = [...results].sort((a, b) => compareText(a.cluster, b.cluster));
  if (results.some((r) => !r.ok || !r.files)) {
    const stopped = results.some((r) => r.stoppedAfterModel);
    return { diagnostics: sortDiagnostics(sorted.flatMap((r) => (stopped && !r.stoppedAfterModel ? (r.modelDiagnostics ?? []) : r.diagnostics))) };
  }
  return {
    diagnostics: sortDiagnostics(sorted.flatMap((r) => r.diagnostics)),
    folders: sorted.map((r) => ({ name: r.cluster, files: new Map(r.files), objectCount: r.objectCount ?? 0 })),
  };
}
