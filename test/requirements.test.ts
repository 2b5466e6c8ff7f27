/**
 * A test that needs ../shared or kubectl skips locally when either is missing, and fails
 * the run with one clear line under CI=true, so that a CI without them is never green.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './support/paths.js';

const REQUIREMENTS = join(ROOT, 'dist', 'test', 'support', 'requirements.js');

/** Calls one requirement in a fresh process with the given environment. */
function call(expression: string, env: Record<string, string>) {
  const script = `import(${JSON.stringify(REQUIREMENTS)}).then((m) => console.log('result', ${expression}))`;
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
}

const nowhere = join(mkdtempSync(join(tmpdir(), 'no-shared-')), 'shared');
const noKubectl = mkdtempSync(join(tmpdir(), 'empty-path-'));

test('without ../shared: skipped (undefined) locally, a one-line failure under CI=true', () => {
  const local = call("m.sharedPath('reference', 'corpus')", { KMM_RENDER_SHARED: nowhere, CI: '' });
  assert.is(local.status, 0, local.stderr);
  assert.match(local.stdout, /\.\.\/shared\/reference\/corpus is missing: skipped[\s\S]*result undefined/);
  const ci = call("m.sharedPath('reference', 'corpus')", { KMM_RENDER_SHARED: nowhere, CI: 'true' });
  assert.is.not(ci.status, 0);
  assert.match(ci.stderr, /\.\.\/shared\/reference\/corpus is missing, and CI=true: this test cannot check what it exists for/);
});

test('without kubectl: false locally, a one-line failure under CI=true', () => {
  const env = { PATH: noKubectl };
  const local = call('m.haveKubectl()', { ...env, CI: '' });
  assert.match(local.stdout, /kubectl is missing: skipped[\s\S]*result false/);
  const ci = call('m.haveKubectl()', { ...env, CI: 'true' });
  assert.is.not(ci.status, 0);
  assert.match(ci.stderr, /kubectl is missing, and CI=true/);
});

test.run();
