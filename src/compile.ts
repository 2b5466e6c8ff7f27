/**
 * The whole pipeline on one screen: load → validate → evaluate rules → plan → render →
 * output tree, all in memory. `compile` cannot tell whether its input came from disk or git.
 */
import { applySeverities, diagnostic, escalateWarnings, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { RENDER_CONFIG_FILE } from './load/kinds.js';
import { peekReaderSettings } from './load/render-settings-peek.js';
import { loadDocuments, type ParseCache } from './load/load-documents.js';
import type { RepoSnapshot } from './load/repo-snapshot.js';
import type { FleetModel } from './model/fleet-model.js';
import { resolveNodeLabels } from './nfd/node-labels.js';
import { buildOutputTree, type OutputTree, type PreservedClusters, type Provenance, type RenderedCluster } from './output/build-tree.js';
import { planCluster } from './plan/plan-cluster.js';
import { renderClusterObjects } from './render/render-objects.js';
import { compileTemplates, type CompiledTemplates, type PrecompiledTemplates } from './render/templates.js';
import { buildFleetModel } from './validate/build-fleet-model.js';
import { compileInputSchemas, type SchemaValidators } from './validate/schemas.js';
import { compareText } from './base/compare-text.js';

/** The package's own files the pipeline needs, as read by the caller. */
export interface RawAssets {
  /** schema name (file name without .schema.json) → JSON Schema */
  readonly inputSchemas: Readonly<Record<string, object>>;
  /** template name (file name without .yaml.hbs) → text */
  readonly templates: Readonly<Record<string, string>>;
}

/** Assets compiled once per process. */
export interface Assets {
  readonly validators: SchemaValidators;
  readonly templates: CompiledTemplates;
}

/** What the build precompiled: validators, and templates with the digest function that tells whether they are current. */
export interface PrecompiledAssets {
  readonly validators?: SchemaValidators | undefined;
  readonly templates?: { readonly specs: PrecompiledTemplates; readonly digest: (text: string) => string } | undefined;
}

/** Compiles the assets, using what the build precompiled where it matches. */
export function prepareAssets(raw: RawAssets, precompiled: PrecompiledAssets = {}): Assets {
  return {
    validators: precompiled.validators ?? compileInputSchemas(raw.inputSchemas),
    templates: compileTemplates(raw.templates, precompiled.templates?.specs, precompiled.templates?.digest),
  };
}

export interface CompileOptions {
  /** Every warning becomes an error. @default false */
  readonly strict?: boolean;
  /** Only these clusters are planned and rendered (all when absent). */
  readonly clusters?: readonly string[];
  /** Needed to build the output tree; without it only diagnostics and objects are produced. */
  readonly provenance?: Provenance;
  readonly preserved?: PreservedClusters;
  /** Reference images by digest where ImageDigests know it (SPEC §5.8). */
  readonly pinDigests?: boolean;
  /** Parse results shared between compiles of similar snapshots (load/load-documents.ts). */
  readonly parseCache?: ParseCache | undefined;
  /** Also return the load and validate diagnostics alone (CompileResult.modelDiagnostics). */
  readonly keepModelDiagnostics?: boolean;
}

export interface CompileResult {
  /** Sorted (SPEC §9). */
  readonly diagnostics: readonly Diagnostic[];
  readonly ok: boolean;
  /** True when input errors stopped the compile after the model (load and validate). */
  readonly stoppedAfterModel?: boolean;
  /**
   * With `keepModelDiagnostics`, the diagnostics of load and validate alone (sorted), when
   * the compile went on: what this compile would report if another part of the fleet
   * stopped it there (units/merge-units.ts).
   */
  readonly modelDiagnostics?: readonly Diagnostic[];
  readonly model?: FleetModel;
  readonly clusters?: readonly RenderedCluster[];
  readonly tree?: OutputTree;
}

function finish(diagnostics: Diagnostic[], options: CompileOptions, rest: Omit<CompileResult, 'diagnostics' | 'ok'> = {}): CompileResult {
  // kmm-render.yaml's severities first (a code turned off stays off under --strict), then --strict.
  const set = applySeverities(diagnostics, rest.model?.settings.diagnostics ?? {});
  const list = sortDiagnostics(options.strict ? escalateWarnings(set) : set);
  const ok = !hasErrors(list);
  return ok ? { diagnostics: list, ok, ...rest } : { diagnostics: list, ok, ...(rest.model ? { model: rest.model } : {}) };
}

/** Compiles a repository snapshot into rendered clusters and, with provenance, the output tree. */
export function compile(snapshot: RepoSnapshot, assets: Assets, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [...snapshot.readDiagnostics];
  const files = [...snapshot.files].sort((a, b) => compareText(a.path, b.path));

  const limits = peekReaderSettings(files.find((f) => f.path === RENDER_CONFIG_FILE)?.text).limits;
  const loaded = loadDocuments(files, limits, { parseCache: options.parseCache });
  for (const item of loaded.diagnostics) diagnostics.push(item);

  const { model, diagnostics: modelDiagnostics } = buildFleetModel(loaded.objects, files.map((f) => f.path), assets.validators, limits);
  for (const item of modelDiagnostics) diagnostics.push(item);
  // Stop on real errors only: with --strict, warnings of every phase are still collected.
  if (hasErrors(diagnostics)) return { ...finish(diagnostics, options, { model }), stoppedAfterModel: true };
  const keptModel = options.keepModelDiagnostics ? { modelDiagnostics: finish([...diagnostics], options, { model }).diagnostics } : {};

  const selected = options.clusters ? model.clusters.filter((c) => options.clusters!.includes(c.settings.name)) : model.clusters;
  // Labels of every cluster: a hub plans for its spokes (SPEC §5.7).
  const labelsByCluster = new Map<string, ReturnType<typeof resolveNodeLabels>['byNode']>();
  const labelsOf = (name: string) => {
    let hit = labelsByCluster.get(name);
    if (!hit) {
      const cluster = model.clusters.find((c) => c.settings.name === name)!;
      const r = resolveNodeLabels(cluster);
      for (const d of r.diagnostics) diagnostics.push(d);
      labelsByCluster.set(name, (hit = r.byNode));
    }
    return hit;
  };
  const fleet = { clusters: model.clusters, labelsOf, settings: model.settings };
  const clusters: RenderedCluster[] = [];
  for (const cluster of selected) {
    const labels = labelsOf(cluster.settings.name);
    const { plan, diagnostics: planDiagnostics } = planCluster(cluster, labels, fleet);
    for (const d of planDiagnostics) diagnostics.push(d);
    if (plan.objects.length > limits.maxObjectsPerCluster) {
      const first = cluster.nodes[0]?.ref ?? cluster.modules[0]?.ref;
      const where = first ? { file: first.source.file, line: 1, col: 1, path: '' } : { file: `clusters/${cluster.settings.name}`, line: 1, col: 1, path: '' };
      diagnostics.push(diagnostic('LIMIT_OBJECTS', where, `cluster ${cluster.settings.name} would get ${plan.objects.length} objects, more than the ${limits.maxObjectsPerCluster} allowed (limits.maxObjectsPerCluster)`));
      continue;
    }
    if (hasErrors(planDiagnostics)) continue;
    clusters.push({ plan, objects: renderClusterObjects(plan, assets.templates, model.settings, options.pinDigests || model.settings.pinDigests ? cluster.knownImages : undefined), labels });
  }
  if (hasErrors(diagnostics)) return { ...finish(diagnostics, options, { model }), ...keptModel };
  const tree = options.provenance ? buildOutputTree(clusters, snapshot, options.provenance, assets.templates, options.preserved) : undefined;
  return { ...finish(diagnostics, options, { model, clusters, ...(tree ? { tree } : {}) }), ...keptModel };
}
