/**
 * Review and git workflow (SPEC §7, §8): diff between two commits of a throwaway git repo in
 * all three formats, the 65,536-character cut, check, and the pre-commit hook.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MARKDOWN_LIMIT } from '../src/review/format-diff.js';
import { immutableFieldChanges } from '../src/review/immutable-fields.js';
import { tempDir, writeTree } from './support/compile-fixture.js';
import { FIXTURES } from './support/paths.js';
import { hasStackTrace, runCli } from './support/run-cli.js';

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
}

/** A git repo holding a fixture's input (the example fleet by default), committed once. */
function fleetRepo(fixture = 'example-fleet'): string {
  const repo = tempDir();
  cpSync(join(FIXTURES, fixture, 'repo'), repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  return repo;
}

function edit(repo: string, file: string, from: string | RegExp, to: string): void {
  const path = join(repo, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  assert.is.not(next, text, `edit of ${file} changed nothing`);
  writeFileSync(path, next);
}

function state(repo: string) {
  return { head: git(repo, 'rev-parse', 'HEAD'), status: git(repo, 'status', '--porcelain'), index: readFileSync(join(repo, '.git', 'index')).toString('base64') };
}

test('diff between two commits: summary, impact and per-object diffs in markdown, json and text', () => {
  const repo = fleetRepo();
  // A GPU node on a new kernel (with a build), firmware moved to a new pool member, an image change.
  edit(repo, 'clusters/prod-east/nodes.yaml', /east-w1, labels: \{node-role.kubernetes.io\/worker: ""\}\}/, 'east-w1, labels: {node-role.kubernetes.io/worker: "", example.com/gpu: present}}');
  edit(repo, 'modules/simple-kmod.yaml', 'quay.io/example/simple-kmod:${KERNEL_FULL_VERSION}', 'quay.io/example/simple-kmod:v2-${KERNEL_FULL_VERSION}');
  edit(repo, 'modules/gpu-driver.yaml', "        - regexp: '^5\\.14\\.0-427\\.'", "        - regexp: '^5\\.14\\.0-(427|162)\\.'");
  writeTree(repo, {
    'modules/gpu-driver.yaml': readFileSync(join(repo, 'modules/gpu-driver.yaml'), 'utf8').replace(
      '          containerImage: quay.io/example/gpu-driver:2.1.0-5.14.0-284.52.1.el9_2',
      '          containerImage: quay.io/example/gpu-driver:2.1.0-5.14.0-284.52.1.el9_2\n          build:\n            dockerfileConfigMap: {name: gpu-dockerfile}',
    ),
    'modules/gpu-dockerfile.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gpu-dockerfile, namespace: openshift-kmm}\ndata:\n  dockerfile: "FROM ubi9\\n"\n',
  });
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'head');
  const before = state(repo);

  const md = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD']);
  assert.is(md.status, 3, md.stderr);
  assert.match(md.stdout, /\| prod-east \| \d+ \| \d+ \| \d+ \|/);
  assert.match(md.stdout, /- Reboot: MachineConfig 99-worker-kernel-args-firmware-path added in prod-west: the 3 nodes of pool worker will reboot\./);
  assert.match(md.stdout, /- Build: openshift-kmm\/gpu-driver for kernel 5\.14\.0-284\.52\.1\.el9_2\.x86_64 in prod-east builds quay\.io\/example\/gpu-driver:2\.1\.0-5\.14\.0-284\.52\.1\.el9_2\./);
  assert.match(md.stdout, /- Gains openshift-kmm\/gpu-driver in prod-east: east-w1\./);
  assert.match(md.stdout, /- Gains openshift-kmm\/gpu-driver in prod-west: west-gpu0\./);
  assert.match(md.stdout, /- Image: openshift-kmm\/simple-kmod on kernel 5\.14\.0-427\.22\.1\.el9_4\.x86_64 in prod-west: quay\.io\/example\/simple-kmod:5\.14\.0-427\.22\.1\.el9_4\.x86_64 → quay\.io\/example\/simple-kmod:v2-5\.14\.0-427\.22\.1\.el9_4\.x86_64\./);
  assert.match(md.stdout, /<details><summary>BuildConfig openshift-kmm\/gpu-driver-5-14-0-284-52-1-el9-2-x86-64 \(added\)<\/summary>/);
  assert.match(md.stdout, /<details><summary>DaemonSet openshift-kmm\/simple-kmod-5-14-0-427-22-1-el9-4-x86-64 \(changed\)<\/summary>/);

  const json = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
  assert.is(json.status, 3);
  const report = JSON.parse(json.stdout) as { changed: boolean; objects: { change: string; kind: string }[]; impact: { builds: unknown[]; reboots: { pool: string; nodes: number }[] } };
  assert.is(report.changed, true);
  assert.equal(Object.keys(JSON.parse(json.stdout)), ['base', 'head', 'changed', 'summary', 'impact', 'objects']);
  assert.equal(report.impact.reboots.map((r) => `${r.pool}:${r.nodes}`), ['worker:3']);
  assert.ok(report.objects.some((o) => o.change === 'added' && o.kind === 'BuildConfig'));

  const text = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'text']);
  assert.is(text.status, 3);
  assert.match(text.stdout, /^prod-east: \d+ added, \d+ changed, \d+ removed$/m);
  assert.match(text.stdout, /^ {2}Reboot: MachineConfig/m);

  assert.equal(state(repo), before, 'diff touches neither HEAD, the index nor the working tree');
});

test('a node on a new kernel triggers a build, reported with module, kernel and image', () => {
  const repo = tempDir();
  cpSync(join(FIXTURES, 'build-dtk', 'repo'), repo, { recursive: true });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  edit(repo, 'clusters/ocp414/nodes.yaml', 'items:\n', 'items:\n  - apiVersion: v1\n    kind: Node\n    metadata: {name: worker-c, labels: {node-role.kubernetes.io/worker: ""}}\n    status:\n      nodeInfo: {kernelVersion: 5.14.0-284.60.1.el9_2.x86_64, osImage: Red Hat Enterprise Linux CoreOS 414.92.202402051952-0 (Plow)}\n');
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD', '--format', 'text']);
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stdout, /^ {2}Build: openshift-kmm\/kmm-ci for kernel 5\.14\.0-284\.60\.1\.el9_2\.x86_64 in ocp414 builds image-registry\.openshift-image-registry\.svc:5000\/openshift-kmm\/kmm-ci:5\.14\.0-284\.60\.1\.el9_2\.x86_64\.$/m);
  assert.match(r.stdout, /^ {2}Gains openshift-kmm\/kmm-ci in ocp414: worker-c\.$/m);
});

test('a kernel losing its mapping and removed objects are reported; the working tree is the default head', () => {
  const repo = fleetRepo();
  edit(repo, 'modules/gpu-driver.yaml', "        - regexp: '^5\\.14\\.0-427\\.'\n          containerImage: quay.io/example/gpu-driver:2.1.0-${KERNEL_FULL_VERSION}\n", '');
  const before = state(repo);
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD']);
  assert.is(r.status, 3, r.stderr);
  assert.match(r.stdout, /- No mapping: openshift-kmm\/gpu-driver has no image for kernel 5\.14\.0-427\.22\.1\.el9_4\.x86_64 in prod-east; 1 node left without it \(east-gpu1\)\./);
  assert.match(r.stdout, /- Loses openshift-kmm\/gpu-driver in prod-east: east-gpu1\./);
  assert.match(r.stdout, /DaemonSet openshift-kmm\/gpu-driver-5-14-0-427-22-1-el9-4-x86-64 \(removed\)/);
  assert.equal(state(repo), before);
});

test('changing a Module\'s version keeps the loader DaemonSet and its selector: the diff applies, as a rolling reload', () => {
  const repo = fleetRepo('module-version');
  edit(repo, 'modules/ice.yaml', 'version: "1.13.7"', 'version: "1.14.2"');
  edit(repo, 'modules/ice.yaml', 'ice:1.13.7-', 'ice:1.14.2-');
  git(repo, 'commit', '-qam', 'ice 1.14.2');
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']);
  assert.is(r.status, 3, r.stderr);
  const report = JSON.parse(r.stdout) as { objects: { kind: string; name: string; change: string }[]; impact: { blocked: unknown[]; reloads: { module: string; nodes: number }[] } };
  assert.equal(report.objects.map((o) => `${o.kind}/${o.name}:${o.change}`), ['DaemonSet/ice-5-14-0-427-22-1-el9-4-x86-64:changed']);
  assert.equal(report.impact.blocked, [], 'no immutable field changes under a kept name');
  assert.equal(report.impact.reloads, [{ cluster: 'lab', module: 'openshift-kmm/ice', kernel: '5.14.0-427.22.1.el9_4.x86_64', nodes: 2 }]);
  // Setting a version where there was none, and removing it, apply too.
  edit(repo, 'modules/ice.yaml', '      version: "1.14.2"\n', '');
  git(repo, 'commit', '-qam', 'no version');
  const unset = JSON.parse(runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'json']).stdout) as { impact: { blocked: unknown[] } };
  assert.equal(unset.impact.blocked, []);
  const md = runCli(['diff', '--repo', repo, '--base', 'HEAD~2', '--head', 'HEAD~1']);
  assert.match(md.stdout, /- Reload: openshift-kmm\/ice on kernel 5\.14\.0-427\.22\.1\.el9_4\.x86_64 in lab is unloaded and loaded again on its 2 nodes, one node at a time/);
});

test('immutable fields: a DaemonSet selector or a Job template that changes under a kept name is reported', () => {
  const ds = (labels: Record<string, string>) => ({ spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } });
  assert.equal(immutableFieldChanges('DaemonSet', ds({ a: '1' }), ds({ a: '1', v: '2' })), ['spec.selector']);
  assert.equal(immutableFieldChanges('DaemonSet', { spec: { selector: { matchLabels: { a: '1' } }, template: { x: 1 } } }, { spec: { selector: { matchLabels: { a: '1' } }, template: { x: 2 } } }), []);
  assert.equal(immutableFieldChanges('Job', { spec: { template: { x: 1 } } }, { spec: { template: { x: 2 } } }), ['spec.template']);
  assert.equal(immutableFieldChanges('ConfigMap', { immutable: true, data: { a: '1' } }, { immutable: true, data: { a: '2' } }), ['data']);
  assert.equal(immutableFieldChanges('MachineConfig', { spec: { a: 1 } }, { spec: { a: 2 } }), []);
});

test('a change that only reorders input documents and files reports no difference', () => {
  const repo = fleetRepo();
  const nodes = readFileSync(join(repo, 'clusters/prod-west/nodes.yaml'), 'utf8');
  const lines = nodes.split('\n');
  const items = lines.filter((l) => l.startsWith('  - '));
  writeFileSync(join(repo, 'clusters/prod-west/nodes.yaml'), [...lines.filter((l) => !l.startsWith('  - ') && l.trim() !== ''), ...items.reverse()].join('\n') + '\n');
  const both = readFileSync(join(repo, 'modules/simple-kmod.yaml'), 'utf8');
  writeFileSync(join(repo, 'modules/simple-kmod.yaml'), both.split('\n').filter((l) => !l.startsWith('#')).join('\n'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'reorder');
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--format', 'text']);
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /no change/);
});

test('ignore options: fields by JSON pointer and objects by kind/name', () => {
  const repo = fleetRepo();
  git(repo, 'mv', 'modules/simple-kmod.yaml', 'modules/renamed.yaml');
  git(repo, 'commit', '-qm', 'rename');
  const plain = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--format', 'json']);
  assert.is(plain.status, 3, 'the source annotation follows the file');
  const ignoring = runCli(['diff', '--repo', repo, '--base', 'HEAD~1', '--format', 'json', '--ignore-path', '/metadata/annotations/kmm-render.io~1source']);
  assert.is(ignoring.status, 0, ignoring.stdout);
  edit(repo, 'modules/renamed.yaml', 'quay.io/example/simple-kmod:', 'quay.io/example/simple-kmod-x:');
  const objects = runCli(['diff', '--repo', repo, '--base', 'HEAD', '--format', 'json', '--ignore-path', '/metadata/annotations/kmm-render.io~1source', ...['prod-east', 'prod-west', 'edge-lab'].flatMap(() => []), '--ignore-object', 'DaemonSet/simple-kmod-5-14-0-284-52-1-el9-2-x86-64', '--ignore-object', 'DaemonSet/openshift-kmm/simple-kmod-5-14-0-427-22-1-el9-4-x86-64', '--ignore-object', 'DaemonSet/simple-kmod-5-14-0-162-6-1-el9-1-x86-64']);
  assert.is(objects.status, 0, objects.stdout);
});

test('diff refuses revisions that start with "-" and unknown revisions (exit 2); input errors exit 1 naming the side', () => {
  const repo = fleetRepo();
  for (const args of [['--base', '--output=/tmp/x'], ['--base', 'HEAD', '--head', '-p'], ['--base', 'no-such-branch'], []]) {
    const r = runCli(['diff', '--repo', repo, ...args]);
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.not.ok(hasStackTrace(r.stderr));
  }
  writeFileSync(join(repo, 'modules/broken.yaml'), 'apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: b}\nspec: {}\n');
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD']);
  assert.is(r.status, 1);
  assert.match(r.stderr, /the head \(working tree\) has input errors/);
});

test('markdown longer than a comment is cut at object boundaries, summary and impact whole, fences closed', () => {
  const repo = tempDir();
  const modules: Record<string, string> = {};
  for (let i = 0; i < 60; i++) {
    modules[`modules/m${i}.yaml`] = `apiVersion: kmm.sigs.x-k8s.io/v1beta1\nkind: Module\nmetadata: {name: mod-${i}, namespace: openshift-kmm}\nspec:\n  moduleLoader:\n    container:\n      modprobe: {moduleName: mod_${i}, parameters: ["${'p'.repeat(200)}"]}\n      kernelMappings: [{regexp: '.', containerImage: 'q/m${i}:\${KERNEL_FULL_VERSION}'}]\n  selector: {node-role.kubernetes.io/worker: ""}\n`;
  }
  const nodes = Array.from({ length: 6 }, (_, k) => `  - {apiVersion: v1, kind: Node, metadata: {name: n${k}, labels: {node-role.kubernetes.io/worker: ""}}, status: {nodeInfo: {kernelVersion: 5.14.0-${k}.el9.x86_64}}}`).join('\n');
  writeTree(repo, { 'clusters/big/nodes.yaml': `apiVersion: v1\nkind: List\nitems:\n${nodes}\n` });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'empty fleet');
  writeTree(repo, modules);
  const r = runCli(['diff', '--repo', repo, '--base', 'HEAD']);
  assert.is(r.status, 3, r.stderr);
  const md = r.stdout;
  assert.ok(md.length <= MARKDOWN_LIMIT, `${md.length} characters`);
  assert.match(md, /\| big \| 360 \| 0 \| 0 \|/, 'the summary is whole');
  assert.match(md, /### Impact\n\n- Gains openshift-kmm\/mod-0 in big: n0, n1, n2, n3, n4, n5\./);
  assert.ok((md.match(/^- Gains /gm) ?? []).length === 60, 'the impact is whole');
  assert.match(md, /_\d+ object diffs of 360 left out to fit a comment; run `kmm-render diff` locally for all of them._\n$/);
  // Every fence opened is closed: fences alternate open/close.
  const fences = md.split('\n').filter((l) => /^`{3,}/.test(l));
  assert.is(fences.length % 2, 0);
  for (let i = 0; i < fences.length; i += 2) {
    assert.match(fences[i]!, /^`{3,}diff$/);
    assert.is(fences[i + 1], fences[i]!.replace('diff', ''));
  }
  assert.is((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length);
});

test('check exits 0 on a fresh render and 3 after an input edit, naming the stale files', () => {
  const repo = fleetRepo();
  assert.is(runCli(['render', '--repo', repo]).status, 0);
  const fresh = runCli(['check', '--repo', repo]);
  assert.is(fresh.status, 0, fresh.stdout + fresh.stderr);
  edit(repo, 'modules/simple-kmod.yaml', 'quay.io/example/simple-kmod:', 'quay.io/example/simple-kmod-v2:');
  const stale = runCli(['check', '--repo', repo]);
  assert.is(stale.status, 3);
  assert.match(stale.stdout, /^prod-east\/40-loaders\/daemonset-openshift-kmm-simple-kmod-5-14-0-284-52-1-el9-2-x86-64\.yaml: changed$/m);
  assert.match(stale.stdout, /^render\.lock: changed$/m);
});

test('the pre-commit hook blocks a commit whose rendered tree is stale, in a real git repo', () => {
  const repo = fleetRepo();
  assert.is(runCli(['render', '--repo', repo]).status, 0);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'rendered');
  assert.is(runCli(['hook', 'install', '--repo', repo]).status, 0);
  assert.is(runCli(['hook', 'install', '--repo', repo]).status, 0, 'installing twice is fine');
  edit(repo, 'modules/simple-kmod.yaml', 'quay.io/example/simple-kmod:', 'quay.io/example/simple-kmod-v3:');
  git(repo, 'add', '-A');
  const blocked = spawnSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-qm', 'stale'], { cwd: repo, encoding: 'utf8' });
  assert.is.not(blocked.status, 0, 'the commit is refused');
  assert.match(blocked.stdout + blocked.stderr, /stale/);
  assert.is(runCli(['render', '--repo', repo]).status, 0);
  git(repo, 'add', '-A');
  const ok = spawnSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-qm', 'fresh'], { cwd: repo, encoding: 'utf8' });
  assert.is(ok.status, 0, ok.stderr);
});

test('hook install --fix renders and stages; an existing foreign hook is kept unless --force', () => {
  const repo = fleetRepo();
  writeFileSync(join(repo, '.git/hooks/pre-commit'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
  const refused = runCli(['hook', 'install', '--repo', repo]);
  assert.is(refused.status, 2);
  assert.is(readFileSync(join(repo, '.git/hooks/pre-commit'), 'utf8'), '#!/bin/sh\necho mine\n');
  assert.is(runCli(['hook', 'install', '--repo', repo, '--fix', '--force']).status, 0);
  edit(repo, 'modules/simple-kmod.yaml', 'quay.io/example/simple-kmod:', 'quay.io/example/simple-kmod-v4:');
  git(repo, 'add', '-A');
  const r = spawnSync('git', ['-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-qm', 'auto'], { cwd: repo, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.match(git(repo, 'show', '--name-only', '--format=', 'HEAD'), /rendered\/prod-east\/40-loaders\/daemonset-openshift-kmm-simple-kmod/);
  assert.is(runCli(['check', '--repo', repo]).status, 0);
});

test.run();
