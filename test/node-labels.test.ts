/**
 * Node labels in the pipeline (SPEC §3.6): rules are evaluated once per distinct content of
 * the features they can read, so nodes that differ only in other features share one
 * evaluation — without changing what any node gets.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveNodeLabels } from '../src/nfd/node-labels.js';
import { compileSnapshot, snapshotFromFiles } from './support/compile-fixture.js';

const RULE = `apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: r}
spec:
  rules:
    - name: nvidia
      labels: {example.com/nvidia: "true"}
      matchFeatures:
        - feature: kernel.loadedmodule
          matchExpressions: {nvidia: {op: Exists}}
`;

const node = (name: string) => `---
apiVersion: v1
kind: Node
metadata: {name: ${name}, labels: {kubernetes.io/hostname: ${name}}}
status: {nodeInfo: {kernelVersion: 5.14.0-1.el9.x86_64}}
`;

/** A NodeFeature whose system.name (read by no rule) differs per node. */
const nodeFeature = (name: string, modules: string, labels = '{}') => `---
apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeature
metadata: {name: ${name}, namespace: node-feature-discovery, labels: {nfd.node.kubernetes.io/node-name: ${name}}}
spec:
  labels: ${labels}
  features:
    flags: {kernel.loadedmodule: {elements: {${modules}}}}
    attributes: {system.name: {elements: {nodename: ${name}}}}
`;

function clusterOf(files: Record<string, string>) {
  const r = compileSnapshot(snapshotFromFiles(files));
  assert.ok(r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.model!.clusters[0]!;
}

test('nodes whose NodeFeatures differ only in features no rule reads share one rule evaluation', () => {
  const cluster = clusterOf({
    'rules/r.yaml': RULE,
    'clusters/c1/nodes.yaml': node('n1') + node('n2') + node('n3'),
    'clusters/c1/features.yaml': nodeFeature('n1', 'nvidia: {}') + nodeFeature('n2', 'nvidia: {}') + nodeFeature('n3', 'i915: {}'),
  });
  const { byNode } = resolveNodeLabels(cluster);
  assert.is(byNode.get('n1')!.nfd, byNode.get('n2')!.nfd, 'n1 and n2 differ only in system.name');
  assert.is.not(byNode.get('n1')!.nfd, byNode.get('n3')!.nfd, 'n3 has other modules');
  assert.is(byNode.get('n1')!.labels['example.com/nvidia'], 'true');
  assert.is(byNode.get('n2')!.labels['example.com/nvidia'], 'true');
  assert.is(byNode.get('n3')!.labels['example.com/nvidia'], undefined);
});

test("a NodeFeature label with an @ value resolves against the node's own features, also ones no rule reads", () => {
  const labels = '{example.com/host: "@system.name.nodename"}';
  const cluster = clusterOf({
    'rules/r.yaml': RULE,
    'clusters/c1/nodes.yaml': node('n1') + node('n2'),
    'clusters/c1/features.yaml': nodeFeature('n1', 'nvidia: {}', labels) + nodeFeature('n2', 'nvidia: {}', labels),
  });
  const { byNode } = resolveNodeLabels(cluster);
  assert.is(byNode.get('n1')!.labels['example.com/host'], 'n1');
  assert.is(byNode.get('n2')!.labels['example.com/host'], 'n2');
});

test('NFD_FEATURE_ABSENT still fires when the cluster has features, but none that rules read', () => {
  const cluster = clusterOf({
    'rules/r.yaml': RULE,
    'clusters/c1/nodes.yaml': node('n1'),
    'clusters/c1/features.yaml': nodeFeature('n1', '').replace('    flags: {kernel.loadedmodule: {elements: {}}}\n', ''),
  });
  const { diagnostics } = resolveNodeLabels(cluster);
  assert.equal(
    diagnostics.map((d) => d.code),
    ['NFD_FEATURE_ABSENT'],
  );
});

test.run();
