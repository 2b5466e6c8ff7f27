/**
 * kmm-render's public API: what a program embeds (a CI bot, an Argo CD plugin, a test of a
 * fleet repository). The same functions the CLI runs; `package.json` `exports` points here.
 *
 * - compile a snapshot: `readRepo` (or `readRevision`) → `compile` with `loadAssets()`;
 * - render a fleet on worker threads with the unit cache: `renderFleet` → `writeOutputTree`;
 * - review a change: two compiles → `diffFleet` → `formatMarkdown` / `formatText` / `formatJson`;
 * - evaluate NodeFeatureRules against one node's features: `runDryrun`.
 */
export { compile, prepareAssets, type Assets, type CompileOptions, type CompileResult, type RawAssets } from './compile.js';
export { loadAssets } from './package/assets.js';
export { readReaderSettings, readRepo } from './repo/read-repo.js';
export { readRevision, resolveRevision, BadRevisionError } from './git/read-revision.js';
export type { InputFile, RepoSnapshot } from './load/repo-snapshot.js';
export { renderFleet, type FleetRender, type FleetRenderOptions } from './run/render-fleet.js';
export type { OutputTree, Provenance, RenderedCluster } from './output/build-tree.js';
export { writeOutputTree, OutputBusyError, OutputConflictError } from './output/write-tree.js';
export { diffFleet, hasChanges, type FleetDiff, type Impact, type ReviewOptions } from './review/diff-fleet.js';
export { formatJson, formatMarkdown, formatMarkdownParts, formatText, MARKDOWN_LIMIT, type DiffSides } from './review/format-diff.js';
export { buildFleetReport, type FleetReport, type ClusterReport } from './report/fleet-report.js';
export { formatReportHtml } from './report/format-html.js';
export { runDryrun, type DryrunInputs, type DryrunReport } from './nfd-dryrun.js';
export { formatDiagnosticsJson, formatDiagnosticsText } from './diagnostics/format.js';
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export { OperationalError } from './base/operational-error.js';
export { EMITTED_KINDS, STAGES, type EmittedKind, type Stage } from './plan/emitted-kinds.js';
export { TARGETS, type Distribution, type Target } from './targets/target.js';
