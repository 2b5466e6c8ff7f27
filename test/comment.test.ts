/**
 * Comments that fit and post themselves (docs/review.md): `diff --comment-parts` on a change
 * larger than one comment, and `kmm-render comment` against a real HTTP server on 127.0.0.1
 * speaking the GitHub and GitLab comment APIs — create, edit on re-run, delete what a
 * shorter run no longer has, and the 403 and over-long-body refusals.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { markedPart, markerLine } from '../src/forge/comment-marker.js';
import { planCommentSync } from '../src/forge/plan-comment-sync.js';
import type { FleetDiff } from '../src/review/diff-fleet.js';
import { emptyImpact } from '../src/review/diff-fleet.js';
import { formatMarkdownParts, MARKDOWN_LIMIT } from '../src/review/format-diff.js';
import { tempDir, writeTree } from './support/compile-fixture.js';
import { startFakeForge, type FakeForge } from './support/fake-forge.js';
import { hasStackTrace, runCli, runCliAsync } from './support/run-cli.js';

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
}

const moduleYaml = (name: string) =>
  `apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: ${name}, namespace: openshift-kmm}\nspec:\n  moduleLoader:\n    container:\n      modprobe: {moduleName: ${name.replace(/-/g, '_')}, parameters: ["${'p'.repeat(200)}"]}\n      kernelMappings: [{regexp: '.', containerImage: 'q/${name}:\${KERNEL_FULL_VERSION}'}]\n  selector: {node-role.kubernetes.io/worker: ""}\n`;

/** A repo whose last commit deletes 3 Modules and adds 60 (6 kernels each): far more than one comment. */
function bigChangeRepo(): string {
  const repo = tempDir();
  const nodes = Array.from({ length: 6 }, (_, k) => `  - {apiVersion: v1, kind: Node, metadata: {name: n${k}, labels: {node-role.kubernetes.io/worker: ""}}, status: {nodeInfo: {kernelVersion: 5.14.0-${k}.el9.x86_64}}}`).join('\n');
  const old: Record<string, string> = {};
  for (let i = 0; i < 3; i++) old[`modules/old-${i}.yaml`] = moduleYaml(`old-${i}`);
  writeTree(repo, { 'clusters/big/nodes.yaml': `apiVersion: v1\nkind: List\nitems:\n${nodes}\n`, ...old });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  for (let i = 0; i < 3; i++) rmSync(join(repo, `modules/old-${i}.yaml`));
  const modules: Record<string, string> = {};
  for (let i = 0; i < 60; i++) modules[`modules/m${i}.yaml`] = moduleYaml(`mod-${i}`);
  writeTree(repo, modules);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'head');
  return repo;
}

const partsOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^part-\d+\.md$/.test(f))
    .sort((a, b) => Number(a.slice(5, -3)) - Number(b.slice(5, -3)))
    .map((f) => readFileSync(join(dir, f), 'utf8'));

function assertFencesClosed(md: string, where: string): void {
  const fences = md.split('\n').filter((l) => /^`{3,}/.test(l));
  assert.is(fences.length % 2, 0, where);
  for (let i = 0; i < fences.length; i += 2) assert.is(fences[i + 1], fences[i]!.replace('diff', ''), where);
  assert.is((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length, where);
}

const repo = bigChangeRepo();

test('diff --comment-parts: part 1 is summary and impact (deletions first), the rest every object diff once, each part within a comment', () => {
  const dir = join(tempDir(), 'parts');
  mkdirSync(dir);
  writeFileSync(join(dir, 'part-99.md'), 'left by an earlier, longer run');
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--comment-parts', dir]);
  assert.is(r.status, 3, r.stderr);
  const parts = partsOf(dir);
  assert.ok(parts.length >= 3, `${parts.length} parts`);
  assert.is(r.stdout.trim().split('\n').length, parts.length, 'one printed path per part');
  assert.not.ok(readdirSync(dir).includes('part-99.md'), "an earlier run's extra part is removed");
  parts.forEach((p, i) => {
    assert.ok(Buffer.byteLength(p) <= MARKDOWN_LIMIT - 256, `part ${i + 1}: ${Buffer.byteLength(p)} bytes`);
    assert.match(p, new RegExp(`^## kmm-render diff: [0-9a-f]{12} → [0-9a-f]{12} \\(part ${i + 1} of ${parts.length}\\)\n`));
    assertFencesClosed(p, `part ${i + 1}`);
  });
  const [first, ...rest] = parts as [string, ...string[]];
  assert.match(first, /\| big \| 360 \| 0 \| 18 \|/);
  const impact = first.slice(first.indexOf('### Impact')).split('\n').filter((l) => l.startsWith('- '));
  assert.is(impact.filter((l) => l.startsWith('- Delete: DaemonSet openshift-kmm/old-')).length, 18);
  assert.ok(impact.slice(0, 18).every((l) => l.startsWith('- Delete: ')), 'deletions come first');
  assert.is(impact.filter((l) => l.startsWith('- Loses ')).length, 3);
  assert.is(impact.filter((l) => l.startsWith('- Gains ')).length, 60);
  assert.not.match(first, /<details>/, 'part 1 holds no object diff');
  assert.match(first, new RegExp(`_The object diffs follow in parts 2–${parts.length} \\(378 objects\\)\\._\n$`));
  // Every object diff is in exactly one later part, whole (no object is cut at this size).
  const titles = rest.flatMap((p) => [...p.matchAll(/<summary>(.+?)<\/summary>/g)].map((m) => m[1]));
  assert.is(titles.length, 378);
  assert.is(new Set(titles).size, 378);
  assert.not.match(rest.join(''), /left out/);
  assert.match(rest[0]!, /^## .*\n\n### Objects\n\n#### big\n\n<details>/);
  assert.match(rest[1]!, /^## .*\n\n#### big \(continued\)\n\n<details>/);
});

test('without --comment-parts the single comment stays, cut at object boundaries; a change that fits is one part', () => {
  const single = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD']);
  assert.is(single.status, 3);
  assert.ok(single.stdout.length <= MARKDOWN_LIMIT);
  assert.match(single.stdout, /object diffs of 378 left out to fit a comment/);
  const dir = join(tempDir(), 'parts');
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD', '--head', 'HEAD', '--comment-parts', dir]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(partsOf(dir), ['## kmm-render diff: ' + git(repo, 'rev-parse', 'HEAD').slice(0, 12) + ' → ' + git(repo, 'rev-parse', 'HEAD').slice(0, 12) + '\n\nNo change to the rendered objects.\n']);
  const json = runCli(['diff', '--repo', repo, '--base', 'HEAD', '--format', 'json', '--comment-parts', dir]);
  assert.is(json.status, 2);
  assert.match(json.stderr, /--comment-parts writes markdown/);
});

test('an object diff larger than a comment is cut at a line, fence closed, saying how much is left out', () => {
  const diff = Array.from({ length: 5000 }, (_, i) => `+line ${i} ${'x'.repeat(30)}`).join('\n') + '\n';
  const d: FleetDiff = {
    summary: [{ cluster: 'c', added: 1, changed: 0, removed: 0 }],
    impact: emptyImpact(),
    objects: [{ cluster: 'c', kind: 'ConfigMap', namespace: 'ns', name: 'huge', change: 'added', diff }],
  };
  const parts = formatMarkdownParts(d, { base: { ref: 'a', commit: 'a'.repeat(40) }, head: { ref: 'b', commit: 'b'.repeat(40) } });
  assert.is(parts.length, 2);
  assert.ok(Buffer.byteLength(parts[1]!) <= MARKDOWN_LIMIT - 256);
  assertFencesClosed(parts[1]!, 'part 2');
  const shown = (parts[1]!.match(/^\+line /gm) ?? []).length;
  assert.ok(shown > 1000 && shown < 5000, `${shown} lines shown`);
  assert.match(parts[1]!, new RegExp(`… ${5000 - shown + 1} more lines of this diff left out to fit a comment`));
});

test('an impact line naming more nodes than a comment holds is cut after a whole name, saying so; every part stays within the limit', () => {
  const nodes = Array.from({ length: 20_000 }, (_, i) => `worker-node-${String(i).padStart(5, '0')}`);
  const d: FleetDiff = {
    summary: [{ cluster: 'c', added: 1, changed: 0, removed: 0 }],
    impact: { ...emptyImpact(), gained: [{ cluster: 'c', module: 'ns/m', nodes }] },
    objects: [{ cluster: 'c', kind: 'DaemonSet', namespace: 'ns', name: 'm', change: 'added', diff: '+a\n' }],
  };
  const parts = formatMarkdownParts(d, { base: { ref: 'a', commit: 'a'.repeat(40) }, head: { ref: 'b', commit: 'b'.repeat(40) } });
  for (const p of parts) assert.ok(Buffer.byteLength(p) <= MARKDOWN_LIMIT - 256, `${Buffer.byteLength(p)} bytes`);
  const line = parts[0]!.split('\n').find((l) => l.startsWith('- Gains ns/m in c: '))!;
  assert.match(line, /worker-node-\d{5} … \(cut to fit a comment; `kmm-render diff --format json` lists every node\)$/);
  assert.ok(line.split(', ').length > 1000, 'most of the names that fit are kept');
  assert.match(parts[parts.length - 1]!, /<summary>DaemonSet ns\/m \(added\)<\/summary>/);
});

test('comment sync: edits the comment holding each part, creates missing parts, deletes extra and duplicate parts, keeps equal ones', () => {
  const m = (part: number, text: string) => `${markerLine('kmm-render', part)}\n${text}`;
  const existing = [
    { id: '1', body: 'a human comment' },
    { id: '2', body: m(1, 'old summary') },
    { id: '3', body: m(2, 'same') },
    { id: '4', body: m(3, 'gone now') },
    { id: '5', body: m(1, 'a duplicate from a racing run') },
    { id: '6', body: `${markerLine('other-fleet', 1)}\nanother job's comment` },
  ];
  assert.equal(planCommentSync(existing, ['new summary', 'same'], 'kmm-render'), [
    { op: 'update', part: 1, id: '2', body: m(1, 'new summary') },
    { op: 'keep', part: 2, id: '3' },
    { op: 'delete', part: 3, id: '4' },
    { op: 'delete', part: 1, id: '5' },
  ]);
  assert.equal(planCommentSync([], ['x'], 'kmm-render'), [{ op: 'create', part: 1, body: m(1, 'x') }]);
  assert.is(markedPart('text\n' + markerLine('kmm-render', 1), 'kmm-render'), undefined, 'the marker counts only as the first line');
});

const TOKEN = 'test-token-0123';

async function withForge<T>(flavor: 'github' | 'gitlab', run: (f: FakeForge, env: Record<string, string | undefined>) => Promise<T>, limit?: number): Promise<T> {
  const forge = await startFakeForge({ flavor, token: TOKEN, readOnlyToken: 'ro-secret-7788', project: flavor === 'github' ? 'acme/fleet' : 'acme/fleet', number: 7, ...(limit ? { limit } : {}) });
  const env =
    flavor === 'github'
      ? { GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: 'acme/fleet', GITHUB_API_URL: forge.url, GITHUB_EVENT_PATH: undefined }
      : { KMM_RENDER_GITLAB_TOKEN: TOKEN, CI_API_V4_URL: forge.url, CI_PROJECT_ID: 'acme/fleet', CI_MERGE_REQUEST_IID: '7' };
  try {
    return await run(forge, env);
  } finally {
    await forge.close();
  }
}

function writeParts(texts: readonly string[]): string {
  const dir = join(tempDir(), 'parts');
  mkdirSync(dir);
  texts.forEach((t, i) => writeFileSync(join(dir, `part-${i + 1}.md`), t));
  return dir;
}

for (const flavor of ['github', 'gitlab'] as const) {
  test(`comment ${flavor}: the first run creates the parts, a re-run edits them, a shorter run deletes the rest; other comments stay`, async () => {
    await withForge(flavor, async (forge, env) => {
      for (let i = 0; i < 3; i++) forge.comments.push({ id: 100 + i, body: `a reviewer's comment ${i}` });
      const dir = join(tempDir(), 'parts');
      const diff = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--comment-parts', dir]);
      assert.is(diff.status, 3, diff.stderr);
      const parts = partsOf(dir);
      const args = ['comment', flavor, '--parts', dir, ...(flavor === 'github' ? ['--pull-request', '7'] : [])];

      const first = await runCliAsync(args, { env });
      assert.is(first.status, 0, first.stderr);
      assert.match(first.stdout, new RegExp(`${parts.length} part\\(s\\): ${parts.length} created, 0 edited, 0 unchanged, 0 deleted`));
      assert.is(forge.comments.length, 3 + parts.length);
      forge.comments.slice(3).forEach((c, i) => assert.is(c.body, `${markerLine('kmm-render', i + 1)}\n${parts[i]}`));
      assert.ok(forge.requests.filter((r) => r.startsWith('GET ')).length >= 2, 'the listing followed Link: rel="next"');

      const again = await runCliAsync(args, { env });
      assert.is(again.status, 0, again.stderr);
      assert.match(again.stdout, new RegExp(`0 created, 0 edited, ${parts.length} unchanged, 0 deleted`));
      assert.is(forge.comments.length, 3 + parts.length, 're-runs do not pile up');

      const ids = forge.comments.slice(3).map((c) => c.id);
      const short = writeParts(['## kmm-render diff: now small\n\nOne change.\n']);
      const shorter = await runCliAsync(['comment', flavor, '--parts', short, ...(flavor === 'github' ? ['--pull-request', '7'] : [])], { env });
      assert.is(shorter.status, 0, shorter.stderr);
      assert.match(shorter.stdout, new RegExp(`1 part\\(s\\): 0 created, 1 edited, 0 unchanged, ${parts.length - 1} deleted`));
      assert.equal(
        forge.comments.map((c) => c.id),
        [100, 101, 102, ids[0]],
        'part 1 is edited in place; the reviewers’ comments are untouched',
      );
      assert.match(forge.comments[3]!.body, /One change\.\n$/);
    });
  });

  test(`comment ${flavor}: a read-only token is a 403 that says which permission is missing (exit 2, no stack)`, async () => {
    await withForge(flavor, async (forge, env) => {
      const readOnly = flavor === 'github' ? { ...env, GITHUB_TOKEN: 'ro-secret-7788' } : { ...env, KMM_RENDER_GITLAB_TOKEN: 'ro-secret-7788' };
      const r = await runCliAsync(['comment', flavor, '--parts', writeParts(['hello\n']), '--pull-request', '7'], { env: readOnly });
      assert.is(r.status, 2);
      assert.not.ok(hasStackTrace(r.stderr), r.stderr);
      assert.not.ok(r.stderr.includes('ro-secret-7788'), 'the token is never printed');
      assert.match(r.stderr, flavor === 'github' ? /HTTP 403: Resource not accessible by integration — .*pull-requests: write/ : /HTTP 403: 403 Forbidden — .*api scope/);
      assert.is(forge.comments.length, 0);
    });
  });

  test(`comment ${flavor}: a body the API refuses as too long is an error naming its size, not a silent cut`, async () => {
    await withForge(
      flavor,
      async (forge, env) => {
        const r = await runCliAsync(['comment', flavor, '--parts', writeParts(['short\n', 'y'.repeat(5000) + '\n']), '--pull-request', '7'], { env });
        assert.is(r.status, 2);
        assert.match(r.stderr, flavor === 'github' ? /cannot create the comment of part 2 of 2: HTTP 422: Validation Failed: body is too long \(maximum is 4000 characters\) — the github API refused a body of 50\d\d characters/ : /HTTP 400: .*is too long/);
        assert.is(forge.comments.length, 1, 'part 1 was posted before part 2 was refused');
      },
      4000,
    );
  });
}

test('comment: missing CI settings and parts are usage errors naming what is missing', async () => {
  const none = { GITHUB_TOKEN: undefined, GITHUB_REPOSITORY: undefined, GITHUB_EVENT_PATH: undefined };
  const r = await runCliAsync(['comment', 'github', '--parts', writeParts(['x\n'])], { env: none });
  assert.is(r.status, 2);
  assert.match(r.stderr, /comment github needs GITHUB_TOKEN, GITHUB_REPOSITORY, --pull-request N/);
  const gap = writeParts(['a\n', 'b\n']);
  rmSync(join(gap, 'part-1.md'));
  const g = runCli(['comment', 'github', '--parts', gap]);
  assert.is(g.status, 2);
  assert.match(g.stderr, /has part-2\.md but no part-1\.md/);
  const big = runCli(['comment', 'github', '--parts', writeParts(['z'.repeat(MARKDOWN_LIMIT) + '\n'])]);
  assert.is(big.status, 2);
  assert.match(big.stderr, /part-1\.md is 655\d\d bytes with its marker, more than a comment takes/);
  assert.is(runCli(['comment', 'bitbucket', '--parts', gap]).status, 2);
});

test('comment github: the pull request comes from the Actions event file when --pull-request is absent', async () => {
  await withForge('github', async (forge, env) => {
    const event = join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ action: 'synchronize', pull_request: { number: 7 } }));
    const r = await runCliAsync(['comment', 'github', '--parts', writeParts(['hi\n'])], { env: { ...env, GITHUB_EVENT_PATH: event } });
    assert.is(r.status, 0, r.stderr);
    assert.is(forge.comments.length, 1);
    assert.ok(forge.requests.includes('POST /repos/acme/fleet/issues/7/comments'));
  });
});

test.run();
