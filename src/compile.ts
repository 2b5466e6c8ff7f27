/**
 * The whole pipeline on one screen: load → validate → evaluate rules → plan → render →
 * output tree, all in memory. `compile` cannot tell whether its input came from disk or git.
 */
import { applySeverities, diagnostic, escalateWarnings, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import { RENDER_CONFIG_FILE } from './load/kinds.js';
import { peekReaderSettings } from './load/render-settings-peek.js';
import { classifyDocuments } from './load/classify-documents.js';
import { parseFile, type ParsedDocument } from './load/parse-documents.js';
import type { InputFile, RepoSnapshot } from './load/repo-snapshot.js';
import type { FleetModel } from './model/inventory.js';
import { resolveNodeLabels } from './nfd/node-labels.js';
import { buildOutputTree, type OutputTree, type PreservedClusters, type Provenance, type RenderedCluster } from './output/build-tree.js';
import { planCluster } from './plan/plan-cluster.js';
import { renderClusterObjects } from './render/render-objects.js';
import { compileTemplates, type CompiledTemplates } from './render/templates.js';
import { buildFleetModel } from './validate/build-fleet-model.js';
import { compileInputSchemas, type SchemaValidators } from './validate/schemas.js';

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

/** Compiles the assets; `validators` are the build's precompiled ones, when they match. */
export function prepareAssets(raw: RawAssets, validators?: SchemaValidators): Assets {
  return { validators: validators ?? compileInputSchemas(raw.inputSchemas), templates: compileTemplates(raw.templates) };
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
  /**
   * Parse results to share between compiles of similar snapshots (the two sides of a diff):
   * a file with the same path and text is parsed once. Parsed values are never changed by
   * the pipeline beyond dropping null fields, which is idempotent.
   */
  readonly parseCache?: ParseCache;
  /** Also return the load and validate diagnostics alone (CompileResult.modelDiagnostics). */
  readonly keepModelDiagnostics?: boolean;
}

/** What parsing one file gives. */
export type ParsedFile = ReturnType<typeof parseFile>;

/** See CompileOptions.parseCache. `limits` identifies the limits the file was parsed under. */
export interface ParseCache {
  get(file: InputFile, limits: string): ParsedFile | undefined;
  set(file: InputFile, limits: string, result: ParsedFile): void;
}

/** A ParseCache in memory: one entry per path, used while the text and limits are the same. */
export function memoryParseCache(): ParseCache {
  const entries = new Map<string, { text: string; limits: string; result: ParsedFile }>();
  return {
    get: (file, limits) => {
      const hit = entries.get(file.path);
      return hit && hit.text === file.text && hit.limits === limits ? hit.result : undefined;
    },
    set: (file, limits, result) => void entries.set(file.path, { text: file.text, limits, result }),
  };
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

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

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
  const parsed: ParsedDocument[] = [];
  const limitsKey = JSON.stringify(limits);
  for (const f of files) {
    let r = options.parseCache?.get(f, limitsKey);
    if (!r) {
      r = parseFile(f, limits);
      options.parseCache?.set(f, limitsKey, r);
    }
    for (const item of r.documents) parsed.push(item);
    for (const item of r.diagnostics) diagnostics.push(item);
  }
  const classified = classifyDocuments(parsed);
  for (const item of classified.diagnostics) diagnostics.push(item);

  const { model, diagnostics: modelDiagnostics } = buildFleetModel(classified.objects, files.map((f) => f.path), assets.validators, limits);
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
