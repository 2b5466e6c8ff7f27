/**
 * The CI files of docs/review.md: they parse, docs/review.md shows them as they are, every
 * kmm-render command they run exists in the CLI, and their shell steps, run for real in a
 * throwaway repo against a local forge server, leave one set of comments that a re-run edits.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, parseDocument } from 'yaml';
import { COMMANDS, parseCommandLine } from '../src/cli/main.js';
import { FORGES } from '../src/forge/forges.js';
import { markerLine } from '../src/forge/comment-marker.js';
import { tempDir } from './support/compile-fixture.js';
import { startFakeForge } from './support/fake-forge.js';
import { BIN, FIXTURES, ROOT } from './support/paths.js';

const CI = join(ROOT, 'docs', 'ci');
const files = { github: join(CI, 'github-review.yml'), gitlab: join(CI, 'gitlab-review.yml') };

/** The shell text of each step or script line, in order. */
function shellOf(flavor: 'github' | 'gitlab', doc: Record<string, unknown>): { name: string; run: string; env: Record<string, string> }[] {
  if (flavor === 'github') {
    const jobs = doc.jobs as Record<string, { steps: { name?: string; run?: string; env?: Record<string, string> }[] }>;
    return Object.values(jobs).flatMap((j) => j.steps.filter((s) => s.run).map((s) => ({ name: s.name ?? '', run: s.run!, env: s.env ?? {} })));
  }
  return Object.entries(doc)
    .filter(([, v]) => v && typeof v === 'object' && 'script' in (v as object))
    .flatMap(([name, v]) => [{ name, run: ((v as { script: string[] }).script ?? []).join('\n'), env: (v as { variables?: Record<string, string> }).variables ?? {} }]);
}

/** The words of a simple shell command line (quotes removed; expansions kept as text). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Every `kmm-render …` command in a shell text, as its arguments. */
function kmmRenderCommands(shell: string): string[][] {
  const out: string[][] = [];
  for (const line of shell.split('\n')) {
    for (const m of line.matchAll(/(?:^|[\s;&|(])kmm-render\s+([^;&|)#]*)/g)) out.push(words(m[1]!.trim()));
  }
  return out;
}

for (const [flavor, file] of Object.entries(files) as ['github' | 'gitlab', string][]) {
  test(`${flavor} CI file: parses, is shown verbatim in docs/review.md, and runs only commands the CLI has`, () => {
    const text = readFileSync(file, 'utf8');
    const doc = parseDocument(text);
    assert.equal(doc.errors, [], `${file} parses`);
    assert.ok(readFileSync(join(ROOT, 'docs', 'review.md'), 'utf8').includes('```yaml\n' + text + '```'), 'docs/review.md shows the file as it is');
    const commands = shellOf(flavor, doc.toJS() as Record<string, unknown>).flatMap((s) => kmmRenderCommands(s.run));
    assert.equal(commands.map((c) => c[0]), ['diff', 'comment']);
    for (const argv of commands) {
      const { positionals, values } = parseCommandLine(argv);
      const [command, ...sub] = positionals;
      assert.ok(Object.hasOwn(COMMANDS, command!), `kmm-render ${command} exists`);
      assert.equal(sub.length, COMMANDS[command!]!.subcommands.length ? 1 : 0, `kmm-render ${argv.join(' ')}`);
      if (sub.length) assert.ok(COMMANDS[command!]!.subcommands.includes(sub[0]!), `kmm-render ${command} ${sub[0]} exists`);
      if (command === 'comment') assert.is(sub[0], flavor);
      if (command === 'diff') assert.is(values['comment-parts'], 'kmm-render-comment');
      if (command === 'comment') assert.is(values.parts, 'kmm-render-comment', 'the poster reads what diff wrote');
    }
  });
}

test('the CLI knows exactly the forges the poster has', () => {
  assert.equal([...COMMANDS.comment!.subcommands].sort(), Object.keys(FORGES).sort());
});

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' }).trim();
}

function bash(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

/** A pull request of the example fleet: main, then a branch that moves simple-kmod to a new image. */
function pullRequestRepo(): { repo: string; baseSha: string } {
  const repo = tempDir();
  cpSync(join(FIXTURES, 'example-fleet', 'repo'), repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  const baseSha = git(repo, 'rev-parse', 'HEAD');
  git(repo, 'checkout', '-q', '-b', 'change');
  const path = join(repo, 'modules', 'simple-kmod.yaml');
  writeFileSync(path, readFileSync(path, 'utf8').replace('quay.io/example/simple-kmod:${KERNEL_FULL_VERSION}', 'quay.io/example/simple-kmod:v2-${KERNEL_FULL_VERSION}'));
  git(repo, 'commit', '-qam', 'simple-kmod v2');
  return { repo, baseSha };
}

/** kmm-render on PATH, as the install step puts it there. */
function kmmRenderOnPath(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'kmm-render'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(join(dir, 'kmm-render'), 0o755);
  return `${dir}:${process.env.PATH ?? ''}`;
}

const TOKEN = 'ci-token-42';

test('the GitHub workflow, run step by step, posts the review once and edits it on a re-run', async () => {
  const { repo, baseSha } = pullRequestRepo();
  const forge = await startFakeForge({ flavor: 'github', token: TOKEN, project: 'acme/fleet', number: 7 });
  try {
    const workflow = parse(readFileSync(files.github, 'utf8')) as Record<string, unknown>;
    const expressions: Record<string, string> = { 'github.event.pull_request.base.sha': baseSha, 'github.event.pull_request.number': '7', 'secrets.GITHUB_TOKEN': TOKEN };
    const expand = (s: string) => s.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => expressions[e] ?? assert.unreachable(`unknown expression ${e}`));
    const steps = shellOf('github', workflow).filter((s) => !s.name.startsWith('Install'));
    assert.is(steps.length, 2);
    const env = { PATH: kmmRenderOnPath(), GITHUB_REPOSITORY: 'acme/fleet', GITHUB_API_URL: forge.url, ...(workflow.env as Record<string, string>) };
    for (let run = 0; run < 2; run++) {
      for (const step of steps) {
        const r = await bash(expand(step.run), repo, { ...env, ...Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, expand(v)])) });
        assert.is(r.status, 0, `${step.name}: ${r.out}`);
      }
    }
    assert.is(forge.comments.length, 1, 'one comment, edited in place by the re-run');
    const body = forge.comments[0]!.body;
    assert.ok(body.startsWith(markerLine('kmm-render', 1) + '\n## kmm-render diff: '));
    assert.match(body, /- Image: openshift-kmm\/simple-kmod on kernel 5\.14\.0-427\.22\.1\.el9_4\.x86_64 in edge-lab: quay\.io\/example\/simple-kmod:5\.14\.0-427\.22\.1\.el9_4\.x86_64 → quay\.io\/example\/simple-kmod:v2-5\.14\.0-427\.22\.1\.el9_4\.x86_64\./);
    assert.is(forge.requests.filter((r) => r.startsWith('POST')).length, 1);
  } finally {
    await forge.close();
  }
});

test('the GitLab job, run as its script, posts the review as a merge request note', async () => {
  const { repo, baseSha } = pullRequestRepo();
  const forge = await startFakeForge({ flavor: 'gitlab', token: TOKEN, project: 'acme/fleet', number: 7 });
  try {
    const job = (parse(readFileSync(files.gitlab, 'utf8')) as Record<string, { script: string[]; variables: Record<string, string> }>)['kmm-render-review']!;
    // The install line is replaced by kmm-render on PATH, the fetch by the local branch.
    const script = job.script.filter((l) => !l.startsWith('npm install') && !l.startsWith('git fetch')).join('\n');
    const env = {
      PATH: kmmRenderOnPath(),
      ...job.variables,
      CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha,
      CI_API_V4_URL: forge.url,
      CI_PROJECT_ID: 'acme/fleet',
      CI_MERGE_REQUEST_IID: '7',
      KMM_RENDER_GITLAB_TOKEN: TOKEN,
    };
    const r = await bash(script, repo, env);
    assert.is(r.status, 0, r.out);
    assert.is(forge.comments.length, 1);
    assert.match(forge.comments[0]!.body, /^<!-- kmm-render-comment name=kmm-render part=1 -->\n## kmm-render diff: [0-9a-f]{12} → [0-9a-f]{12}\n/);
    assert.ok(forge.requests.includes('POST /api/v4/projects/acme%2Ffleet/merge_requests/7/notes'));
  } finally {
    await forge.close();
  }
});

test.run();
