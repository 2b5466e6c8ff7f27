/**
 * Every check of the load and validate phases: each case asserts the diagnostic code and the
 * exact position (file:line:col) it points at.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { compileSnapshot, snapshotFromFiles } from './support/compile-fixture.js';

const NODE = (name: string, kernel: string, labels = 'node-role.kubernetes.io/worker: ""') => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels: {${labels}}
status:
  nodeInfo: {kernelVersion: ${kernel}}
`;

/** A valid Module; `extra` lines are inserted under spec.moduleLoader.container. */
const MODULE = (name: string, container = '', ns = 'openshift-kmm', mapping = `- regexp: '^.+$'\n          containerImage: quay.io/x/${name}:\${KERNEL_FULL_VERSION}`) => `apiVersion: kmm.sigs.x-k8s.io/v1beta1
kind: Module
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  moduleLoader:
    container:
      modprobe:
        moduleName: ${name.replace(/-/g, '_')}
${container}      kernelMappings:
        ${mapping}
  selector:
    node-role.kubernetes.io/worker: ""
`;

function diagnose(files: Record<string, string>, strict = false): Diagnostic[] {
  return [...compileSnapshot(snapshotFromFiles({ 'clusters/c1/nodes.yaml': NODE('n1', '5.14.0-284.52.1.el9_2.x86_64'), ...files }), { strict }).diagnostics];
}

function expectAt(list: Diagnostic[], code: string, file: string, line: number, col: number) {
  const hit = list.find((d) => d.code === code && d.file === file);
  assert.ok(hit, `expected ${code} in ${file}; got:\n${list.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`).join('\n')}`);
  assert.is(`${hit!.line}:${hit!.col}`, `${line}:${col}`, `${code} position`);
}

test('YAML_SYNTAX: a syntax error points at where the parser failed', () => {
  expectAt(diagnose({ 'a.yaml': 'a: [1, 2\nb: c\n' }), 'YAML_SYNTAX', 'a.yaml', 2, 1);
});

test('YAML_SYNTAX: inside [ ] or { }, ":" starting a plain value or right before , ] } is refused, as Kubernetes reads it otherwise', () => {
  expectAt(diagnose({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata: {x: :y}\n' }), 'YAML_SYNTAX', 'a.yaml', 3, 11);
  expectAt(diagnose({ 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nlist: [a:, b]\n' }), 'YAML_SYNTAX', 'b.yaml', 3, 8);
});

test('YAML_SYNTAX: duplicate keys are syntax errors, at the second key', () => {
  expectAt(diagnose({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nkind: ConfigMap\n' }), 'YAML_SYNTAX', 'a.yaml', 3, 1);
});

test('LIMIT_ALIASES: an alias bomb is refused, not expanded', () => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 8; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  // a1 expands *a0 ten times, a2's first eight aliases 88 more: its ninth goes over 100.
  expectAt(diagnose({ 'bomb.yaml': text }), 'LIMIT_ALIASES', 'bomb.yaml', 3, 50);
});

test('YAML_ALIAS_RECURSIVE: an alias inside its own anchor is refused at the alias, not expanded forever', () => {
  expectAt(diagnose({ 'loop.yaml': 'apiVersion: &a [*a]\nkind: Module\n' }), 'YAML_ALIAS_RECURSIVE', 'loop.yaml', 1, 17);
  // A merge of the mapping it is in is the same cycle.
  expectAt(diagnose({ 'merge.yaml': 'a: &m\n  b: 1\n  <<: *m\n' }), 'YAML_ALIAS_RECURSIVE', 'merge.yaml', 3, 7);
});

test('YAML_NOT_JSON: .inf, a null key and a list key cannot become JSON, so Kubernetes refuses the file', () => {
  expectAt(diagnose({ 'inf.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  x: .inf\n' }), 'YAML_NOT_JSON', 'inf.yaml', 4, 6);
  expectAt(diagnose({ 'null.yaml': 'apiVersion: v1\nkind: ConfigMap\n~: x\n' }), 'YAML_NOT_JSON', 'null.yaml', 3, 1);
  expectAt(diagnose({ 'list.yaml': 'apiVersion: v1\nkind: ConfigMap\n? [a, b]\n: x\n' }), 'YAML_NOT_JSON', 'list.yaml', 3, 3);
});

test('YAML_MERGE_INVALID: a merge key whose value is not a mapping', () => {
  expectAt(diagnose({ 'm.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  <<: 1\n' }), 'YAML_MERGE_INVALID', 'm.yaml', 4, 7);
});

test('YAML_TAG: a standard tag that its value does not fit, and tags kmm-render does not read', () => {
  // At the value the tag does not fit (its node starts after the tag).
  expectAt(diagnose({ 't.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  x: !!int abc\n' }), 'YAML_TAG', 't.yaml', 4, 12);
  expectAt(diagnose({ 'b.yaml': 'apiVersion: v1\nkind: ConfigMap\ndata:\n  x: !!binary aGk=\n' }), 'YAML_TAG', 'b.yaml', 4, 6);
});

test('SCHEMA_TYPE: a number or boolean where a string belongs is quoted as written, with the fix', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\ndata:\n  big: 99999999999999999999999\n  word: on\n';
  const list = diagnose({ 'cm.yaml': cm });
  expectAt(list, 'SCHEMA_TYPE', 'cm.yaml', 3, 32);
  const messages = list.filter((d) => d.code === 'SCHEMA_TYPE').map((d) => `${d.line}: ${d.message}`);
  assert.ok(messages.some((m) => m.startsWith('5: ') && m.includes('number 99999999999999999999999') && m.includes('quote it: "99999999999999999999999"')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('6: ') && m.includes('unquoted on as true') && m.includes('quote it: "on"')), messages.join('\n'));
  assert.ok(messages.every((m) => !m.includes('null')), 'no number is printed as JSON null');
});

test('MODULE_VERSION_INVALID: a version that cannot be a label value', () => {
  const mod = MODULE('m', '      version: "1.0 beta"\n');
  const line = mod.split('\n').findIndex((l) => l.includes('version:')) + 1;
  expectAt(diagnose({ 'm.yaml': mod }), 'MODULE_VERSION_INVALID', 'm.yaml', line, 16);
});

test('DOCUMENT_NOT_OBJECT: a document that is a list', () => {
  expectAt(diagnose({ 'a.yaml': '---\n- a\n- b\n' }), 'DOCUMENT_NOT_OBJECT', 'a.yaml', 2, 1);
});

test('DOCUMENT_WITHOUT_KIND: a mapping without apiVersion/kind is a warning', () => {
  const list = diagnose({ 'a.yaml': 'foo: bar\n' });
  expectAt(list, 'DOCUMENT_WITHOUT_KIND', 'a.yaml', 1, 1);
  assert.is(list.find((d) => d.code === 'DOCUMENT_WITHOUT_KIND')!.severity, 'warning');
});

test('UNKNOWN_KIND: a warning at the kind, an error with --strict', () => {
  const files = { 'x/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n' };
  expectAt(diagnose(files), 'UNKNOWN_KIND', 'x/ns.yaml', 2, 7);
  assert.is(diagnose(files).find((d) => d.code === 'UNKNOWN_KIND')!.severity, 'warning');
  assert.is(diagnose(files, true).find((d) => d.code === 'UNKNOWN_KIND')!.severity, 'error');
});

test('INVENTORY_OUTSIDE_CLUSTER: a Node outside clusters/<name>/', () => {
  expectAt(diagnose({ 'inventory/n.yaml': NODE('n9', '5.14.0-1.el9.x86_64') }), 'INVENTORY_OUTSIDE_CLUSTER', 'inventory/n.yaml', 2, 7);
});

test('RENDER_CONFIG_MISPLACED: a RenderConfig not at kmm-render.yaml', () => {
  expectAt(diagnose({ 'conf/kmm-render.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\n' }), 'RENDER_CONFIG_MISPLACED', 'conf/kmm-render.yaml', 2, 7);
});

test('CLUSTER_NAME_INVALID: a cluster folder that is not a DNS-1123 label', () => {
  expectAt(diagnose({ 'clusters/Prod_East/n.yaml': NODE('n2', '5.14.0-1.el9.x86_64') }), 'CLUSTER_NAME_INVALID', 'clusters/Prod_East/n.yaml', 1, 1);
});

test('CLUSTER_NAME_MISMATCH: Cluster metadata.name differs from its folder', () => {
  expectAt(diagnose({ 'clusters/c1/cluster.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: other\n' }), 'CLUSTER_NAME_MISMATCH', 'clusters/c1/cluster.yaml', 4, 9);
});

test('DUPLICATE_OBJECT: the same Node twice in one cluster', () => {
  const list = diagnose({ 'clusters/c1/more.yaml': NODE('n1', '5.14.0-1.el9.x86_64') });
  expectAt(list, 'DUPLICATE_OBJECT', 'clusters/c1/nodes.yaml', 4, 9);
  assert.equal(list.find((d) => d.code === 'DUPLICATE_OBJECT')!.related, [{ file: 'clusters/c1/more.yaml', line: 4, col: 9, path: '/metadata/name' }]);
});

test('DUPLICATE_OBJECT: two clusters may each hold an object of the same name', () => {
  const list = diagnose({ 'clusters/c2/m.yaml': MODULE('m'), 'clusters/c1/m.yaml': MODULE('m') });
  assert.not.ok(list.some((d) => d.code === 'DUPLICATE_OBJECT'));
});

test('SCHEMA_REQUIRED: a Module without spec.selector', () => {
  const text = MODULE('m').replace('  selector:\n    node-role.kubernetes.io/worker: ""\n', '');
  expectAt(diagnose({ 'm.yaml': text }), 'SCHEMA_REQUIRED', 'm.yaml', 7, 3);
});

test('SCHEMA_ENUM: imagePullPolicy must be one of the three values', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m', '      imagePullPolicy: Sometimes\n') }), 'SCHEMA_ENUM', 'm.yaml', 11, 24);
});

test('SCHEMA_INVALID: kernelMappings must not be empty', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m', '', 'openshift-kmm', '[]') }), 'SCHEMA_INVALID', 'm.yaml', 12, 9);
});

test('MODULE_NAMESPACE_DEFAULTED: a Module without namespace is a warning at metadata', () => {
  const text = MODULE('m').replace('  namespace: openshift-kmm\n', '');
  expectAt(diagnose({ 'm.yaml': text }), 'MODULE_NAMESPACE_DEFAULTED', 'm.yaml', 4, 3);
});

test('MAPPING_MATCHER: a mapping with neither literal nor regexp', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m', '', 'openshift-kmm', '- containerImage: quay.io/x/m:v1') }), 'MAPPING_MATCHER', 'm.yaml', 12, 11);
});

test('IMAGE_MISSING: no containerImage on the mapping or the container', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m', '', 'openshift-kmm', "- literal: '5.14.0-1.el9.x86_64'") }), 'IMAGE_MISSING', 'm.yaml', 12, 11);
});

test('IMAGE_UNTAGGED: an image without tag or digest is a warning; a registry port is not a tag', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m', '', 'openshift-kmm', "- regexp: '.'\n          containerImage: registry:5000/x/m") }), 'IMAGE_UNTAGGED', 'm.yaml', 13, 27);
});

test('MODPROBE_RAWARGS_REQUIRED: no moduleName and no rawArgs', () => {
  const text = MODULE('m').replace('        moduleName: m\n', '        dirName: /opt\n');
  expectAt(diagnose({ 'm.yaml': text }), 'MODPROBE_RAWARGS_REQUIRED', 'm.yaml', 10, 9);
});

test('LOADING_ORDER_TOO_SHORT and LOADING_ORDER_DUPLICATE', () => {
  const short = MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        modulesLoadingOrder: [m]\n');
  expectAt(diagnose({ 'm.yaml': short }), 'LOADING_ORDER_TOO_SHORT', 'm.yaml', 11, 30);
  const dup = MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        modulesLoadingOrder: [m, a, a]\n');
  expectAt(diagnose({ 'm.yaml': dup }), 'LOADING_ORDER_DUPLICATE', 'm.yaml', 11, 37);
});

test('LOADING_ORDER_TOO_SHORT: an empty modulesLoadingOrder is refused, as KMM\'s webhook refuses it', () => {
  const empty = MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        modulesLoadingOrder: []\n');
  const list = diagnose({ 'm.yaml': empty });
  expectAt(list, 'LOADING_ORDER_TOO_SHORT', 'm.yaml', 11, 30);
  assert.not.ok(list.some((d) => d.code === 'LOADING_ORDER_FIRST'), 'one problem, the one KMM names');
});

test('MODULE_NAME_TOO_LONG: name + namespace over 40 with a version', () => {
  const name = 'a-module-with-a-rather-long-name';
  expectAt(diagnose({ 'm.yaml': MODULE(name, '      version: v1\n') }), 'MODULE_NAME_TOO_LONG', 'm.yaml', 4, 9);
  assert.not.ok(diagnose({ 'm.yaml': MODULE(name) }).some((d) => d.code === 'MODULE_NAME_TOO_LONG'));
});

test('DOCKERFILE_KEY_MISSING: the ConfigMap exists but has no dockerfile key', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: df, namespace: openshift-kmm}\ndata:\n  Dockerfile: FROM x\n';
  const mod = MODULE('m', '      build:\n        dockerfileConfigMap: {name: df}\n');
  expectAt(diagnose({ 'm.yaml': mod, 'cm.yaml': cm }), 'DOCKERFILE_KEY_MISSING', 'cm.yaml', 5, 3);
});

test('SIGN_SECRET_MISSING and SIGN_NO_FILES', () => {
  const mod = MODULE('m', '      sign:\n        keySecret: {name: k}\n');
  const list = diagnose({ 'm.yaml': mod });
  expectAt(list, 'SIGN_SECRET_MISSING', 'm.yaml', 12, 9);
  expectAt(list, 'SIGN_NO_FILES', 'm.yaml', 12, 9);
});

test('TLS_INSECURE: a warning at the flag, an error with --strict', () => {
  const mod = MODULE('m', '      registryTLS:\n        insecureSkipTLSVerify: true\n');
  expectAt(diagnose({ 'm.yaml': mod }), 'TLS_INSECURE', 'm.yaml', 12, 32);
  assert.is(diagnose({ 'm.yaml': mod }, true).find((d) => d.code === 'TLS_INSECURE')!.severity, 'error');
});

test('SERVICE_ACCOUNT_MISSING: a Module outside the operator namespace without serviceAccountName', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m', '', 'drivers') }), 'SERVICE_ACCOUNT_MISSING', 'm.yaml', 8, 5);
});

test('SHELL_UNSAFE_VALUE: a newline in a modprobe parameter', () => {
  const mod = MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        parameters: ["a=1\\nreboot"]\n');
  expectAt(diagnose({ 'm.yaml': mod }), 'SHELL_UNSAFE_VALUE', 'm.yaml', 11, 22);
});

test('MODPROBE_VALUE_QUOTED: a value KMM\'s shell would split or expand is quoted here, and said so', () => {
  const mod = MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        parameters: [ok=1, "label=my lab", "x=$HOME"]\n        args: {load: ["-v --force"]}\n');
  const list = diagnose({ 'm.yaml': mod });
  const line = mod.split('\n')[10]!;
  expectAt(list, 'MODPROBE_VALUE_QUOTED', 'm.yaml', 11, line.indexOf('"label') + 1);
  assert.equal(list.filter((d) => d.code === 'MODPROBE_VALUE_QUOTED').map((d) => d.path), [
    '/spec/moduleLoader/container/modprobe/parameters/1',
    '/spec/moduleLoader/container/modprobe/parameters/2',
    '/spec/moduleLoader/container/modprobe/args/load/0',
  ]);
});

test('SHELL_UNSAFE_VALUE: a control character in the Cluster\'s firmwareHostPath (found by the fuzzer)', () => {
  const cluster = 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: c1}\nspec:\n  firmwareHostPath: "/var/lib/\\u001bfw"\n';
  const list = diagnose({ 'clusters/c1/cluster.yaml': cluster, 'm.yaml': MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        firmwarePath: /firmware\n') });
  expectAt(list, 'SHELL_UNSAFE_VALUE', 'clusters/c1/cluster.yaml', 5, 21);
});

test('NODE_KERNEL_NOT_LABEL_VALUE: a kernel longer than a label value may be', () => {
  const kernel = '5.14.0-427.13.1.el9_4.x86_64.with.a.very.long.local.version.suffix';
  expectAt(diagnose({ 'clusters/c1/nodes.yaml': NODE('n1', kernel) }), 'NODE_KERNEL_NOT_LABEL_VALUE', 'clusters/c1/nodes.yaml', 7, 29);
});

test('NODE_FEATURE_UNASSIGNED: a NodeFeature for a node that is not in the inventory', () => {
  const nf = 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeature\nmetadata:\n  name: ghost\n  labels: {nfd.node.kubernetes.io/node-name: ghost}\nspec: {}\n';
  expectAt(diagnose({ 'clusters/c1/nf.yaml': nf }), 'NODE_FEATURE_UNASSIGNED', 'clusters/c1/nf.yaml', 4, 3);
});

test('NFD_LEGACY_SHORTHAND: a pre-v0.15 shorthand points at the key and shows the modern form', () => {
  const rule = 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n  name: r\nspec:\n  rules:\n    - name: x\n      labels: {a: "b"}\n      matchFeatures:\n        - feature: pci.device\n          matchExpressions:\n            vendor: ["8086"]\n';
  const list = diagnose({ 'rules.yaml': rule });
  expectAt(list, 'NFD_LEGACY_SHORTHAND', 'rules.yaml', 12, 13);
  assert.match(list.find((d) => d.code === 'NFD_LEGACY_SHORTHAND')!.message, /vendor: \{op: In, value: \["8086"\]\}/);
  assert.not.ok(list.some((d) => d.code === 'SCHEMA_TYPE'), 'no second, less helpful diagnostic');
});

test('NFD_RULE_ERROR: a rule that errors on a node is a warning at the rule, and the render goes on', () => {
  const rule = 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n  name: r\nspec:\n  rules:\n    - name: bad op\n      labels: {a: "b"}\n      matchFeatures:\n        - feature: kernel.version\n          matchExpressions:\n            major: {op: Bigger, value: ["4"]}\n';
  const nf = 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeature\nmetadata:\n  name: n1\n  labels: {nfd.node.kubernetes.io/node-name: n1}\nspec:\n  features:\n    attributes:\n      kernel.version: {elements: {major: "5"}}\n';
  const list = diagnose({ 'rules.yaml': rule, 'clusters/c1/nf.yaml': nf });
  expectAt(list, 'NFD_RULE_ERROR', 'rules.yaml', 7, 13);
  const d = list.find((x) => x.code === 'NFD_RULE_ERROR')!;
  assert.match(d.message, /rule "bad op".*kernel\.version.*major.*Bigger/);
});

test('NFD_OUTPUT_DROPPED: a label in a denied namespace is dropped with a warning at the rule', () => {
  const rule = 'apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata:\n  name: r\nspec:\n  rules:\n    - name: denied\n      labels: {node-role.kubernetes.io/gpu: ""}\n';
  const list = diagnose({ 'rules.yaml': rule });
  expectAt(list, 'NFD_OUTPUT_DROPPED', 'rules.yaml', 7, 13);
});

test('VARIABLE_UNKNOWN: an unknown variable in containerImage', () => {
  const mod = MODULE('m', '', 'openshift-kmm', "- regexp: '.'\n          containerImage: quay.io/x/m:${KERNEL_VERSON}");
  expectAt(diagnose({ 'm.yaml': mod }), 'VARIABLE_UNKNOWN', 'm.yaml', 13, 27);
});

test('SUBSTITUTION_UNCLOSED: an unclosed ${ in containerImage', () => {
  const mod = MODULE('m', '', 'openshift-kmm', "- regexp: '.'\n          containerImage: quay.io/x/m:${KERNEL_VERSION");
  expectAt(diagnose({ 'm.yaml': mod }), 'SUBSTITUTION_UNCLOSED', 'm.yaml', 13, 27);
});

test('KERNEL_TOO_FEW_PARTS: a node kernel with two parts, at the node', () => {
  expectAt(diagnose({ 'm.yaml': MODULE('m'), 'clusters/c1/nodes.yaml': NODE('n1', '6-1') }), 'KERNEL_TOO_FEW_PARTS', 'clusters/c1/nodes.yaml', 7, 29);
});

test('KERNEL_MAPPING_MISSING: names the nodes left without the module', () => {
  const mod = MODULE('m', '', 'openshift-kmm', "- literal: '1.2.3'\n          containerImage: quay.io/x/m:v1");
  const list = diagnose({ 'm.yaml': mod });
  expectAt(list, 'KERNEL_MAPPING_MISSING', 'm.yaml', 12, 9);
  assert.match(list.find((d) => d.code === 'KERNEL_MAPPING_MISSING')!.message, /n1/);
});

test('NODE_WITHOUT_POOL and NODE_IN_SEVERAL_POOLS: firmware on nodes outside any pool, or in two', () => {
  const mod = MODULE('m').replace('        moduleName: m\n', '        moduleName: m\n        firmwarePath: /firmware\n').replace('node-role.kubernetes.io/worker: ""\n', 'gpu: "yes"\n');
  const pools = `apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfigPool
metadata: {name: p1}
spec: {nodeSelector: {matchLabels: {a: "1"}}}
---
apiVersion: machineconfiguration.openshift.io/v1
kind: MachineConfigPool
metadata: {name: p2}
spec: {nodeSelector: {matchLabels: {b: "1"}}}
`;
  const nodes = NODE('lonely', '5.14.0-1.el9.x86_64', 'gpu: "yes"') + '---\n' + NODE('double', '5.14.0-1.el9.x86_64', 'gpu: "yes", a: "1", b: "1"');
  const list = diagnose({ 'm.yaml': mod, 'clusters/c1/nodes.yaml': nodes, 'clusters/c1/pools.yaml': pools });
  expectAt(list, 'NODE_WITHOUT_POOL', 'clusters/c1/nodes.yaml', 4, 9);
  expectAt(list, 'NODE_IN_SEVERAL_POOLS', 'clusters/c1/nodes.yaml', 12, 9);
});

test('errors stop the pipeline before planning; warnings do not', () => {
  const broken = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('m', '      lifecycle: {}\n'), 'clusters/c1/nodes.yaml': NODE('n1', '5.14.0-1.el9.x86_64') }));
  assert.is(broken.ok, false);
  assert.is(broken.tree, undefined);
  const warned = compileSnapshot(snapshotFromFiles({ 'm.yaml': MODULE('m', '', 'drivers'), 'clusters/c1/nodes.yaml': NODE('n1', '5.14.0-1.el9.x86_64') }));
  assert.is(warned.ok, true);
  assert.ok(warned.tree);
});

test('every problem of a phase is reported, not only the first', () => {
  const list = diagnose({ 'a.yaml': MODULE('a', '      lifecycle: {}\n'), 'b.yaml': MODULE('b', '      nope: 1\n'), 'c.yaml': 'x: [\n' });
  assert.ok(list.filter((d) => d.severity === 'error').length >= 3);
});

test.run();
