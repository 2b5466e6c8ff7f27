/** `kmm-render preflight` on the bundled example fleet (SPEC §1). */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES } from './support/paths.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

const FLEET = join(FIXTURES, 'example-fleet', 'repo');

test('a kernel every Module covers: exit 0', () => {
  const r = runCli(['preflight', '--repo', FLEET, '--kernel', '5.14.0-427.50.1.el9_4.x86_64']);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /every Module has a mapping for 5\.14\.0-427\.50\.1\.el9_4\.x86_64/);
  assert.match(r.stdout, /✓ prod-east {2}openshift-kmm\/gpu-driver: regexp #1 \^5\\\.14\\\.0-427\\\. → quay\.io\/example\/gpu-driver:2\.1\.0-5\.14\.0-427\.50\.1\.el9_4\.x86_64 \(prebuilt\)/);
});

test('a kernel some Module does not cover: exit 3, naming it', () => {
  const r = runCli(['preflight', '--repo', FLEET, '--kernel', '5.14.0-570.12.1.el9_6.x86_64']);
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stdout, /✗ prod-east {2}openshift-kmm\/gpu-driver: no kernel mapping matches/);
  assert.match(r.stdout, /Module\(s\) without a mapping for 5\.14\.0-570\.12\.1\.el9_6\.x86_64: openshift-kmm\/gpu-driver \(cluster edge-lab\)/);
});

test('preflight --format json lists every cluster × Module with mapping, image and build/sign', () => {
  const r = runCli(['preflight', '--repo', FLEET, '--kernel', '5.14.0-570.12.1.el9_6.x86_64', '--cluster', 'prod-west', '--format', 'json']);
  assert.is(r.status, 3);
  const report = JSON.parse(r.stdout) as { kernel: string; rows: { cluster: string; module: string; mapping: unknown; image?: string; build: boolean; sign: boolean }[]; uncovered: string[] };
  assert.is(report.kernel, '5.14.0-570.12.1.el9_6.x86_64');
  assert.equal(report.rows.map((x) => `${x.cluster} ${x.module} ${x.mapping ? 'mapped' : 'none'}`), ['prod-west openshift-kmm/gpu-driver none', 'prod-west openshift-kmm/simple-kmod mapped']);
  assert.equal(report.uncovered, ['openshift-kmm/gpu-driver (cluster prod-west)']);
});

test('preflight says whether the image would be built and whether DTK_AUTO resolves', () => {
  const repo = join(FIXTURES, 'build-dtk', 'repo');
  const known = runCli(['preflight', '--repo', repo, '--kernel', '5.14.0-284.52.1.el9_2.x86_64', '--format', 'json']);
  assert.is(known.status, 0, known.stderr);
  const row = (JSON.parse(known.stdout) as { rows: { build: boolean; driverToolkit: string }[] }).rows[0]!;
  assert.is(row.build, true);
  assert.match(row.driverToolkit, /^quay\.io\/openshift-release-dev\/ocp-v4\.0-art-dev@sha256:34864ccd/);
  const future = runCli(['preflight', '--repo', repo, '--kernel', '5.14.0-427.50.1.el9_4.x86_64']);
  assert.is(future.status, 0);
  assert.match(future.stdout, /DTK_AUTO: unknown \(no node runs this kernel yet/);
});

test('preflight usage errors exit 2', () => {
  for (const args of [['preflight', '--repo', FLEET], ['preflight', '--repo', FLEET, '--kernel', 'x', '--cluster', 'nope']]) {
    const r = runCli(args);
    assert.is(r.status, 2, args.join(' '));
    assert.not.ok(hasStackTrace(r.stderr));
  }
});

test.run();
