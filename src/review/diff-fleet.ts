/**
 * `diff` (SPEC §7): what changes between two compiles, per cluster and object, and what it
 * means in operations — reboots, builds and signing, nodes gaining or losing a module,
 * kernels newly without a mapping, image changes (the impact model is review/impact.ts).
 * Pure: both sides are compile results.
 */
import { createTwoFilesPatch } from 'diff';
import { parse } from 'yaml';
import { fromJsonPointer } from '../diagnostics/locate.js';
import type { RenderedCluster } from '../output/build-tree.js';
import { toCanonicalYaml } from '../render/canonical-yaml.js';
import type { RenderedObject } from '../render/render-objects.js';
import { addCoverageImpact, addObjectImpact, emptyImpact, type ChangeKind, type Impact } from './impact.js';
import { compareText } from '../base/compare-text.js';

export type { ChangeKind, Impact } from './impact.js';
export { emptyImpact } from './impact.js';

export interface ObjectChange {
  readonly cluster: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly change: ChangeKind;
  /** Unified diff of the object's YAML. */
  readonly diff: string;
}

export interface ClusterSummary {
  readonly cluster: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface FleetDiff {
  readonly summary: readonly ClusterSummary[];
  readonly impact: Impact;
  readonly objects: readonly ObjectChange[];
}

/** What a review leaves out of the comparison (`diff --ignore-path`, `--ignore-object`). */
export interface ReviewOptions {
  /** JSON pointers of fields to ignore in every object. */
  readonly ignorePaths?: readonly string[];
  /** `Kind/name` or `Kind/namespace/name` of objects to ignore. */
  readonly ignoreObjects?: readonly string[];
}

function objectKey(o: RenderedObject): string {
  return `${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}`;
}

function withoutPaths(yaml: string, paths: readonly string[]): string {
  if (paths.length === 0) return yaml;
  const value = parse(yaml) as Record<string, unknown>;
  for (const pointer of paths) {
    const segs = fromJsonPointer(pointer);
    let node: unknown = value;
    for (const s of segs.slice(0, -1)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[s] : undefined;
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[segs[segs.length - 1]!];
  }
  return toCanonicalYaml(value);
}

function ignored(o: RenderedObject, patterns: readonly string[]): boolean {
  return patterns.includes(`${o.kind}/${o.name}`) || patterns.includes(objectKey(o));
}

/** The difference between the base and the head compile. */
export function diffFleet(base: readonly RenderedCluster[], head: readonly RenderedCluster[], options: ReviewOptions = {}): FleetDiff {
  const ignorePaths = options.ignorePaths ?? [];
  const ignoreObjects = options.ignoreObjects ?? [];
  const names = [...new Set([...base, ...head].map((c) => c.plan.cluster.name))].sort(compareText);
  const summary: ClusterSummary[] = [];
  const objects: ObjectChange[] = [];
  const impact = emptyImpact();

  for (const name of names) {
    const b = base.find((c) => c.plan.cluster.name === name);
    const h = head.find((c) => c.plan.cluster.name === name);
    const before = new Map((b?.objects ?? []).filter((o) => !ignored(o, ignoreObjects)).map((o) => [objectKey(o), o]));
    const after = new Map((h?.objects ?? []).filter((o) => !ignored(o, ignoreObjects)).map((o) => [objectKey(o), o]));
    const counts = { added: 0, changed: 0, removed: 0 };
    for (const key of [...new Set([...before.keys(), ...after.keys()])].sort(compareText)) {
      const o = before.get(key);
      const n = after.get(key);
      const oldText = o ? withoutPaths(o.yaml, ignorePaths) : '';
      const newText = n ? withoutPaths(n.yaml, ignorePaths) : '';
      if (oldText === newText) continue;
      const change: ChangeKind = !o ? 'added' : !n ? 'removed' : 'changed';
      counts[change]++;
      const any = (n ?? o)!;
      const file = `${name}/${any.file}`;
      objects.push({
        cluster: name,
        kind: any.kind,
        ...(any.namespace ? { namespace: any.namespace } : {}),
        name: any.name,
        change,
        diff: createTwoFilesPatch(o ? `a/${file}` : '/dev/null', n ? `b/${file}` : '/dev/null', oldText, newText, '', '', { context: 3 }),
      });
      addObjectImpact(impact, name, o, n);
    }
    summary.push({ cluster: name, ...counts });

    addCoverageImpact(impact, name, b, h);
  }
  return { summary, impact, objects };
}

/** True when anything differs. */
export function hasChanges(d: FleetDiff): boolean {
  return d.objects.length > 0;
}
