/**
 * What applying objects means in operations (SPEC §7): deletions, fields the API server
 * will not change, reboots, builds and signing, nodes gaining or losing a module, kernels
 * without a mapping, image changes, reloads. One model: `diff` computes it for the change
 * from base to head, `report` for the fleet as it is (everything applied from nothing).
 * Which kinds reboot, build or sign comes from the kinds table. Pure.
 */
import type { RenderedCluster } from '../output/build-tree.js';
import type { PlannedObject } from '../plan/fleet-plan.js';
import { emittedKindOf } from '../plan/emitted-kinds.js';
import type { RenderedObject } from '../render/render-objects.js';
import { immutableFieldChanges } from './immutable-fields.js';
import { compareText } from '../base/compare-text.js';

export type ChangeKind = 'added' | 'changed' | 'removed';

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

export type MutableImpact = { [K in keyof Impact]: Impact[K] extends readonly (infer T)[] ? T[] : never };

/** An impact with nothing in it. */
export function emptyImpact(): MutableImpact {
  return { deleted: [], blocked: [], reboots: [], builds: [], signing: [], gained: [], lost: [], newlyUnmapped: [], imageChanges: [], reloads: [] };
}

const podTemplate = (x: RenderedObject) => JSON.stringify((x.object.spec as { template?: unknown } | undefined)?.template);

/** Adds what one object's change means: `before` and `after` are the object on each side (one may be absent). */
export function addObjectImpact(impact: MutableImpact, cluster: string, before: RenderedObject | undefined, after: RenderedObject | undefined): void {
  const any = (after ?? before)!;
  const change: ChangeKind = !before ? 'added' : !after ? 'removed' : 'changed';
  const p = any.planned;
  const ref = { cluster, kind: any.kind, ...(any.namespace ? { namespace: any.namespace } : {}), name: any.name };
  if (change === 'removed') impact.deleted.push(ref);
  if (before && after) {
    const fields = immutableFieldChanges(after.kind, before.object, after.object);
    if (fields.length) impact.blocked.push({ ...ref, fields });
    if (p.type === 'module-loader' && podTemplate(before) !== podTemplate(after)) {
      impact.reloads.push({ cluster, module: `${p.module.namespace}/${p.module.name}`, kernel: p.data.kernel, nodes: p.nodes.length });
    }
  }
  const effect = emittedKindOf(p).impact?.(p);
  if (effect?.effect === 'reboot') impact.reboots.push({ cluster, machineConfig: any.name, pool: effect.pool, nodes: effect.nodes, change });
  if (effect && effect.effect !== 'reboot' && change !== 'removed') {
    (effect.effect === 'build' ? impact.builds : impact.signing).push({ cluster, module: effect.module, kernel: effect.kernel, image: effect.image });
  }
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

/** Adds what a cluster's coverage change means: nodes gaining and losing modules, new gaps, image changes. */
export function addCoverageImpact(impact: MutableImpact, cluster: string, base: RenderedCluster | undefined, head: RenderedCluster | undefined): void {
  const nb = moduleNodes(base);
  const nh = moduleNodes(head);
  for (const module of [...new Set([...nb.keys(), ...nh.keys()])].sort(compareText)) {
    const was = nb.get(module) ?? new Set<string>();
    const is = nh.get(module) ?? new Set<string>();
    const gained = [...is].filter((x) => !was.has(x)).sort(compareText);
    const lost = [...was].filter((x) => !is.has(x)).sort(compareText);
    if (gained.length) impact.gained.push({ cluster, module, nodes: gained });
    if (lost.length) impact.lost.push({ cluster, module, nodes: lost });
  }
  const unmappedBefore = new Set((base?.plan.coverage ?? []).filter((r) => !r.image).map((r) => `${r.module}@${r.kernel}`));
  for (const r of head?.plan.coverage ?? []) {
    if (!r.image && !unmappedBefore.has(`${r.module}@${r.kernel}`)) impact.newlyUnmapped.push({ cluster, module: r.module, kernel: r.kernel, nodes: r.nodes });
  }
  const lb = loaders(base);
  for (const [key, l] of loaders(head)) {
    const old = lb.get(key);
    if (old && old.data.containerImage !== l.data.containerImage) {
      impact.imageChanges.push({ cluster, module: `${l.module.namespace}/${l.module.name}`, kernel: l.data.kernel, from: old.data.containerImage, to: l.data.containerImage });
    }
  }
}

/** The impact of applying a cluster's objects from nothing: what `report` shows per cluster. */
export function impactOfCluster(c: RenderedCluster): Impact {
  const impact = emptyImpact();
  for (const o of c.objects) addObjectImpact(impact, c.plan.cluster.name, undefined, o);
  addCoverageImpact(impact, c.plan.cluster.name, undefined, c);
  return impact;
}
