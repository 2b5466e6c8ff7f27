/**
 * Targets (SPEC §12). kubernetes: builds are Kaniko Jobs as upstream KMM makes them, no
 * MachineConfig, no Driver Toolkit, no trusted-CA ConfigMap; the firmware path is
 * /lib/firmware unless the Cluster says otherwise, and then a warning says what to do.
 * kmmOperator: the cluster gets pinned Modules instead of the operator's workloads.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { TARGETS } from '../src/targets/target.js';
import { compileSnapshot, snapshotFromFiles } from './support/compile-fixture.js';

const VANILLA = 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: k}\nspec: {distribution: kubernetes}\n';
const NODE = 'apiVersion: v1\nkind: Node\nmetadata: {name: w0, labels: {gpu: "true"}}\nstatus:\n  nodeInfo: {kernelVersion: 6.8.0-45-generic, osImage: Ubuntu 24.04.1 LTS}\n';
const DOCKERFILE = (text: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: df, namespace: drivers}\ndata:\n  dockerfile: ${JSON.stringify(text)}\n`;
const MODULE = (modprobe: string, mapping: string) => `apiVersion: kmm.sigs.x-k8s.io/v1beta1
kind: Module
metadata: {name: m, namespace: drivers}
spec:
  moduleLoader:
    serviceAccountName: sa
    container:
      modprobe: {moduleName: m${modprobe}}
      kernelMappings:
        - regexp: '.'
          containerImage: quay.io/x/m:\${KERNEL_FULL_VERSION}
${mapping}
  imageRepoSecret: {name: push}
  selector: {gpu: "true"}
`;

function expectAt(list: readonly Diagnostic[], code: string, file: string, line: number, col: number) {
  const hit = list.find((d) => d.code === code && d.file === file);
  assert.ok(hit, `expected ${code}; got ${list.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`).join(', ')}`);
  assert.is(`${hit!.line}:${hit!.col}`, `${line}:${col}`);
}

test('a build on vanilla Kubernetes is a Kaniko Job with its Dockerfile ConfigMap, not a BuildConfig', () => {
  const r = compileSnapshot(snapshotFromFiles({
    'm.yaml': MODULE('', '          build: {dockerfileConfigMap: {name: df}, buildArgs: [{name: A, value: b}], secrets: [{name: src}], kanikoParams: {tag: v1.23.2}}'),
    'df.yaml': DOCKERFILE('FROM scratch\n'),
    'clusters/k/cluster.yaml': VANILLA,
    'clusters/k/n.yaml': NODE,
  }));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const objects = r.clusters![0]!.objects;
  assert.equal(objects.map((o) => `${o.stage} ${o.kind}`), ['20-builds ConfigMap', '20-builds Job', '40-loaders DaemonSet']);
  const [configMap, job] = objects as [(typeof objects)[number], (typeof objects)[number]];
  assert.is((configMap.object.data as { dockerfile: string }).dockerfile, 'FROM scratch\n');
  assert.is(job.name, configMap.name, 'the Job and its Dockerfile ConfigMap share the hashed name');
  const pod = (job.object.spec as { template: { spec: { containers: { image: string; args: string[] }[]; volumes: { name: string; configMap?: { name: string } }[] } } }).template.spec;
  assert.is(pod.containers[0]!.image, 'gcr.io/kaniko-project/executor:v1.23.2', 'kanikoParams.tag replaces the builder tag, as KMM');
  assert.equal(pod.containers[0]!.args, ['--destination', 'quay.io/x/m:6.8.0-45-generic', '--build-arg', 'A=b', '--build-arg', 'KERNEL_FULL_VERSION=6.8.0-45-generic', '--build-arg', 'KERNEL_VERSION=6.8.0-45-generic', '--build-arg', 'MOD_NAME=m', '--build-arg', 'MOD_NAMESPACE=drivers']);
  assert.equal(pod.volumes.map((v) => v.name), ['dockerfile', 'secret-push', 'secret-src']);
  assert.is(pod.volumes[0]!.configMap!.name, configMap.name);
});

test('a changed Dockerfile is a new build Job name (Jobs are immutable)', () => {
  const nameWith = (dockerfile: string) =>
    compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('', '          build: {dockerfileConfigMap: {name: df}}'), 'df.yaml': DOCKERFILE(dockerfile), 'clusters/k/cluster.yaml': VANILLA, 'clusters/k/n.yaml': NODE })).clusters![0]!.objects.find((o) => o.kind === 'Job')!.name;
  assert.is.not(nameWith('FROM a\n'), nameWith('FROM b\n'));
});

test('DTK_UNAVAILABLE: DTK_AUTO on a distribution without a Driver Toolkit is an error at the mapping', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('', '          build: {dockerfileConfigMap: {name: df}}'), 'df.yaml': DOCKERFILE('FROM ${DTK_AUTO}\n'), 'clusters/k/cluster.yaml': VANILLA, 'clusters/k/n.yaml': NODE }));
  assert.not.ok(r.ok);
  expectAt(r.diagnostics, 'DTK_UNAVAILABLE', 'm.yaml', 10, 11);
  assert.match(r.diagnostics.find((d) => d.code === 'DTK_UNAVAILABLE')!.message, /no Driver Toolkit/);
});

test('firmware on vanilla Kubernetes: /lib/firmware by default, no MachineConfig, no warning', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE(', firmwarePath: /firmware', ''), 'clusters/k/cluster.yaml': VANILLA, 'clusters/k/n.yaml': NODE }));
  assert.ok(r.ok);
  assert.equal(r.diagnostics, []);
  assert.not.ok(r.clusters![0]!.objects.some((o) => o.kind === 'MachineConfig'));
  assert.match(r.clusters![0]!.objects[0]!.yaml, /path: \/lib\/firmware\n/);
  assert.is(TARGETS.kubernetes.firmwareHostPath, '/lib/firmware');
});

test('FIRMWARE_PATH_NOT_SEARCHED: another firmwareHostPath on vanilla Kubernetes warns at the Module\'s firmwarePath', () => {
  const cluster = VANILLA.replace('{distribution: kubernetes}', '{distribution: kubernetes, firmwareHostPath: /var/lib/firmware}');
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE(',\n        firmwarePath: /firmware', ''), 'clusters/k/cluster.yaml': cluster, 'clusters/k/n.yaml': NODE }));
  assert.ok(r.ok, 'a warning');
  expectAt(r.diagnostics, 'FIRMWARE_PATH_NOT_SEARCHED', 'm.yaml', 9, 23);
  assert.match(r.diagnostics.find((d) => d.code === 'FIRMWARE_PATH_NOT_SEARCHED')!.message, /firmware_class\.path=\/var\/lib\/firmware/);
});

test('signing on vanilla Kubernetes mounts no trusted-CA ConfigMap (OpenShift\'s network operator fills it)', () => {
  const sign = '          sign: {unsignedImage: quay.io/x/u, keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/m.ko]}';
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('', sign), 'clusters/k/cluster.yaml': VANILLA, 'clusters/k/n.yaml': NODE }));
  assert.ok(r.ok);
  assert.equal(r.clusters![0]!.objects.map((o) => o.kind), ['Job', 'DaemonSet']);
  assert.not.match(r.clusters![0]!.objects[0]!.yaml, /trusted-ca/);
});

test('the operator namespace defaults to upstream KMM\'s on vanilla Kubernetes', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('', ''), 'clusters/k/cluster.yaml': VANILLA, 'clusters/k/n.yaml': NODE }));
  assert.is(r.model!.clusters[0]!.settings.operatorNamespace, 'kmm-operator-system');
});

const OPERATOR = (extra = '') => `apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: op}\nspec: {kmmOperator: true${extra}}\n`;
const OCP_NODE = (name: string, kernel: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {gpu: "true", node-role.kubernetes.io/worker: ""}}\nstatus:\n  nodeInfo: {kernelVersion: ${kernel}, osImage: Red Hat Enterprise Linux CoreOS 416.94.202406251923-0 (Plow)}\n`;

test('a cluster that runs the KMM operator gets the Module, pinned per kernel before the user\'s mappings, and no workloads', () => {
  const build = '          build: {dockerfileConfigMap: {name: df}}';
  const r = compileSnapshot(snapshotFromFiles({
    'm.yaml': MODULE(', firmwarePath: /fw', build),
    'df.yaml': DOCKERFILE('FROM scratch\n'),
    'clusters/op/cluster.yaml': OPERATOR(),
    'clusters/op/a.yaml': OCP_NODE('a', '5.14.0-1.el9.x86_64'),
    'clusters/op/b.yaml': OCP_NODE('b', '5.14.0-2.el9.x86_64'),
    'clusters/op/images.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: ImageDigests\nmetadata: {name: d}\nspec:\n  images: [{image: "quay.io/x/m:5.14.0-1.el9.x86_64", digest: "sha256:' + 'a'.repeat(64) + '"}]\n',
  }));
  assert.ok(r.ok, JSON.stringify(r.diagnostics));
  const objects = r.clusters![0]!.objects;
  assert.equal(objects.map((o) => o.kind), ['MachineConfig', 'Module'], 'the firmware MachineConfig is still rendered on OpenShift; no DaemonSet, BuildConfig or Job');
  const mappings = (objects[1]!.object as { spec: { moduleLoader: { container: { kernelMappings: Record<string, unknown>[] } } } }).spec.moduleLoader.container.kernelMappings;
  assert.equal(mappings[0], { literal: '5.14.0-1.el9.x86_64', containerImage: 'quay.io/x/m@sha256:' + 'a'.repeat(64) }, 'a known image is pinned by digest, without build');
  assert.equal(mappings[1], { literal: '5.14.0-2.el9.x86_64', containerImage: 'quay.io/x/m:5.14.0-2.el9.x86_64', build: { dockerfileConfigMap: { name: 'df' } } }, 'an unknown one keeps its build for the operator');
  assert.equal(mappings[2], { regexp: '.', containerImage: 'quay.io/x/m:${KERNEL_FULL_VERSION}', build: { dockerfileConfigMap: { name: 'df' } } }, 'the user\'s own mapping follows, for kernels to come');
  assert.equal(r.clusters![0]!.plan.coverage.map((c) => [c.kernel, c.build]), [['5.14.0-1.el9.x86_64', false], ['5.14.0-2.el9.x86_64', true]]);
});

test('an operator cluster gets every Module in its scope, even one no node needs yet', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('', ''), 'clusters/op/cluster.yaml': OPERATOR(", distribution: kubernetes"), 'clusters/op/n.yaml': NODE.replace('gpu: "true"', 'gpu: "false"') }));
  assert.ok(r.ok);
  assert.equal(r.clusters![0]!.objects.map((o) => `${o.kind} ${o.name}`), ['Module m']);
});

test.run();
