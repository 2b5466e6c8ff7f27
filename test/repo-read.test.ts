/** Reading a repository from disk: which files, symbolic links, exclusions (SPEC §2.1). */
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readRevision, resolveRevision } from '../src/git/read-revision.js';
import { GitReadError, readBlobs } from '../src/git/read-blobs.js';
import { OperationalError } from '../src/base/operational-error.js';
import { decodeText } from '../src/base/decode-text.js';
import { makeInputSelection } from '../src/load/input-selection.js';
import { DEFAULT_LIMITS } from '../src/load/limits.js';
import { readReaderSettings, readRepo } from '../src/repo/read-repo.js';
import { tempDir, writeTree } from './support/compile-fixture.js';

/** Runs git in `cwd` with a fixed identity; its trimmed output. */
function gitIn(cwd: string): (...args: string[]) => string {
  return (...args) => {
    const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
}

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
  symlinkSync('inside.yaml', join(repo, 'alias.yaml'));
  symlinkSync(join(repo, 'inside.yaml'), join(repo, 'absolute.yaml'));
  const snapshot = readRepo(repo, undefined, { exclude: [], limits: DEFAULT_LIMITS });
  assert.equal(snapshot.files.map((f) => f.path), ['alias.yaml', 'inside.yaml'], 'a relative link inside the repo is read');
  // An absolute link is machine-specific (a clone elsewhere reads something else): refused even when it points inside.
  assert.equal(snapshot.readDiagnostics.filter((x) => x.code === 'SYMLINK_OUTSIDE_REPO').map((d) => `${d.file}:${d.line}:${d.col}`), ['absolute.yaml:1:1', 'link.yaml:1:1']);
});

test('FILE_UNREADABLE: a dangling link is reported, the rest is read', () => {
  const repo = tempDir();
  writeTree(repo, { 'ok.yaml': 'a: 1\n' });
  symlinkSync('gone.yaml', join(repo, 'dangling.yaml'));
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


test('one selection of input paths: dot folders, node_modules, the output folder, folder and file excludes', () => {
  const { isInput } = makeInputSelection({ exclude: ['vendor', '**/testdata/**', 'skip-me.yaml'] }, 'out');
  const table: [string, boolean][] = [
    ['a.yaml', true], ['deep/b.yml', true], ['c.json', true], ['d.txt', false],
    ['.github/workflow.yaml', false], ['x/.hidden/y.yaml', false], ['.dot.yaml', false],
    ['node_modules/p/package.json', false], ['out/c/x.yaml', false], ['outer.yaml', true],
    ['vendor/v.yaml', false], ['vendor', false], ['a/testdata/t.yaml', false], ['skip-me.yaml', false], ['keep/skip-me.yaml', true],
  ];
  for (const [path, expected] of table) assert.is(isInput(path), expected, path);
});

test('render and diff read the same inputs: links inside and outside, absolute and dangling links, dot folders, excludes', async () => {
  const outside = tempDir();
  writeFileSync(join(outside, 'secret.yaml'), 'kind: Secret\n');
  const root = tempDir();
  const repo = join(root, 'fleet');
  writeTree(repo, {
    'modules/m.yaml': 'a: 1\n',
    'modules/real.yaml': 'b: 2\n',
    'shared/deep/target.yaml': 'c: 3\n',
    '.github/ci.yaml': 'on: push\n',
    'vendor/v.yaml': 'v: 1\n',
    'node_modules/p/package.json': '{}',
    'rendered/c/x.yaml': 'x: 1\n',
    'kmm-render.yaml': 'apiVersion: kmm-render.io/v1alpha1\nkind: RenderConfig\nspec:\n  exclude: ["vendor"]\n  limits: {maxFileBytes: 1000}\n',
    'big.yaml': `# ${'x'.repeat(2000)}\n`,
  });
  mkdirSync(join(repo, 'dir.yaml'));
  writeFileSync(join(repo, 'dir.yaml', 'inner.yaml'), 'd: 4\n');
  symlinkSync('real.yaml', join(repo, 'modules', 'link.yaml'));
  symlinkSync('../shared/deep/target.yaml', join(repo, 'modules', 'up.yaml'));
  symlinkSync('link.yaml', join(repo, 'modules', 'chain.yaml'));
  symlinkSync(join(outside, 'secret.yaml'), join(repo, 'absolute.yaml'));
  symlinkSync('../../outside.yaml', join(repo, 'climbs.yaml'));
  symlinkSync('nowhere.yaml', join(repo, 'dangling.yaml'));
  symlinkSync('shared', join(repo, 'folder-link.yaml'));
  const git = gitIn(root);
  git('init', '-q');
  git('add', '-A', '-f');
  git('commit', '-q', '-m', 'fleet');
  const disk = readRepo(repo, join(repo, 'rendered'), readReaderSettings(repo));
  const revision = await readRevision(repo, await resolveRevision(repo, 'HEAD'), undefined);
  const view = (s: typeof disk) => ({ files: s.files.map((f) => [f.path, f.text]), diagnostics: s.readDiagnostics.map((d) => `${d.file} ${d.code} ${d.message}`) });
  assert.equal(view(revision), view(disk));
  assert.equal(disk.files.map((f) => f.path), ['dir.yaml/inner.yaml', 'kmm-render.yaml', 'modules/chain.yaml', 'modules/link.yaml', 'modules/m.yaml', 'modules/real.yaml', 'modules/up.yaml', 'shared/deep/target.yaml']);
  assert.equal(view(disk).diagnostics.map((d) => d.split(' ').slice(0, 2).join(' ')), ['absolute.yaml SYMLINK_OUTSIDE_REPO', 'big.yaml LIMIT_FILE_SIZE', 'climbs.yaml SYMLINK_OUTSIDE_REPO', 'dangling.yaml FILE_UNREADABLE']);
});

test('a revision is read in one batch, bytes exact (multi-byte text, empty files, no final newline), and a second revision reads only the blobs the first did not have', async () => {
  const repo = tempDir();
  const git = gitIn(repo);
  const texts: Record<string, string> = {
    'a.yaml': 'name: ünïcødé — 😀\n',
    'empty.yaml': '',
    'no-newline.yaml': 'a: 1',
    'lines.yaml': 'x:\n\n\n  y: 2\n\n',
  };
  writeTree(repo, texts);
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  writeFileSync(join(repo, 'b.yaml'), 'b: 2\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'two');
  const blobs = new Map<string, string>();
  const first = await readRevision(repo, await resolveRevision(repo, 'HEAD~1'), undefined, blobs);
  assert.equal(Object.fromEntries(first.files.map((f) => [f.path, f.text])), texts);
  const before = new Set(blobs.keys());
  const second = await readRevision(repo, await resolveRevision(repo, 'HEAD'), undefined, blobs);
  assert.equal(second.files.map((f) => f.path), ['a.yaml', 'b.yaml', 'empty.yaml', 'lines.yaml', 'no-newline.yaml']);
  assert.equal([...blobs.keys()].filter((k) => !before.has(k)), [git('rev-parse', 'HEAD:b.yaml')], 'only the new blob was read');
  assert.is(second.files.find((f) => f.path === 'a.yaml')!.text, first.files.find((f) => f.path === 'a.yaml')!.text);
  // Blobs already known start no git process at all (this folder is no repository).
  const known = await readBlobs(join(repo, 'not-a-repo'), [...before], blobs);
  assert.is(known, blobs);
});

test('input files read as UTF-8 whatever their bytes: ASCII (decoded as a copy), multi-byte text, a byte order mark, invalid sequences, NUL', () => {
  const repo = tempDir();
  const bodies: Record<string, Buffer> = {
    'ascii.yaml': Buffer.from('a: 1\nb: "two"\n'),
    'multibyte.yaml': Buffer.from('name: ünïcødé — 😀\n'),
    'bom.yaml': Buffer.from('\ufeffa: 1\n'),
    'invalid.yaml': Buffer.from([0x61, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x0a]),
    'nul.yaml': Buffer.from('a: \u0000\u007f\n'),
  };
  for (const [name, bytes] of Object.entries(bodies)) writeFileSync(join(repo, name), bytes);
  const snapshot = readRepo(repo, undefined, { exclude: [], limits: DEFAULT_LIMITS });
  for (const f of snapshot.files) assert.is(f.text, bodies[f.path]!.toString('utf8'), f.path);
  assert.is(snapshot.files.length, 5);
  assert.is(decodeText(Buffer.from([0xe2, 0x80])), Buffer.from([0xe2, 0x80]).toString('utf8'), 'a truncated sequence decodes as UTF-8 does');
});

test('a blob the tree lists but the object store lacks is an operational error naming it, not a crash', async () => {
  const repo = tempDir();
  const git = gitIn(repo);
  writeTree(repo, { 'a.yaml': 'a: 1\n', 'gone.yaml': 'gone: 1\n' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'one');
  const sha = git('rev-parse', 'HEAD:gone.yaml');
  rmSync(join(repo, '.git', 'objects', sha.slice(0, 2), sha.slice(2)));
  const error = await readRevision(repo, await resolveRevision(repo, 'HEAD'), undefined).then(() => undefined, (e: unknown) => e);
  assert.instance(error, GitReadError);
  assert.ok(error instanceof OperationalError, 'the CLI prints it on one line and exits 2');
  assert.match((error as Error).message, `cannot read blob ${sha}`);
});

test.run();
