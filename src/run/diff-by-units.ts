/**
 * `diff` through units: clusters whose inputs are the same on both sides cannot change, so
 * they are only checked for input errors (from the unit cache when it has them); the others
 * are compiled on both sides and reviewed one cluster per task, on worker threads. When a
 * side has input errors, the caller compiles both sides whole, so that the errors reported
 * are exactly the whole compile's. I/O edge.
 */
import { compile, type Assets } from '../compile.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { memoryParseCache } from '../load/load-documents.js';
import type { RepoSnapshot } from '../load/repo-snapshot.js';
import { digestInputs } from '../output/build-tree.js';
import { diffFleet, emptyImpact, type ReviewOptions, type FleetDiff } from '../review/diff-fleet.js';
import type { UnitOptions, UnitResult } from '../units/compile-unit.js';
import { mergeFleetDiffs, sameInputs, type DiffUnitResult } from '../units/diff-unit.js';
import { splitIntoUnits, type CompileUnit } from '../units/split-units.js';
import { unitKey } from '../units/unit-key.js';
import { toolDigest } from '../package/tool-digest.js';
import type { UnitCache } from './unit-cache.js';
import { runUnitTasks } from './run-unit-tasks.js';
import type { UnitTask } from './unit-task.js';

export interface UnitDiffOptions {
  readonly diff: ReviewOptions;
  readonly jobs?: number;
  readonly cache?: UnitCache;
  /** Where parsed input files are cached (run/file-parse-cache.ts). */
  readonly fileCacheDir?: string;
  /** Least input (bytes) worth starting workers for. @default 2 MiB */
  readonly parallelMinBytes?: number;
}

const UNIT_OPTIONS: UnitOptions = { strict: false, pinDigests: false };
const NO_IMPACT: FleetDiff['impact'] = emptyImpact();

/** The review, or undefined when the fleets cannot be split or a side has input errors. */
export async function diffByUnits(base: RepoSnapshot, head: RepoSnapshot, assets: () => Assets, options: UnitDiffOptions): Promise<FleetDiff | undefined> {
  if (base.readDiagnostics.length > 0 || head.readDiagnostics.length > 0) return undefined;
  const baseUnits = splitIntoUnits(base);
  const headUnits = splitIntoUnits(head);
  if (!baseUnits || !headUnits) return undefined;
  const byName = (units: CompileUnit[]) => new Map(units.map((u) => [u.cluster, u]));
  const b = byName(baseUnits);
  const h = byName(headUnits);
  const names = [...new Set([...b.keys(), ...h.keys()])].sort();

  const unchanged = names.filter((n) => b.has(n) && h.has(n) && sameInputs(b.get(n)!, h.get(n)!));
  const changed = names.filter((n) => !unchanged.includes(n));

  // Unchanged clusters: only their input errors matter; the cache may know them.
  const inputs = options.cache ? digestInputs(head) : new Map<string, string>();
  const keys = new Map(unchanged.map((n) => [n, options.cache ? unitKey(h.get(n)!, inputs, toolDigest(), UNIT_OPTIONS) : '']));
  const checked = new Map<string, UnitResult>();
  for (const n of unchanged) {
    const hit = options.cache?.get(n, keys.get(n)!);
    if (hit) checked.set(n, hit);
  }
  const fileCacheDir = options.fileCacheDir ? { fileCacheDir: options.fileCacheDir } : {};
  const tasks: UnitTask[] = [
    ...changed.map((n) => ({ kind: 'diff' as const, unit: { cluster: n, ...(b.has(n) ? { base: b.get(n)! } : {}), ...(h.has(n) ? { head: h.get(n)! } : {}) }, options: options.diff, ...fileCacheDir })),
    ...unchanged.filter((n) => !checked.has(n)).map((n) => ({ kind: 'compile' as const, unit: h.get(n)!, options: UNIT_OPTIONS, ...fileCacheDir })),
  ];

  const { results } = await runUnitTasks<UnitResult | DiffUnitResult>(tasks, assets, options);

  const parts: { cluster: string; diff: FleetDiff }[] = [];
  for (const [i, task] of tasks.entries()) {
    const r = results[i]!;
    if (!r.ok) return undefined;
    if (task.kind === 'compile') {
      checked.set(task.unit.cluster, r as UnitResult);
      options.cache?.put(task.unit.cluster, keys.get(task.unit.cluster)!, r as UnitResult);
    } else parts.push({ cluster: task.unit.cluster, diff: (r as DiffUnitResult).diff! });
  }
  for (const n of unchanged) parts.push({ cluster: n, diff: { summary: [{ cluster: n, added: 0, changed: 0, removed: 0 }], impact: NO_IMPACT, objects: [] } });
  return mergeFleetDiffs(parts);
}

/** A review, or the diagnostics of the side(s) whose input errors stop it. */
export type SnapshotDiff = { readonly ok: true; readonly diff: FleetDiff } | { readonly ok: false; readonly base?: readonly Diagnostic[]; readonly head?: readonly Diagnostic[] };

/**
 * `diff`'s one entry: cluster by cluster when the fleets split (diffByUnits); whole
 * otherwise, and whenever a side has input errors, so that they are reported exactly as a
 * whole compile reports them (the two sides share the parse of their common files).
 */
export async function diffSnapshots(base: RepoSnapshot, head: RepoSnapshot, assets: () => Assets, options: UnitDiffOptions): Promise<SnapshotDiff> {
  const byUnits = await diffByUnits(base, head, assets, options);
  if (byUnits) return { ok: true, diff: byUnits };
  const parseCache = memoryParseCache();
  const baseResult = compile(base, assets(), { parseCache });
  const headResult = compile(head, assets(), { parseCache });
  if (!baseResult.ok || !headResult.ok) {
    return { ok: false, ...(baseResult.ok ? {} : { base: baseResult.diagnostics }), ...(headResult.ok ? {} : { head: headResult.diagnostics }) };
  }
  return { ok: true, diff: diffFleet(baseResult.clusters!, headResult.clusters!, options.diff) };
}
