/**
 * Plain scalars and map keys read as Kubernetes reads them (SPEC §2.1). The expected values
 * are what sigs.k8s.io/yaml v1.6.0's YAMLToJSON printed for `v: <scalar>` and `<key>: v`
 * (recorded from Go; `npm run conformance` checks the same on generated scalars).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonKeyOf, resolvePlainScalar } from '../src/load/go-yaml-resolve.js';
import { parseFile } from '../src/load/parse-documents.js';
import { readFileSync } from 'node:fs';
import { compileSnapshot, snapshotFromFiles } from './support/compile-fixture.js';
import { sharedPath } from './support/requirements.js';

/** scalar text → the JSON value YAMLToJSON gives it. */
const VALUES: [string, unknown][] = [
  ['209276e89438390', '209276e89438390'], // a float whose parse overflows is not a float
  ['.', '.'],
  ['0o17', 15],
  ['017', 15],
  ['08', 8],
  ['1:20', '1:20'], // no base 60
  ['0b101', 5],
  ['-0b101', -5],
  ['1_000', 1000],
  ['y', true],
  ['Y', true],
  ['on', true],
  ['NO', false],
  ['off', false],
  ['~', null],
  ['', null],
  ['null', null],
  ['2024-01-01', '2024-01-01'], // timestamps stay strings
  ['.5', 0.5],
  ['._5', '._5'],
  ['.1_0', 0.1],
  ['+.5', 0.5],
  ['1.', 1],
  ['1e3', 1000],
  ['0x1F', 31],
  ['-0x1F', -31],
  ['0x', '0x'],
  ['+', '+'],
  ['1e400', '1e400'],
  ['.5e400', '.5e400'],
  ['1e-400', 0], // underflow is not an error in Go
  ['9223372036854775807', 9223372036854775807],
  ['18446744073709551615', 18446744073709551615],
  ['0B11', 3],
  ['0O17', 15],
  ['0X1f', 31],
  ['+0x10', 16],
  ['1__0', 10],
  ['_1', '_1'],
  ['1_', 1],
  ['-0', 0],
  ['6.8523015e+5', 685230.15],
  ['E1000', 'E1000'],
  ['e5', 'e5'],
  ['1e3_0', 1e30],
  ['Yes', true],
  ['yEs', 'yEs'],
  ['TRUE', true],
  ['tRUE', 'tRUE'],
  ['0x_1F', 31],
  ['00', 0],
  ['0o', '0o'],
  ['0b', '0b'],
  ['0b2', '0b2'],
  ['1e', '1e'],
  ['1e+', '1e+'],
  ['+1e5', 100000],
  ['-.5', -0.5],
  ['.5E3', 500],
  ['0.', 0],
  ['1.5.2', '1.5.2'],
  ['١٢', '١٢'],
  ['5.14.0-427.22.1.el9_4.x86_64', '5.14.0-427.22.1.el9_4.x86_64'],
];

test('plain scalars resolve as go-yaml v2 resolves them for sigs.k8s.io/yaml', () => {
  for (const [text, want] of VALUES) assert.equal(resolvePlainScalar(text).value, want, JSON.stringify(text));
});

/** key text → the JSON key YAMLToJSON makes of it (undefined: "unsupported map key"). */
const KEYS: [string, string | undefined][] = [
  ['1e6', '1e+06'],
  ['1.5', '1.5'],
  ['.inf', '.inf'],
  ['-.inf', '-.inf'],
  ['.nan', '.nan'],
  ['0x1F', '31'],
  ['y', 'true'],
  ['n', 'false'],
  ['0.1', '0.1'],
  ['1.0000001', '1.0000001'],
  ['16777217.0', '1.6777216e+07'],
  ['123456.0', '123456'],
  ['1234567.0', '1.234567e+06'],
  ['0.0001', '0.0001'],
  ['0.00001', '1e-05'],
  ['1e21', '1e+21'],
  ['3.14159265358979', '3.1415927'],
  ['-0.0', '-0'],
  ['9007199254740993', '9007199254740993'], // exact, though a JavaScript number is not
  ['18446744073709551615', undefined],
  ['1e-50', '0'],
  ['100000.5', '100000.5'],
  ['1.25e-5', '1.25e-05'],
  ['~', undefined],
  ['name', 'name'],
];

test('map keys become the JSON keys sigs.k8s.io/yaml makes (floats as float32 %g, bools as true/false)', () => {
  for (const [text, want] of KEYS) assert.is(jsonKeyOf(resolvePlainScalar(text), text), want, JSON.stringify(text));
});

const read = (text: string, fastRead = true) => parseFile({ path: 'f.yaml', text }, undefined, { fastRead });

test('both readers give go-yaml values: the fast path and the syntax-tree path agree', () => {
  const text = VALUES.map(([t], i) => `k${i}: ${t === '' ? '' : t}`).join('\n') + '\n';
  const fast = read(text, true);
  const slow = read(text, false);
  assert.equal(fast.diagnostics, []);
  assert.equal(fast.documents[0]!.value, slow.documents[0]!.value);
  // Null values are dropped by the reader (classify-documents.ts); the rest are Go's.
  const expected = Object.fromEntries(VALUES.map(([, v], i) => [`k${i}`, v]).filter(([, v]) => v !== null));
  assert.equal(slow.documents[0]!.value, expected);
});

test('keys that a float, a bool or a hex number make are the same on both paths', () => {
  const text = 'labels:\n  1e6: a\n  y: b\n  0x1F: c\n  1.5: d\n  3.14159265358979: e\n';
  const want = { labels: { '1e+06': 'a', true: 'b', '31': 'c', '1.5': 'd', '3.1415927': 'e' } };
  assert.equal(read(text, true).documents[0]!.value, want);
  assert.equal(read(text, false).documents[0]!.value, want);
});

test('a JSON number that overflows a double is a string, as go-yaml reads it (JSON is YAML to Kubernetes)', () => {
  const text = '{"a": 1e999, "b": -0, "c": 1.5}';
  assert.equal(read(text, true).documents[0]!.value, { a: '1e999', b: 0, c: 1.5 });
  assert.equal(read(text, false).documents[0]!.value, { a: '1e999', b: 0, c: 1.5 });
});

test('explicit standard tags resolve as go-yaml does; an int is accepted as a !!float', () => {
  const r = read('a: !!int "12"\nb: !!float 1\nc: !!str 12\nd: !!bool yes\ne: !!null ""\nf: !!int 0x10\n');
  assert.equal(r.diagnostics, []);
  assert.equal(r.documents[0]!.value, { a: 12, b: 1, c: '12', d: true, f: 16 });
});

test('merge keys: at their position later keys win, and in a merged list the earlier maps win', () => {
  assert.equal(read('x: {a: 1, <<: {a: 2, b: 3}}\n').documents[0]!.value, { x: { a: 2, b: 3 } });
  assert.equal(read('x: {<<: {a: 2, b: 3}, a: 1}\n').documents[0]!.value, { x: { a: 1, b: 3 } });
  assert.equal(read('p: &p {a: 1}\nq: &q {a: 2, b: 2}\nx:\n  <<: [*p, *q]\n').documents[0]!.value, { p: { a: 1 }, q: { a: 2, b: 2 }, x: { a: 1, b: 2 } });
});

test('an alias names the last anchor of that name before it', () => {
  assert.equal(read('a: &x 1\nb: *x\nc: &x 2\nd: *x\n').documents[0]!.value, { a: 1, b: 1, c: 2, d: 2 });
});

test('a real OpenShift 4.19 NodeFeature dump reads as kubectl reads it: the interface 209276e89438390 is a name', () => {
  const path = sharedPath('reference', 'corpus', 'openshift__insights-operator', 'pkg__gatherers__clusterconfig__testdata__nodefeature.yaml');
  if (!path) return;
  const node = 'apiVersion: v1\nkind: Node\nmetadata: {name: ip-10-0-122-81.ec2.internal}\nstatus: {nodeInfo: {kernelVersion: 5.14.0-570.el9.x86_64}}\n';
  const r = compileSnapshot(snapshotFromFiles({ 'clusters/aws/nodefeature.yaml': readFileSync(path, 'utf8'), 'clusters/aws/nodes.yaml': node }));
  assert.equal(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const doc = read(readFileSync(path, 'utf8')).documents[0]!.value as { spec: { features: { instances: Record<string, { elements: { attributes: Record<string, unknown> }[] }> } } };
  const names = doc.spec.features.instances['network.virtual']!.elements.map((e) => e.attributes.name);
  assert.ok(names.includes('209276e89438390'), 'the OVN interface name is the string kubectl sees');
});

test.run();
