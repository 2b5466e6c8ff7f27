/** Reading a repository from disk: which files, symbolic links, exclusions (SPEC §2.1). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_LIMITS } from '../src/load/limits.js';
import { readReaderSettings, readRepo } from '../src/repo/read-repo.js';
import { tempDir, writeTree } from './support/compile-fixture.js';

test('reads *.yaml, *.yml and *.json; skips .git, node_modules, the output folder and excluded globs', () => {
  const repo = tempDir();
  writeTree(repo, {
    'a.yaml': 'a: 1\n',
    'b.yml': 'b: 1\n',
    'c.json': '{}',
    'd.txt': 'no',
    '.git/config.yaml': 'x: 1\n',
    'node_modules/p/package.json': '{}',
    'rendered/demo/x.yaml': 'x: 1\n',
    'vendor/other.yaml': 'x: 1\n',
    'kmm-render.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nspec:\n  exclude: ["vendor/**"]\n',
  });
  const snapshot = readRepo(repo, join(repo, 'rendered'), readReaderSettings(repo));
  assert.equal(snapshot.files.map((f) => f.path), ['a.yaml', 'b.yml', 'c.json', 'kmm-render.yaml']);
});

test('SYMLINK_OUTSIDE_REPO: a link to a file outside the repository is not read', () => {
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\n');
  const repo = tempDir();
  writeTree(repo, { 'inside.yaml': 'a: 1\n' });
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'link.yaml'));
  symlinkSync(join(repo, 'inside.yaml'), join(repo, 'alias.yaml'));
  const snapshot = readRepo(repo, undefined, { exclude: [], limits: DEFAULT_LIMITS });
  assert.equal(snapshot.files.map((f) => f.path), ['alias.yaml', 'inside.yaml'], 'a link inside the repo is read');
  const d = snapshot.readDiagnostics.find((x) => x.code === 'SYMLINK_OUTSIDE_REPO');
  assert.ok(d);
  assert.is(`${d!.file}:${d!.line}:${d!.col}`, 'link.yaml:1:1');
});

test('FILE_UNREADABLE: a dangling link is reported, the rest is read', () => {
  const repo = tempDir();
  writeTree(repo, { 'ok.yaml': 'a: 1\n' });
  symlinkSync(join(repo, 'gone.yaml'), join(repo, 'dangling.yaml'));
  const snapshot = readRepo(repo, undefined, { exclude: [], limits: DEFAULT_LIMITS });
  assert.equal(snapshot.files.map((f) => f.path), ['ok.yaml']);
  const d = snapshot.readDiagnostics.find((x) => x.code === 'FILE_UNREADABLE');
  assert.ok(d);
  assert.is(`${d!.file}:${d!.line}:${d!.col}`, 'dangling.yaml:1:1');
});

test('a symlinked folder is not traversed', () => {
  const outside = tempDir();
  writeTree(outside, { 'n.yaml': 'a: 1\n' });
  const repo = tempDir();
  mkdirSync(join(repo, 'real'));
  writeTree(repo, { 'real/x.yaml': 'a: 1\n' });
  symlinkSync(outside, join(repo, 'linked'));
  const snapshot = readRepo(repo, undefined, { exclude: [], limits: DEFAULT_LIMITS });
  assert.equal(snapshot.files.map((f) => f.path), ['real/x.yaml']);
});

test('the source commit is read only when the repo root is a git work tree', () => {
  const repo = tempDir();
  writeTree(repo, { 'a.yaml': 'a: 1\n', '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': 'a'.repeat(40) + '\n' });
  assert.is(readRepo(repo, undefined, { exclude: [], limits: DEFAULT_LIMITS }).commit, 'a'.repeat(40));
  const sub = join(repo, 'sub');
  writeTree(sub, { 'b.yaml': 'b: 1\n' });
  assert.is(readRepo(sub, undefined, { exclude: [], limits: DEFAULT_LIMITS }).commit, undefined);
});

test.run();
