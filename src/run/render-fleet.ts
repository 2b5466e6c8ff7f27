/**
 * Rendering a fleet fast: split into one unit per cluster (src/units/), take unchanged units
 * from the cache, compile the others on worker threads, merge in cluster order. The tree is
 * byte-identical to the one `compile` builds in one piece (tested); when a unit fails, the
 * units' diagnostics merge into exactly the whole compile's (units/merge-units.ts; with
 * --cluster, the fleet is compiled whole). I/O edge.
 */
import { compile, type Assets, type CompileResult } from '../compile.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readListedFile, type RepoListing, type RepoSnapshot } from '../load/repo-snapshot.js';
import { STAGES } from '../plan/emitted-kinds.js';
import { assembleOutputTree, digestInputs, type OutputTree, type PreservedClusters, type Provenance } from '../output/build-tree.js';
import type { UnitOptions, UnitResult } from '../units/compile-unit.js';
import { mergeUnitResults } from '../units/merge-units.js';
import { splitIntoUnits } from '../units/split-units.js';
import { unitKey } from '../units/unit-key.js';
import { toolDigest } from '../package/tool-digest.js';
import type { UnitCache } from './unit-cache.js';
import { runUnitTasks } from './run-unit-tasks.js';

/** Below this much input, starting workers costs more than it saves. */

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

/**
 * Renders a listed repository: units from the cache where their key matches, the others
 * compiled (on workers when it pays, run/run-unit-tasks.ts); the whole compile where units
 * cannot say what it would (no split, read errors, --cluster with input errors). Files the
 * listing has not read are read here, for the units that are compiled, before compiling.
 */
export async function renderFleet(listing: RepoListing, assets: () => Assets, options: FleetRenderOptions): Promise<FleetRender> {
  const readAll = (): RepoSnapshot => ({ ...listing, files: listing.files.map(readListedFile) });
  const units = splitIntoUnits(listing, options.clusters);
  if (!units || listing.readDiagnostics.length > 0) return compileWhole(readAll(), assets(), options, 1, 0);

  const unitOptions: UnitOptions = { strict: options.strict ?? false, pinDigests: options.pinDigests ?? false };
  const inputs = digestInputs(listing);
  const keys = options.cache ? units.map((u) => unitKey(u, inputs, toolDigest(), unitOptions)) : [];
  const results: (UnitResult | undefined)[] = units.map((u, i) => options.cache?.get(u.cluster, keys[i]!));
  const missing = units.map((u, i) => ({ u, i })).filter(({ i }) => results[i] === undefined);
  const cached = units.length - missing.length;

  const fileCacheDir = options.fileCacheDir ? { fileCacheDir: options.fileCacheDir } : {};
  const tasks = missing.map(({ u }) => ({ kind: 'compile' as const, unit: { ...u, files: u.files.map(readListedFile) }, options: unitOptions, ...fileCacheDir }));
  const { results: computed, workers } = await runUnitTasks<UnitResult>(tasks, assets, options);
  missing.forEach(({ i }, k) => (results[i] = computed[k]));
  for (const { u, i } of missing) if (options.cache && results[i]!.ok) options.cache.put(u.cluster, keys[i]!, results[i]!);

  const merged = mergeUnitResults(results as UnitResult[]);
  const stats = { units: units.length, cached, computed: missing.length, workers };
  if (!merged.folders) {
    // Units of some clusters only do not read the others' files: their errors need the whole compile.
    if (options.clusters) return compileWhole(readAll(), assets(), options, units.length, cached);
    return { diagnostics: merged.diagnostics, ok: false, clusters: [], stats };
  }
  const tree = assembleOutputTree(merged.folders, listing, inputs, options.provenance, options.preserved);
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
  // An object file is `<cluster>/<stage>/<file>`; each stage folder also has its kustomization.
  const isObject = (path: string) => {
    const [folder, stage, file, ...rest] = path.split('/');
    return folder === cluster && rest.length === 0 && file !== undefined && file !== 'kustomization.yaml' && (STAGES as readonly string[]).includes(stage!);
  };
  return [...tree.files].filter(([p]) => isObject(p)).map(([, text]) => text).join('---\n');
}

