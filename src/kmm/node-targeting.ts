/** Which nodes a Module targets and which kernels they run (SPEC §4.1). */
import type { NodeInfo } from '../model/fleet-model.js';
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

/** True when the node carries a NoSchedule taint, which keeps KMM's pods off it. */
export function hasNoScheduleTaint(node: NodeInfo): boolean {
  return node.taints.some((t) => t.effect === 'NoSchedule');
}

/** The nodes a selector targets: matching labels, no NoSchedule taint. Order is kept. */
export function selectTargetedNodes(
  selector: Readonly<Record<string, string>>,
  nodes: readonly NodeInfo[],
  labelsOf: (node: NodeInfo) => Readonly<Record<string, string>>,
): NodeInfo[] {
  return nodes.filter((n) => matchesSelector(selector, labelsOf(n)) && !hasNoScheduleTaint(n));
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
