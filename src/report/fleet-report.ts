/**
 * The fleet coverage report (`kmm-render report`): per cluster, which Modules run on which
 * kernels and where, which nodes are left without a module and why, which MachineConfig
 * pools a change reboots, which builds and signing Jobs run, and a hub's spokes; a fleet
 * summary on top. Built from the same compile as `render`; the operational part is
 * review/impact.ts, the model `diff` uses. Pure and deterministic.
 */
import type { ClusterModel, NodeInfo } from '../model/fleet-model.js';
import { hasModuleLoader } from '../model/kmm.js';
import { matchesSelector, untoleratedNoScheduleTaint } from '../kmm/node-targeting.js';
import type { RenderedCluster } from '../output/build-tree.js';
import { emittedKindOf } from '../plan/emitted-kinds.js';
import { impactOfCluster } from '../review/impact.js';
import { targetOf } from '../targets/target.js';
import { compareText } from '../base/compare-text.js';

/** Why nodes are left without a module. */
export type UncoveredReason = 'no-mapping' | 'tainted' | 'selector';

/** The order reasons are listed in, most actionable first, with the words the page uses. */
export const UNCOVERED_REASONS: readonly { readonly reason: UncoveredReason; readonly label: string }[] = [
  { reason: 'no-mapping', label: 'no kernel mapping' },
  { reason: 'tainted', label: 'tainted' },
  { reason: 'selector', label: 'no Module selects it' },
];

export interface CoverageEntry {
  readonly module: string;
  readonly kernel: string;
  readonly nodes: number;
  readonly image?: string;
  readonly build: boolean;
  readonly sign: boolean;
}

/** Nodes left without a module for one reason (grouped: a fleet has many nodes). */
export interface UncoveredGroup {
  readonly reason: UncoveredReason;
  /** The Module they miss; absent for nodes no Module selects. */
  readonly module?: string;
  readonly kernel: string;
  readonly detail: string;
  /** Sorted. */
  readonly nodes: readonly string[];
}

export interface BuildEntry {
  readonly module: string;
  readonly kernel: string;
  readonly build?: string;
  readonly sign?: string;
}

export interface ClusterReport {
  readonly name: string;
  readonly target: string;
  readonly nodeCount: number;
  readonly coverage: readonly CoverageEntry[];
  readonly uncovered: readonly UncoveredGroup[];
  readonly uncoveredNodes: number;
  readonly reboots: readonly { machineConfig: string; pool: string; nodes: number }[];
  readonly builds: readonly BuildEntry[];
  readonly spokes: readonly { spoke: string; module: string; kernels: readonly string[] }[];
  /** The Modules the cluster's rows mention, sorted (for the Module filter). */
  readonly modules: readonly string[];
}

export interface FleetReport {
  readonly summary: {
    readonly clusters: number;
    readonly nodes: number;
    readonly modules: number;
    readonly kernels: number;
    readonly servedPairs: number;
    readonly unmappedPairs: number;
    readonly uncoveredNodes: number;
    readonly rebootingPools: number;
    readonly rebootingNodes: number;
    readonly builds: number;
    readonly signing: number;
  };
  readonly clusters: readonly ClusterReport[];
}

const taintText = (t: { key: string; value?: string; effect: string }) => `${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`;

function uncoveredOf(model: ClusterModel, rendered: RenderedCluster, unmapped: readonly { module: string; kernel: string; nodes: readonly string[] }[]): UncoveredGroup[] {
  const groups = new Map<string, { reason: UncoveredReason; module?: string; kernel: string; detail: string; nodes: string[] }>();
  const add = (reason: UncoveredReason, module: string | undefined, node: NodeInfo | { name: string; kernel: string }, detail: string) => {
    const key = JSON.stringify([reason, module ?? '', node.kernel, detail]);
    const g = groups.get(key) ?? { reason, ...(module ? { module } : {}), kernel: node.kernel, detail, nodes: [] };
    g.nodes.push(node.name);
    groups.set(key, g);
  };
  const served = new Set<string>();
  for (const o of rendered.plan.objects) for (const n of emittedKindOf(o).loads?.(o)?.nodes ?? []) served.add(n.name);
  const missed = new Set<string>();
  for (const u of unmapped) {
    for (const name of u.nodes) {
      add('no-mapping', u.module, { name, kernel: u.kernel }, `no kernel mapping matches ${u.kernel}`);
      missed.add(name);
    }
  }
  const labelsOf = (n: NodeInfo) => rendered.labels.get(n.name)?.labels ?? n.labels;
  for (const m of model.modules) {
    if (!hasModuleLoader(m)) continue;
    for (const n of model.nodes) {
      if (!matchesSelector(m.spec.selector, labelsOf(n))) continue;
      const taint = untoleratedNoScheduleTaint(n, m.spec.tolerations);
      if (!taint) continue;
      add('tainted', `${m.namespace}/${m.name}`, n, `the selector matches, but the untolerated taint ${taintText(taint)} keeps KMM's pods off`);
      missed.add(n.name);
    }
  }
  const loaders = model.modules.filter((m) => hasModuleLoader(m)).length;
  for (const n of model.nodes) {
    if (served.has(n.name) || missed.has(n.name)) continue;
    add('selector', undefined, n, loaders === 0 ? 'no Module that loads a kernel module is in scope' : `none of the ${loaders} Module(s) in scope selects it`);
  }
  const rank = (r: UncoveredReason) => UNCOVERED_REASONS.findIndex((x) => x.reason === r);
  return [...groups.values()]
    .map((g) => ({ ...g, nodes: g.nodes.sort(compareText) }))
    .sort((a, b) => rank(a.reason) - rank(b.reason) || compareText(a.module ?? '', b.module ?? '') || compareText(a.kernel, b.kernel) || compareText(a.detail, b.detail));
}

function reportCluster(model: ClusterModel, rendered: RenderedCluster): ClusterReport {
  const name = model.settings.name;
  const impact = impactOfCluster(rendered);
  const uncovered = uncoveredOf(model, rendered, impact.newlyUnmapped);
  const builds = new Map<string, { module: string; kernel: string; build?: string; sign?: string }>();
  const entry = (module: string, kernel: string) => {
    const key = `${module}@${kernel}`;
    const e = builds.get(key) ?? { module, kernel };
    builds.set(key, e);
    return e;
  };
  for (const b of impact.builds) entry(b.module, b.kernel).build = b.image;
  for (const s of impact.signing) entry(s.module, s.kernel).sign = s.image;
  const spokes = rendered.plan.objects.flatMap((o) => (o.type === 'manifest-work' ? [{ spoke: o.spoke, module: `ManagedClusterModule ${o.module.name}`, kernels: o.kernelMappings.map((k) => k.literal) }] : []));
  const coverage = rendered.plan.coverage.map((r) => ({ module: r.module, kernel: r.kernel, nodes: r.nodes.length, ...(r.image ? { image: r.image } : {}), build: r.build ?? false, sign: r.sign ?? false }));
  const modules = new Set<string>([...coverage.map((c) => c.module), ...uncovered.flatMap((u) => (u.module ? [u.module] : [])), ...[...builds.values()].map((b) => b.module)]);
  return {
    name,
    target: targetOf(model.settings).summary,
    nodeCount: model.nodes.length,
    coverage,
    uncovered,
    uncoveredNodes: new Set(uncovered.flatMap((u) => u.nodes)).size,
    reboots: impact.reboots.map((r) => ({ machineConfig: r.machineConfig, pool: r.pool, nodes: r.nodes })),
    builds: [...builds.values()].sort((a, b) => compareText(a.module, b.module) || compareText(a.kernel, b.kernel)),
    spokes: spokes.sort((a, b) => compareText(a.spoke, b.spoke) || compareText(a.module, b.module)),
    modules: [...modules].sort(compareText),
  };
}

/** The report of every rendered cluster (`models` and `rendered` by cluster name). */
export function buildFleetReport(models: readonly ClusterModel[], rendered: readonly RenderedCluster[]): FleetReport {
  const byName = new Map(models.map((m) => [m.settings.name, m]));
  const clusters = [...rendered]
    .sort((a, b) => compareText(a.plan.cluster.name, b.plan.cluster.name))
    .map((r) => reportCluster(byName.get(r.plan.cluster.name) ?? assertNever(r.plan.cluster.name), r));
  const kernels = new Set<string>();
  const modules = new Set<string>();
  for (const m of models) if (clusters.some((c) => c.name === m.settings.name)) for (const n of m.nodes) kernels.add(n.kernel);
  for (const c of clusters) for (const m of c.coverage) modules.add(m.module);
  const sum = (f: (c: ClusterReport) => number) => clusters.reduce((s, c) => s + f(c), 0);
  return {
    summary: {
      clusters: clusters.length,
      nodes: sum((c) => c.nodeCount),
      modules: modules.size,
      kernels: kernels.size,
      servedPairs: sum((c) => c.coverage.filter((r) => r.image).length),
      unmappedPairs: sum((c) => c.coverage.filter((r) => !r.image).length),
      uncoveredNodes: sum((c) => c.uncoveredNodes),
      rebootingPools: sum((c) => c.reboots.length),
      rebootingNodes: sum((c) => c.reboots.reduce((s, r) => s + r.nodes, 0)),
      builds: sum((c) => c.builds.filter((b) => b.build).length),
      signing: sum((c) => c.builds.filter((b) => b.sign).length),
    },
    clusters,
  };
}

function assertNever(name: string): never {
  throw new Error(`rendered cluster ${name} has no model (a bug)`);
}
