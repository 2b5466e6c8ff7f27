/** Every limit is a diagnostic with a position, never a crash or a hang, and can be raised (SPEC §10). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { compileSnapshot, readTree, snapshotFromFiles, tempDir, writeTree } from './support/compile-fixture.js';
import { runCli } from './support/run-cli.js';

const NODE = (name: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}, labels: {a: b}}\nstatus: {nodeInfo: {kernelVersion: 5.14.0-1.el9.x86_64}}\n`;
const MODULE = (regexp = '.') => `apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: m, namespace: openshift-kmm}\nspec:\n  moduleLoader:\n    container:\n      modprobe: {moduleName: m}\n      kernelMappings: [{regexp: '${regexp}', containerImage: 'q/m:v1'}]\n  selector: {a: b}\n`;
const CONFIG = (limits: string) => `apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nspec:\n  limits: {${limits}}\n`;

function codeAt(list: readonly Diagnostic[], code: string): string | undefined {
  const d = list.find((x) => x.code === code);
  return d && `${d.file}:${d.line}:${d.col}`;
}

test('LIMIT_FILE_SIZE: a file over limits.maxFileBytes is not read', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('maxFileBytes: 100'), 'big.yaml': `# ${'x'.repeat(200)}\n` }));
  assert.is(codeAt(r.diagnostics, 'LIMIT_FILE_SIZE'), 'big.yaml:1:1');
});

test('LIMIT_FILE_SIZE at the reader: the file is not even read from disk', () => {
  const repo = tempDir();
  writeTree(repo, { 'kmm-render.yaml': CONFIG('maxFileBytes: 300') });
  writeFileSync(join(repo, 'huge.yaml'), `# ${'y'.repeat(1000)}\n`);
  const r = runCli(['validate', '--repo', repo]);
  assert.is(r.status, 1);
  assert.match(r.stderr, /^huge\.yaml:1:1: error LIMIT_FILE_SIZE: /m);
});

test('LIMIT_DOCUMENTS: a file with more documents than allowed', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('maxDocumentsPerFile: 3'), 'many.yaml': Array(5).fill('a: 1\n').join('---\n') }));
  assert.is(codeAt(r.diagnostics, 'LIMIT_DOCUMENTS'), 'many.yaml:1:1');
});

test('LIMIT_DEPTH: deep flow nesting is refused before parsing, deep block nesting after', () => {
  const flow = compileSnapshot(snapshotFromFiles({ 'deep.yaml': `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n` }));
  assert.is(codeAt(flow.diagnostics, 'LIMIT_DEPTH'), 'deep.yaml:1:1');
  let block = 'a:\n';
  for (let i = 1; i < 80; i++) block += `${'  '.repeat(i)}k${i}:\n`;
  block += `${'  '.repeat(80)}end: 1\n`;
  const r = compileSnapshot(snapshotFromFiles({ 'block.yaml': block }));
  // The 65th mapping, the first one too deep (k64 at line 65, indented by 128).
  assert.is(codeAt(r.diagnostics, 'LIMIT_DEPTH'), 'block.yaml:65:129');
  const raised = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('maxDepth: 200'), 'block.yaml': block }));
  assert.is(codeAt(raised.diagnostics, 'LIMIT_DEPTH'), undefined, 'the limit can be raised');
});

test('LIMIT_NODES: a cluster with more nodes than allowed, at the first node over the limit', () => {
  const nodes = ['n-a', 'n-b', 'n-c'].map(NODE).join('---\n');
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('maxNodesPerCluster: 2'), 'clusters/c/nodes.yaml': nodes }));
  assert.is(codeAt(r.diagnostics, 'LIMIT_NODES'), 'clusters/c/nodes.yaml:13:18');
});

test('LIMIT_OBJECTS: a cluster that would get more objects than allowed', () => {
  const nodes = ['n-a', 'n-b'].map((n, i) => NODE(n).replace('5.14.0-1', `5.14.0-${i + 1}`)).join('---\n');
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('maxObjectsPerCluster: 1'), 'clusters/c/nodes.yaml': nodes, 'm.yaml': MODULE() }));
  assert.is(codeAt(r.diagnostics, 'LIMIT_OBJECTS'), 'clusters/c/nodes.yaml:1:1');
  assert.is(r.ok, false);
});

test('LIMIT_REGEXP: a kernel mapping regexp longer than allowed', () => {
  const r = compileSnapshot(snapshotFromFiles({ 'kmm-render.yaml': CONFIG('maxRegexpLength: 10'), 'm.yaml': MODULE('^5\\.14\\.0-.*el9.*$'), 'clusters/c/n.yaml': NODE('n-a') }));
  assert.is(codeAt(r.diagnostics, 'LIMIT_REGEXP'), 'm.yaml:8:33');
});

test('a limit reached writes nothing, inside or outside the output folder', () => {
  const repo = tempDir();
  writeTree(repo, { 'kmm-render.yaml': CONFIG('maxNodesPerCluster: 1'), 'clusters/c/nodes.yaml': ['n-a', 'n-b'].map(NODE).join('---\n'), 'm.yaml': MODULE() });
  const before = readTree(repo);
  const r = runCli(['render', '--repo', repo]);
  assert.is(r.status, 1);
  assert.equal(readTree(repo), before);
});

test.run();
