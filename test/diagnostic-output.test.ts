/**
 * Long lists of diagnostics: text output shows the first --max-diagnostics (default 50) in
 * the usual order and one summary line per code for the rest; JSON has every one.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diagnostic, type Diagnostic } from '../src/diagnostics/diagnostic.js';
import { formatDiagnosticsText, formatDiagnosticsTextCapped } from '../src/diagnostics/format.js';
import { tempDir, writeTree } from './support/compile-fixture.js';
import { runCli } from './support/run-cli.js';

const at = (file: string, line: number) => ({ file, line, col: 3, path: '/x' });

test('a list longer than the cap: the first N, then per code how many, in how many files, and the first', () => {
  const list: Diagnostic[] = [
    ...Array.from({ length: 4 }, (_, i) => diagnostic('SCHEMA_TYPE', at('a.yaml', i + 1), 'm')),
    ...Array.from({ length: 1200 }, (_, i) => diagnostic('SCHEMA_TYPE', at(i % 2 ? 'b.yaml' : 'c.yaml', i + 10), 'm')),
    diagnostic('KERNEL_MAPPING_MISSING', at('d.yaml', 1), 'm'),
  ];
  const text = formatDiagnosticsTextCapped(list, 3);
  const lines = text.trimEnd().split('\n');
  assert.equal(lines.slice(0, 3), formatDiagnosticsText(list.slice(0, 3)).trimEnd().split('\n'));
  assert.equal(lines.slice(3), [
    '… and 1,202 more (--max-diagnostics all shows them):',
    '  SCHEMA_TYPE × 1,201 in 3 files (first: a.yaml:4:3)',
    '  KERNEL_MAPPING_MISSING × 1 in 1 file (first: d.yaml:1:3)',
  ]);
  assert.is(formatDiagnosticsTextCapped(list, Number.POSITIVE_INFINITY), formatDiagnosticsText(list));
  assert.is(formatDiagnosticsTextCapped(list.slice(0, 3), 3), formatDiagnosticsText(list.slice(0, 3)));
});

/** A repository with 60 broken nodes (an unquoted y read as a boolean in each). */
function brokenRepo(): string {
  const repo = tempDir();
  const nodes = Array.from({ length: 60 }, (_, i) => `- apiVersion: v1\n  kind: Node\n  metadata: {name: node-${i}, labels: {example.com/gpu: y}}\n  status: {nodeInfo: {kernelVersion: 5.14.0-427.22.1.el9_4.x86_64}}\n`).join('');
  writeTree(repo, { 'clusters/lab/nodes.yaml': `apiVersion: v1\nkind: List\nitems:\n${nodes}` });
  return repo;
}

test('validate shows 50 diagnostics and a summary by default, all with --max-diagnostics all, every one in JSON', () => {
  const repo = brokenRepo();
  const capped = runCli(['validate', '--repo', repo]);
  assert.is(capped.status, 1);
  const errorLines = (s: string) => s.split('\n').filter((l) => / error SCHEMA_TYPE: /.test(l)).length;
  assert.is(errorLines(capped.stderr), 50);
  assert.match(capped.stderr, /… and 10 more \(--max-diagnostics all shows them\):\n {2}SCHEMA_TYPE × 10 in 1 file \(first: clusters\/lab\/nodes\.yaml:206:55\)/);
  assert.match(capped.stderr, /quote it: "y"/);
  assert.is(errorLines(runCli(['validate', '--repo', repo, '--max-diagnostics', 'all']).stderr), 60);
  assert.is(errorLines(runCli(['validate', '--repo', repo, '--max-diagnostics', '5']).stderr), 5);
  const json = runCli(['validate', '--repo', repo, '--format', 'json']);
  assert.is((JSON.parse(json.stdout || json.stderr) as unknown[]).length, 60);
});

test('--max-diagnostics takes a whole number or all', () => {
  const r = runCli(['validate', '--repo', brokenRepo(), '--max-diagnostics', 'many']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--max-diagnostics must be a whole number or all, not many/);
});

test.run();
