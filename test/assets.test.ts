/**
 * The build precompiles the input schemas (scripts/precompile-schemas.ts); they are used only
 * while they match the schemas on disk, and validate exactly as run-time compiled ones.
 */
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { precompiledValidators, readRawAssets } from '../src/package/assets.js';
import { compile, prepareAssets } from '../src/compile.js';
import { snapshotOf } from './support/compile-fixture.js';
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
  const pre = compile(snapshot, prepareAssets(raw, precompiledValidators(raw, ROOT)));
  const runtime = compile(snapshot, prepareAssets(raw));
  assert.ok(pre.diagnostics.some((d) => d.code.startsWith('SCHEMA_')), 'the fixture has schema errors');
  assert.equal(pre.diagnostics, runtime.diagnostics);
});

test.run();
