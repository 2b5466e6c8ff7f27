/**
 * The output tree in memory (SPEC §6): per cluster a folder with one file per object, a
 * kustomization.yaml in apply order and a README; a top-level README and render.lock.
 * Pure: the writer (write-tree.ts) is the only code that touches the disk.
 */
import type { NodeLabels } from '../nfd/node-labels.js';
import type { ClusterPlan } from '../plan/fleet-plan.js';
import { STAGES } from '../plan/emitted-kinds.js';
import type { RenderedObject } from '../render/render-objects.js';
import { renderTemplate, type CompiledTemplates } from '../render/templates.js';
import { clusterReadme, treeReadme } from './readme.js';
import { sha256 } from '../base/sha256.js';
import { formatRenderLock, RENDER_LOCK_FILE } from './render-lock.js';
import { compareText } from '../base/compare-text.js';
import type { ListedInputFile, RepoSnapshot } from '../load/repo-snapshot.js';

/** One rendered cluster. */
export interface RenderedCluster {
  readonly plan: ClusterPlan;
  readonly objects: readonly RenderedObject[];
  /** The effective labels of each node, with their origins (for explain and review). */
  readonly labels: ReadonlyMap<string, NodeLabels>;
}

/** Files of the tree, by path relative to the output folder. */
export interface OutputTree {
  readonly files: ReadonlyMap<string, string>;
  /** Cluster folders this render wrote (the writer replaces only these). */
  readonly clusters: readonly string[];
}

/** Where the tree comes from, for render.lock and the README. */
export interface Provenance {
  /** e.g. "kmm-render 0.1.0" */
  readonly tool: string;
  /** The command that reproduces the tree, without locations (e.g. "kmm-render render"). */
  readonly command: string;
}

/** Files of clusters a partial render (--cluster) leaves as they are. */
export interface PreservedClusters {
  /** path → sha256, from the previous render.lock */
  readonly files: ReadonlyMap<string, string>;
  readonly objectCounts: ReadonlyMap<string, number>;
}

/** The files of one cluster folder, paths relative to the output folder. */
export interface ClusterFolder {
  readonly name: string;
  readonly files: ReadonlyMap<string, string>;
  readonly objectCount: number;
}

/** Renders one cluster folder: its objects, one kustomization per stage and one in all, a README. */
export function renderClusterFolder(c: RenderedCluster, templates: CompiledTemplates): ClusterFolder {
  const files = new Map<string, string>();
  const dir = c.plan.cluster.name;
  for (const o of c.objects) files.set(`${dir}/${o.file}`, o.yaml);
  // The cluster folder lists its stage folders in apply order; each stage lists its files.
  const stages = STAGES.filter((s) => c.objects.some((o) => o.stage === s));
  for (const stage of stages) {
    const resources = c.objects.filter((o) => o.stage === stage).map((o) => o.file.slice(stage.length + 1));
    files.set(`${dir}/${stage}/kustomization.yaml`, renderTemplate(templates, 'kustomization', { resources }).yaml);
  }
  files.set(`${dir}/kustomization.yaml`, renderTemplate(templates, 'kustomization', { resources: stages }).yaml);
  files.set(`${dir}/README.md`, clusterReadme(c.plan, c.objects));
  return { name: dir, files, objectCount: c.objects.length };
}

/** sha256 of each input file, for render.lock and the unit cache. */
export function digestInputs(snapshot: { readonly files: readonly ListedInputFile[] }): Map<string, string> {
  // An unread file always has its digest (repo-snapshot.ts).
  return new Map(snapshot.files.map((f) => [f.path, f.text === undefined ? f.digest : (f.digest ?? sha256(f.text))]));
}

/**
 * The whole tree from its cluster folders (in any order): the folders, the top README and
 * render.lock. `inputs` are the snapshot's digests (digestInputs).
 */
export function assembleOutputTree(
  folders: readonly ClusterFolder[],
  snapshot: Pick<RepoSnapshot, 'commit'>,
  inputs: ReadonlyMap<string, string>,
  provenance: Provenance,
  preserved?: PreservedClusters,
): OutputTree {
  const sorted = [...folders].sort((a, b) => compareText(a.name, b.name));
  const files = new Map<string, string>();
  for (const folder of sorted) for (const [p, text] of folder.files) files.set(p, text);
  const counts = new Map<string, number>(preserved?.objectCounts ?? []);
  for (const folder of sorted) counts.set(folder.name, folder.objectCount);
  const listed = [...counts.entries()].sort((a, b) => compareText(a[0], b[0])).map(([name, objects]) => ({ name, objects }));
  files.set('README.md', treeReadme(listed, provenance.command));

  const outputs = new Map<string, string>(preserved?.files ?? []);
  for (const [p, text] of files) outputs.set(p, sha256(text));
  files.set(
    RENDER_LOCK_FILE,
    formatRenderLock({ tool: provenance.tool, ...(snapshot.commit ? { commit: snapshot.commit } : {}), command: provenance.command, inputs, outputs }),
  );
  return { files, clusters: sorted.map((f) => f.name) };
}

/** Builds the whole tree in memory. */
export function buildOutputTree(
  clusters: readonly RenderedCluster[],
  snapshot: RepoSnapshot,
  provenance: Provenance,
  templates: CompiledTemplates,
  preserved?: PreservedClusters,
): OutputTree {
  return assembleOutputTree(
    clusters.map((c) => renderClusterFolder(c, templates)),
    snapshot,
    digestInputs(snapshot),
    provenance,
    preserved,
  );
}
