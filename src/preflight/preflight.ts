/**
 * `preflight` (SPEC §1): for a kernel the fleet is about to run, per cluster and Module in
 * scope, the mapping that would apply, the image, whether it would be built and/or signed,
 * and whether DTK_AUTO resolves when the RHCOS version for that kernel is known.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { decideBuildAndSign, resolveDriverToolkit } from '../kmm/build-sign-decision.js';
import { resolveModuleLoaderData } from '../kmm/module-loader-data.js';
import { hasModuleLoader, type LoaderModuleObject } from '../model/kmm.js';
import type { ClusterModel, FleetModel } from '../model/fleet-model.js';
import { driverToolkitsOf, targetOf } from '../targets/target.js';

export interface PreflightRow {
  readonly cluster: string;
  readonly module: string;
  readonly source: string;
  /** The mapping that applies, or null when none does. */
  readonly mapping: { index: number; literal?: string; regexp?: string } | null;
  readonly image?: string;
  readonly build: boolean;
  readonly sign: boolean;
  /** DTK_AUTO: the image, "unresolvable", "unknown" (no node runs the kernel yet) or "not used". */
  readonly driverToolkit: string;
  readonly problems: readonly string[];
}

export interface PreflightReport {
  readonly kernel: string;
  readonly rows: readonly PreflightRow[];
  /** Modules that would be left without a mapping. */
  readonly uncovered: readonly string[];
}

function checkModule(cluster: ClusterModel, module: LoaderModuleObject, kernel: string): PreflightRow {
  const base = { cluster: cluster.settings.name, module: `${module.namespace}/${module.name}`, source: module.ref.source.file };
  const nodes = cluster.nodes.filter((n) => n.kernel === kernel);
  const r = resolveModuleLoaderData(module, kernel, nodes, cluster.settings.name);
  const problems = r.diagnostics.filter((d: Diagnostic) => d.code !== 'KERNEL_MAPPING_MISSING').map((d) => `${d.code}: ${d.message}`);
  if (!r.data) {
    return { ...base, mapping: null, build: false, sign: false, driverToolkit: 'not used', problems };
  }
  const m = module.spec.moduleLoader.container.kernelMappings[r.data.mappingIndex]!;
  const mapping = { index: r.data.mappingIndex, ...(m.literal ? { literal: m.literal } : { regexp: m.regexp! }) };
  const bs = decideBuildAndSign({
    data: r.data,
    module,
    nodes,
    configMaps: cluster.configMaps,
    configMapNamespace: module.namespace,
    driverToolkits: driverToolkitsOf(cluster),
    hasDriverToolkit: targetOf(cluster.settings).driverToolkit,
    knownImages: cluster.knownImages,
    clusterName: cluster.settings.name,
  });
  let driverToolkit = 'not used';
  if (bs.diagnostics.some((d) => d.code === 'DTK_UNAVAILABLE')) driverToolkit = 'unavailable (no Driver Toolkit on this distribution)';
  else if (bs.build?.buildArgs.some((a) => a.name === 'DTK_AUTO') || bs.diagnostics.some((d) => d.code === 'DTK_UNRESOLVED')) {
    const dtk = resolveDriverToolkit(nodes, [cluster.driverToolkit]);
    driverToolkit = 'image' in dtk ? dtk.image : nodes.length === 0 || dtk.versions.length === 0 ? 'unknown (no node runs this kernel yet, so its RHCOS version is not known)' : 'unresolvable';
  }
  for (const d of bs.diagnostics) if (d.code !== 'DTK_UNRESOLVED' || nodes.length > 0) problems.push(`${d.code}: ${d.message}`);
  return { ...base, mapping, image: r.data.containerImage, build: bs.build !== undefined, sign: bs.sign !== undefined, driverToolkit, problems };
}

/** Runs the preflight of `kernel` over the given clusters (all when empty). */
export function runPreflight(model: FleetModel, kernel: string, clusters: readonly string[]): PreflightReport {
  const rows: PreflightRow[] = [];
  for (const cluster of model.clusters) {
    if (clusters.length > 0 && !clusters.includes(cluster.settings.name)) continue;
    // A device-plugin-only Module loads nothing, for any kernel.
    for (const module of cluster.modules) if (hasModuleLoader(module)) rows.push(checkModule(cluster, module, kernel));
  }
  const uncovered = [...new Set(rows.filter((r) => r.mapping === null).map((r) => `${r.module} (cluster ${r.cluster})`))];
  return { kernel, rows, uncovered };
}
