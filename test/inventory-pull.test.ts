/**
 * `inventory pull` against a real HTTPS server on 127.0.0.1 that speaks the Kubernetes API
 * paths the command calls, with a CA-signed certificate and a bearer token (SPEC §1, §2.3).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { readTree, tempDir, writeTree } from './support/compile-fixture.js';
import { BIN, ROOT } from './support/paths.js';
import { hasStackTrace } from './support/run-cli.js';

const TLS = join(ROOT, 'test', 'data', 'tls');
const TOKEN = 'kmm-render-test-token-0123456789';

let calls = 0;
const requests: string[] = [];
let serveMachineConfigPools = true;

function node(name: string, kernel: string, labels: Record<string, string>) {
  // Volatile fields change on every call, as they do on a live cluster.
  return {
    metadata: { name, labels, uid: `uid-${name}`, resourceVersion: String(1000 + calls), creationTimestamp: '2026-01-01T00:00:00Z', managedFields: [{ manager: 'kubelet', time: `2026-11-22T00:00:${String(calls % 60).padStart(2, '0')}Z` }], annotations: { 'machineconfiguration.openshift.io/state': 'Done', volatile: String(calls) } },
    spec: { podCIDR: '10.128.0.0/23', taints: name === 'master-0' ? [{ key: 'node-role.kubernetes.io/master', effect: 'NoSchedule', timeAdded: null }] : undefined },
    status: {
      nodeInfo: { kernelVersion: kernel, osImage: 'Red Hat Enterprise Linux CoreOS 416.94.202406251923-0 (Plow)', bootID: `boot-${calls}`, machineID: `m-${name}`, kubeletVersion: 'v1.29.5' },
      conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: `2026-11-22T00:00:${String(calls % 60).padStart(2, '0')}Z` }],
      images: [{ names: ['quay.io/x@sha256:1'], sizeBytes: 1 }],
    },
  };
}

function respond(path: string): [number, unknown] {
  const url = new URL(path, 'https://127.0.0.1');
  switch (url.pathname) {
    case '/api/v1/nodes':
      // Two pages, to exercise `continue`.
      if (!url.searchParams.get('continue')) {
        return [200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: String(calls), continue: 'page-2' }, items: [node('worker-1', '5.14.0-427.22.1.el9_4.x86_64', { 'node-role.kubernetes.io/worker': '', 'example.com/gpu': 'present' })] }];
      }
      return [200, { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: String(calls) }, items: [node('worker-0', '5.14.0-427.22.1.el9_4.x86_64', { 'node-role.kubernetes.io/worker': '' }), node('master-0', '5.14.0-427.22.1.el9_4.x86_64', { 'node-role.kubernetes.io/master': '' })] }];
    case '/apis/nfd.k8s-sigs.io/v1alpha1/nodefeatures':
      return [200, { kind: 'NodeFeatureList', apiVersion: 'nfd.k8s-sigs.io/v1alpha1', metadata: {}, items: [
        { apiVersion: 'nfd.k8s-sigs.io/v1alpha1', kind: 'NodeFeature', metadata: { name: 'worker-1', namespace: 'openshift-nfd', resourceVersion: String(calls), labels: { 'nfd.node.kubernetes.io/node-name': 'worker-1' } }, spec: { features: { flags: { 'kernel.loadedmodule': { elements: { i915: {} } }, 'cpu.cpuid': { elements: { AVX512F: {} } } } }, labels: {} } },
      ] }];
    case '/apis/machineconfiguration.openshift.io/v1/machineconfigpools':
      if (!serveMachineConfigPools) return [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 }];
      return [200, { kind: 'MachineConfigPoolList', apiVersion: 'machineconfiguration.openshift.io/v1', metadata: {}, items: [
        { metadata: { name: 'worker', resourceVersion: String(calls) }, spec: { nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } }, configuration: { name: `rendered-worker-${calls}` } }, status: { conditions: [] } },
        { metadata: { name: 'master' }, spec: { nodeSelector: { matchLabels: { 'node-role.kubernetes.io/master': '' } } } },
      ] }];
    case '/apis/image.openshift.io/v1/namespaces/openshift/imagestreams/driver-toolkit':
      return [200, { kind: 'ImageStream', apiVersion: 'image.openshift.io/v1', metadata: { name: 'driver-toolkit', namespace: 'openshift', generation: calls }, spec: { tags: [{ name: 'latest', from: { kind: 'DockerImage', name: 'q/dtk@sha256:1' }, generation: calls }, { name: '416.94.202406251923-0', from: { kind: 'DockerImage', name: 'q/dtk@sha256:2' } }] }, status: { tags: [] } }];
    default:
      return [404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }];
  }
}

function startServer(): Promise<Server> {
  const server = createServer({ key: readFileSync(join(TLS, 'server.key')), cert: readFileSync(join(TLS, 'server.crt')) }, (req, res) => {
    calls++;
    requests.push(`${req.method} ${req.url}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 }));
      return;
    }
    const [status, body] = respond(req.url ?? '/');
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

function kubeconfig(port: number, token = TOKEN, user: object = { token }): string {
  const file = join(tempDir(), 'kubeconfig');
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'lab', cluster: { server: `https://127.0.0.1:${port}`, 'certificate-authority-data': readFileSync(join(TLS, 'ca.crt')).toString('base64') } }],
      users: [{ name: 'admin', user }],
      contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'admin' } }],
      'current-context': 'lab',
    }),
  );
  return file;
}

/** The CLI in a child process, without blocking this process's server. */
function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, HOME: tempDir(), KUBECONFIG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

let server: Server;
let port: number;

test.before(async () => {
  server = await startServer();
  port = (server.address() as AddressInfo).port;
});

test.after(() => {
  server.close();
});

test('pulls Nodes, NodeFeatures, MachineConfigPools and the DTK stream; two pulls write identical bytes', async () => {
  serveMachineConfigPools = true;
  const repo = tempDir();
  const kc = kubeconfig(port);
  const first = await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kc]);
  assert.is(first.status, 0, first.stderr);
  const once = readTree(repo);
  assert.equal([...once.keys()], ['clusters/lab/driver-toolkit.yaml', 'clusters/lab/hardware-profiles.yaml', 'clusters/lab/machineconfigpools.yaml']);
  const second = await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kc]);
  assert.is(second.status, 0, second.stderr);
  assert.equal(readTree(repo), once, 'an unchanged cluster pulls to the same bytes');
  const profiles = once.get('clusters/lab/hardware-profiles.yaml')!;
  for (const volatile of ['resourceVersion', 'managedFields', 'creationTimestamp', 'lastHeartbeatTime', 'conditions', 'images', 'bootID', 'uid', 'podCIDR']) assert.not.ok(profiles.includes(volatile), `${volatile} is stripped`);
  const docs = parseAllDocuments(profiles).map((d) => d.toJS() as { kind: string; spec: { nodes: { name: string }[] } });
  assert.ok(docs.every((d) => d.kind === 'HardwareProfile'));
  assert.equal(docs.flatMap((d) => d.spec.nodes.map((n) => n.name)).sort(), ['master-0', 'worker-0', 'worker-1'], 'every node of both pages, once');
  // No rule references a feature, so none is kept: the workers share a profile, the master
  // (tainted) has its own; worker-1 keeps its extra label as its own.
  assert.is(docs.length, 2);
  assert.match(profiles, /labels:\n\s+example\.com\/gpu: present\n\s+name: worker-1\n/);
  assert.match(first.stderr, /3 node\(s\) in 2 hardware profile\(s\), 2 MachineConfigPool\(s\); features kept: none/);
  assert.ok(requests.some((r) => r.includes('continue=page-2')));
  for (const out of [first.stdout, first.stderr, second.stdout, second.stderr]) assert.not.ok(out.includes(TOKEN), 'credentials are never printed');
});

test('--upstream writes one Node and NodeFeature per node and removes the profiles; both forms render the same tree', async () => {
  serveMachineConfigPools = true;
  const kc = kubeconfig(port);
  const rule = 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata: {name: intel-gpu}\nspec:\n  rules:\n    - name: i915\n      labels: {example.com/i915: "true"}\n      matchFeatures: [{feature: kernel.loadedmodule, matchExpressions: {i915: {op: Exists}}}]\n';
  const module = 'apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: gpu, namespace: openshift-kmm}\nspec:\n  moduleLoader:\n    container:\n      modprobe: {moduleName: gpu}\n      kernelMappings: [{regexp: "el9", containerImage: "q/gpu:${KERNEL_FULL_VERSION}"}]\n  selector: {example.com/i915: "true"}\n';
  const repo = tempDir();
  writeTree(repo, { 'rules/intel-gpu.yaml': rule, 'modules/gpu.yaml': module });
  assert.is((await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kc])).status, 0);
  const compact = await run(['render', '--repo', repo, '--out', join(repo, 'out-compact')]);
  assert.is(compact.status, 0, compact.stderr);
  const up = await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kc, '--upstream']);
  assert.is(up.status, 0, up.stderr);
  const files = readTree(join(repo, 'clusters'));
  assert.equal([...files.keys()], ['lab/driver-toolkit.yaml', 'lab/machineconfigpools.yaml', 'lab/nodefeatures.yaml', 'lab/nodes.yaml']);
  const upstream = await run(['render', '--repo', repo, '--out', join(repo, 'out-upstream')]);
  assert.is(upstream.status, 0, upstream.stderr);
  const withoutLock = (m: Map<string, string>) => new Map([...m].filter(([p]) => p !== 'render.lock'));
  const a = withoutLock(readTree(join(repo, 'out-compact')));
  assert.equal(withoutLock(readTree(join(repo, 'out-upstream'))), a);
  assert.ok([...a.keys()].some((p) => p.includes('daemonset-openshift-kmm-gpu')), 'the rule labelled worker-1, which got the module');
  // Only the referenced feature is kept: cpu.cpuid is not in the repository's rules.
  assert.ok(files.get('lab/nodefeatures.yaml')!.includes('kernel.loadedmodule'));
  assert.not.ok(files.get('lab/nodefeatures.yaml')!.includes('cpu.cpuid'));
  assert.match(up.stderr, /features kept: kernel\.loadedmodule/);
  const all = await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kc, '--all-features']);
  assert.is(all.status, 0, all.stderr);
  assert.ok(readFileSync(join(repo, 'clusters', 'lab', 'hardware-profiles.yaml'), 'utf8').includes('AVX512F'), '--all-features keeps cpu.cpuid');
  assert.not.ok(existsSync(join(repo, 'clusters', 'lab', 'nodes.yaml')), 'the compact pull removes the upstream files it wrote');
});

test('the pulled inventory renders', async () => {
  serveMachineConfigPools = true;
  const repo = tempDir();
  assert.is((await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kubeconfig(port)])).status, 0);
  writeTree(repo, {
    'modules/gpu.yaml': 'apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: gpu, namespace: openshift-kmm}\nspec:\n  moduleLoader:\n    container:\n      modprobe: {moduleName: gpu, firmwarePath: /firmware}\n      kernelMappings: [{regexp: "el9", containerImage: "q/gpu:${KERNEL_FULL_VERSION}"}]\n  selector: {example.com/gpu: present}\n',
  });
  const r = await run(['render', '--repo', repo]);
  assert.is(r.status, 0, r.stderr);
  assert.ok(existsSync(join(repo, 'rendered', 'lab', '40-loaders', 'daemonset-openshift-kmm-gpu-5-14-0-427-22-1-el9-4-x86-64.yaml')));
  assert.ok(existsSync(join(repo, 'rendered', 'lab', '10-machine-config', 'machineconfig-99-worker-kernel-args-firmware-path.yaml')));
});

test('a missing CRD (404) is a clear warning; the rest is pulled', async () => {
  serveMachineConfigPools = false;
  const repo = tempDir();
  const r = await run(['inventory', 'pull', '--repo', repo, '--cluster', 'lab', '--kubeconfig', kubeconfig(port)]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: MachineConfigPools: not served by https:\/\/127\.0\.0\.1:\d+ \(the Machine Config Operator is not installed: not OpenShift\); none pulled/);
  assert.not.ok(existsSync(join(repo, 'clusters', 'lab', 'machineconfigpools.yaml')));
  serveMachineConfigPools = true;
});

test('bad credentials (401) exit 2 with one clear line and no secret', async () => {
  const r = await run(['inventory', 'pull', '--repo', tempDir(), '--cluster', 'lab', '--kubeconfig', kubeconfig(port, 'wrong-token-abcdef')]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /rejected the credentials \(401 Unauthorized\) while listing Nodes/);
  assert.not.ok(r.stderr.includes('wrong-token-abcdef'));
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
});

test('an unreachable cluster exits 2 with a clear line', async () => {
  const closed = await startServer();
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise((r) => closed.close(r));
  const r = await run(['inventory', 'pull', '--repo', tempDir(), '--cluster', 'lab', '--kubeconfig', kubeconfig(closedPort)]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /cannot reach https:\/\/127\.0\.0\.1:\d+/);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
});

test('kubeconfig exec credential plugins run only with --allow-exec-plugin', async () => {
  const kc = kubeconfig(port, TOKEN, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'touch', args: ['/tmp/kmm-render-exec-ran'] } });
  const r = await run(['inventory', 'pull', '--repo', tempDir(), '--cluster', 'lab', '--kubeconfig', kc]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /exec credential plugin \(touch\); pass --allow-exec-plugin/);
});

test('usage: --cluster is required and must be a DNS-1123 label', async () => {
  for (const args of [['inventory', 'pull'], ['inventory', 'pull', '--cluster', 'Bad_Name'], ['inventory', 'push', '--cluster', 'lab']]) {
    const r = await run(args);
    assert.is(r.status, 2, args.join(' '));
  }
});

test.run();
