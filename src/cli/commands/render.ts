/** `kmm-render render` and `kmm-render validate` (SPEC §1). I/O edge. */
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { CompileResult } from '../../compile.js';
import { readPreservedClusters, recoverOutputTree, withOutputLock, writeOutputTree } from '../../output/write-tree.js';
import { listRepo, readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { clusterObjectsYaml, renderFleet, type FleetRender } from '../../run/render-fleet.js';
import { defaultCacheDir, openUnitCache } from '../../run/unit-cache.js';
import { loadAssets, toolVersion } from '../../package/assets.js';
import { EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { countSummary, printDiagnostics, progress, progressDone, type OutputFormat } from '../report.js';
import { DEFAULT_OUTPUT } from '../../validate/defaults.js';

export interface RenderOptions {
  repo: string;
  out?: string;
  clusters: string[];
  strict: boolean;
  stdout: boolean;
  pinDigests?: boolean;
  format: OutputFormat;
  /** Worker threads (render, check). */
  jobs?: number;
  cacheDir?: string;
  noCache?: boolean;
}

/** Refuses an output folder that is the repo itself or holds it: the swap would move the inputs. */
function checkOutputLocation(repo: string, out: string): void {
  const rel = relative(out, repo);
  if (rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel))) {
    throw new UsageError(`--out ${out} is the repository or contains it; choose a folder such as ${join(repo, DEFAULT_OUTPUT)}`);
  }
}

function provenanceCommand(o: RenderOptions): string {
  const parts = ['kmm-render', 'render'];
  for (const c of [...o.clusters].sort()) parts.push('--cluster', c);
  if (o.strict) parts.push('--strict');
  if (o.pinDigests) parts.push('--pin-digests');
  return parts.join(' ');
}

/** The cache folder of a command, or undefined with --no-cache. */
function cacheDirOf(o: RenderOptions): string | undefined {
  return o.noCache ? undefined : resolve(o.cacheDir ?? defaultCacheDir());
}

function readSnapshot(o: RenderOptions, out: string | undefined, useCache = false) {
  const repo = resolve(o.repo);
  if (!existsSync(repo)) throw new UsageError(`--repo ${o.repo} does not exist`);
  const settings = readReaderSettings(repo);
  progress('reading the repository');
  const cacheDir = useCache ? cacheDirOf(o) : undefined;
  return cacheDir ? listRepo(repo, out, settings, cacheDir) : readRepo(repo, out, settings);
}

/** Throws the usage error for --cluster names the fleet does not have. */
function checkClusterNames(o: RenderOptions, result: CompileResult | undefined): void {
  if (!result?.model) return;
  const known = result.model.clusters.map((c) => c.settings.name);
  const unknown = o.clusters.filter((c) => !known.includes(c));
  if (unknown.length > 0) throw new UsageError(`no cluster named ${unknown.join(', ')} (clusters: ${known.join(', ') || 'none'})`);
}

/**
 * Renders through the unit pipeline (src/run/render-fleet.ts): per-cluster units, cached
 * and compiled on worker threads. Also used by `check`.
 */
export async function renderRepo(o: RenderOptions, out: string | undefined, command: string): Promise<FleetRender> {
  const snapshot = readSnapshot(o, out, true);
  progress(`compiling ${snapshot.files.length} files`);
  const partial = o.clusters.length > 0;
  const result = await renderFleet(snapshot, loadAssets, {
    strict: o.strict,
    ...(o.pinDigests ? { pinDigests: true } : {}),
    ...(partial ? { clusters: o.clusters } : {}),
    provenance: { tool: `kmm-render ${toolVersion()}`, command },
    ...(partial && out && existsSync(out) ? { preserved: readPreservedClusters(out, o.clusters) } : {}),
    ...(o.jobs !== undefined ? { jobs: o.jobs } : {}),
    ...(cacheDirOf(o) ? { cache: openUnitCache(cacheDirOf(o)!), fileCacheDir: cacheDirOf(o)! } : {}),
  });
  progressDone();
  checkClusterNames(o, result.whole);
  return result;
}

/** The output folder: --out, else `output` of kmm-render.yaml, else rendered/ in the repo. */
export function resolveOutDir(repo: string, out: string | undefined): string {
  if (out) return resolve(out);
  const settings = readReaderSettings(resolve(repo));
  return resolve(repo, settings.output ?? DEFAULT_OUTPUT);
}

export async function runRender(o: RenderOptions): Promise<number> {
  if (o.stdout && o.clusters.length !== 1) throw new UsageError('--stdout renders one cluster: give exactly one --cluster');
  const repo = resolve(o.repo);
  const out = o.stdout ? undefined : resolveOutDir(repo, o.out);
  if (out) {
    checkOutputLocation(repo, out);
    withOutputLock(out, () => recoverOutputTree(out));
  }
  const result = await renderRepo(o, out ?? resolveOutDir(repo, o.out), provenanceCommand(o));
  printDiagnostics(result.diagnostics, o.format);
  if (!result.ok || !result.tree) {
    process.stderr.write(`kmm-render: ${countSummary(result.diagnostics)}; nothing written\n`);
    return EXIT_INPUT_ERRORS;
  }
  if (o.stdout) {
    process.stdout.write(clusterObjectsYaml(result.tree, o.clusters[0]!));
    return EXIT_OK;
  }
  const { written, pruned } = writeOutputTree(out!, result.tree, o.clusters.length > 0);
  const objects = result.clusters.reduce((n, c) => n + c.objectCount, 0);
  const { cached } = result.stats;
  process.stderr.write(
    `kmm-render: rendered ${result.clusters.length} cluster(s), ${objects} object(s), ${written} file(s) into ${out}` +
      (cached ? `; ${cached} cluster(s) unchanged, from the cache` : '') +
      (pruned.length ? `; pruned ${pruned.length}` : '') +
      (result.diagnostics.length ? ` (${countSummary(result.diagnostics)})` : '') +
      '\n',
  );
  return EXIT_OK;
}

/**
 * `validate`: what `render` would report, nothing written; diagnostics are the product. It
 * runs the same unit pipeline (workers, the unit cache), so it is as fast as a render.
 */
export async function runValidate(o: RenderOptions): Promise<number> {
  const repo = resolve(o.repo);
  const result = await renderRepo(o, resolveOutDir(repo, o.out), provenanceCommand(o));
  printDiagnostics(result.diagnostics, o.format, o.format === 'json' ? process.stdout : process.stderr);
  if (o.format === 'text') process.stderr.write(`kmm-render: ${countSummary(result.diagnostics)}\n`);
  return result.ok ? EXIT_OK : EXIT_INPUT_ERRORS;
}
