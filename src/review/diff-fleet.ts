/**
 * `diff` (SPEC §7): what changes between two compiles, per cluster and object, and what it
 * means in operations — reboots, builds and signing, nodes gaining or losing a module,
 * kernels newly without a mapping, image changes. Pure: both sides are compile results.
 */
import { createTwoFilesPatch } from 'diff';
import { parse } from 'yaml';
import { fromJsonPointer } from '../diagnostics/locate.js';
import type { RenderedCluster } from '../output/build-tree.js';
import type { PlannedObject } from '../plan/fleet-plan.js';
import { emittedKindOf } from '../plan/emitted-kinds.js';
import { toCanonicalYaml } from '../render/canonical-yaml.js';
import type { RenderedObject } from '../render/render-objects.js';
import { immutableFieldChanges } from './immutable-fields.js';
import { compareText } from '../base/compare-text.js';

export type ChangeKind = 'added' | 'changed' | 'removed';

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

export interface Impact {
  /** Objects the head no longer renders: the GitOps tool prunes them from the cluster. */
  readonly deleted: readonly { cluster: string; kind: string; namespace?: string; name: string }[];
  /** Objects kept by name whose change touches a field the API server keeps immutable: the apply fails. */
  readonly blocked: readonly { cluster: string; kind: string; namespace?: string; name: string; fields: readonly string[] }[];
  /** MachineConfig changes: the pool and how many nodes reboot. */
  readonly reboots: readonly { cluster: string; machineConfig: string; pool: string; nodes: number; change: ChangeKind }[];
  readonly builds: readonly { cluster: string; module: string; kernel: string; image: string }[];
  readonly signing: readonly { cluster: string; module: string; kernel: string; image: string }[];
  readonly gained: readonly { cluster: string; module: string; nodes: readonly string[] }[];
  readonly lost: readonly { cluster: string; module: string; nodes: readonly string[] }[];
  readonly newlyUnmapped: readonly { cluster: string; module: string; kernel: string; nodes: readonly string[] }[];
  readonly imageChanges: readonly { cluster: string; module: string; kernel: string; from: string; to: string }[];
  /**
   * Loader DaemonSets whose pods change: the rolling update unloads the module and loads the
   * new one, node by node.
   */
  readonly reloads: readonly { cluster: string; module: string; kernel: string; nodes: number }[];
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

function moduleNodes(c: RenderedCluster | undefined): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const o of c?.plan.objects ?? []) {
    const loaded = emittedKindOf(o).loads?.(o);
    if (!loaded) continue;
    const id = `${loaded.module.namespace}/${loaded.module.name}`;
    const set = out.get(id) ?? new Set<string>();
    for (const n of loaded.nodes) set.add(n.name);
    out.set(id, set);
  }
  return out;
}

function loaders(c: RenderedCluster | undefined): Map<string, Extract<PlannedObject, { type: 'module-loader' }>> {
  const out = new Map<string, Extract<PlannedObject, { type: 'module-loader' }>>();
  for (const o of c?.plan.objects ?? []) if (o.type === 'module-loader') out.set(`${o.module.namespace}/${o.module.name}@${o.data.kernel}`, o);
  return out;
}

type MutableImpact = { [K in keyof Impact]: Impact[K] extends readonly (infer T)[] ? T[] : never };

/** An impact with nothing in it. */
export function emptyImpact(): MutableImpact {
  return { deleted: [], blocked: [], reboots: [], builds: [], signing: [], gained: [], lost: [], newlyUnmapped: [], imageChanges: [], reloads: [] };
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
      const p = any.planned;
      if (change === 'removed') impact.deleted.push({ cluster: name, kind: any.kind, ...(any.namespace ? { namespace: any.namespace } : {}), name: any.name });
      if (o && n) {
        const fields = immutableFieldChanges(n.kind, o.object, n.object);
        if (fields.length) impact.blocked.push({ cluster: name, kind: n.kind, ...(n.namespace ? { namespace: n.namespace } : {}), name: n.name, fields });
        const template = (x: RenderedObject) => JSON.stringify((x.object.spec as { template?: unknown } | undefined)?.template);
        if (p.type === 'module-loader' && template(o) !== template(n)) {
          impact.reloads.push({ cluster: name, module: `${p.module.namespace}/${p.module.name}`, kernel: p.data.kernel, nodes: p.nodes.length });
        }
      }
      const effect = emittedKindOf(p).impact?.(p);
      if (effect?.effect === 'reboot') impact.reboots.push({ cluster: name, machineConfig: any.name, pool: effect.pool, nodes: effect.nodes, change });
      if (effect && effect.effect !== 'reboot' && change !== 'removed') {
        (effect.effect === 'build' ? impact.builds : impact.signing).push({ cluster: name, module: effect.module, kernel: effect.kernel, image: effect.image });
      }
    }
    summary.push({ cluster: name, ...counts });

    const nb = moduleNodes(b);
    const nh = moduleNodes(h);
    for (const module of [...new Set([...nb.keys(), ...nh.keys()])].sort(compareText)) {
      const was = nb.get(module) ?? new Set<string>();
      const is = nh.get(module) ?? new Set<string>();
      const gained = [...is].filter((x) => !was.has(x)).sort(compareText);
      const lost = [...was].filter((x) => !is.has(x)).sort(compareText);
      if (gained.length) impact.gained.push({ cluster: name, module, nodes: gained });
      if (lost.length) impact.lost.push({ cluster: name, module, nodes: lost });
    }
    const unmappedBefore = new Set((b?.plan.coverage ?? []).filter((r) => !r.image).map((r) => `${r.module}@${r.kernel}`));
    for (const r of h?.plan.coverage ?? []) {
      if (!r.image && !unmappedBefore.has(`${r.module}@${r.kernel}`)) impact.newlyUnmapped.push({ cluster: name, module: r.module, kernel: r.kernel, nodes: r.nodes });
    }
    const lb = loaders(b);
    for (const [key, l] of loaders(h)) {
      const old = lb.get(key);
      if (old && old.data.containerImage !== l.data.containerImage) {
        impact.imageChanges.push({ cluster: name, module: `${l.module.namespace}/${l.module.name}`, kernel: l.data.kernel, from: old.data.containerImage, to: l.data.containerImage });
      }
    }
  }
  return { summary, impact, objects };
}

/** True when anything differs. */
export function hasChanges(d: FleetDiff): boolean {
  return d.objects.length > 0;
}
