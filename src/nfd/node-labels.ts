/**
 * The seam between NFD and KMM: the labels Module selectors see for each node (SPEC §3.6,
 * §4.1) and where each label came from. Inventory labels, NodeFeature labels and — once the
 * rule engine evaluates them — NodeFeatureRule labels.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { at } from '../load/object-ref.js';
import type { ClusterModel, NodeFeatureObject } from '../model/inventory.js';

/** Namespaces nfd-worker writes its NodeFeature objects to; they merge first (SPEC §3.1). */
export const NFD_NAMESPACES: readonly string[] = ['node-feature-discovery', 'openshift-nfd'];

/** The default prefix of unprefixed NFD label keys. */
export const FEATURE_LABEL_PREFIX = 'feature.node.kubernetes.io/';

/** Where a node label came from. */
export type LabelOrigin =
  | { readonly kind: 'inventory' }
  | { readonly kind: 'node-feature'; readonly object: string }
  | { readonly kind: 'rule'; readonly object: string; readonly rule: string };

/** The effective labels of one node. */
export interface NodeLabels {
  readonly labels: Readonly<Record<string, string>>;
  readonly origins: Readonly<Record<string, LabelOrigin>>;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** NodeFeature objects of one node in nfd-master's merge order (SPEC §3.1). */
export function orderNodeFeatures(list: readonly NodeFeatureObject[]): NodeFeatureObject[] {
  const rank = (o: NodeFeatureObject) => (NFD_NAMESPACES.includes(o.namespace) ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || compareText(a.name, b.name) || compareText(a.namespace, b.namespace));
}

/** Prefixes an unprefixed NFD label key with feature.node.kubernetes.io/. */
export function prefixLabelKey(key: string): string {
  return key.includes('/') ? key : FEATURE_LABEL_PREFIX + key;
}

/**
 * Effective labels per node name. Precedence: rule labels over inventory labels over
 * NodeFeature labels (SPEC §3.6: NodeFeature labels override nothing else).
 */
export function resolveNodeLabels(cluster: ClusterModel): { byNode: Map<string, NodeLabels>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byNode = new Map<string, NodeLabels>();
  const featuresByNode = new Map<string, NodeFeatureObject[]>();
  for (const nf of cluster.nodeFeatures) {
    if (!nf.nodeName) continue;
    const list = featuresByNode.get(nf.nodeName) ?? [];
    list.push(nf);
    featuresByNode.set(nf.nodeName, list);
  }
  for (const node of cluster.nodes) {
    const labels: Record<string, string> = {};
    const origins: Record<string, LabelOrigin> = {};
    for (const nf of orderNodeFeatures(featuresByNode.get(node.name) ?? [])) {
      for (const [k, v] of Object.entries(nf.labels)) {
        const key = prefixLabelKey(k);
        labels[key] = v;
        origins[key] = { kind: 'node-feature', object: nf.namespace ? `${nf.namespace}/${nf.name}` : nf.name };
      }
    }
    for (const [k, v] of Object.entries(node.labels)) {
      labels[k] = v;
      origins[k] = { kind: 'inventory' };
    }
    byNode.set(node.name, { labels, origins });
  }
  for (const rule of cluster.rules) {
    diagnostics.push(
      diagnostic('NFD_RULES_NOT_EVALUATED', at(rule.ref, ['metadata', 'name']), `NodeFeatureRule ${rule.name} is validated but this version of kmm-render does not evaluate rules yet; its labels are not seen by Module selectors`),
    );
  }
  return { byNode, diagnostics };
}
