/** The command line as users run it: exit codes, streams, no stack traces (SPEC §1). */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { kustomizationFiles, readTree, tempDir } from './support/compile-fixture.js';
import { FIXTURES, ROOT } from './support/paths.js';
import { hasStackTrace, runCli } from './support/run-cli.js';
import { COMMANDS } from '../src/cli/main.js';

const FLEET = join(FIXTURES, 'example-fleet', 'repo');
const BROKEN = join(FIXTURES, 'broken-inputs', 'repo');

test('--version prints the package version', () => {
  const r = runCli(['--version']);
  assert.is(r.status, 0);
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  assert.is(r.stdout, `kmm-render ${version}\n`);
});

test('usage errors exit 2 with one line and no stack trace', () => {
  for (const args of [['frobnicate'], ['render', '--nope'], ['render', '--format', 'xml'], [], ['render', '--stdout'], ['render', '--repo', FLEET, '--cluster', 'nowhere', '--out', tempDir()]]) {
    const r = runCli(args);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  }
});

test('every command of the table is dispatched; a wrong subcommand prints its usage line, a stray argument is refused', () => {
  for (const [command, { subcommands, usage }] of Object.entries(COMMANDS)) {
    const empty = tempDir();
    const r = runCli([command, ...subcommands.slice(0, 1)], { cwd: empty, env: { KMM_RENDER_CACHE: join(empty, '.cache'), GITHUB_TOKEN: '', GITHUB_REPOSITORY: '' } });
    assert.not.match(r.stderr, /internal error/, `${command}: ${r.stderr}`);
    if (subcommands.length > 0) {
      const wrong = runCli([command, 'nonsense'], { cwd: empty });
      assert.is(wrong.status, 2);
      assert.is(wrong.stderr, `kmm-render: usage: kmm-render ${usage}\n`);
    } else {
      const stray = runCli([command, 'stray'], { cwd: empty });
      assert.is(stray.status, 2);
      assert.is(stray.stderr, 'kmm-render: unexpected argument stray\n');
    }
  }
});

test('render refuses an output folder that is the repository itself', () => {
  const repo = tempDir();
  cpSync(FLEET, repo, { recursive: true });
  const r = runCli(['render', '--repo', repo, '--out', repo]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /is the repository or contains it/);
});

test('render writes to the output setting of kmm-render.yaml by default', () => {
  const repo = tempDir();
  cpSync(FLEET, repo, { recursive: true });
  const r = runCli(['render'], { cwd: repo });
  assert.is(r.status, 0, r.stderr);
  assert.ok(existsSync(join(repo, 'rendered', 'prod-east', 'kustomization.yaml')));
  assert.is(r.stdout, '', 'render writes files, not stdout');
  // The rendered folder is not read back as input on the next run.
  const again = runCli(['render'], { cwd: repo });
  assert.is(again.status, 0, again.stderr);
});

test('render writes <out>/<cluster>/kustomization.yaml for every cluster', () => {
  const out = tempDir();
  const r = runCli(['render', '--repo', FLEET, '--out', out]);
  assert.is(r.status, 0, r.stderr);
  for (const c of ['edge-lab', 'prod-east', 'prod-west']) assert.ok(existsSync(join(out, c, 'kustomization.yaml')), c);
  assert.ok(existsSync(join(out, 'render.lock')));
  assert.ok(existsSync(join(out, 'README.md')));
});

test('broken input exits 1 with file:line:col diagnostics, no stack trace, and the previous tree untouched', () => {
  const out = tempDir();
  assert.is(runCli(['render', '--repo', FLEET, '--out', out]).status, 0);
  const before = readTree(out);
  const r = runCli(['render', '--repo', BROKEN, '--out', out]);
  assert.is(r.status, 1);
  assert.not.ok(hasStackTrace(r.stderr), r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.includes(' error '));
  assert.ok(lines.length >= 10, r.stderr);
  for (const l of lines) assert.match(l, /^[^:\s]+:\d+:\d+: error [A-Z_]+: .+/);
  assert.equal(readTree(out), before);
});

test('validate --format json prints the diagnostics as JSON on stdout and exits 1 on errors', () => {
  const r = runCli(['validate', '--repo', BROKEN, '--format', 'json']);
  assert.is(r.status, 1);
  const list = JSON.parse(r.stdout) as { code: string; file: string; line: number; col: number; path: string }[];
  assert.ok(list.some((d) => d.code === 'LOADING_ORDER_FIRST' && d.file === 'modules/loading-order.yaml' && d.line === 12 && d.col === 13 && d.path === '/spec/moduleLoader/container/modprobe/modulesLoadingOrder/0'));
});

test('validate exits 0 on a valid repository and writes nothing', () => {
  const repo = tempDir();
  cpSync(FLEET, repo, { recursive: true });
  const r = runCli(['validate', '--repo', repo]);
  assert.is(r.status, 0, r.stderr);
  assert.not.ok(existsSync(join(repo, 'rendered')));
});

test('--strict turns warnings into errors', () => {
  const r = runCli(['validate', '--repo', FLEET, '--strict']);
  assert.is(r.status, 1);
  assert.match(r.stderr, /error KERNEL_MAPPING_MISSING/);
});

test('render --stdout --cluster prints one YAML stream in apply order and writes nothing', () => {
  const out = tempDir();
  runCli(['render', '--repo', FLEET, '--out', out]);
  const r = runCli(['render', '--repo', FLEET, '--stdout', '--cluster', 'prod-east']);
  assert.is(r.status, 0, r.stderr);
  const expected = kustomizationFiles(join(out, 'prod-east')).map((f) => readFileSync(join(out, 'prod-east', f), 'utf8')).join('---\n');
  assert.is(r.stdout, expected);
});

test('render --stdout fails with nothing on stdout when the input is broken', () => {
  const r = runCli(['render', '--repo', BROKEN, '--stdout', '--cluster', 'broken']);
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
});

test.run();
