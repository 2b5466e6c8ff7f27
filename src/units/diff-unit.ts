/**
 * `diff` one cluster at a time: the base and head units of a cluster are compiled (sharing
 * the parse of every file they have in common) and diffed on their own. The review of a
 * fleet is the concatenation of its clusters' reviews in cluster order, which is exactly
 * what diffFleet computes for the whole fleet (tested).
 */
import { compile, type Assets } from '../compile.js';
import { memoryParseCache, type ParseCache } from '../load/load-documents.js';
import { diffFleet, emptyImpact, type ReviewOptions, type FleetDiff } from '../review/diff-fleet.js';
import type { CompileUnit } from './split-units.js';
import type { InputFile } from '../load/repo-snapshot.js';
import { compareText } from '../base/compare-text.js';

/** One cluster's two sides; a side is absent when the cluster does not exist there. */
export interface DiffUnit {
  readonly cluster: string;
  readonly base?: CompileUnit;
  readonly head?: CompileUnit;
}

export interface DiffUnitResult {
  readonly cluster: string;
  /** False when a side has input errors: the caller then compiles both sides whole. */
  readonly ok: boolean;
  readonly diff?: FleetDiff;
}

export function diffUnit(unit: DiffUnit, assets: Assets, options: ReviewOptions, shared?: ParseCache): DiffUnitResult {
  const parseCache: ParseCache = shared ?? memoryParseCache();
  const side = (u: CompileUnit | undefined) => (u ? compile({ files: u.files, readDiagnostics: [] }, assets, { clusters: [u.cluster], parseCache }) : undefined);
  const base = side(unit.base);
  const head = side(unit.head);
  if ((base && !base.ok) || (head && !head.ok)) return { cluster: unit.cluster, ok: false };
  return { cluster: unit.cluster, ok: true, diff: diffFleet(base?.clusters ?? [], head?.clusters ?? [], options) };
}

/** The fleet's review from its clusters' reviews (in any order). */
export function mergeFleetDiffs(parts: readonly { cluster: string; diff: FleetDiff }[]): FleetDiff {
  const sorted = [...parts].sort((a, b) => compareText(a.cluster, b.cluster));
  const impact = emptyImpact() as unknown as Record<string, unknown[]>;
  for (const p of sorted) for (const [k, list] of Object.entries(p.diff.impact)) impact[k]!.push(...(list as unknown[]));
  return {
    summary: sorted.flatMap((p) => p.diff.summary),
    impact: impact as unknown as FleetDiff['impact'],
    objects: sorted.flatMap((p) => p.diff.objects),
  };
}

/** True when both units read the same files with the same contents. */
export function sameInputs(a: CompileUnit, b: CompileUnit): boolean {
  const same = (f: InputFile, g: InputFile) => f.path === g.path && (f.digest !== undefined && g.digest !== undefined ? f.digest === g.digest : f.text === g.text);
  return a.files.length === b.files.length && a.files.every((f, i) => same(f, b.files[i]!));
}

