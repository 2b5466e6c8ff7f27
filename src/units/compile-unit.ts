/**
 * Compiling one unit (split-units.ts) to its cluster folder. The result is plain data, so
 * that it can cross a worker boundary and be cached on disk as JSON.
 */
import { compile, type Assets } from '../compile.js';
import { type ParseCache } from '../load/load-documents.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { renderClusterFolder } from '../output/build-tree.js';
import type { CompileUnit } from './split-units.js';

/** Options that change a unit's result (and so are part of its cache key). */
export interface UnitOptions {
  readonly strict: boolean;
  readonly pinDigests: boolean;
}

/** What compiling a unit gives: diagnostics and, when it compiled, its cluster folder. */
export interface UnitResult {
  readonly cluster: string;
  readonly ok: boolean;
  /** Sorted. */
  readonly diagnostics: readonly Diagnostic[];
  /** Paths relative to the output folder, in the order the tree lists them. */
  readonly files?: readonly (readonly [string, string])[];
  readonly objectCount?: number;
  /** Input errors stopped the unit after load and validate. */
  readonly stoppedAfterModel: boolean;
  /** When it went on: its load and validate diagnostics alone (sorted). */
  readonly modelDiagnostics?: readonly Diagnostic[];
}

/** `parseCache`: parsed files to reuse (run/file-parse-cache.ts); results never depend on it. */
export function compileUnit(unit: CompileUnit, assets: Assets, options: UnitOptions, parseCache?: ParseCache): UnitResult {
  const result = compile({ files: unit.files, readDiagnostics: [] }, assets, {
    strict: options.strict,
    pinDigests: options.pinDigests,
    clusters: [unit.cluster],
    keepModelDiagnostics: true,
    ...(parseCache ? { parseCache } : {}),
  });
  const stopped = { stoppedAfterModel: result.stoppedAfterModel === true, ...(result.modelDiagnostics ? { modelDiagnostics: result.modelDiagnostics } : {}) };
  const rendered = result.clusters?.[0];
  if (!result.ok || !rendered) return { cluster: unit.cluster, ok: false, diagnostics: result.diagnostics, ...stopped };
  const folder = renderClusterFolder(rendered, assets.templates);
  return { cluster: unit.cluster, ok: true, diagnostics: result.diagnostics, files: [...folder.files], objectCount: folder.objectCount, ...stopped };
}
