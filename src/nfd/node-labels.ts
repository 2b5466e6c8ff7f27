/**
 * The seam between NFD and KMM: the labels Module selectors see for each node (SPEC §3.6,
 * §4.1) and where each came from — the inventory, a NodeFeature, or a NodeFeatureRule.
 * Rules are evaluated once per distinct feature set, not once per node.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { at } from '../load/object-ref.js';
import type { ClusterModel, NodeFeatureObject, NodeFeatureRuleObject } from '../model/fleet-model.js';
import type { NfdRule } from './execute-rule.js';
import { buildFeatureSet, cloneFeatureSet, featureSetKey, hasFeatures, pickFeatures, type NodeFeatureSet } from './features.js';
import { evaluateNodeFeatureRules, RULE_MATCHED_FEATURE, type NodeRuleResult, type RuleObject, type RuleOrigin } from './evaluate-rules.js';
import { filterLabels, type Dropped } from './label-filter.js';
import { dynamicValueFeatures, featureReferences } from './feature-references.js';
import { compareText } from '../base/compare-text.js';
import { setOwnProperty } from '../base/own-property.js';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';

export { FEATURE_LABEL_PREFIX, prefixLabelKey } from './label-prefix.js';

/** Namespaces nfd-worker writes its NodeFeature objects to; they merge first (SPEC §3.1). */
export const NFD_NAMESPACES: readonly string[] = ['node-feature-discovery', 'openshift-nfd'];

/** Where a node label came from. */
export type LabelOrigin =
  | { readonly kind: 'inventory' }
  | { readonly kind: 'node-feature'; readonly object: string }
  | { readonly kind: 'rule'; readonly object: string; readonly rule: string };

/** The effective labels of one node, and the full NFD result behind them. */
export interface NodeLabels {
  readonly labels: Readonly<Record<string, string>>;
  readonly origins: Readonly<Record<string, LabelOrigin>>;
  /** The rule results for the node's feature set (shared by nodes with equal features). */
  readonly nfd: NodeRuleResult;
}

/** NodeFeature objects of one node in nfd-master's merge order (SPEC §3.1). */
export function orderNodeFeatures(list: readonly NodeFeatureObject[]): NodeFeatureObject[] {
  const rank = (o: NodeFeatureObject) => (NFD_NAMESPACES.includes(o.namespace) ? 0 : 1);
  return [...list].sort((a, b) => rank(a) - rank(b) || compareText(a.name, b.name) || compareText(a.namespace, b.namespace));
}

/** The rule objects of a cluster's scope, sorted by name (SPEC §3.2). */
export function ruleObjectsOf(rules: readonly NodeFeatureRuleObject[]): RuleObject[] {
  return [...rules]
    .sort((a, b) => compareText(a.name, b.name))
    .map((r) => ({ name: r.name, rules: ((r.spec as { rules?: NfdRule[] } | null)?.rules ?? []) as NfdRule[] }));
}

const INVENTORY: LabelOrigin = { kind: 'inventory' };

/** The labels rules give a feature set, and their origins: built once per evaluation. */
const ruleLabelCache = new WeakMap<NodeRuleResult, { labels: Record<string, string>; origins: Record<string, LabelOrigin> }>();
function ruleLabelsOf(nfd: NodeRuleResult) {
  let hit = ruleLabelCache.get(nfd);
  if (!hit) {
    const labels: Record<string, string> = {};
    const origins: Record<string, LabelOrigin> = {};
    for (const [k, { value, origin }] of nfd.labels) {
      setOwnProperty(labels, k, value);
      setOwnProperty<LabelOrigin>(origins, k, { kind: 'rule', object: origin.object, rule: origin.rule });
    }
    ruleLabelCache.set(nfd, (hit = { labels, origins }));
  }
  return hit;
}

/**
 * Effective labels per node name. Precedence: rule labels over inventory labels over
 * NodeFeature labels (SPEC §3.6: NodeFeature labels override nothing else).
 */
export function resolveNodeLabels(cluster: ClusterModel): { byNode: Map<string, NodeLabels>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const byNode = new Map<string, NodeLabels>();
  const ruleRefs = new Map(cluster.rules.map((r) => [r.name, r.ref]));
  const objects = ruleObjectsOf(cluster.rules);
  const featuresByNode = new Map<string, NodeFeatureObject[]>();
  for (const nf of cluster.nodeFeatures) {
    if (!nf.nodeName) continue;
    const list = featuresByNode.get(nf.nodeName) ?? [];
    list.push(nf);
    featuresByNode.set(nf.nodeName, list);
  }
  const evaluated = new Map<string, NodeRuleResult>();
  const reported = new Set<string>();
  const report = (origin: RuleOrigin, code: DiagnosticCode, message: string) => {
    const key = `${code}\u0000${origin.object}\u0000${origin.index}\u0000${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    const ref = ruleRefs.get(origin.object)!;
    diagnostics.push(diagnostic(code, at(ref, ['spec', 'rules', origin.index, 'name']), `NodeFeatureRule ${origin.object}, rule "${origin.rule}": ${message}`));
  };

  // Nodes usually share their features: a profile of the compact form shares one object,
  // and per-node NodeFeatures are mostly equal in what rules read. Rules see only the
  // features they name (terms, `@` values, rule.matched), so feature sets are built from
  // those alone, once per distinct content: nodes that differ only in features no rule reads
  // share one evaluation.
  const readable = readableFeatures(cluster.rules);
  const built = new Map<string, { features: NodeFeatureSet; key: string }>();
  const picked = new WeakMap<object, { text: string; features: unknown }>();
  const pickedOf = (raw: unknown) => {
    if (raw === null || typeof raw !== 'object') return { text: JSON.stringify(raw ?? null), features: raw };
    let hit = picked.get(raw);
    if (!hit) {
      const features = pickFeatures(raw, readable);
      picked.set(raw, (hit = { text: JSON.stringify(features), features }));
    }
    return hit;
  };
  let anyFeatures = false;
  for (const node of cluster.nodes) {
    const ordered = orderNodeFeatures(featuresByNode.get(node.name) ?? []);
    const rawKey = ordered.map((nf) => pickedOf(nf.features).text).join('\u0000');
    let entry = built.get(rawKey);
    if (!entry) {
      const set = buildFeatureSet(ordered.map((nf) => ({ ...nf, features: pickedOf(nf.features).features })));
      built.set(rawKey, (entry = { features: set, key: featureSetKey(set) }));
    }
    if (!anyFeatures) anyFeatures = ordered.some((nf) => hasFeatures(nf.features));
    const { features, key } = entry;
    let nfd = evaluated.get(key);
    if (!nfd) {
      nfd = evaluateNodeFeatureRules(objects, features, cluster.settings.nfd);
      evaluated.set(key, nfd);
      for (const r of nfd.rules) if (r.error) report(r, r.errorCode ?? 'NFD_RULE_ERROR', `${r.error}; the rule is skipped`);
      for (const d of nfd.dropped) report(d.origin, 'NFD_OUTPUT_DROPPED', `${d.what} ${d.key} dropped: ${d.reason}`);
    }
    // NodeFeature labels, as nfd-master takes them: merged (later objects override), then
    // overridden by the rules' labels, and only then filtered (a rule label that is dropped
    // takes the NodeFeature label of its key with it). Precedence on the node: rule labels
    // over inventory labels over NodeFeature labels (SPEC §3.6).
    const fromRules = ruleLabelsOf(nfd);
    let labels: Record<string, string>;
    let origins: Record<string, LabelOrigin>;
    const merged = mergedNodeFeatureLabels(ordered);
    if (merged.length === 0) {
      labels = { ...node.labels, ...fromRules.labels };
      origins = { ...Object.fromEntries(Object.keys(node.labels).map((k) => [k, INVENTORY])), ...fromRules.origins };
    } else {
      const nf = filterWithNodeFeatureLabels(merged, ordered, nfd, cluster.settings.nfd);
      labels = { ...nf.nodeFeature.labels, ...node.labels, ...nf.rules.labels };
      origins = { ...nf.nodeFeature.origins, ...Object.fromEntries(Object.keys(node.labels).map((k) => [k, INVENTORY])), ...nf.rules.origins };
    }
    byNode.set(node.name, { labels, origins, nfd });
  }
  if (anyFeatures) for (const d of checkFeatureReferences(cluster, [...built.values()].map((b) => b.features))) diagnostics.push(d);
  return { byNode, diagnostics };
}

/** A NodeFeature label entry: its origin is the object, `namespace/name`. */
type NodeFeatureEntry = readonly [string, string, string];

/** The labels of a node's NodeFeatures in merge order, later objects overriding. */
export function mergedNodeFeatureLabels(ordered: readonly NodeFeatureObject[]): NodeFeatureEntry[] {
  const merged = new Map<string, NodeFeatureEntry>();
  for (const nf of ordered) for (const [k, v] of Object.entries(nf.labels)) merged.set(k, [k, v, nf.namespace ? `${nf.namespace}/${nf.name}` : nf.name]);
  return [...merged.values()];
}

/** The features `@` values of NodeFeature labels resolve against: all of the node's, and rule.matched. */
function withRuleMatched(all: NodeFeatureSet, nfd: NodeRuleResult): NodeFeatureSet {
  const set = cloneFeatureSet(all);
  const matched = nfd.features.attributes.get(RULE_MATCHED_FEATURE);
  if (matched) set.attributes.set(RULE_MATCHED_FEATURE, matched);
  return set;
}

/**
 * NodeFeature labels and rule labels filtered together, as nfd-master filters them, split
 * back by where each kept label came from.
 */
export function filterWithNodeFeatureLabels(merged: readonly NodeFeatureEntry[], ordered: readonly NodeFeatureObject[], nfd: NodeRuleResult, settings: ClusterModel['settings']['nfd']) {
  // An `@` value of a NodeFeature label may name any feature of the node.
  const dynamic = merged.some(([, v]) => v.startsWith('@'));
  const against = dynamic ? withRuleMatched(buildFeatureSet(ordered), nfd) : nfd.features;
  const dropped: Dropped<string | RuleOrigin>[] = [];
  const kept = filterLabels<string | RuleOrigin>([...merged, ...nfd.rawLabels], against, settings, dropped);
  const nodeFeature = { labels: {} as Record<string, string>, origins: {} as Record<string, LabelOrigin> };
  const rules = { labels: {} as Record<string, string>, origins: {} as Record<string, LabelOrigin> };
  for (const [k, { value, origin }] of kept) {
    if (typeof origin === 'string') {
      setOwnProperty(nodeFeature.labels, k, value);
      setOwnProperty<LabelOrigin>(nodeFeature.origins, k, { kind: 'node-feature', object: origin });
    } else {
      setOwnProperty(rules.labels, k, value);
      setOwnProperty<LabelOrigin>(rules.origins, k, { kind: 'rule', object: origin.object, rule: origin.rule });
    }
  }
  return { nodeFeature, rules };
}

/** The feature names rules can read, as feature maps key them: term features lower-cased (their lookup), `@` values as written, and rule.matched. */
function readableFeatures(rules: readonly NodeFeatureRuleObject[]): ReadonlySet<string> {
  const names = new Set<string>([RULE_MATCHED_FEATURE]);
  for (const rule of rules) {
    for (const ref of featureReferences(rule.spec)) names.add(ref.feature.toLowerCase());
    for (const feature of dynamicValueFeatures(rule.spec)) names.add(feature);
  }
  return names;
}

/**
 * NFD_FEATURE_ABSENT: a rule references a feature that no node of the cluster has. Only
 * when the cluster has features at all: without NodeFeatures every rule would warn, and the
 * likely cause here is an inventory pulled before the rule was written (pull keeps only
 * referenced features).
 */
function checkFeatureReferences(cluster: ClusterModel, sets: readonly NodeFeatureSet[]): Diagnostic[] {
  const present = new Set<string>();
  for (const set of sets) for (const map of [set.flags, set.attributes, set.instances]) for (const name of map.keys()) present.add(name);
  const out: Diagnostic[] = [];
  for (const rule of cluster.rules) {
    for (const ref of featureReferences(rule.spec)) {
      if (present.has(ref.feature)) continue;
      out.push(
        diagnostic(
          'NFD_FEATURE_ABSENT',
          at(rule.ref, ref.path),
          `NodeFeatureRule ${rule.name} references feature ${ref.feature}, which no node of cluster ${cluster.settings.name} has; if the nodes do report it, pull the inventory again (kmm-render inventory pull keeps only the features rules reference)`,
        ),
      );
    }
  }
  return out;
}
