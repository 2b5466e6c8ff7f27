/**
 * `kmm-render hook install` (SPEC §8): a git pre-commit hook that refuses a commit whose
 * rendered tree is stale (`check`), or with `--fix` renders and stages it. Idempotent; an
 * existing hook that kmm-render did not write is kept unless `--force`. I/O edge.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { resolveOutDir } from './render.js';
import { simpleGit } from 'simple-git';
import { PACKAGE_ROOT } from '../../package/package-info.js';
import { EXIT_OK, UsageError } from '../exit-codes.js';

const HOOK_MARKER = '# installed by kmm-render hook install';

export interface HookOptions {
  repo: string;
  fix: boolean;
  force: boolean;
}

const sh = (s: string) => `'${s.replace(/'/g, `'"'"'`)}'`;

/** The hook script; it runs this installation of kmm-render with this Node.js. */
function hookScript(fix: boolean, outInRepo: string): string {
  const cli = `${sh(process.execPath)} ${sh(join(PACKAGE_ROOT, 'bin', 'kmm-render.js'))}`;
  const body = fix
    ? [
        `${cli} render --repo "$top" || exit 1`,
        // Stage whatever the render wrote or pruned in the output folder.
        `git add -A -- "$top"/${sh(outInRepo)}`,
      ]
    : [`exec ${cli} check --repo "$top"`];
  return ['#!/bin/sh', HOOK_MARKER, '# Refuses commits whose rendered tree is stale. Reinstall with: kmm-render hook install', 'top=$(git rev-parse --show-toplevel) || exit 1', ...body, ''].join('\n');
}

export async function runHookInstall(o: HookOptions): Promise<number> {
  const repo = resolve(o.repo);
  let hooksDir: string;
  try {
    hooksDir = (await simpleGit(repo).raw(['rev-parse', '--git-path', 'hooks'])).trim();
  } catch {
    throw new UsageError(`${repo} is not a git repository`);
  }
  if (!isAbsolute(hooksDir)) hooksDir = join(repo, hooksDir);
  const hook = join(hooksDir, 'pre-commit');
  if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(HOOK_MARKER) && !o.force) {
    throw new UsageError(`${hook} exists and was not written by kmm-render; keep it, or replace it with --force`);
  }
  mkdirSync(dirname(hook), { recursive: true });
  const out = relative(repo, resolveOutDir(repo, undefined)) || '.';
  writeFileSync(hook, hookScript(o.fix, out));
  chmodSync(hook, 0o755);
  process.stderr.write(`kmm-render: installed ${hook} (${o.fix ? 'renders and stages the output' : 'runs kmm-render check'})\n`);
  return EXIT_OK;
}
