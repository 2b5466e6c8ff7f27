/**
 * Hostile repositories (SPEC §10): names that try to leave the output folder, prototype
 * keys, custom tags, Secrets, huge label sets, and two renders into one folder at once.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFleet } from '../bench/generate-fleet.js';
import { compileSnapshot, readTree, snapshotFromFiles, tempDir, writeTree } from './support/compile-fixture.js';
import { BIN, FIXTURES } from './support/paths.js';
import { runCli } from './support/run-cli.js';

const NODE = 'apiVersion: v1\nkind: Node\nmetadata: {name: node-1, labels: {a: b}}\nstatus: {nodeInfo: {kernelVersion: 5.14.0-1.el9.x86_64}}\n';
const MODULE = (meta: string, extra = '') =>
  `apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: ${meta}\nspec:\n  moduleLoader:\n    container:\n      modprobe: {moduleName: m}\n      kernelMappings: [{regexp: '.', containerImage: 'q/m:v1'}]\n  selector: {a: b}\n${extra}`;

function listAll(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

test('a namespace or name that tries to leave the output folder is refused before anything is written', () => {
  for (const meta of ['{name: m, namespace: "../../../escaped"}', '{name: "../m", namespace: x}', '{name: m, namespace: "a/b"}']) {
    const repo = tempDir();
    writeTree(repo, { 'm.yaml': MODULE(meta), 'clusters/c/n.yaml': NODE });
    const parent = tempDir();
    const out = join(parent, 'out');
    const r = runCli(['render', '--repo', repo, '--out', out]);
    assert.is(r.status, 1, meta);
    assert.match(r.stderr, /m\.yaml:3:\d+: error SCHEMA_INVALID: (namespace|name) .* is not a valid Kubernetes/);
    assert.equal(listAll(parent), [], 'nothing written anywhere');
  }
});

test('__proto__ and constructor keys cannot pollute objects', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('{name: m, namespace: x}', '__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\n'), 'clusters/c/n.yaml': NODE }));
  assert.ok(r.diagnostics.some((d) => d.code === 'SCHEMA_UNKNOWN_FIELD' && d.message.includes('__proto__')));
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.is((Object.prototype as Record<string, unknown>).polluted, undefined);
});

test('custom YAML tags are refused with a position', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: x}\ndata: {a: !!python/object:os.system ls}\n' }));
  const d = r.diagnostics.find((x) => x.code === 'YAML_TAG');
  assert.ok(d);
  assert.is(`${d!.line}:${d!.col}`, '4:11');
});

test('Secret data is never read into the output or the logs', () => {
  const repo = tempDir();
  cpSync(join(FIXTURES, 'example-fleet', 'repo'), repo, { recursive: true });
  const secret = 'c3VwZXItc2VjcmV0LXZhbHVlLTQyNDI=';
  writeTree(repo, { 'secrets/pull.yaml': `apiVersion: v1\nkind: Secret\nmetadata: {name: pull, namespace: openshift-kmm}\ntype: Opaque\ndata:\n  .dockerconfigjson: ${secret}\nstringData:\n  token: plain-secret-text-4242\n` });
  const out = join(tempDir(), 'out');
  const r = runCli(['render', '--repo', repo, '--out', out, '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /UNKNOWN_KIND/);
  for (const text of [r.stdout, r.stderr, ...readTree(out).values()]) {
    assert.not.ok(text.includes(secret), 'the Secret value appears nowhere');
    assert.not.ok(text.includes('plain-secret-text-4242'));
  }
});

// How fast is the bench's business (npm run bench); here, that it is right and ends.
test('a huge label set and many selectors evaluate: 20,000 labels, 2,000 selector terms', () => {
  const labels = Array.from({ length: 20_000 }, (_, i) => `l${i}: "v${i}"`).join(', ');
  const node = `apiVersion: v1\nkind: Node\nmetadata: {name: node-1, labels: {a: b, ${labels}}}\nstatus: {nodeInfo: {kernelVersion: 5.14.0-1.el9.x86_64}}\n`;
  const selector = Array.from({ length: 2_000 }, (_, i) => `l${i * 7}: "v${i * 7}"`).join(', ');
  const r = compileSnapshot(snapshotFromFiles({ 'clusters/c/n.yaml': node, 'm.yaml': MODULE('{name: m, namespace: openshift-kmm}').replace('selector: {a: b}', `selector: {a: b, ${selector}}`) }));
  assert.ok(r.ok);
  assert.ok(r.clusters![0]!.objects.some((o) => o.kind === 'DaemonSet'), 'the node matches all 2,001 terms and gets the module');
});

function render(repo: string, out: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'render', '--repo', repo, '--out', out]);
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

test('two renders into the same output folder at once (CONCURRENT_TRIALS, default 50): one waits, the tree is never a mix', async () => {
  const a = tempDir();
  const b = tempDir();
  const files = generateFleet({ clusters: 3, nodesPerCluster: 100, profiles: 4, rules: 2, modules: 8, kernelsPerCluster: 2, nodeFeatures: false, seed: 3 });
  writeTree(a, files);
  writeTree(b, Object.fromEntries([...files].map(([p, t]) => [p, p.startsWith('modules/') ? t.replace(/quay\.io\/example\//g, 'quay.io/other/') : t])));
  const refA = join(tempDir(), 'a');
  const refB = join(tempDir(), 'b');
  assert.is((await render(a, refA)).status, 0);
  assert.is((await render(b, refB)).status, 0);
  const treeA = readTree(refA);
  const treeB = readTree(refB);
  const trials = Number(process.env.CONCURRENT_TRIALS ?? 50);
  for (let trial = 0; trial < trials; trial++) {
    const out = join(tempDir(), 'shared-out');
    const [ra, rb] = await Promise.all([render(a, out), render(b, out)]);
    assert.is(ra.status, 0, ra.stderr);
    assert.is(rb.status, 0, rb.stderr);
    const tree = readTree(out);
    const same = (x: Map<string, string>) => x.size === tree.size && [...x].every(([p, t]) => tree.get(p) === t);
    assert.ok(same(treeA) || same(treeB), `trial ${trial}: the tree is one render's, not a mix`);
    assert.not.ok(existsSync(join(dirname(out), '.shared-out.kmm-render-lock')), 'the lock is released');
  }
});

test.run();
