/** `nfd dryrun` and `explain` as users run them (SPEC §1, §3.8), and the corpus of real rules. */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadAssets } from '../src/package/assets.js';
import { runDryrun } from '../src/nfd-dryrun.js';
import { tempDir } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';
import { sharedPath } from './support/requirements.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

const NODE = join(ROOT, 'test', 'data', 'nodefeature-intel-gpu-node.yaml');
const INTEL = join(FIXTURES, 'nfd-intel-gpu', 'repo');

function write(text: string): string {
  const file = join(tempDir(), 'rules.yaml');
  writeFileSync(file, text);
  return file;
}

const RULES = `apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: b-rules}
spec:
  rules:
    - name: gpu
      labels: {gpu: "true"}
      vars: {family: dgpu}
      matchFeatures:
        - feature: pci.device
          matchExpressions: {vendor: {op: In, value: ["8086"]}, class: {op: In, value: ["0380"]}}
    - name: broken
      labels: {never: "x"}
      matchFeatures:
        - feature: cpu.model
          matchExpressions: {family: {op: Gt, value: ["six"]}}
    - name: tainted
      taints: [{key: feature.node.kubernetes.io/gpu, value: "true", effect: NoSchedule}]
---
apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: a-rules}
spec:
  rules:
    - name: first
      labels: {first: "yes"}
`;

test('nfd dryrun --format json prints exactly the shape of SPEC §3.8', () => {
  const r = runCli(['nfd', 'dryrun', '--rules', write(RULES), '--features', NODE, '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { rules: Record<string, unknown>[]; node: Record<string, unknown> };
  assert.equal(Object.keys(out), ['rules', 'node']);
  assert.equal(out.rules.map((x) => `${x.object}/${x.rule}`), ['a-rules/first', 'b-rules/gpu', 'b-rules/broken', 'b-rules/tainted'], 'objects sorted by name, rules in order');
  assert.equal(Object.keys(out.rules[1]!), ['object', 'rule', 'matched', 'labels', 'vars', 'annotations', 'extendedResources', 'taints']);
  assert.equal(Object.keys(out.rules[2]!), ['object', 'rule', 'matched', 'error', 'labels', 'vars', 'annotations', 'extendedResources', 'taints']);
  assert.equal(out.rules[1]!.labels, { gpu: 'true' }, 'raw output, before prefixing');
  assert.equal(out.rules[1]!.vars, { family: 'dgpu' });
  assert.match(String(out.rules[2]!.error), /cpu\.model.*family.*Gt/);
  assert.equal(Object.keys(out.node), ['labels', 'annotations', 'extendedResources', 'taints']);
  assert.equal(out.node.labels, {
    'feature.node.kubernetes.io/first': 'yes',
    'feature.node.kubernetes.io/gpu': 'true',
    'feature.node.kubernetes.io/kernel-version.full': '5.14.0-427.22.1.el9_4.x86_64',
  });
  assert.equal(out.node.taints, [], 'taints need enableTaints');
  assert.match(r.stderr, /warning NFD_RULE_ERROR/);
  assert.match(r.stderr, /warning NFD_OUTPUT_DROPPED/);
});

test('nfd dryrun --cluster-config applies the nfd settings of a Cluster', () => {
  const cluster = write('apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: lab}\nspec:\n  nfd: {enableTaints: true}\n');
  const r = runCli(['nfd', 'dryrun', '--rules', write(RULES), '--features', NODE, '--cluster-config', cluster, '--format', 'json']);
  assert.is(r.status, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { node: { taints: unknown } }).node.taints, [{ key: 'feature.node.kubernetes.io/gpu', value: 'true', effect: 'NoSchedule' }]);
});

test('nfd dryrun exits 1 on an invalid rules file and 2 on usage errors, without stack traces', () => {
  const bad = runCli(['nfd', 'dryrun', '--rules', write(RULES.replace('op: In, value: ["8086"]', 'op: In, valu: ["8086"]')), '--features', NODE]);
  assert.is(bad.status, 1);
  assert.match(bad.stderr, /rules\.yaml:11:\d+: error SCHEMA_UNKNOWN_FIELD/);
  assert.is(bad.stdout, '');
  for (const args of [['nfd', 'dryrun', '--features', NODE], ['nfd', 'dryrun', '--rules', write(RULES)], ['nfd', 'frob'], ['nfd', 'dryrun', '--rules', '/no/such', '--features', NODE]]) {
    const r = runCli(args);
    assert.is(r.status, 2, args.join(' '));
    assert.not.ok(hasStackTrace(r.stderr));
  }
});

test('nfd dryrun text output lists each rule and the node result', () => {
  const r = runCli(['nfd', 'dryrun', '--rules', write(RULES), '--features', NODE]);
  assert.is(r.status, 0);
  assert.match(r.stdout, /^b-rules \/ gpu: matched$/m);
  assert.match(r.stdout, /^b-rules \/ broken: error: /m);
  assert.match(r.stdout, /^ {2}label feature\.node\.kubernetes\.io\/gpu=true$/m);
});

test('explain names each label origin, the failing selector key and the objects serving the node', () => {
  const gpu = runCli(['explain', '--repo', INTEL, '--cluster', 'lab', '--node', 'gpu-b', '--format', 'json']);
  assert.is(gpu.status, 0, gpu.stderr);
  const e = JSON.parse(gpu.stdout) as { labels: { key: string; origin: string }[]; modules: { selected: boolean; reason: string; image: string; objects: string[] }[] };
  assert.match(e.labels.find((l) => l.key === 'intel.feature.node.kubernetes.io/gpu')!.origin, /NodeFeatureRule intel-dp-devices, rule "intel.gpu"/);
  assert.match(e.labels.find((l) => l.key === 'node-role.kubernetes.io/worker')!.origin, /inventory/);
  assert.match(e.labels.find((l) => l.key === 'feature.node.kubernetes.io/kernel-version.full')!.origin, /NodeFeature openshift-nfd\/gpu-b/);
  assert.is(e.modules[0]!.selected, true);
  assert.match(e.modules[0]!.image, /3\.0\.0-5\.14\.0-427/);
  assert.equal(e.modules[0]!.objects, ['MachineConfig/99-worker-kernel-args-firmware-path', 'DaemonSet/openshift-kmm/intel-dgpu-5-14-0-427-22-1-el9-4-x86-64']);
  const cpu = runCli(['explain', '--repo', INTEL, '--cluster', 'lab', '--node', 'gpu-d', '--module', 'openshift-kmm/intel-dgpu']);
  assert.is(cpu.status, 0, cpu.stderr);
  assert.match(cpu.stdout, /not selected\n\s+selector intel\.feature\.node\.kubernetes\.io\/gpu="true" does not match: the node has no intel\.feature\.node\.kubernetes\.io\/gpu label/);
});

test('explain refuses unknown clusters, nodes and modules with exit 2', () => {
  for (const args of [['--cluster', 'nope', '--node', 'gpu-b'], ['--cluster', 'lab', '--node', 'nope'], ['--cluster', 'lab', '--node', 'gpu-b', '--module', 'x/y'], ['--cluster', 'lab']]) {
    const r = runCli(['explain', '--repo', INTEL, ...args]);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
  }
});

// Real NodeFeatureRules from public projects (skipped when ../shared is absent).
const CORPUS = sharedPath('reference', 'corpus');
function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const abs = join(dir, n);
    return statSync(abs).isDirectory() ? yamlFiles(abs) : /\.ya?ml$/.test(n) ? [abs] : [];
  });
}
const corpusRules = CORPUS ? yamlFiles(CORPUS).filter((f) => /^kind:\s*NodeFeatureRule\s*$/m.test(readFileSync(f, 'utf8'))) : [];

test('the corpus of real NodeFeatureRules holds at least 30 rules (when ../shared is here; required under CI=true)', () => {
  if (CORPUS) assert.ok(corpusRules.length >= 30, `found ${corpusRules.length}`);
});

for (const file of corpusRules) {
  const name = relative(CORPUS!, file);
  test(`nfd dryrun on ${name}: evaluates, or is refused with positioned diagnostics, never an internal error`, () => {
    const { diagnostics, report } = runDryrun(
      { rules: [{ path: name, text: readFileSync(file, 'utf8') }], features: { path: 'node.yaml', text: readFileSync(NODE, 'utf8') } },
      loadAssets().validators,
    );
    for (const d of diagnostics) assert.ok(d.line >= 1 && d.col >= 1, `${d.code} without a position`);
    if (!report) {
      assert.ok(diagnostics.some((d) => d.severity === 'error' && d.file === name), 'a refused file has an error in it');
      return;
    }
    assert.ok(report.rules.length > 0 || !/rules:/.test(readFileSync(file, 'utf8')));
  });
}

test('NodeFeature labels and rule labels are filtered together: a rule label that is dropped takes the NodeFeature label of its key with it', () => {
  const file = (path: string, v: object) => ({ path, text: JSON.stringify(v) });
  const nodeFeature = { apiVersion: 'nfd.k8s-sigs.io/v1alpha1', kind: 'NodeFeature', metadata: { name: 'n', namespace: 'node-feature-discovery' }, spec: { labels: { tier: 'gold', kept: 'yes' } } };
  const rules = { apiVersion: 'nfd.k8s-sigs.io/v1alpha1', kind: 'NodeFeatureRule', metadata: { name: 'r' }, spec: { rules: [{ name: 'bad-tier', labels: { tier: 'not valid!' } }] } };
  const { report } = runDryrun({ rules: [file('rules.json', rules)], features: file('nf.json', nodeFeature) }, loadAssets().validators);
  assert.equal(report!.node.labels, { 'feature.node.kubernetes.io/kept': 'yes' });
});

test.run();
