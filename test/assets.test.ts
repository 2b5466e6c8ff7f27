/**
 * The build precompiles the input schemas (scripts/precompile-schemas.ts) and the output
 * templates (scripts/precompile-templates.ts); they are used only while they match the files
 * on disk, and validate and render exactly as run-time compiled ones.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { precompiledTemplates, precompiledValidators, readRawAssets, templateDigest } from '../src/package/assets.js';
import { compile, prepareAssets } from '../src/compile.js';
import { PROVENANCE, snapshotOf } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';

test('the build left precompiled validators for these schemas', () => {
  assert.ok(precompiledValidators(readRawAssets(), ROOT));
});

test('a schema changed since the build: the precompiled validators are not used', () => {
  const raw = readRawAssets();
  const changed = { ...raw, inputSchemas: { ...raw.inputSchemas, node: { ...(raw.inputSchemas.node as object), $comment: 'edited' } } };
  assert.is(precompiledValidators(changed, ROOT), undefined);
});

test('precompiled and run-time compiled validators report the same diagnostics', () => {
  const raw = readRawAssets();
  const snapshot = snapshotOf(join(FIXTURES, 'broken-inputs', 'repo'));
  const pre = compile(snapshot, prepareAssets(raw, { validators: precompiledValidators(raw, ROOT) }));
  const runtime = compile(snapshot, prepareAssets(raw));
  assert.ok(pre.diagnostics.some((d) => d.code.startsWith('SCHEMA_')), 'the fixture has schema errors');
  assert.equal(pre.diagnostics, runtime.diagnostics);
});

test('the build left a precompiled spec of every template, made from the text on disk', () => {
  const raw = readRawAssets();
  const specs = precompiledTemplates(ROOT)!;
  assert.equal(Object.keys(specs).sort(), Object.keys(raw.templates).sort());
  for (const [name, text] of Object.entries(raw.templates)) assert.is(specs[name]!.digest, templateDigest(text), name);
});

test('precompiled and run-time compiled templates render the same bytes; an edited template is compiled, not taken from the build', () => {
  const raw = readRawAssets();
  const specs = precompiledTemplates(ROOT)!;
  const snapshot = snapshotOf(join(FIXTURES, 'example-fleet', 'repo'));
  const built = compile(snapshot, prepareAssets(raw, { templates: { specs, digest: templateDigest } }), { provenance: PROVENANCE });
  const runtime = compile(snapshot, prepareAssets(raw), { provenance: PROVENANCE });
  assert.equal(built.tree!.files, runtime.tree!.files);
  // A spec that is not the loader's, recorded with the loader text's digest, is used while
  // the text matches — and ignored once the template is edited.
  const loader = Object.keys(raw.templates).find((n) => raw.templates[n]!.includes('kind: DaemonSet'))!;
  const other = Object.keys(raw.templates).find((n) => n !== loader && raw.templates[n]!.includes('kind: ConfigMap'))!;
  const wrong = { ...specs, [loader]: { digest: templateDigest(raw.templates[loader]!), spec: specs[other]!.spec } };
  assert.throws(() => compile(snapshot, prepareAssets(raw, { templates: { specs: wrong, digest: templateDigest } }), { provenance: PROVENANCE }), /kind/);
  const edited = { ...raw, templates: { ...raw.templates, [loader]: raw.templates[loader]!.replace('kind: DaemonSet', 'kind: DaemonSet\n# edited') } };
  const withEdit = compile(snapshot, prepareAssets(edited, { templates: { specs: wrong, digest: templateDigest } }), { provenance: PROVENANCE });
  assert.equal(withEdit.tree!.files, runtime.tree!.files, 'the edited template was compiled at run time (a comment changes no object)');
});

test.run();
