/**
 * The public API (src/index.ts) as a program embeds it: imported by the package's own name
 * through package.json `exports`, it compiles the example fleet to the golden tree, renders
 * it on workers to the same tree, reviews a change and runs NodeFeatureRules on one node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as api from 'kmm-render';
import { PROVENANCE, readTree } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';

const EXAMPLE = join(FIXTURES, 'example-fleet');

test('the package exports resolve to the public API, and every name it lists is defined', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  assert.ok(manifest.exports['.'], 'package.json exports "."');
  for (const name of ['compile', 'loadAssets', 'readRepo', 'readRevision', 'renderFleet', 'writeOutputTree', 'diffFleet', 'formatMarkdown', 'runDryrun', 'formatDiagnosticsText', 'EMITTED_KINDS', 'TARGETS']) {
    assert.ok((api as Record<string, unknown>)[name] !== undefined, `kmm-render exports ${name}`);
  }
});

test('compile through the public API gives the example fleet its golden tree', () => {
  const repo = join(EXAMPLE, 'repo');
  const snapshot = api.readRepo(repo, undefined, api.readReaderSettings(repo));
  const result = api.compile(snapshot, api.loadAssets(), { provenance: PROVENANCE });
  assert.ok(result.ok, JSON.stringify(result.diagnostics.slice(0, 3)));
  assert.equal(new Map([...result.tree!.files].filter(([p]) => p !== 'render.lock')), new Map([...readTree(join(EXAMPLE, 'expected'))].filter(([p]) => p !== 'render.lock')));
});

test('renderFleet (units, workers) gives the same tree as compile', async () => {
  const repo = join(EXAMPLE, 'repo');
  const snapshot = api.readRepo(repo, undefined, api.readReaderSettings(repo));
  const assets = api.loadAssets();
  const whole = api.compile(snapshot, assets, { provenance: PROVENANCE });
  const fleet = await api.renderFleet(snapshot, () => assets, { provenance: PROVENANCE, jobs: 2, parallelMinBytes: 0 });
  assert.ok(fleet.ok);
  assert.equal(fleet.tree!.files, whole.tree!.files);
});

test('diffFleet of a fleet against itself changes nothing; against an empty fleet, every object is added', () => {
  const repo = join(EXAMPLE, 'repo');
  const result = api.compile(api.readRepo(repo, undefined, api.readReaderSettings(repo)), api.loadAssets());
  const same = api.diffFleet(result.clusters!, result.clusters!);
  assert.not.ok(api.hasChanges(same));
  const added = api.diffFleet([], result.clusters!);
  const objects = result.clusters!.reduce((n, c) => n + c.objects.length, 0);
  assert.is(added.objects.filter((o) => o.change === 'added').length, objects);
  assert.match(api.formatMarkdown(added, { base: { ref: 'empty', commit: '0'.repeat(40) }, head: { ref: 'example' } }), /added/);
  assert.equal(api.formatMarkdownParts(added, { base: { ref: 'empty', commit: '0'.repeat(40) }, head: { ref: 'example' } }).length, 1, 'the example fleet fits one comment');
});

test('buildFleetReport and formatReportHtml give the coverage page of a compile', () => {
  const repo = join(EXAMPLE, 'repo');
  const result = api.compile(api.readRepo(repo, undefined, api.readReaderSettings(repo)), api.loadAssets());
  const report = api.buildFleetReport(result.model!.clusters, result.clusters!);
  assert.is(report.summary.uncoveredNodes, 2);
  assert.match(api.formatReportHtml(report, { toolVersion: 'x' }), /^<!doctype html>/);
});

test('runDryrun evaluates NodeFeatureRules against one node', () => {
  const rules = `apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeatureRule\nmetadata: {name: r}\nspec:\n  rules:\n    - name: gpu\n      labels: {gpu: "true"}\n      matchFeatures:\n        - feature: pci.device\n          matchExpressions: {vendor: {op: In, value: ["8086"]}}\n`;
  const node = `apiVersion: nfd.k8s-sigs.io/v1alpha1\nkind: NodeFeature\nmetadata: {name: node-1, namespace: node-feature-discovery}\nspec:\n  features:\n    instances:\n      pci.device: {elements: [{attributes: {vendor: "8086", class: "0300"}}]}\n`;
  const r = api.runDryrun({ rules: [{ path: 'rules.yaml', text: rules }], features: { path: 'node.yaml', text: node } }, api.loadAssets().validators);
  assert.equal(r.diagnostics, []);
  assert.is(r.report!.node.labels['feature.node.kubernetes.io/gpu'], 'true');
});

test.run();
