/** Argo CD and Flux wiring (SPEC §8): the objects validate, and the plugin runs as the repo-server runs it. */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import { kustomizationFiles, tempDir } from './support/compile-fixture.js';
import { BIN, FIXTURES } from './support/paths.js';
import { sharedPath } from './support/requirements.js';
import { runCli } from './support/run-cli.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The example fleet at fleets/example inside a throwaway git repository of its own: the
 * paths gitops writes are relative to the work tree, and the tests must not depend on
 * whether this checkout is one (a release tarball is not).
 */
function exampleFleetInGit(): string {
  const root = tempDir();
  const repo = join(root, 'fleets', 'example');
  cpSync(join(FIXTURES, 'example-fleet', 'repo'), repo, { recursive: true });
  const r = spawnSync('git', ['init', '-q', root], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git init: ${r.stderr}`);
  return repo;
}
const URL = 'https://git.example.com/fleet.git';
const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as Obj);

const lenient = new Ajv({ allErrors: true, strict: false, validateSchema: false });
function upstream(file: string) {
  const path = sharedPath('reference', 'schemas', file);
  if (!path) return undefined;
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Obj;
  delete schema.$schema;
  delete schema.id;
  return lenient.compile(schema);
}
const argoApplication = upstream('argoproj.io_application_v1alpha1.json');
const fluxKustomization = upstream('kustomize.toolkit.fluxcd.io_kustomization_v1.json');

test('gitops argocd: a ConfigManagementPlugin and an ApplicationSet whose Applications validate', () => {
  const r = runCli(['gitops', 'argocd', '--repo', exampleFleetInGit(), '--repo-url', URL, '--revision', 'main']);
  assert.is(r.status, 0, r.stderr);
  const [cmp, appset] = docs(r.stdout);
  assert.is(cmp!.kind, 'ConfigManagementPlugin');
  assert.match(cmp!.spec.generate.args[0], /kmm-render render --stdout --cluster "\$ARGOCD_ENV_CLUSTER"/);
  assert.is(appset!.kind, 'ApplicationSet');
  assert.equal(appset!.spec.generators, [{ clusters: { selector: { matchLabels: { 'kmm-render.io/managed': 'true' } } } }]);
  const tpl = appset!.spec.template;
  assert.equal(tpl.spec.source.plugin, { name: 'kmm-render-v1', env: [{ name: 'CLUSTER', value: '{{.name}}' }] });
  assert.is(tpl.spec.source.path, 'fleets/example');
  if (argoApplication) {
    const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x', namespace: 'argocd' }, spec: tpl.spec };
    assert.ok(argoApplication(app), lenient.errorsText(argoApplication.errors));
  }
});

test('gitops argocd --plugin-free: one Application per rendered cluster folder', () => {
  const r = runCli(['gitops', 'argocd', '--plugin-free', '--repo', exampleFleetInGit(), '--repo-url', URL]);
  assert.is(r.status, 0, r.stderr);
  const apps = docs(r.stdout);
  assert.equal(apps.map((a) => `${a.metadata.name} ${a.spec.source.path} ${a.spec.destination.name}`), [
    'kmm-edge-lab fleets/example/rendered/edge-lab edge-lab',
    'kmm-prod-east fleets/example/rendered/prod-east prod-east',
    'kmm-prod-west fleets/example/rendered/prod-west prod-west',
  ]);
  for (const a of apps) if (argoApplication) assert.ok(argoApplication(a), lenient.errorsText(argoApplication.errors));
});

test('gitops flux: a GitRepository and per cluster one Kustomization per stage, chained with dependsOn and wait', () => {
  const r = runCli(['gitops', 'flux', '--repo', join(FIXTURES, 'build-and-sign', 'repo'), '--repo-url', URL]);
  assert.is(r.status, 0, r.stderr);
  const [repo, ...ks] = docs(r.stdout);
  assert.is(repo!.kind, 'GitRepository');
  assert.equal(repo!.spec, { interval: '1m', ref: { branch: 'main' }, url: URL });
  assert.equal(ks.map((k) => `${k.metadata.name} <- ${k.spec.dependsOn?.[0]?.name ?? '-'}`), ['kmm-secure-builds <- -', 'kmm-secure-signing <- kmm-secure-builds', 'kmm-secure-loaders <- kmm-secure-signing']);
  for (const k of ks) {
    assert.is(k.spec.wait, true);
    assert.is(k.spec.prune, true);
    if (fluxKustomization) assert.ok(fluxKustomization(k), lenient.errorsText(fluxKustomization.errors));
  }
  const fw = docs(runCli(['gitops', 'flux', '--repo', join(FIXTURES, 'firmware-pools', 'repo'), '--repo-url', URL]).stdout);
  assert.equal(fw.slice(1).map((k) => k.metadata.name), ['kmm-gpu-farm-machine-config', 'kmm-gpu-farm-loaders', 'kmm-sno-machine-config', 'kmm-sno-loaders'], 'only the stages that exist');
});

/** A repo-server-like run of the plugin: the repo as working directory, ARGOCD_ENV_* set, kmm-render on PATH. */
function runPlugin(repo: string, cluster: string) {
  const bin = tempDir();
  const shim = join(bin, 'kmm-render');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(shim, 0o755);
  const cmp = docs(runCli(['gitops', 'argocd', '--repo', join(FIXTURES, 'example-fleet', 'repo'), '--repo-url', URL]).stdout)[0]!;
  return spawnSync(cmp.spec.generate.command[0], [...cmp.spec.generate.command.slice(1), ...cmp.spec.generate.args], {
    cwd: repo,
    env: { PATH: `${bin}:/usr/bin:/bin`, ARGOCD_ENV_CLUSTER: cluster, ARGOCD_APP_NAME: `kmm-${cluster}`, ARGOCD_APP_NAMESPACE: 'argocd' },
    encoding: 'utf8',
  });
}

test('the plugin generate command prints the same objects as the rendered folder', () => {
  const repo = tempDir();
  cpSync(join(FIXTURES, 'example-fleet', 'repo'), repo, { recursive: true });
  const out = join(tempDir(), 'out');
  assert.is(runCli(['render', '--repo', repo, '--out', out]).status, 0);
  const r = runPlugin(repo, 'prod-east');
  assert.is(r.status, 0, r.stderr);
  const expected = kustomizationFiles(join(out, 'prod-east')).map((f) => readFileSync(join(out, 'prod-east', f), 'utf8')).join('---\n');
  assert.is(r.stdout, expected);
});

test('the plugin generate command fails with nothing on stdout when the input is broken or the cluster unknown', () => {
  const repo = tempDir();
  cpSync(join(FIXTURES, 'example-fleet', 'repo'), repo, { recursive: true });
  mkdirSync(join(repo, 'more'));
  writeFileSync(join(repo, 'more', 'bad.yaml'), 'apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: bad}\nspec: {}\n');
  const broken = runPlugin(repo, 'prod-east');
  assert.is.not(broken.status, 0);
  assert.is(broken.stdout, '');
  const unknown = runPlugin(join(FIXTURES, 'example-fleet', 'repo'), 'nowhere');
  assert.is.not(unknown.status, 0);
  assert.is(unknown.stdout, '');
});

test('the plugin refuses to print an empty stream for a cluster with no objects', () => {
  const repo = tempDir();
  writeFileSync(join(repo, 'x.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: other}\n');
  mkdirSync(join(repo, 'clusters', 'empty'), { recursive: true });
  writeFileSync(join(repo, 'clusters', 'empty', 'cluster.yaml'), 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nmetadata: {name: empty}\n');
  const r = runPlugin(repo, 'empty');
  assert.is.not(r.status, 0);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /refusing to print an empty stream/);
});

test.run();
