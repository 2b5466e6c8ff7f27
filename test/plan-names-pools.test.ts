import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assignPool, matchesLabelSelector } from '../src/plan/machine-config-pools.js';
import type { MachineConfigPoolInfo } from '../src/model/fleet-model.js';
import { makeObjectName, MAX_NAME_LENGTH, sanitizeNamePart } from '../src/plan/names.js';

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

test('kernel strings in names are lower-cased with every other character a dash', () => {
  assert.is(sanitizeNamePart('4.18.0-372.26.1.el8_6.x86_64'), '4-18-0-372-26-1-el8-6-x86-64');
  assert.is(sanitizeNamePart('5.14.0+RT'), '5-14-0-rt');
});

test('names keep the module and kernel readable when they fit', () => {
  assert.is(makeObjectName(['simple-kmod', '4.18.0-372.26.1.el8_6.x86_64'], 'id'), 'simple-kmod-4-18-0-372-26-1-el8-6-x86-64');
});

test('too-long names are shortened and end with 8 hex characters of the full form', () => {
  const name = makeObjectName(['a-very-long-module-name-for-a-vendor-driver', '5.14.0-427.13.1.el9_4.x86_64'], 'ns/a/k');
  assert.ok(name.length <= MAX_NAME_LENGTH);
  assert.match(name, DNS1123);
  assert.match(name, /^a-very-long-module-name-for-a-vendor-driver-5-14-0-42.*-[0-9a-f]{8}$/);
  const other = makeObjectName(['a-very-long-module-name-for-a-vendor-driver', '5.14.0-427.13.1.el9_4.x86_64'], 'ns/a/k2');
  assert.is.not(name, other, 'a different full form gives a different name');
});

test('names never start or end with a dash', () => {
  assert.match(makeObjectName(['_x_', 'y.'], 'id'), DNS1123);
});

const pools: MachineConfigPoolInfo[] = [
  { ref: undefined as never, name: 'worker', nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } } },
  { ref: undefined as never, name: 'gpu', nodeSelector: { matchLabels: { 'node-role.kubernetes.io/gpu': '' } } },
  { ref: undefined as never, name: 'rt', nodeSelector: { matchExpressions: [{ key: 'rt', operator: 'In', values: ['yes'] }] } },
];

test('a node belongs to the custom pool whose nodeSelector matches it', () => {
  assert.is(assignPool({ 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/gpu': '' }, pools).pool, 'gpu');
  assert.is(assignPool({ 'node-role.kubernetes.io/worker': '', rt: 'yes' }, pools).pool, 'rt');
});

test('otherwise a worker is in worker and a control-plane node in master', () => {
  assert.is(assignPool({ 'node-role.kubernetes.io/worker': '' }, pools).pool, 'worker');
  assert.is(assignPool({ 'node-role.kubernetes.io/control-plane': '' }, []).pool, 'master');
});

test('a single-node cluster (both roles on one node) uses master', () => {
  assert.is(assignPool({ 'node-role.kubernetes.io/master': '', 'node-role.kubernetes.io/worker': '' }, []).pool, 'master');
});

test('a node with no role is in no pool; one matching two custom pools reports both', () => {
  assert.is(assignPool({}, pools).pool, undefined);
  const a = assignPool({ 'node-role.kubernetes.io/gpu': '', rt: 'yes' }, pools);
  assert.is(a.pool, 'gpu');
  assert.equal(a.candidates, ['gpu', 'rt']);
});

test('label selectors: In, NotIn, Exists, DoesNotExist', () => {
  const l = { a: '1', b: '2' };
  assert.ok(matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: ['1', '3'] }] }, l));
  assert.not.ok(matchesLabelSelector({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, l));
  assert.ok(matchesLabelSelector({ matchExpressions: [{ key: 'c', operator: 'NotIn', values: ['1'] }] }, l));
  assert.ok(matchesLabelSelector({ matchExpressions: [{ key: 'b', operator: 'Exists' }] }, l));
  assert.not.ok(matchesLabelSelector({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }] }, l));
  assert.ok(matchesLabelSelector({}, l));
});

test.run();
