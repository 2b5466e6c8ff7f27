/**
 * Rendering a fleet fast: split into one unit per cluster (src/units/), take unchanged units
 * from the cache, compile the others on worker threads, merge in cluster order. The tree is
 * byte-identical to the one `compile` builds in one piece (tested); when a unit fails, the
 * units' diagnostics merge into exactly the whole compile's (units/merge-units.ts; with
 * --cluster, the fleet is compiled whole). I/O edge.
 */
import { availableParallelism } from 'node:os';
import { compile, type Assets, type CompileResult } from '../compile.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RepoSnapshot } from '../load/repo-snapshot.js';
import { assembleOutputTree, digestInputs, type OutputTree, type PreservedClusters, type Provenance } from '../output/build-tree.js';
import { compileUnit, type UnitOptions, type UnitResult } from '../units/compile-unit.js';
import { mergeUnitResults } from '../units/merge-units.js';
import { splitIntoUnits } from '../units/split-units.js';
import { unitKey } from '../units/unit-key.js';
import { toolDigest } from './tool-digest.js';
import type { UnitCache } from './unit-cache.js';
import { openFileParseCache } from './file-parse-cache.js';

/** Below this much input, starting workers costs more than it saves. */
const PARALLEL_MIN_BYTES = 2 * 1024 * 1024;

export interface FleetRenderOptions {
  readonly strict?: boolean;
  readonly pinDigests?: boolean;
  /** Only these clusters (all when absent). */
  readonly clusters?: readonly string[];
  readonly provenance: Provenance;
  readonly preserved?: PreservedClusters;
  /** Worker threads; 1 compiles in this thread. @default os.availableParallelism() */
  readonly jobs?: number;
  readonly cache?: UnitCache;
  /** Where parsed input files are cached (run/file-parse-cache.ts). */
  readonly fileCacheDir?: string;
  /** Least input (bytes) worth starting workers for. @default 2 MiB */
  readonly parallelMinBytes?: number;
}

export interface RenderedFolderSummary {
  readonly name: string;
  readonly objectCount: number;
}

export interface FleetRender {
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
  readonly tree?: OutputTree;
  readonly clusters: readonly RenderedFolderSummary[];
  /** Set when the fleet was compiled in one piece (for callers that need its model). */
  readonly whole?: CompileResult;
  readonly stats: { readonly units: number; readonly cached: number; readonly computed: number; readonly workers: number };
}

function compileWhole(snapshot: RepoSnapshot, assets: Assets, options: FleetRenderOptions, units: number, cached: number): FleetRender {
  const result = compile(snapshot, assets, {
    ...(options.strict ? { strict: true } : {}),
    ...(options.pinDigests ? { pinDigests: true } : {}),
    ...(options.clusters ? { clusters: options.clusters } : {}),
    provenance: options.provenance,
    ...(options.preserved ? { preserved: options.preserved } : {}),
  });
  return {
    diagnostics: result.diagnostics,
    ok: result.ok,
    ...(result.tree ? { tree: result.tree } : {}),
    clusters: (result.clusters ?? []).map((c) => ({ name: c.plan.cluster.name, objectCount: c.objects.length })),
    whole: result,
    stats: { units, cached, computed: units - cached, workers: 0 },
  };
}

export async function renderFleet(snapshot: RepoSnapshot, assets: () => Assets, options: FleetRenderOptions): Promise<FleetRender> {
  const units = splitIntoUnits(snapshot, options.clusters);
  if (!units || snapshot.readDiagnostics.length > 0) return compileWhole(snapshot, assets(), options, 1, 0);

  const unitOptions: UnitOptions = { strict: options.strict ?? false, pinDigests: options.pinDigests ?? false };
  const inputs = digestInputs(snapshot);
  const keys = options.cache ? units.map((u) => unitKey(u, inputs, toolDigest(), unitOptions)) : [];
  const results: (UnitResult | undefined)[] = units.map((u, i) => options.cache?.get(u.cluster, keys[i]!));
  const missing = units.map((u, i) => ({ u, i })).filter(({ i }) => results[i] === undefined);
  const cached = units.length - missing.length;

  const jobs = Math.max(1, options.jobs ?? availableParallelism());
  const bytes = missing.reduce((n, { u }) => n + u.files.reduce((m, f) => m + (f.bytes ?? f.text.length), 0), 0);
  let workers = 0;
  if (missing.length > 1 && jobs > 1 && bytes >= (options.parallelMinBytes ?? PARALLEL_MIN_BYTES)) {
    const { runInWorkers } = await import('./worker-pool.js');
    workers = Math.min(jobs, missing.length);
    const fileCacheDir = options.fileCacheDir ? { fileCacheDir: options.fileCacheDir } : {};
    const computed = await runInWorkers<UnitResult>(missing.map(({ u }) => ({ kind: 'compile' as const, unit: u, options: unitOptions, ...fileCacheDir })), jobs);
    missing.forEach(({ i }, k) => (results[i] = computed[k]));
  } else {
    const files = options.fileCacheDir ? openFileParseCache(options.fileCacheDir) : undefined;
    for (const { u, i } of missing) results[i] = compileUnit(u, assets(), unitOptions, files);
  }
  for (const { u, i } of missing) if (options.cache && results[i]!.ok) options.cache.put(u.cluster, keys[i]!, results[i]!);

  const merged = mergeUnitResults(results as UnitResult[]);
  const stats = { units: units.length, cached, computed: missing.length, workers };
  if (!merged.folders) {
    // Units of some clusters only do not read the others' files: their errors need the whole compile.
    if (options.clusters) return compileWhole(snapshot, assets(), options, units.length, cached);
    return { diagnostics: merged.diagnostics, ok: false, clusters: [], stats };
  }
  const tree = assembleOutputTree(merged.folders, snapshot, inputs, options.provenance, options.preserved);
  return {
    diagnostics: merged.diagnostics,
    ok: !hasErrors(merged.diagnostics),
    tree,
    clusters: merged.folders.map((f) => ({ name: f.name, objectCount: f.objectCount })),
    stats,
  };
}

/** The objects of one rendered cluster as one YAML stream (for `render --stdout`). */
export function clusterObjectsYaml(tree: OutputTree, cluster: string): string {
  const object = new RegExp(`^${cluster.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d\\d-[^/]+/(?!kustomization\\.yaml$)[^/]+$`);
  return [...tree.files].filter(([p]) => object.test(p)).map(([, text]) => text).join('---\n');
}

