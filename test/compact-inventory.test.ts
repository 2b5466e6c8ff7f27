/**
 * The compact inventory form (HardwareProfile) renders exactly what the upstream form (one
 * Node and NodeFeatures per node) renders: every fixture and a generated fleet are converted
 * with the code `inventory pull` uses, and their trees compared. Plus the checks of profiles.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFleet } from '../bench/generate-fleet.js';
import { keepFeatures, mergeNodeFeatures, toHardwareProfiles } from '../src/cluster/compact-inventory.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { clusterFolderOf } from '../src/load/classify-documents.js';
import { dynamicValueFeatures, featureReferences } from '../src/nfd/feature-references.js';
import { parseFile } from '../src/load/parse-documents.js';
import { toCanonicalYaml } from '../src/render/canonical-yaml.js';
import { compileSnapshot, filesOf, snapshotFromFiles, snapshotOf } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

type Obj = Record<string, unknown>;

/** Objects of a file, Lists expanded. */
function objectsOf(path: string, text: string): Obj[] {
  return parseFile({ path, text }).documents.flatMap((d) => {
    const v = d.value as Obj;
    if (v.kind === 'NodeList') return (v.items as Obj[]).map((item) => ({ apiVersion: 'v1', kind: 'Node', ...item }));
    return v.kind === 'List' ? (v.items as Obj[]) : [v];
  });
}

/** The repo with every file that holds only Nodes and NodeFeatures replaced by HardwareProfiles. */
export function compactRepo(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const byCluster = new Map<string, { nodes: Obj[]; features: Obj[] }>();
  for (const [path, text] of Object.entries(files)) {
    const cluster = clusterFolderOf(path);
    const objects = cluster ? objectsOf(path, text) : [];
    if (!cluster || objects.length === 0 || !objects.every((o) => o.kind === 'Node' || o.kind === 'NodeFeature')) {
      out[path] = text;
      continue;
    }
    const entry = byCluster.get(cluster) ?? { nodes: [], features: [] };
    for (const o of objects) (o.kind === 'Node' ? entry.nodes : entry.features).push(o);
    byCluster.set(cluster, entry);
  }
  for (const [cluster, { nodes, features }] of byCluster) {
    out[`clusters/${cluster}/hardware-profiles.yaml`] = toHardwareProfiles(nodes, features).profiles.map((p) => toCanonicalYaml(p)).join('---\n');
  }
  return out;
}

const withoutLock = (files: ReadonlyMap<string, string> | undefined) => new Map([...(files ?? [])].filter(([p]) => p !== 'render.lock'));
const messages = (list: readonly Diagnostic[]) => list.filter((d) => d.code !== 'NODE_FEATURE_UNASSIGNED').map((d) => `${d.severity} ${d.code}: ${d.message}`).sort();

function assertSameRender(files: Record<string, string>, label: string) {
  const compact = compactRepo(files);
  assert.ok(Object.keys(compact).some((p) => p.endsWith('/hardware-profiles.yaml')), `${label}: something was converted`);
  const upstream = compileSnapshot(snapshotFromFiles(files));
  const converted = compileSnapshot(snapshotFromFiles(compact));
  assert.is(converted.ok, upstream.ok, label);
  assert.equal(withoutLock(converted.tree?.files), withoutLock(upstream.tree?.files), label);
  assert.equal(messages(converted.diagnostics), messages(upstream.diagnostics), label);
}

const fixtures = readdirSync(FIXTURES)
  .sort()
  .filter((n) => existsSync(join(FIXTURES, n, 'repo', 'clusters')) && compileSnapshot(snapshotOf(join(FIXTURES, n, 'repo'))).ok);

for (const name of fixtures) {
  test(`${name}: the compact form renders byte-identically to the upstream form`, () => {
    assertSameRender(filesOf(snapshotOf(join(FIXTURES, name, 'repo'))), name);
  });
}

test('a generated fleet with NodeFeatures per node: same render, and 4 profiles instead of 60 nodes per cluster', () => {
  const files = Object.fromEntries(generateFleet({ clusters: 2, nodesPerCluster: 60, profiles: 4, rules: 10, modules: 6, kernelsPerCluster: 3, nodeFeatures: true }));
  assertSameRender(files, 'generated');
  const compact = compactRepo(files)['clusters/cluster-000/hardware-profiles.yaml']!;
  assert.is(compact.match(/^kind: HardwareProfile$/gm)?.length, 4);
});

test('NodeFeatures merge as nfd-master merges them: NFD namespaces first, later elements override, instances add up', () => {
  const nf = (ns: string, name: string, features: Obj, labels: Obj = {}) => ({ metadata: { name, namespace: ns }, spec: { labels, features } });
  const merged = mergeNodeFeatures([
    nf('custom', 'a', { attributes: { 'x.y': { elements: { k: 'custom' } } }, instances: { 'pci.device': { elements: [{ attributes: { v: '2' } }] } } }, { l: 'custom' }),
    nf('node-feature-discovery', 'z', { attributes: { 'x.y': { elements: { k: 'nfd', j: '1' } } }, instances: { 'pci.device': { elements: [{ attributes: { v: '1' } }] } } }, { l: 'nfd' }),
  ]);
  assert.equal(merged.features, {
    attributes: { 'x.y': { elements: { k: 'custom', j: '1' } } },
    instances: { 'pci.device': { elements: [{ attributes: { v: '1' } }, { attributes: { v: '2' } }] } },
  });
  assert.equal(merged.labels, { l: 'custom' });
});

test('features named by @ output values count as referenced (inventory pull keeps them)', () => {
  const spec = { rules: [{ name: 'r', labels: { a: '@kernel.version.full', b: 'plain', c: '@rule.matched.x' }, extendedResources: { r: '@memory.numa.node_count' }, matchFeatures: [{ feature: 'cpu.cpuid' }] }] };
  assert.equal(dynamicValueFeatures(spec), ['kernel.version', 'memory.numa']);
  assert.equal(featureReferences(spec).map((r) => r.feature), ['cpu.cpuid']);
});

test('keepFeatures keeps only the referenced features of each type', () => {
  const features = { flags: { 'cpu.cpuid': { elements: { AVX: {} } } }, attributes: { 'kernel.config': { elements: { X: 'y' } }, 'system.osrelease': { elements: { ID: 'rhcos' } } } };
  assert.equal(keepFeatures(features, new Set(['system.osrelease'])), { attributes: { 'system.osrelease': { elements: { ID: 'rhcos' } } } });
  assert.equal(keepFeatures(features, new Set()), {});
});

const PROFILE = (name: string, nodes: string) => `apiVersion: kmm-render.io/v1alpha1
kind: HardwareProfile
metadata:
  name: ${name}
spec:
  labels: {node-role.kubernetes.io/worker: ""}
  nodes:
${nodes}`;

function expectAt(list: readonly Diagnostic[], code: string, file: string, line: number, col: number) {
  const hit = list.find((d) => d.code === code && d.file === file);
  assert.ok(hit, `expected ${code} in ${file}; got:\n${list.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`).join('\n')}`);
  assert.is(`${hit!.line}:${hit!.col}`, `${line}:${col}`, `${code} position`);
}

test('NODE_DUPLICATE: a node listed in two profiles points at the second entry', () => {
  const r = compileSnapshot(
    snapshotFromFiles({
      'clusters/c1/a.yaml': PROFILE('a', '    - {name: n1, kernelVersion: 5.14.0-1.el9.x86_64}\n'),
      'clusters/c1/b.yaml': PROFILE('b', '    - name: n2\n      kernelVersion: 5.14.0-1.el9.x86_64\n    - name: n1\n      kernelVersion: 5.14.0-1.el9.x86_64\n'),
    }),
  );
  expectAt(r.diagnostics, 'NODE_DUPLICATE', 'clusters/c1/b.yaml', 10, 13);
  assert.not.ok(r.ok);
});

test('a profile node with an unusable or empty kernel points at its own entry', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'clusters/c1/p.yaml': PROFILE('p', '    - {name: n1, kernelVersion: "5.14 bad!"}\n    - {name: n2, kernelVersion: ""}\n') }));
  expectAt(r.diagnostics, 'NODE_KERNEL_NOT_LABEL_VALUE', 'clusters/c1/p.yaml', 8, 33);
  expectAt(r.diagnostics, 'NODE_KERNEL_MISSING', 'clusters/c1/p.yaml', 9, 33);
});

test('NFD_FEATURE_ABSENT: a rule on a feature no node of the cluster has, while the cluster has features', () => {
  const rule = `apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: r}
spec:
  rules:
    - name: gpu
      labels: {example.com/gpu: "true"}
      matchFeatures:
        - feature: pci.device
          matchExpressions: {vendor: {op: In, value: ["10de"]}}
        - feature: kernel.loadedmodule
          matchExpressions: {nvidia: {op: Exists}}
`;
  const profile = PROFILE('p', '    - {name: n1, kernelVersion: 5.14.0-1.el9.x86_64}\n').replace('  nodes:', '  features: {flags: {kernel.loadedmodule: {elements: {nvidia: {}}}}}\n  nodes:');
  const r = compileSnapshot(snapshotFromFiles({ 'rules/r.yaml': rule, 'clusters/c1/p.yaml': profile }));
  expectAt(r.diagnostics, 'NFD_FEATURE_ABSENT', 'rules/r.yaml', 9, 20);
  assert.is(r.diagnostics.filter((d) => d.code === 'NFD_FEATURE_ABSENT').length, 1, 'kernel.loadedmodule is there');
  const none = compileSnapshot(snapshotFromFiles({ 'rules/r.yaml': rule, 'clusters/c1/p.yaml': PROFILE('p', '    - {name: n1, kernelVersion: 5.14.0-1.el9.x86_64}\n') }));
  assert.is(none.diagnostics.filter((d) => d.code === 'NFD_FEATURE_ABSENT').length, 0, 'a cluster without features is not warned');
});

test.run();
