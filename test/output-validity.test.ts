/**
 * What kmm-render emits is valid where it is used: every object against the schema of its
 * kind, and every cluster folder through `kubectl kustomize` (the engine of Argo CD and Flux).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseAllDocuments } from 'yaml';
import { EMITTED_KINDS, type KindSchema } from '../src/plan/emitted-kinds.js';
import { kustomizationFiles } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';
import { haveKubectl, sharedPath } from './support/requirements.js';

const ajv = new Ajv({ allErrors: true, strict: false });
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
const moduleSchema = new Ajv({ allErrors: true, strict: false });
for (const name of ['common', 'module']) moduleSchema.addSchema(JSON.parse(readFileSync(join(ROOT, 'schemas', 'input', `${name}.schema.json`), 'utf8')) as object);
type Check = (obj: Record<string, unknown>, where: string) => void;
/** One validator per emitted Kubernetes kind, from the kinds table's schema entries. */
const validators = new Map<string, Check>();
for (const kind of Object.values(EMITTED_KINDS)) {
  const schema: KindSchema = kind.schema;
  if ('kubernetesModel' in schema) {
    const Model = ((await import(`kubernetes-models/${schema.kubernetesModel}`)) as Record<string, new (o: never) => { validate(): void }>)[kind.kind]!;
    validators.set(kind.kind, (obj, where) => assert.not.throws(() => new Model(obj as never).validate(), `${where} is not a valid ${kind.kind}`));
  } else if ('crd' in schema) {
    // A CustomResourceDefinition: its served version's openAPIV3Schema, and kmm-render's own
    // input schema of the kind (what it emits, it reads back).
    const path = sharedPath('reference', 'schemas', schema.crd);
    const crd = path ? (parse(readFileSync(path, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } }) : undefined;
    const served = crd?.spec.versions.find((v) => v.name === kind.apiVersion.split('/')[1]);
    const theirs = served ? lenient.compile(served.schema.openAPIV3Schema) : undefined;
    validators.set(kind.kind, (obj, where) => {
      const validate = moduleSchema.getSchema('https://kmm-render.io/schemas/input/module.json')!;
      assert.ok(validate(obj), `${where}: ${moduleSchema.errorsText(validate.errors)}`);
      if (theirs) assert.ok(theirs(obj), `${where} (${schema.crd}): ${lenient.errorsText(theirs.errors)}`);
    });
  } else {
    const ours = own(schema.own);
    const theirs = upstream(schema.upstream);
    validators.set(kind.kind, (obj, where) => {
      assert.ok(ours(obj), `${where}: ${ajv.errorsText(ours.errors)}`);
      if (theirs) assert.ok(theirs(obj), `${where} (upstream schema): ${ajv.errorsText(theirs.errors)}`);
    });
  }
}

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
  const check = validators.get(String(obj.kind));
  if (!check) return assert.unreachable(`${where}: kmm-render emitted an unexpected kind ${String(obj.kind)}`);
  check(obj, where);
  if (obj.kind === 'Job') {
    assert.is((obj as { spec: { ttlSecondsAfterFinished?: number } }).spec.ttlSecondsAfterFinished, undefined, 'signing Jobs never set a TTL');
  }
  if (obj.kind === 'ManifestWork') {
    // The Module it carries is itself a valid KMM Module.
    const module = (obj as { spec: { workload: { manifests: object[] } } }).spec.workload.manifests[0]!;
    const validate = moduleSchema.getSchema('https://kmm-render.io/schemas/input/module.json')!;
    assert.ok(validate(module), `${where} (its Module): ${moduleSchema.errorsText(validate.errors)}`);
  }
}

test('every kind of the kinds table has a validator, and the fixtures emit every kind', () => {
  const emitted = new Set<string>();
  for (const folder of clusterFolders) for (const file of kustomizationFiles(folder)) emitted.add(String((parse(readFileSync(join(folder, file), 'utf8')) as { kind: unknown }).kind));
  assert.equal([...emitted].sort(), [...validators.keys()].sort());
});

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
