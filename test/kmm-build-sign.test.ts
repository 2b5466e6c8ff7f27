/** Builds, signing, hub and spoke, known images (SPEC §5.3, §5.4, §5.7, §5.8). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { intermediateImageName, parseImageReference, parseRhcosVersion, pinnedImage } from '../src/kmm/image-reference.js';
import { makeSignDockerfile } from '../src/kmm/sign-dockerfile.js';
import { compileSnapshot, snapshotFromFiles } from './support/compile-fixture.js';
import { moduleYaml } from './support/module-yaml.js';

test('the unsigned image appends _<ns>_<module>_kmm_unsigned to an existing tag', () => {
  assert.is(intermediateImageName('quay.io/example/minimal-driver:final', 'default', 'example-module'), 'quay.io/example/minimal-driver:final_default_example-module_kmm_unsigned');
});

test('the unsigned image adds <ns>_<module>_kmm_unsigned as the tag when there is none', () => {
  assert.is(intermediateImageName('quay.io/example/minimal-driver', 'default', 'example-module'), 'quay.io/example/minimal-driver:default_example-module_kmm_unsigned');
});

test('a registry port is not a tag', () => {
  assert.is(intermediateImageName('registry:5000/org/drv', 'ns', 'm'), 'registry:5000/org/drv:ns_m_kmm_unsigned');
  assert.is(intermediateImageName('registry:5000/org/drv:v1', 'ns', 'm'), 'registry:5000/org/drv:v1_ns_m_kmm_unsigned');
});

test('a digest is dropped from the unsigned image (it is a new image)', () => {
  const digest = 'sha256:' + 'a'.repeat(64);
  assert.is(intermediateImageName(`quay.io/org/drv@${digest}`, 'ns', 'm'), 'quay.io/org/drv:ns_m_kmm_unsigned');
  assert.is(intermediateImageName(`quay.io/org/drv:v1@${digest}`, 'ns', 'm'), 'quay.io/org/drv:v1_ns_m_kmm_unsigned');
});

test('image references split into repository, tag and digest; pinning uses the repository', () => {
  assert.equal(parseImageReference('r:5000/a/b:t@sha256:x'), { repository: 'r:5000/a/b', tag: 't', digest: 'sha256:x' });
  assert.is(pinnedImage('quay.io/a/b:1.0', 'sha256:abc'), 'quay.io/a/b@sha256:abc');
});

const RHCOS: [string, string | undefined][] = [
  ['Red Hat Enterprise Linux CoreOS 411.86.202210072320-0 (Ootpa)', '411.86.202210072320-0'],
  ['Red Hat Enterprise Linux CoreOS 416.94.202406251923-0 (Plow)', '416.94.202406251923-0'],
  ['Red Hat Enterprise Linux CoreOS 9.6.20250402-0 (Plow)', '9.6.20250402-0'],
  ['Ubuntu 22.04.4 LTS', undefined],
  ['', undefined],
];
for (const [osImage, version] of RHCOS) {
  test(`osImage → RHCOS version: ${JSON.stringify(osImage)} → ${version}`, () => assert.is(parseRhcosVersion(osImage), version));
}

const NODE = (name: string, kernel: string, osImage: string, labels = 'node-role.kubernetes.io/worker: ""') =>
  `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {${labels}}}\nstatus:\n  nodeInfo: {kernelVersion: ${kernel}, osImage: "${osImage}"}\n`;
const DOCKERFILE = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: df, namespace: openshift-kmm}\ndata:\n  dockerfile: |\n    FROM ${DTK_AUTO}\n';
const MODULE = (mapping: string) => moduleYaml({ mapping });

function diagnose(files: Record<string, string>): Diagnostic[] {
  return [...compileSnapshot(snapshotFromFiles(files)).diagnostics];
}

function expectAt(list: Diagnostic[], code: string, file: string, line: number, col: number) {
  const hit = list.find((d) => d.code === code && d.file === file);
  assert.ok(hit, `expected ${code}; got ${list.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`).join(', ')}`);
  assert.is(`${hit!.line}:${hit!.col}`, `${line}:${col}`);
}

test('DTK_UNRESOLVED: names the Module, kernel, nodes and the versions available', () => {
  const list = diagnose({
    'm.yaml': MODULE('          build: {dockerfileConfigMap: {name: df}}'),
    'df.yaml': DOCKERFILE,
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', 'Red Hat Enterprise Linux CoreOS 416.94.202406251923-0 (Plow)'),
    'clusters/c/dtk.yaml': 'apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: driver-toolkit, namespace: openshift}\nspec:\n  tags: [{name: 415.92.1-0, from: {kind: DockerImage, name: "q/dtk@sha256:1"}}]\n',
  });
  expectAt(list, 'DTK_UNRESOLVED', 'm.yaml', 9, 11);
  assert.match(list.find((d) => d.code === 'DTK_UNRESOLVED')!.message, /openshift-kmm\/m, kernel 5\.14\.0-1\.el9\.x86_64.*w0.*416\.94\.202406251923-0.*415\.92\.1-0/);
});

test('SIGN_UNSIGNED_IMAGE_MISSING: signing without build needs unsignedImage', () => {
  const list = diagnose({
    'm.yaml': MODULE('          sign: {keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/a.ko]}'),
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
  });
  expectAt(list, 'SIGN_UNSIGNED_IMAGE_MISSING', 'm.yaml', 9, 11);
});

const MCM = `apiVersion: hub.kmm.sigs.x-k8s.io/v1beta1
kind: ManagedClusterModule
metadata:
  name: mcm
spec:
  spokeNamespace: kmm
  selector: {tier: edge}
  moduleSpec:
    moduleLoader:
      serviceAccountName: sa
      container:
        modprobe: {moduleName: m}
        kernelMappings: [{regexp: '.', containerImage: 'q/m:v1'}]
    selector: {gpu: "yes"}
`;

test('MCM_WITHOUT_HUB: a ManagedClusterModule no hub has in scope', () => {
  expectAt(diagnose({ 'mcm.yaml': MCM, 'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', '') }), 'MCM_WITHOUT_HUB', 'mcm.yaml', 4, 9);
});

test('MCM_SPOKE_WITHOUT_NODES: a selected spoke without a node for the Module', () => {
  const list = diagnose({
    'mcm.yaml': MCM,
    'clusters/hub/cluster.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: hub}\nspec: {hub: true}\n',
    'clusters/edge1/cluster.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: edge1, labels: {tier: edge}}\n',
    'clusters/edge1/n.yaml': NODE('edge-0', '5.14.0-1.el9.x86_64', '', 'gpu: "no"'),
  });
  expectAt(list, 'MCM_SPOKE_WITHOUT_NODES', 'mcm.yaml', 4, 9);
});

const HUB_AND_SPOKE = (mcm: string) => ({
  'mcm.yaml': mcm,
  'clusters/hub/cluster.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: hub}\nspec: {hub: true}\n',
  'clusters/edge1/cluster.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: edge1, labels: {tier: edge}}\n',
  'clusters/edge1/n.yaml': NODE('edge-0', '5.14.0-1.el9.x86_64', '', 'gpu: "yes"'),
});

/** The kernel mappings of the Module a hub sends to spoke edge1. */
function spokeMappings(files: Record<string, string>): Record<string, unknown>[] {
  const r = compileSnapshot(snapshotFromFiles(files));
  const mw = r.clusters!.find((c) => c.plan.cluster.name === 'hub')!.objects.find((o) => o.kind === 'ManifestWork')!.object as { spec: { workload: { manifests: { spec: { moduleLoader: { container: { kernelMappings: Record<string, unknown>[] } } } }[] } } };
  return mw.spec.workload.manifests[0]!.spec.moduleLoader.container.kernelMappings;
}

test('each literal mapping of a spoke\'s Module carries the effective inTreeModuleToRemove, as KMM\'s hub writes it', () => {
  const container = MCM.replace("kernelMappings: [{regexp: '.', containerImage: 'q/m:v1'}]", "inTreeModuleToRemove: old\n        kernelMappings: [{regexp: '.', containerImage: 'q/m:v1'}]");
  assert.equal(spokeMappings(HUB_AND_SPOKE(container)), [{ literal: '5.14.0-1.el9.x86_64', containerImage: 'q/m:v1', inTreeModuleToRemove: 'old' }]);
  const mapping = MCM.replace("[{regexp: '.', containerImage: 'q/m:v1'}]", "[{regexp: '.', containerImage: 'q/m:v1', inTreeModuleToRemove: mine}]");
  assert.equal(spokeMappings(HUB_AND_SPOKE(mapping))[0]!.inTreeModuleToRemove, 'mine');
  // The list form with one module is the same removal in the field every KMM reads.
  const one = MCM.replace("[{regexp: '.', containerImage: 'q/m:v1'}]", "[{regexp: '.', containerImage: 'q/m:v1', inTreeModulesToRemove: [a]}]");
  assert.equal(spokeMappings(HUB_AND_SPOKE(one))[0]!.inTreeModuleToRemove, 'a');
  assert.not.ok(diagnose(HUB_AND_SPOKE(one)).some((d) => d.code === 'MCM_IN_TREE_LIST'));
});

test('MCM_IN_TREE_LIST: several in-tree modules reach a spoke only in the list form, which KMM 1.1 drops', () => {
  const files = HUB_AND_SPOKE(MCM.replace("[{regexp: '.', containerImage: 'q/m:v1'}]", "[{regexp: '.', containerImage: 'q/m:v1', inTreeModulesToRemove: [a, b]}]"));
  assert.equal(spokeMappings(files)[0]!.inTreeModulesToRemove, ['a', 'b']);
  const line = files['mcm.yaml'].split('\n')[12]!;
  expectAt(diagnose(files), 'MCM_IN_TREE_LIST', 'mcm.yaml', 13, line.indexOf('[a, b]') + 1);
});

test('the checks of a Module apply to the moduleSpec of a ManagedClusterModule, at its own path', () => {
  const list = diagnose({ 'mcm.yaml': MCM.replace("[{regexp: '.', containerImage: 'q/m:v1'}]", "[{regexp: '(?=x)', containerImage: 'q/m:v1'}]"), 'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', '') });
  expectAt(list, 'MAPPING_REGEXP_INVALID', 'mcm.yaml', 13, 35);
});

test('--pin-digests (or pinDigests in kmm-render.yaml) references known images by digest', () => {
  const digest = 'sha256:' + 'b'.repeat(64);
  const files = {
    'm.yaml': MODULE(''),
    'digests.yaml': `apiVersion: kmm-render.io/v1alpha1\nkind: ImageDigests\nmetadata: {name: d}\nspec:\n  images: [{image: quay.io/x/m:5.14.0-1.el9.x86_64, digest: "${digest}"}]\n`,
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
  };
  const plain = compileSnapshot(snapshotFromFiles(files)).tree!.files.get('c/40-loaders/daemonset-openshift-kmm-m-5-14-0-1-el9-x86-64.yaml')!;
  const pinned = compileSnapshot(snapshotFromFiles(files), { pinDigests: true }).tree!.files.get('c/40-loaders/daemonset-openshift-kmm-m-5-14-0-1-el9-x86-64.yaml')!;
  assert.match(plain, /image: quay\.io\/x\/m:5\.14\.0-1\.el9\.x86_64$/m);
  assert.match(pinned, new RegExp(`image: quay\\.io/x/m@${digest}$`, 'm'));
});

test('an image listed in ImageDigests gets no build and no signing Job', () => {
  const files = {
    'm.yaml': MODULE('          build: {dockerfileConfigMap: {name: df}}\n          sign: {keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/a.ko]}'),
    'df.yaml': DOCKERFILE.replace('${DTK_AUTO}', 'ubi9'),
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
  };
  const built = [...compileSnapshot(snapshotFromFiles(files)).tree!.files.keys()];
  assert.ok(built.some((f) => f.includes('buildconfig-')) && built.some((f) => f.includes('job-')));
  const known = { ...files, 'd.yaml': `apiVersion: kmm-render.io/v1alpha1\nkind: ImageDigests\nmetadata: {name: d}\nspec:\n  images: [{image: quay.io/x/m:5.14.0-1.el9.x86_64, digest: "sha256:${'c'.repeat(64)}"}]\n` };
  const skipped = [...compileSnapshot(snapshotFromFiles(known)).tree!.files.keys()];
  assert.not.ok(skipped.some((f) => f.includes('buildconfig-') || f.includes('job-')));
});

test('a signing Job\'s name changes with its content, not with unrelated input', () => {
  const files = {
    'm.yaml': MODULE('          sign: {unsignedImage: "q/u:${KERNEL_FULL_VERSION}", keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/a.ko]}'),
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
  };
  const job = (f: Record<string, string>) => [...compileSnapshot(snapshotFromFiles(f)).tree!.files.keys()].find((p) => p.includes('job-'))!;
  const a = job(files);
  assert.match(a, /job-openshift-kmm-m-5-14-0-1-el9-x86-64-sign-[0-9a-f]{8}\.yaml$/);
  assert.is(job({ ...files, 'other.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: other}\n' }), a);
  assert.is.not(job({ ...files, 'm.yaml': files['m.yaml'].replace('/a.ko', '/b.ko') }), a);
});

/** The rendered signing Job (and the rest of the tree) of a Module × kernel. */
function signJobOf(files: Record<string, string>) {
  const r = compileSnapshot(snapshotFromFiles(files));
  assert.ok(r.ok, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const objects = r.clusters!.flatMap((c) => c.objects);
  const job = objects.find((o) => o.kind === 'Job')!.object as {
    spec: { backoffLimit: number; template: { metadata: { annotations: { dockerfile: string } }; spec: { nodeSelector?: Record<string, string>; containers: { name: string; image: string; args: string[]; volumeMounts: { name: string; mountPath: string }[] }[]; volumes: { name: string; secret?: { secretName: string; items: { key: string; path: string }[] } }[] } } };
  };
  return { job, objects };
}

const SIGNED = (sign: string, extra = '') => ({
  'm.yaml': MODULE(`          sign: {unsignedImage: "q/u:\${KERNEL_FULL_VERSION}", keySecret: {name: k}, certSecret: {name: c}, filesToSign: ["/opt/lib/modules/\${KERNEL_FULL_VERSION}/a.ko", /b.ko]${sign}}${extra}`),
  'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
});

test('the signing Job builds KMM 1.1\'s signing Dockerfile with Kaniko: sign-file sha256 on every file, the signed files copied back', () => {
  const { job } = signJobOf(SIGNED(''));
  const pod = job.spec.template;
  const kaniko = pod.spec.containers[0]!;
  assert.is(kaniko.name, 'kaniko');
  assert.is(kaniko.image, 'gcr.io/kaniko-project/executor:latest');
  assert.equal(kaniko.args, ['--destination', 'quay.io/x/m:5.14.0-1.el9.x86_64']);
  const dockerfile = pod.metadata.annotations.dockerfile;
  assert.ok(dockerfile.startsWith('FROM q/u:5.14.0-1.el9.x86_64 as source\n\nFROM gcr.io/k8s-staging-kmm/kernel-module-management-signimage:latest AS signimage\n'), dockerfile);
  for (const f of ['/opt/lib/modules/5.14.0-1.el9.x86_64/a.ko', '/b.ko']) {
    assert.ok(dockerfile.includes(`\nCOPY --from=source ${f} /tmp/signroot${f}\nRUN /usr/local/bin/sign-file sha256 /run/secrets/key/key.pem /run/secrets/cert/cert.pem /tmp/signroot${f}`), f);
    assert.ok(dockerfile.includes(`\nCOPY --from=signimage /tmp/signroot${f} ${f}`), f);
  }
  assert.ok(dockerfile.indexOf('FROM source') > dockerfile.lastIndexOf('sign-file'), 'the signed files are copied back into the unsigned image last');
  // Kaniko reads the Dockerfile from /workspace, the key and certificate from /run/secrets.
  const mounts = Object.fromEntries(kaniko.volumeMounts.map((m) => [m.mountPath, m.name]));
  assert.equal(mounts['/workspace'], 'dockerfile');
  assert.equal(mounts['/run/secrets/key'], 'secret-k');
  assert.equal(mounts['/run/secrets/cert'], 'secret-c');
  const secrets = Object.fromEntries(pod.spec.volumes.filter((v) => v.secret).map((v) => [v.name, v.secret!.items]));
  assert.equal(secrets['secret-k'], [{ key: 'key', path: 'key.pem' }]);
  assert.equal(secrets['secret-c'], [{ key: 'cert', path: 'cert.pem' }]);
  assert.is(job.spec.backoffLimit, 1000, 'a Job started before its input image exists keeps retrying');
});

test('the Dockerfile is KMM\'s template output for no file and for several', () => {
  assert.is(makeSignDockerfile('u', 's', []), 'FROM u as source\n\nFROM s AS signimage\n\nRUN mkdir -p /tmp/signroot\n\n\nFROM source\n\n');
  assert.is(
    makeSignDockerfile('u', 's', ['/a']),
    'FROM u as source\n\nFROM s AS signimage\n\nRUN mkdir -p /tmp/signroot\n\nCOPY --from=source /a /tmp/signroot/a\nRUN /usr/local/bin/sign-file sha256 /run/secrets/key/key.pem /run/secrets/cert/cert.pem /tmp/signroot/a\n\nFROM source\n\nCOPY --from=signimage /tmp/signroot/a /a\n',
  );
});

test('registryTLS sets the push flags, unsignedImageRegistryTLS the pull flags', () => {
  const push = signJobOf(SIGNED('', '\n          registryTLS: {insecure: true, insecureSkipTLSVerify: true}')).job.spec.template.spec.containers[0]!.args;
  assert.equal(push, ['--destination', 'quay.io/x/m:5.14.0-1.el9.x86_64', '--insecure', '--skip-tls-verify']);
  const pull = signJobOf(SIGNED(', unsignedImageRegistryTLS: {insecure: true, insecureSkipTLSVerify: true}')).job.spec.template.spec.containers[0]!.args;
  assert.equal(pull, ['--destination', 'quay.io/x/m:5.14.0-1.el9.x86_64', '--insecure-pull', '--skip-tls-verify-pull']);
});

test('the signing Job runs on the Module\'s selector, not on build.selector', () => {
  const files = {
    'm.yaml': MODULE('          build: {dockerfileConfigMap: {name: df}, selector: {builder: "true"}}\n          sign: {keySecret: {name: k}, certSecret: {name: c}, filesToSign: [/a.ko]}'),
    'df.yaml': DOCKERFILE.replace('${DTK_AUTO}', 'ubi9'),
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
  };
  const { job, objects } = signJobOf(files);
  assert.equal(job.spec.template.spec.nodeSelector, { 'node-role.kubernetes.io/worker': '' });
  const build = objects.find((o) => o.kind === 'BuildConfig')!.object as { spec: { nodeSelector: Record<string, string> } };
  assert.equal(build.spec.nodeSelector, { builder: 'true' }, 'the build keeps build.selector');
});

test('one Secret for key, certificate and registry is one volume with each item (KMM would name two volumes alike)', () => {
  const files = SIGNED('');
  files['m.yaml'] = files['m.yaml'].replace('certSecret: {name: c}', 'certSecret: {name: k}').replace('  selector:', '  imageRepoSecret: {name: k}\n  selector:');
  const pod = signJobOf(files).job.spec.template.spec;
  const named = pod.volumes.filter((v) => v.name === 'secret-k');
  assert.is(named.length, 1);
  assert.equal(named[0]!.secret!.items, [{ key: 'key', path: 'key.pem' }, { key: 'cert', path: 'cert.pem' }, { key: '.dockerconfigjson', path: 'config.json' }]);
  assert.equal(pod.containers[0]!.volumeMounts.filter((m) => m.name === 'secret-k').map((m) => m.mountPath).sort(), ['/kaniko/.docker', '/run/secrets/cert', '/run/secrets/key']);
});

test('on OpenShift the Kaniko pod trusts the cluster CA bundle, from one injected ConfigMap per namespace', () => {
  const { job, objects } = signJobOf(SIGNED(''));
  const cm = objects.find((o) => o.kind === 'ConfigMap')!;
  assert.is(cm.name, 'kmm-render-trusted-ca');
  assert.equal((cm.object as { metadata: { labels: Record<string, string> } }).metadata.labels['config.openshift.io/inject-trusted-cabundle'], 'true');
  assert.not.ok('data' in cm.object, 'the network operator owns the data');
  assert.ok(job.spec.template.spec.volumes.some((v) => v.name === 'trusted-ca'));
});

test('builderImage and signerImage are settings of kmm-render.yaml', () => {
  const files = { ...SIGNED(''), 'kmm-render.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nspec: {builderImage: "r/kaniko@sha256:1", signerImage: "r/sign:1"}\n' };
  const { job } = signJobOf(files);
  assert.is(job.spec.template.spec.containers[0]!.image, 'r/kaniko@sha256:1');
  assert.ok(job.spec.template.metadata.annotations.dockerfile.includes('FROM r/sign:1 AS signimage'));
});

test('build secrets are volumes named secret-<name>, as KMM names them, mounted at /run/secrets/<name>, once each', () => {
  const files = {
    'm.yaml': MODULE('          build: {dockerfileConfigMap: {name: df}, secrets: [{name: tok}, {name: tok}, {name: ca}]}'),
    'df.yaml': DOCKERFILE.replace('${DTK_AUTO}', 'ubi9'),
    'clusters/c/n.yaml': NODE('w0', '5.14.0-1.el9.x86_64', ''),
  };
  const r = compileSnapshot(snapshotFromFiles(files));
  const bc = r.clusters![0]!.objects.find((o) => o.kind === 'BuildConfig')!.object as { spec: { strategy: { dockerStrategy: { volumes: { name: string; source: { secret: { secretName: string } }; mounts: { destinationPath: string }[] }[] } } } };
  assert.equal(bc.spec.strategy.dockerStrategy.volumes.map((v) => [v.name, v.source.secret.secretName, v.mounts[0]!.destinationPath]), [
    ['secret-tok', 'tok', '/run/secrets/tok'],
    ['secret-ca', 'ca', '/run/secrets/ca'],
  ]);
});

test('SIGN_VALUE_UNSAFE: a file to sign with a line break would add a Dockerfile instruction', () => {
  const files = SIGNED('');
  files['m.yaml'] = files['m.yaml'].replace('/b.ko]', '"/b.ko\\nRUN curl evil"]');
  const line = files['m.yaml'].split('\n')[10]!;
  expectAt(diagnose(files), 'SIGN_VALUE_UNSAFE', 'm.yaml', 11, line.indexOf('"/b.ko') + 1);
});

test.run();
