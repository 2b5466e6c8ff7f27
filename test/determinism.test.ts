/**
 * Byte-for-byte reproducible output (SPEC §6): independent of input file order, time zone,
 * locale and working directory; renaming, splitting, merging or moving input files without
 * changing their scope changes only provenance.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments, stringify } from 'yaml';
import { seededRandom } from '../bench/generate-fleet.js';
import type { RepoSnapshot } from '../src/load/repo-snapshot.js';
import { buildFleetReport } from '../src/report/fleet-report.js';
import { formatReportHtml } from '../src/report/format-html.js';
import { compileSnapshot, filesOf, readTree, snapshotFromFiles, snapshotOf, tempDir } from './support/compile-fixture.js';
import { BIN, FIXTURES } from './support/paths.js';

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const rnd = seededRandom(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const fixtures = readdirSync(FIXTURES)
  .sort()
  .filter((f) => existsSync(join(FIXTURES, f, 'expected')));

for (const name of fixtures) {
  test(`${name}: shuffled input order gives identical bytes`, () => {
    const snapshot = snapshotOf(join(FIXTURES, name, 'repo'));
    const reference = compileSnapshot(snapshot).tree!.files;
    for (const seed of [1, 2, 3]) {
      const shuffledSnapshot: RepoSnapshot = { ...snapshot, files: shuffled(snapshot.files, seed) };
      const files = compileSnapshot(shuffledSnapshot).tree!.files;
      assert.equal([...files.keys()], [...reference.keys()]);
      for (const [p, text] of files) assert.is(text, reference.get(p), p);
    }
  });

  test(`${name}: the coverage report is the same bytes for shuffled input order`, () => {
    const page = (s: RepoSnapshot) => {
      const r = compileSnapshot(s);
      return formatReportHtml(buildFleetReport(r.model!.clusters, r.clusters!), { toolVersion: 'test' });
    };
    const snapshot = snapshotOf(join(FIXTURES, name, 'repo'));
    const reference = page(snapshot);
    assert.match(reference, /<h2 id="summary-h">Fleet summary<\/h2>/);
    for (const seed of [1, 2]) assert.is(page({ ...snapshot, files: shuffled(snapshot.files, seed) }), reference);
  });
}

test('rendering through the CLI is identical across TZ, LANG and working directory', () => {
  const repo = join(FIXTURES, 'example-fleet', 'repo');
  const runs = [
    { cwd: repo, env: { TZ: 'UTC', LANG: 'C', LC_ALL: 'C' }, args: ['--repo', '.'] },
    { cwd: tempDir(), env: { TZ: 'Asia/Seoul', LANG: 'ko_KR.UTF-8', LC_ALL: 'ko_KR.UTF-8' }, args: ['--repo', repo] },
    { cwd: '/', env: { TZ: 'America/Los_Angeles', LANG: 'tr_TR.UTF-8', LC_ALL: 'tr_TR.UTF-8' }, args: ['--repo', repo] },
  ];
  const trees = runs.map((r) => {
    const out = tempDir();
    const p = spawnSync(process.execPath, [BIN, 'render', ...r.args, '--out', out], { cwd: r.cwd, env: { ...process.env, ...r.env }, encoding: 'utf8' });
    assert.is(p.status, 0, p.stderr);
    return readTree(out);
  });
  assert.ok(trees[0]!.size > 5);
  for (const t of trees.slice(1)) {
    assert.equal([...t.keys()], [...trees[0]!.keys()]);
    for (const [p, text] of t) assert.is(text, trees[0]!.get(p), p);
  }
});

/** The example fleet's files, reorganised without changing any object's scope. */
function reorganised(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  // Merge the fleet-wide Modules into one file in another folder, in the opposite order.
  out['fleet/all-modules.yml'] = [files['modules/simple-kmod.yaml'], files['modules/gpu-driver.yaml']].join('---\n');
  for (const [path, text] of Object.entries(files)) {
    if (path.startsWith('modules/')) continue;
    const m = /^clusters\/([^/]+)\/nodes\.yaml$/.exec(path);
    if (m) {
      // Split each List into one file per Node, some as JSON.
      const list = parseAllDocuments(text)[0]!.toJS() as { items: { metadata: { name: string } }[] };
      list.items.forEach((node, i) => {
        out[`clusters/${m[1]}/inventory/${node.metadata.name}.${i % 2 ? 'json' : 'yaml'}`] = i % 2 ? JSON.stringify(node, null, 1) : stringify(node, { version: '1.1' });
      });
      continue;
    }
    // Rename everything else (kmm-render.yaml is read by its name).
    if (path === 'kmm-render.yaml') {
      out[path] = text;
      continue;
    }
    out[path.replace(/([^/]+)\.yaml$/, 'renamed-$1.yaml')] = text;
  }
  return out;
}

const withoutSource = (text: string) => text.replace(/^ {4}kmm-render\.io\/source: .*\n/m, '');

test('renaming, splitting, merging and moving input files changes only provenance', () => {
  const original = snapshotOf(join(FIXTURES, 'example-fleet', 'repo'));
  const before = compileSnapshot(original).tree!.files;
  const moved = compileSnapshot(snapshotFromFiles(reorganised(filesOf(original))));
  assert.ok(moved.ok, moved.diagnostics.map((d) => d.message).join('\n'));
  const after = moved.tree!.files;
  assert.equal([...after.keys()].sort(), [...before.keys()].sort());
  let sourceChanged = 0;
  for (const [p, text] of after) {
    if (p === 'render.lock') {
      assert.is.not(text, before.get(p), 'render.lock records the new input paths');
      continue;
    }
    assert.is(withoutSource(text), withoutSource(before.get(p)!), p);
    if (text !== before.get(p)) sourceChanged++;
  }
  assert.ok(sourceChanged > 0, 'the source annotation follows the Module to its new file');
});

test.run();
