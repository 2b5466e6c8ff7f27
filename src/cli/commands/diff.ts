/** `kmm-render diff` (SPEC §1, §7): two in-memory compiles and their difference. I/O edge. */
import { resolve } from "node:path";
import { compile, memoryParseCache, type CompileResult, type ParseCache } from '../../compile.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { BadRevisionError, readRevision, resolveRevision } from '../../git/read-revision.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { diffFleet, hasChanges, type FleetDiff } from '../../review/diff-fleet.js';
import { diffByUnits } from '../../run/diff-by-units.js';
import { defaultCacheDir, openUnitCache } from '../../run/unit-cache.js';
import { formatJson, formatMarkdown, formatText } from '../../review/format-diff.js';
import { loadAssets } from '../assets.js';
import { EXIT_DIFFERENCE, EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { printDiagnostics } from '../report.js';

export interface DiffOptions {
  repo: string;
  base?: string;
  head?: string;
  format: string;
  ignorePaths: string[];
  ignoreObjects: string[];
  jobs?: number;
  cacheDir?: string;
  noCache?: boolean;
}

export async function runDiff(o: DiffOptions): Promise<number> {
  if (!o.base) throw new UsageError('diff needs --base REF');
  if (!['markdown', 'json', 'text'].includes(o.format)) throw new UsageError(`--format must be markdown, json or text for diff, not ${o.format}`);
  const repo = resolve(o.repo);
  const settings = readReaderSettings(repo);
  const outInRepo = settings.output ?? 'rendered';
  let baseCommit: string;
  let headCommit: string | undefined;
  try {
    baseCommit = await resolveRevision(repo, o.base);
    headCommit = o.head ? await resolveRevision(repo, o.head) : undefined;
  } catch (e) {
    if (e instanceof BadRevisionError) throw new UsageError(e.message);
    throw e;
  }
  const baseSnapshot = await readRevision(repo, baseCommit, undefined);
  const headSnapshot = headCommit ? await readRevision(repo, headCommit, undefined) : readRepo(repo, resolve(repo, outInRepo), settings);
  const sides = { base: { ref: o.base, commit: baseCommit }, head: { ref: o.head ?? 'working tree', ...(headCommit ? { commit: headCommit } : {}) } };
  const diffOptions = { ignorePaths: o.ignorePaths, ignoreObjects: o.ignoreObjects };
  const print = (d: FleetDiff) => {
    const text = o.format === 'json' ? formatJson(d, sides) : o.format === 'text' ? formatText(d, sides) : formatMarkdown(d, sides);
    process.stdout.write(text);
    return hasChanges(d) ? EXIT_DIFFERENCE : EXIT_OK;
  };
  // Cluster by cluster when the fleet splits (src/run/diff-by-units.ts); whole otherwise,
  // and whenever a side has input errors, so that they are reported exactly.
  const byUnits = await diffByUnits(baseSnapshot, headSnapshot, loadAssets, {
    diff: diffOptions,
    ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
    ...(o.noCache ? {} : { cache: openUnitCache(resolve(o.cacheDir ?? defaultCacheDir())), fileCacheDir: resolve(o.cacheDir ?? defaultCacheDir()) }),
  });
  if (byUnits) return print(byUnits);
  const assets = loadAssets();
  const parseCache: ParseCache = memoryParseCache();
  const baseResult = compile(baseSnapshot, assets, { parseCache });
  const headResult = compile(headSnapshot, assets, { parseCache });
  const failed = (side: string, r: CompileResult, list: Diagnostic[]) => {
    if (r.ok) return false;
    process.stderr.write(`kmm-render: the ${side} has input errors:\n`);
    printDiagnostics(list.filter((d) => d.severity === 'error'), 'text');
    return true;
  };
  const baseFailed = failed(`base (${o.base})`, baseResult, [...baseResult.diagnostics]);
  const headFailed = failed(`head (${o.head ?? 'working tree'})`, headResult, [...headResult.diagnostics]);
  if (baseFailed || headFailed) return EXIT_INPUT_ERRORS;
  return print(diffFleet(baseResult.clusters!, headResult.clusters!, diffOptions));
}
