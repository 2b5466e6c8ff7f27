/**
 * The coverage report's model and page (docs/report.md): why nodes are left without a
 * module (no mapping, an untolerated taint, no selector), builds and signing per kernel and
 * the hub's spokes, the same impact model `diff` uses, and the page's escaping and limits.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFleetReport } from '../src/report/fleet-report.js';
import { formatReportHtml, NODE_NAMES_SHOWN } from '../src/report/format-html.js';
import { diffFleet } from '../src/review/diff-fleet.js';
import { compileSnapshot, snapshotFromFiles, snapshotOf } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';

function reportOf(snapshot: Parameters<typeof compileSnapshot>[0]) {
  const r = compileSnapshot(snapshot);
  assert.ok(r.ok, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error')));
  return { report: buildFleetReport(r.model!.clusters, r.clusters!), clusters: r.clusters! };
}

const gpuModule = (extra = '') =>
  `apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: gpu, namespace: kmm-system}\nspec:\n${extra}  moduleLoader:\n    container:\n      modprobe: {moduleName: gpu}\n      kernelMappings: [{literal: 5.14.0-1.el9.x86_64, containerImage: q/gpu:1}]\n  selector: {gpu: "yes"}\n`;

function fleet(nodes: string[], module = gpuModule(), config = '') {
  return snapshotFromFiles({
    ...(config ? { 'kmm-render.yaml': config } : {}),
    'modules/gpu.yaml': module,
    'clusters/c1/nodes.yaml': `apiVersion: v1\nkind: List\nitems:\n${nodes.join('\n')}\n`,
  });
}
const node = (name: string, kernel: string, labels: string, taints = '') =>
  `  - {apiVersion: v1, kind: Node, metadata: {name: ${name}, labels: {${labels}}}, ${taints ? `spec: {taints: [${taints}]}, ` : ''}status: {nodeInfo: {kernelVersion: ${kernel}}}}`;

test('nodes left without a module, grouped by reason: no mapping, an untolerated NoSchedule taint, no Module selecting them', () => {
  const { report } = reportOf(
    fleet([
      node('ok', '5.14.0-1.el9.x86_64', 'gpu: "yes"'),
      node('old', '5.14.0-0.el9.x86_64', 'gpu: "yes"'),
      node('tainted', '5.14.0-1.el9.x86_64', 'gpu: "yes"', '{key: maintenance, value: bios, effect: NoSchedule}'),
      node('plain', '5.14.0-1.el9.x86_64', 'role: x'),
    ]),
  );
  const c = report.clusters[0]!;
  assert.equal(
    c.uncovered.map((u) => [u.reason, u.module ?? '', u.kernel, u.nodes, u.detail]),
    [
      ['no-mapping', 'kmm-system/gpu', '5.14.0-0.el9.x86_64', ['old'], 'no kernel mapping matches 5.14.0-0.el9.x86_64'],
      ['tainted', 'kmm-system/gpu', '5.14.0-1.el9.x86_64', ['tainted'], "the selector matches, but the untolerated taint maintenance=bios:NoSchedule keeps KMM's pods off"],
      ['selector', '', '5.14.0-1.el9.x86_64', ['plain'], 'none of the 1 Module(s) in scope selects it'],
    ],
  );
  assert.is(c.uncoveredNodes, 3);
  assert.is(report.summary.uncoveredNodes, 3);
  assert.is(report.summary.unmappedPairs, 1);
});

test('a Module that tolerates the taint (KMM 2.x) serves the node: it is not left without', () => {
  const tolerating = gpuModule('  tolerations: [{key: maintenance, operator: Exists, effect: NoSchedule}]\n');
  const { report } = reportOf(fleet([node('tainted', '5.14.0-1.el9.x86_64', 'gpu: "yes"', '{key: maintenance, value: bios, effect: NoSchedule}')], tolerating, 'apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nmetadata: {name: c}\nspec: {kmmVersion: "2"}\n'));
  assert.equal(report.clusters[0]!.uncovered, []);
  assert.equal(report.clusters[0]!.coverage.map((r) => [r.module, r.nodes]), [['kmm-system/gpu', 1]]);
});

test('builds and signing per kernel are what diff reports for the same objects (one impact model)', () => {
  const { report, clusters } = reportOf(snapshotOf(join(FIXTURES, 'build-and-sign', 'repo')));
  const impact = diffFleet([], clusters).impact;
  const c = report.clusters.find((x) => x.name === 'secure')!;
  assert.equal(c.builds, [{ module: 'default/example-module', kernel: '5.14.0-427.22.1.el9_4.x86_64', build: impact.builds[0]!.image, sign: impact.signing[0]!.image }]);
  assert.is(report.summary.builds, impact.builds.length);
  assert.is(report.summary.signing, impact.signing.length);
  const east = reportOf(snapshotOf(join(FIXTURES, 'example-fleet', 'repo')));
  const reboots = diffFleet([], east.clusters).impact.reboots;
  assert.equal(
    east.report.clusters.flatMap((x) => x.reboots.map((r) => ({ cluster: x.name, ...r }))),
    reboots.map(({ change: _, ...r }) => r),
  );
});

test("a hub's spokes: each spoke with its ManagedClusterModule and the kernels it pins", () => {
  const { report } = reportOf(snapshotOf(join(FIXTURES, 'hub-spoke', 'repo')));
  const hubs = report.clusters.filter((c) => c.spokes.length > 0);
  assert.ok(hubs.length >= 1);
  for (const s of hubs.flatMap((h) => h.spokes)) {
    assert.match(s.module, /^ManagedClusterModule /);
    assert.ok(s.kernels.length > 0);
    assert.ok(report.clusters.some((c) => c.name === s.spoke), `spoke ${s.spoke} is a cluster of the fleet`);
  }
});

test('the page escapes names and lists at most 50 node names per group, then how many more', () => {
  const nodes = Array.from({ length: 70 }, (_, i) => node(`n-${String(i).padStart(2, '0')}`, '5.14.0-9.el9.x86_64', 'gpu: "yes"'));
  const { report } = reportOf(fleet(nodes));
  const page = formatReportHtml(report, { toolVersion: '1.2.3<script>', commit: 'a'.repeat(40) });
  assert.is(NODE_NAMES_SHOWN, 50);
  assert.match(page, /<code>n-49<\/code> and 20 more<\/td>/);
  assert.not.match(page, /<code>n-50<\/code>/);
  assert.match(page, /kmm-render 1\.2\.3&lt;script&gt; from commit <code>aaaaaaaaaaaa<\/code>/);
  assert.is((page.match(/<script>/g) ?? []).length, 1, 'only the page script');
  assert.not.match(page, /https?:\/\//, 'nothing from the network');
});

test.run();
