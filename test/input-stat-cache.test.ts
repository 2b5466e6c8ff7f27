/**
 * The input stat cache (src/repo/input-stat-cache.ts): files whose stat is unchanged are not
 * read until their text is used, their digests are the ones a full read gives, a changed or
 * recently written file is read again, and a file changed behind an unchanged stat stops the
 * render instead of feeding stale digests to the caches. Plus: renders with it are the
 * renders without it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readListedFile, type ListedInputFile, type UnreadInputFile } from '../src/load/repo-snapshot.js';
import { sha256 } from '../src/base/sha256.js';
import { InputChangedError, openInputStatCache } from '../src/repo/input-stat-cache.js';
import { listRepo, readReaderSettings, readRepo } from '../src/repo/read-repo.js';
import { loadAssets } from '../src/package/assets.js';
import { renderFleet } from '../src/run/render-fleet.js';
import { PROVENANCE } from './support/compile-fixture.js';
import { BIN, FIXTURES } from './support/paths.js';
import { readTree } from './support/compile-fixture.js';

/** More than the cache's racy window (2 s): files written before it are trusted. */
const pastRacyWindow = () => new Promise((done) => setTimeout(done, 2100));

const isLate = (f: ListedInputFile): f is UnreadInputFile => f.text === undefined;

function copyFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-render-stat-'));
  cpSync(join(FIXTURES, name, 'repo'), join(dir, 'repo'), { recursive: true });
  return join(dir, 'repo');
}

const read = (repo: string, cache: string) => listRepo(repo, undefined, readReaderSettings(repo), cache);

test('unchanged files are read late, with the digests and texts a full read gives; a changed one is read now', async () => {
  const repo = copyFixture('example-fleet');
  const cache = mkdtempSync(join(tmpdir(), 'kmm-render-stat-cache-'));
  await pastRacyWindow();
  const first = read(repo, cache);
  assert.ok(first.files.length > 3);
  assert.ok(first.files.every((f) => !isLate(f)), 'nothing is known yet');
  const full = readRepo(repo, undefined, readReaderSettings(repo));

  const changed = first.files[0]!.path;
  writeFileSync(join(repo, changed), readFileSync(join(repo, changed), 'utf8') + '\n# changed\n');
  const second = read(repo, cache);
  for (const f of second.files) {
    assert.is(isLate(f), f.path !== changed, f.path);
    const want = f.path === changed ? readFileSync(join(repo, changed), 'utf8') : full.files.find((g) => g.path === f.path)!.text;
    assert.is(f.digest, sha256(want), `${f.path} digest`);
    assert.is(readListedFile(f).text, want, `${f.path} text`);
  }
});

test('a file recorded within the racy window is read again next time', () => {
  const repo = copyFixture('simple-kmod');
  const cache = mkdtempSync(join(tmpdir(), 'kmm-render-stat-cache-'));
  read(repo, cache);
  const again = read(repo, cache);
  assert.ok(again.files.every((f) => !isLate(f)), 'files written just now are not trusted by their stat');
});

test('a file changed behind an unchanged stat stops the read of its text (InputChangedError)', async () => {
  const repo = copyFixture('simple-kmod');
  const cache = mkdtempSync(join(tmpdir(), 'kmm-render-stat-cache-'));
  await pastRacyWindow();
  read(repo, cache);
  const path = read(repo, cache).files[0]!.path;
  tamper(cache, path);
  const late = read(repo, cache).files.find((f) => f.path === path)!;
  assert.ok(isLate(late));
  try {
    readListedFile(late);
    assert.unreachable('the changed file must not be read as if it were the remembered one');
  } catch (e) {
    assert.instance(e, InputChangedError);
    assert.match((e as Error).message, path);
  }
});

test('a render that takes unchanged files from the stat cache writes what a render without caches writes', async () => {
  const repo = copyFixture('example-fleet');
  const work = mkdtempSync(join(tmpdir(), 'kmm-render-stat-render-'));
  const cache = join(work, 'cache');
  const run = (out: string, ...flags: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'render', '--repo', repo, '--out', join(work, out), ...flags], { encoding: 'utf8' });
    assert.ok(r.status === 0, r.stderr);
  };
  await pastRacyWindow();
  run('a', '--cache-dir', cache);
  const module = readdirSync(join(repo, 'modules')).find((n) => n.endsWith('.yaml'))!;
  writeFileSync(join(repo, 'modules', module), readFileSync(join(repo, 'modules', module), 'utf8').replace(/\n$/, '\n# a comment\n'));
  run('a', '--cache-dir', cache);
  run('b', '--no-cache');
  assert.equal(readTree(join(work, 'a')), readTree(join(work, 'b')));
});

/** Sets the remembered digest of `path` to something else: as if the file changed behind its stat. */
function tamper(cache: string, path: string): void {
  const [entryFile] = readdirSync(join(cache, 'inputs'));
  const stored = JSON.parse(readFileSync(join(cache, 'inputs', entryFile!), 'utf8')) as { files: Record<string, { digest: string }> };
  stored.files[path]!.digest = sha256('something else');
  writeFileSync(join(cache, 'inputs', entryFile!), JSON.stringify(stored));
}

test('late files sent to worker threads compile to the tree an eager read gives', async () => {
  const repo = copyFixture('example-fleet');
  const cache = mkdtempSync(join(tmpdir(), 'kmm-render-stat-cache-'));
  await pastRacyWindow();
  read(repo, cache);
  const late = read(repo, cache);
  assert.ok(late.files.every(isLate));
  const options = { provenance: PROVENANCE, jobs: 2, parallelMinBytes: 0 };
  const parallel = await renderFleet(late, loadAssets, options);
  assert.is(parallel.stats.workers, 2, 'the units really went to workers');
  const eager = await renderFleet(readRepo(repo, undefined, readReaderSettings(repo)), loadAssets, { ...options, jobs: 1 });
  assert.ok(parallel.tree && eager.tree);
  assert.equal([...parallel.tree!.files], [...eager.tree!.files]);
});

test('a file changed behind its stat fails a parallel render with InputChangedError, not a crash', async () => {
  const repo = copyFixture('example-fleet');
  const cache = mkdtempSync(join(tmpdir(), 'kmm-render-stat-cache-'));
  await pastRacyWindow();
  const first = read(repo, cache);
  // A file of the smallest cluster: its unit is sent last, after a worker's first reply.
  const bytes = new Map<string, number>();
  for (const f of first.files) {
    const folder = /^clusters\/([^/]+)\//.exec(f.path)?.[1];
    if (folder) bytes.set(folder, (bytes.get(folder) ?? 0) + f.bytes!);
  }
  assert.ok(bytes.size >= 3, 'three clusters, two workers');
  const smallest = [...bytes].sort((a, b) => a[1] - b[1])[0]![0];
  const cluster = first.files.find((f) => f.path.startsWith(`clusters/${smallest}/`))!.path;
  tamper(cache, cluster);
  try {
    await renderFleet(read(repo, cache), loadAssets, { provenance: PROVENANCE, jobs: 2, parallelMinBytes: 0 });
    assert.unreachable('the render must stop');
  } catch (e) {
    assert.is((e as Error).name, 'InputChangedError');
    assert.match((e as Error).message, cluster);
  }
});

test('a fact learnt by one build of kmm-render is never used by another: the tool digest keys the cache', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kmm-render-stat-tool-'));
  const file = join(dir, 'hub.yaml');
  writeFileSync(file, 'apiVersion: kmm-render.io/v1alpha1\nkind: Cluster\nspec:\n  hub: true\n');
  const cacheDir = mkdtempSync(join(tmpdir(), 'kmm-render-stat-cache-'));
  await pastRacyWindow();
  const first = openInputStatCache(cacheDir, dir, 'tool-a');
  assert.is(first.inputFile('hub.yaml', file, statSync(file, { bigint: true })).mentionsHub, true);
  first.save();
  // What an older build would have judged differently: the cached fact says no hub.
  const [entryFile] = readdirSync(join(cacheDir, 'inputs'));
  const path = join(cacheDir, 'inputs', entryFile!);
  const stored = JSON.parse(readFileSync(path, 'utf8')) as { files: Record<string, { mentionsHub: boolean }> };
  stored.files['hub.yaml']!.mentionsHub = false;
  writeFileSync(path, JSON.stringify(stored));
  const sameTool = openInputStatCache(cacheDir, dir, 'tool-a').inputFile('hub.yaml', file, statSync(file, { bigint: true }));
  assert.ok(isLate(sameTool), 'the same build reuses its facts');
  assert.is(sameTool.mentionsHub, false);
  const otherTool = openInputStatCache(cacheDir, dir, 'tool-b').inputFile('hub.yaml', file, statSync(file, { bigint: true }));
  assert.not.ok(isLate(otherTool), 'another build reads the file');
  assert.is(otherTool.mentionsHub, true);
});

test.run();
