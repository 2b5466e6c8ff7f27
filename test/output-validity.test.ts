/**
 * What kmm-render emits is valid where it is used: every object against the schema of its
 * kind, and every cluster folder through `kubectl kustomize` (the engine of Argo CD and Flux).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { FIXTURES, ROOT, SHARED } from './support/paths.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const ownMachineConfig = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'output', 'machine-config.schema.json'), 'utf8')) as object);
const upstreamPath = join(SHARED, 'reference', 'schemas', 'openshift_v4.15-strict_machineconfig_machineconfiguration.openshift.io_v1.json');
const upstreamMachineConfig = existsSync(upstreamPath) ? ajv.compile(JSON.parse(readFileSync(upstreamPath, 'utf8')) as object) : undefined;

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
    default:
      assert.unreachable(`${where}: kmm-render emitted an unexpected kind ${String(obj.kind)}`);
  }
}

for (const folder of clusterFolders) {
  const label = folder.slice(FIXTURES.length + 1);
  test(`every object of ${label} validates against the schema of its kind`, () => {
    const kustomization = parse(readFileSync(join(folder, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    for (const file of kustomization.resources) {
      validateObject(parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>, `${label}/${file}`);
    }
  });
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
for (const folder of clusterFolders) {
  const label = folder.slice(FIXTURES.length + 1);
  test(`kubectl kustomize builds ${label} with every object in apply order`, () => {
    if (kubectl.status !== 0) {
      console.log('  (kubectl not installed: skipped)');
      return;
    }
    const r = spawnSync('kubectl', ['kustomize', folder], { encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const built = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    const kustomization = parse(readFileSync(join(folder, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    const expected = kustomization.resources.map((f) => {
      const o = parse(readFileSync(join(folder, f), 'utf8')) as { kind: string; metadata: { name: string } };
      return `${o.kind}/${o.metadata.name}`;
    });
    assert.equal(built.map((o) => `${o.kind}/${o.metadata.name}`), expected);
  });
}

test.run();
