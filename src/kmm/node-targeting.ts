/** Which nodes a Module targets and which kernels they run (SPEC §4.1). */
import type { NodeInfo, Taint } from '../model/fleet-model.js';
import type { Toleration } from '../model/kmm.js';
import { hasOwnProperty } from '../base/own-property.js';
import { compareText } from '../base/compare-text.js';

/** True when `labels` carry every key of `selector` with exactly its value. */
export function matchesSelector(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector)) {
    if (!hasOwnProperty(labels, k) || labels[k] !== v) return false;
  }
  return true;
}

/** The first selector key a node fails, for explanations; undefined when it matches. */
export function firstFailingSelectorKey(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): string | undefined {
  return Object.keys(selector)
    .sort()
    .find((k) => !hasOwnProperty(labels, k) || labels[k] !== selector[k]);
}

/** Whether a toleration tolerates a taint, as Kubernetes decides (core/v1 Toleration.ToleratesTaint). */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  // An empty key with Exists tolerates every taint; otherwise the keys must be equal.
  if (t.key ? t.key !== taint.key : t.operator !== 'Exists') return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/**
 * The node's first NoSchedule taint that none of `tolerations` (KMM 2.x spec.tolerations)
 * tolerates: it keeps KMM's pods off the node. Undefined when there is none.
 */
export function untoleratedNoScheduleTaint(node: NodeInfo, tolerations: readonly Toleration[] = []): Taint | undefined {
  return node.taints.find((taint) => taint.effect === 'NoSchedule' && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** The nodes a selector targets: matching labels, and no NoSchedule taint the tolerations leave. Order is kept. */
export function selectTargetedNodes(
  selector: Readonly<Record<string, string>>,
  nodes: readonly NodeInfo[],
  labelsOf: (node: NodeInfo) => Readonly<Record<string, string>>,
  tolerations: readonly Toleration[] = [],
): NodeInfo[] {
  return nodes.filter((n) => matchesSelector(selector, labelsOf(n)) && untoleratedNoScheduleTaint(n, tolerations) === undefined);
}

/** Groups nodes by kernel; kernels sorted, nodes in the given order. */
export function groupByKernel(nodes: readonly NodeInfo[]): Map<string, NodeInfo[]> {
  const groups = new Map<string, NodeInfo[]>();
  for (const n of nodes) {
    const list = groups.get(n.kernel) ?? [];
    list.push(n);
    groups.set(n.kernel, list);
  }
  return new Map([...groups.entries()].sort((a, b) => compareText(a[0], b[0])));
}
