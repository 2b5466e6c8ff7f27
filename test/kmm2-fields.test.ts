/**
 * KMM 2.x Module fields (SPEC §12), accepted under kmm-render.yaml `spec.kmmVersion: "2"`:
 * tolerations on every pod and in targeting, imageRebuildTriggerGeneration forcing new build
 * objects, dra ignored with a warning; under "1.1" (the default) each is an error at the field.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { toleratesTaint } from '../src/kmm/node-targeting.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { compileSnapshot, snapshotFromFiles } from './support/compile-fixture.js';
import { moduleYaml } from './support/module-yaml.js';
import { sharedPath } from './support/requirements.js';

const CONFIG = (version: string) => `apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nmetadata: {name: c}\nspec: {kmmVersion: "${version}"}\n`;
const NODES = `apiVersion: v1
kind: List
items:
  - {apiVersion: v1, kind: Node, metadata: {name: plain, labels: {gpu: "true"}}, status: {nodeInfo: {kernelVersion: 5.14.0-1.el9.x86_64}}}
  - apiVersion: v1
    kind: Node
    metadata: {name: tainted, labels: {gpu: "true"}}
    spec: {taints: [{key: gpu-only, value: "yes", effect: NoSchedule}]}
    status: {nodeInfo: {kernelVersion: 5.14.0-1.el9.x86_64}}
`;
const MODULE = (extra: string, mapping = '') => moduleYaml({ mapping, selector: 'gpu: "true"', extra });
const DOCKERFILE = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: df, namespace: openshift-kmm}\ndata: {dockerfile: "FROM scratch\\n"}\n';

function expectAt(list: readonly Diagnostic[], code: string, line: number, col: number) {
  const hit = list.find((d) => d.code === code && d.file === 'm.yaml');
  assert.ok(hit, `expected ${code}; got ${list.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`).join(', ')}`);
  assert.is(`${hit!.line}:${hit!.col}`, `${line}:${col}`);
}

const TOLERATE = '  tolerations: [{key: gpu-only, operator: Equal, value: "yes", effect: NoSchedule}]\n';

test('KMM_VERSION_FIELD: a KMM 2.x field under kmmVersion "1.1" (the default) is an error at the field', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE(TOLERATE + '  imageRebuildTriggerGeneration: 2\n'), 'clusters/c/n.yaml': NODES }));
  assert.not.ok(r.ok);
  expectAt(r.diagnostics, 'KMM_VERSION_FIELD', 13, 16);
  assert.is(r.diagnostics.filter((d) => d.code === 'KMM_VERSION_FIELD').length, 2);
  assert.match(r.diagnostics[0]!.message, /kmmVersion: "2"/);
});

test('tolerations: a node whose NoSchedule taint is tolerated is targeted, and every pod carries them', () => {
  const without = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': MODULE(''), 'clusters/c/n.yaml': NODES }));
  assert.equal(without.clusters![0]!.plan.coverage.map((c) => c.nodes), [['plain']], 'without tolerations the tainted node is left out');
  const sign = '          sign: {unsignedImage: quay.io/x/u, keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/m.ko]}';
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': MODULE(TOLERATE, sign), 'clusters/c/n.yaml': NODES }));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  assert.equal(r.clusters![0]!.plan.coverage.map((c) => c.nodes), [['plain', 'tainted']]);
  for (const o of r.clusters![0]!.objects.filter((x) => x.kind === 'DaemonSet' || x.kind === 'Job')) {
    const pod = (o.object.spec as { template: { spec: { tolerations?: unknown } } }).template.spec;
    assert.equal(pod.tolerations, [{ key: 'gpu-only', operator: 'Equal', value: 'yes', effect: 'NoSchedule' }], `${o.kind} ${o.name}`);
  }
});

test('toleration matching follows Kubernetes: empty key with Exists tolerates all; effect must match when set', () => {
  const taint = { key: 'a', value: 'x', effect: 'NoSchedule' as const };
  assert.ok(toleratesTaint({ operator: 'Exists' }, taint));
  assert.ok(toleratesTaint({ key: 'a', operator: 'Exists' }, taint));
  assert.ok(toleratesTaint({ key: 'a', value: 'x' }, taint), 'Equal is the default operator');
  assert.not.ok(toleratesTaint({ key: 'a', value: 'y' }, taint));
  assert.not.ok(toleratesTaint({ key: 'a', operator: 'Exists', effect: 'NoExecute' }, taint));
  assert.not.ok(toleratesTaint({ value: 'x' }, taint), 'an empty key needs Exists');
});

test('imageRebuildTriggerGeneration: a new generation is a new BuildConfig, and new build and signing Job names', () => {
  const build = '          build: {dockerfileConfigMap: {name: df}}\n          sign: {keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/m.ko]}';
  const names = (generation: string, distribution = '') =>
    compileSnapshot(snapshotFromFiles({
      'kmm-render.yaml': CONFIG('2'),
      'm.yaml': MODULE(generation ? `  imageRebuildTriggerGeneration: ${generation}\n` : '', build),
      'df.yaml': DOCKERFILE,
      'clusters/c/n.yaml': NODES,
      ...(distribution ? { 'clusters/c/cluster.yaml': `apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {distribution: ${distribution}}\n` } : {}),
    })).clusters![0]!.objects.filter((o) => o.kind !== 'DaemonSet' && o.kind !== 'ConfigMap').map((o) => `${o.kind} ${o.name}`);
  const [none, one, two] = [names(''), names('1'), names('2')];
  assert.match(one.join(' '), /BuildConfig m-5-14-0-1-el9-x86-64-gen-1/);
  assert.not.equal(one, two);
  assert.not.equal(none, one);
  assert.not.equal(names('1', 'kubernetes'), names('2', 'kubernetes'), 'Kaniko Jobs too');
});

test('MODULE_FIELD_IGNORED: spec.dra under kmmVersion "2" is a warning at the field, and nothing else changes', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': MODULE('  dra: {deviceClassName: gpu.example.com}\n'), 'clusters/c/n.yaml': NODES }));
  assert.ok(r.ok);
  expectAt(r.diagnostics, 'MODULE_FIELD_IGNORED', 13, 8);
  const plain = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': MODULE(''), 'clusters/c/n.yaml': NODES }));
  assert.equal(r.clusters![0]!.objects.map((o) => o.yaml), plain.clusters![0]!.objects.map((o) => o.yaml));
});

const DEVICE_PLUGIN_ONLY = `apiVersion: kmm.sigs.x-k8s.io/v1beta1
kind: Module
metadata: {name: dp, namespace: openshift-kmm}
spec:
  devicePlugin:
    container: {image: quay.io/x/dp:1}
  selector: {gpu: "true"}
`;

test('a device-plugin-only Module (KMM 2.x) runs its device plugin on the selected nodes, with nothing to wait for', async () => {
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': DEVICE_PLUGIN_ONLY, 'clusters/c/n.yaml': NODES }));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const objects = r.clusters![0]!.objects;
  assert.equal(objects.map((o) => `${o.kind} ${o.name}`), ['DaemonSet dp-device-plugin']);
  // As written to the output (the canonical YAML drops null fields).
  const written = parse(objects[0]!.yaml) as { spec: { template: { spec: Record<string, unknown> } } };
  const pod = written.spec.template.spec;
  assert.is(pod.affinity, undefined, 'no kernel affinity: no kernel is mapped (an empty In list would be refused)');
  assert.is(pod.initContainers, undefined, 'no kernel module to wait for');
  const { DaemonSet } = await import('kubernetes-models/apps/v1/DaemonSet');
  assert.not.throws(() => new DaemonSet(written as never).validate());
  assert.equal(r.clusters![0]!.plan.coverage, [], 'no kernel rows: it loads nothing');
});

test('without moduleLoader: KMM_VERSION_FIELD under "1.1" at the spec; MODULE_EMPTY when there is no devicePlugin either', () => {
  const old = compileSnapshot(snapshotFromFiles({ 'm.yaml': DEVICE_PLUGIN_ONLY, 'clusters/c/n.yaml': NODES }));
  assert.not.ok(old.ok);
  const hit = old.diagnostics.find((d) => d.code === 'KMM_VERSION_FIELD')!;
  assert.is(`${hit.file}:${hit.line}:${hit.col}`, 'm.yaml:5:3');
  const empty = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': DEVICE_PLUGIN_ONLY.replace('  devicePlugin:\n    container: {image: quay.io/x/dp:1}\n', ''), 'clusters/c/n.yaml': NODES }));
  const e = empty.diagnostics.find((d) => d.code === 'MODULE_EMPTY');
  assert.ok(e, JSON.stringify(empty.diagnostics));
  assert.is(`${e!.line}:${e!.col}`, '5:3');
  const draOnly = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('2'), 'm.yaml': DEVICE_PLUGIN_ONLY.replace('  devicePlugin:\n    container: {image: quay.io/x/dp:1}\n', '  dra: {driverName: dra.example.com}\n'), 'clusters/c/n.yaml': NODES }));
  assert.ok(draOnly.ok, 'a DRA-only Module is KMM 2.x too: a warning, nothing rendered');
  assert.equal(draOnly.diagnostics.map((d) => d.code), ['MODULE_FIELD_IGNORED']);
  assert.equal(draOnly.clusters![0]!.objects, []);
});

test('version labels under kmmVersion "2" are KMM 2.x\'s (worker and schedule pods), under "1.1" KMM 1.1\'s', () => {
  const withVersion = (version: string) => {
    const module = MODULE('').replace('      modprobe: {moduleName: m}', '      version: "v2"\n      modprobe: {moduleName: m}').replace('  selector: {gpu: "true"}', '  devicePlugin: {container: {image: quay.io/x/dp:1}}\n  selector: {gpu: "true"}');
    const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG(version), 'm.yaml': module, 'clusters/c/n.yaml': NODES }));
    assert.ok(r.ok, JSON.stringify(r.diagnostics));
    return r.clusters![0]!.objects.flatMap((o) => Object.keys((o.object.metadata as { labels: Record<string, string> }).labels).filter((k) => k.includes('/version-')));
  };
  assert.equal(withVersion('2'), ['beta.kmm.node.kubernetes.io/version-worker-pod.openshift-kmm.m', 'beta.kmm.node.kubernetes.io/version-schedule-pod.openshift-kmm.m']);
  assert.equal(withVersion('1.1'), ['beta.kmm.node.kubernetes.io/version-module-loader.openshift-kmm.m', 'beta.kmm.node.kubernetes.io/version-device-plugin.openshift-kmm.m']);
});

// Real Modules from KMM's own repository and documentation that use 2.x fields.
const CORPUS = sharedPath('reference', 'corpus');
const corpusModules = CORPUS
  ? readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => join(CORPUS, f))
      .filter((f) => {
        const text = readFileSync(f, 'utf8');
        // Whole Modules only: documentation fragments without a selector are not.
        return /^kind: Module$/m.test(text) && /^  (dra|imageRebuildTriggerGeneration|tolerations):/m.test(text) && /^  moduleLoader:/m.test(text) && /^  selector:/m.test(text);
      })
  : [];

test('the corpus Modules that use KMM 2.x fields load under kmmVersion "2", and are refused with the fix under "1.1"', () => {
  assert.ok(corpusModules.length >= 3, `found ${corpusModules.length}`);
  for (const file of corpusModules) {
    const text = readFileSync(file, 'utf8');
    const under = (version: string) => compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG(version), 'm.yaml': text, 'clusters/c/n.yaml': NODES }));
    const two = under('2');
    // Refs to ConfigMaps in other files of their repository may dangle here; the fields must read.
    assert.equal(two.diagnostics.filter((d) => /^(SCHEMA_|YAML_|KMM_VERSION_FIELD)/.test(d.code)).map((d) => d.code), [], file);
    assert.ok(under('1.1').diagnostics.some((d) => d.code === 'KMM_VERSION_FIELD'), file);
  }
});

test.run();
