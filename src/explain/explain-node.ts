/**
 * `explain` (SPEC §1): why a node does or does not get each Module — its labels and where
 * each came from, its taints and kernel, and per Module whether the selector matched (and
 * which key failed), which mapping matched, the image, and the objects that serve it.
 */
import { firstFailingSelectorKey, untoleratedNoScheduleTaint } from '../kmm/node-targeting.js';
import { resolveKernelMapping } from '../kmm/kernel-mapping.js';
import { hasModuleLoader } from '../model/kmm.js';
import type { ClusterModel, NodeInfo } from '../model/fleet-model.js';
import type { LabelOrigin, NodeLabels } from '../nfd/node-labels.js';
import type { RenderedCluster } from '../output/build-tree.js';
import { assignPool } from '../plan/machine-config-pools.js';
import { emittedKindOf } from '../plan/emitted-kinds.js';
import { hasOwnProperty } from '../base/own-property.js';

export interface ModuleExplanation {
  readonly module: string;
  readonly source: string;
  readonly selected: boolean;
  readonly reason: string;
  readonly mapping?: { index: number; literal?: string; regexp?: string };
  readonly image?: string;
  /** kind/namespace/name of the objects that serve this node. */
  readonly objects: readonly string[];
}

export interface NodeExplanation {
  readonly cluster: string;
  readonly node: string;
  readonly kernelVersion: string;
  readonly kernel: string;
  readonly osImage?: string;
  readonly pool?: string;
  readonly labels: readonly { key: string; value: string; origin: string }[];
  readonly taints: readonly { key: string; value: string; effect: string }[];
  readonly modules: readonly ModuleExplanation[];
}

function describeOrigin(o: LabelOrigin): string {
  switch (o.kind) {
    case 'inventory':
      return 'inventory (the Node object)';
    case 'node-feature':
      return `NodeFeature ${o.object}`;
    case 'rule':
      return `NodeFeatureRule ${o.object}, rule "${o.rule}"`;
  }
}

function explainModule(m: ClusterModel['modules'][number], node: NodeInfo, labels: NodeLabels, rendered: RenderedCluster): ModuleExplanation {
  const id = `${m.namespace}/${m.name}`;
  const base = { module: id, source: m.ref.source.file };
  const failing = firstFailingSelectorKey(m.spec.selector, labels.labels);
  if (failing !== undefined) {
    const has = hasOwnProperty(labels.labels, failing);
    const reason = has
      ? `selector ${failing}=${JSON.stringify(m.spec.selector[failing])} does not match: the node has ${failing}=${JSON.stringify(labels.labels[failing])}`
      : `selector ${failing}=${JSON.stringify(m.spec.selector[failing])} does not match: the node has no ${failing} label`;
    return { ...base, selected: false, reason, objects: [] };
  }
  const taint = untoleratedNoScheduleTaint(node, m.spec.tolerations);
  if (taint) {
    const reason = m.spec.tolerations?.length
      ? `the selector matches, but none of the Module's tolerations tolerates the node's NoSchedule taint ${taint.key}, which keeps KMM's pods off it`
      : `the selector matches, but the node has the NoSchedule taint ${taint.key}, which keeps KMM's pods off it`;
    return { ...base, selected: false, reason, objects: [] };
  }
  const objects = rendered.objects
    .filter((o) => {
      const p = o.planned;
      const serves = emittedKindOf(p).servesNode;
      return serves !== undefined && serves(p, node.name) && ('modules' in p ? p.modules.includes(m) : 'module' in p && p.module === m);
    })
    .map((o) => `${o.kind}/${o.namespace ? o.namespace + '/' : ''}${o.name}`);
  if (!hasModuleLoader(m)) return { ...base, selected: true, reason: 'the selector matches; the Module only runs a device plugin (KMM 2.x): it loads no kernel module', objects };
  const matched = resolveKernelMapping(m.spec.moduleLoader.container.kernelMappings, node.kernel);
  if (!matched) {
    return { ...base, selected: true, reason: `the selector matches, but no kernel mapping matches kernel ${node.kernel}: the node gets no module`, objects };
  }
  // The coverage row knows the image on every target (a loader's, or a pinned mapping's).
  const image = rendered.plan.coverage.find((row) => row.module === `${m.namespace}/${m.name}` && row.kernel === node.kernel)?.image;
  const mapping = {
    index: matched.index,
    ...(matched.mapping.literal ? { literal: matched.mapping.literal } : { regexp: matched.mapping.regexp! }),
  };
  return { ...base, selected: true, reason: `the selector matches and kernel mapping #${matched.index} applies`, mapping, ...(image ? { image } : {}), objects };
}

/** Explains one node; undefined when the node is not in the cluster. */
export function explainNode(cluster: ClusterModel, rendered: RenderedCluster, nodeName: string, moduleFilter?: string): NodeExplanation | undefined {
  const node = cluster.nodes.find((n) => n.name === nodeName);
  const labels = rendered.labels.get(nodeName);
  if (!node || !labels) return undefined;
  const pool = assignPool(labels.labels, cluster.pools).pool;
  const modules = cluster.modules.filter((m) => moduleFilter === undefined || `${m.namespace}/${m.name}` === moduleFilter);
  return {
    cluster: cluster.settings.name,
    node: node.name,
    kernelVersion: node.kernelVersion,
    kernel: node.kernel,
    ...(node.osImage ? { osImage: node.osImage } : {}),
    ...(pool ? { pool } : {}),
    labels: Object.keys(labels.labels)
      .sort()
      .map((key) => ({ key, value: labels.labels[key]!, origin: describeOrigin(labels.origins[key]!) })),
    taints: node.taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
    modules: modules.map((m) => explainModule(m, node, labels, rendered)),
  };
}
