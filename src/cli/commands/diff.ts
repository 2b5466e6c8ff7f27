/** `kmm-render diff` (SPEC §1, §7): two in-memory compiles and their difference. I/O edge. */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { BadRevisionError, readRevision, resolveRevision } from '../../git/read-revision.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { hasChanges, type FleetDiff } from '../../review/diff-fleet.js';
import { diffSnapshots } from '../../run/diff-by-units.js';
import { defaultCacheDir, openUnitCache } from '../../run/unit-cache.js';
import { formatJson, formatMarkdown, formatMarkdownParts, formatText, type DiffSides } from '../../review/format-diff.js';
import { loadAssets } from '../../package/assets.js';
import { EXIT_DIFFERENCE, EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { printDiagnostics } from '../report.js';
import { DEFAULT_OUTPUT } from '../../validate/defaults.js';

/** The `diff` command's options, as parsed from its arguments. */
export interface DiffCommandOptions {
  repo: string;
  base?: string;
  head?: string;
  format: string;
  ignorePaths: string[];
  ignoreObjects: string[];
  jobs?: number;
  cacheDir?: string;
  noCache?: boolean;
  /** `--comment-parts DIR`: markdown as DIR/part-1.md … part-N.md, each within a comment's limit. */
  commentParts?: string;
}

/** Writes the parts, removing parts of an earlier run that this one no longer has; prints their paths. */
function writeCommentParts(dir: string, d: FleetDiff, sides: DiffSides): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (/^part-[0-9]+\.md$/.test(f)) rmSync(join(dir, f));
  formatMarkdownParts(d, sides).forEach((text, i) => {
    const file = join(dir, `part-${i + 1}.md`);
    writeFileSync(file, text);
    process.stdout.write(`${file}\n`);
  });
}

export async function runDiff(o: DiffCommandOptions): Promise<number> {
  if (!o.base) throw new UsageError('diff needs --base REF');
  if (!['markdown', 'json', 'text'].includes(o.format)) throw new UsageError(`--format must be markdown, json or text for diff, not ${o.format}`);
  if (o.commentParts !== undefined && o.format !== 'markdown') throw new UsageError('--comment-parts writes markdown; leave --format out or set it to markdown');
  const repo = resolve(o.repo);
  const settings = readReaderSettings(repo);
  const outInRepo = settings.output ?? DEFAULT_OUTPUT;
  let baseCommit: string;
  let headCommit: string | undefined;
  try {
    baseCommit = await resolveRevision(repo, o.base);
    headCommit = o.head ? await resolveRevision(repo, o.head) : undefined;
  } catch (e) {
    if (e instanceof BadRevisionError) throw new UsageError(e.message);
    throw e;
  }
  // The two revisions share most blobs: each is read once.
  const blobs = new Map<string, string>();
  const baseSnapshot = await readRevision(repo, baseCommit, undefined, blobs);
  const headSnapshot = headCommit ? await readRevision(repo, headCommit, undefined, blobs) : readRepo(repo, resolve(repo, outInRepo), settings);
  const sides: DiffSides = { base: { ref: o.base, commit: baseCommit }, head: { ref: o.head ?? 'working tree', ...(headCommit ? { commit: headCommit } : {}) } };
  const diffOptions = { ignorePaths: o.ignorePaths, ignoreObjects: o.ignoreObjects };
  const print = (d: FleetDiff) => {
    if (o.commentParts !== undefined) {
      writeCommentParts(resolve(o.commentParts), d, sides);
      return hasChanges(d) ? EXIT_DIFFERENCE : EXIT_OK;
    }
    const text = o.format === 'json' ? formatJson(d, sides) : o.format === 'text' ? formatText(d, sides) : formatMarkdown(d, sides);
    process.stdout.write(text);
    return hasChanges(d) ? EXIT_DIFFERENCE : EXIT_OK;
  };
  const result = await diffSnapshots(baseSnapshot, headSnapshot, loadAssets, {
    diff: diffOptions,
    ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
    ...(o.noCache ? {} : { cache: openUnitCache(resolve(o.cacheDir ?? defaultCacheDir())), fileCacheDir: resolve(o.cacheDir ?? defaultCacheDir()) }),
  });
  if (result.ok) return print(result.diff);
  const report = (side: string, list: readonly Diagnostic[] | undefined) => {
    if (!list) return;
    process.stderr.write(`kmm-render: the ${side} has input errors:\n`);
    printDiagnostics(list.filter((d) => d.severity === 'error'), 'text');
  };
  report(`base (${o.base})`, result.base);
  report(`head (${o.head ?? 'working tree'})`, result.head);
  return EXIT_INPUT_ERRORS;
}
