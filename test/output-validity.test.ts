/**
 * What kmm-render emits is valid where it is used: every object against the schema of its
 * kind, and every cluster folder through `kubectl kustomize` (the engine of Argo CD and Flux).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { kustomizationFiles } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';
import { haveKubectl, sharedPath } from './support/requirements.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const ownMachineConfig = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'output', 'machine-config.schema.json'), 'utf8')) as object);
const own = (name: string) => ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'output', `${name}.schema.json`), 'utf8')) as object);
// The upstream catalogue schemas declare draft-04; their keywords are read as draft-07 ones.
const lenient = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const upstream = (file: string) => {
  const path = sharedPath('reference', 'schemas', file);
  if (!path) return undefined;
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  delete schema.id;
  return lenient.compile(schema);
};
const upstreamMachineConfig = upstream('openshift_v4.15-strict_machineconfig_machineconfiguration.openshift.io_v1.json');
const ownBuildConfig = own('build-config');
const upstreamBuildConfig = upstream('openshift_v4.15-strict_buildconfig_build.openshift.io_v1.json');
const ownManifestWork = own('manifest-work');
const upstreamManifestWork = upstream('work.open-cluster-management.io_manifestwork_v1.json');
const moduleSchema = new Ajv({ allErrors: true, strict: false });
for (const name of ['common', 'module']) moduleSchema.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'input', `${name}.schema.json`), 'utf8')) as object);

const clusterFolders: string[] = [];
for (const fixture of readdirSync(FIXTURES).sort()) {
  const expected = join(FIXTURES, fixture, 'expected');
  if (!existsSync(expected)) continue;
  for (const cluster of readdirSync(expected).sort()) {
    if (existsSync(join(expected, cluster, 'kustomization.yaml'))) clusterFolders.push(join(expected, cluster));
  }
}

test('there are rendered cluster folders to check', () => {
  assert.ok(clusterFolders.length >= 8, `found ${clusterFolders.length}`);
});

function validateObject(obj: Record<string, unknown>, where: string) {
  switch (obj.kind) {
    case 'DaemonSet':
      assert.not.throws(() => new DaemonSet(obj as never).validate(), `${where} is not a valid DaemonSet`);
      break;
    case 'MachineConfig':
      assert.ok(ownMachineConfig(obj), `${where}: ${ajv.errorsText(ownMachineConfig.errors)}`);
      if (upstreamMachineConfig) assert.ok(upstreamMachineConfig(obj), `${where} (upstream schema): ${ajv.errorsText(upstreamMachineConfig.errors)}`);
      break;
    case 'Job':
      assert.not.throws(() => new Job(obj as never).validate(), `${where} is not a valid Job`);
      assert.is((obj as { spec: { ttlSecondsAfterFinished?: number } }).spec.ttlSecondsAfterFinished, undefined, 'signing Jobs never set a TTL');
      break;
    case 'ConfigMap':
      assert.not.throws(() => new ConfigMap(obj as never).validate(), `${where} is not a valid ConfigMap`);
      break;
    case 'BuildConfig':
      assert.ok(ownBuildConfig(obj), `${where}: ${ajv.errorsText(ownBuildConfig.errors)}`);
      if (upstreamBuildConfig) assert.ok(upstreamBuildConfig(obj), `${where} (upstream schema): ${ajv.errorsText(upstreamBuildConfig.errors)}`);
      break;
    case 'ManifestWork': {
      assert.ok(ownManifestWork(obj), `${where}: ${ajv.errorsText(ownManifestWork.errors)}`);
      if (upstreamManifestWork) assert.ok(upstreamManifestWork(obj), `${where} (upstream schema): ${ajv.errorsText(upstreamManifestWork.errors)}`);
      // The Module it carries is itself a valid KMM Module.
      const module = (obj as { spec: { workload: { manifests: object[] } } }).spec.workload.manifests[0]!;
      const validate = moduleSchema.getSchema('https://kmm-render.io/schemas/input/module.json')!;
      assert.ok(validate(module), `${where} (its Module): ${moduleSchema.errorsText(validate.errors)}`);
      break;
    }
    default:
      assert.unreachable(`${where}: kmm-render emitted an unexpected kind ${String(obj.kind)}`);
  }
}

for (const folder of clusterFolders) {
  const label = folder.slice(FIXTURES.length + 1);
  test(`every object of ${label} validates against the schema of its kind`, () => {
    for (const file of kustomizationFiles(folder)) {
      validateObject(parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>, `${label}/${file}`);
    }
  });
}

for (const folder of clusterFolders) {
  const label = folder.slice(FIXTURES.length + 1);
  test(`kubectl kustomize builds ${label} with every object in apply order`, () => {
    if (!haveKubectl()) return;
    const r = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const built = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    const expected = kustomizationFiles(folder).map((f) => {
      const o = parse(readFileSync(join(folder, f), 'utf8')) as { kind: string; metadata: { name: string } };
      return `${o.kind}/${o.metadata.name}`;
    });
    assert.equal(built.map((o) => `${o.kind}/${o.metadata.name}`), expected);
  });
}

test.run();
