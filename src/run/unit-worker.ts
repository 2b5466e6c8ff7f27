/**
 * A worker thread for the worker pool: compiles units (`render`, `check`) or diffs them
 * (`diff`). It reads the package's assets itself, once, and answers one message per task.
 */
import { parentPort } from 'node:worker_threads';
import { loadAssets } from '../cli/assets.js';
import type { DiffOptions } from '../review/diff-fleet.js';
import { compileUnit, type UnitOptions } from '../units/compile-unit.js';
import type { DiffUnit } from '../units/diff-unit.js';
import type { CompileUnit } from '../units/split-units.js';
import { openFileParseCache } from './file-parse-cache.js';

/** What a worker is asked to do. */
export type UnitTask = (
  | { readonly kind: 'compile'; readonly unit: CompileUnit; readonly options: UnitOptions }
  | { readonly kind: 'diff'; readonly unit: DiffUnit; readonly options: DiffOptions }
) & {
  /** Where parsed files are cached (run/file-parse-cache.ts), if anywhere. */
  readonly fileCacheDir?: string;
};

parentPort!.on('message', async ({ id, task }: { id: number; task: UnitTask }) => {
  try {
    // The review code (and its text-diff library) loads only for diff tasks.
    const files = task.fileCacheDir ? openFileParseCache(task.fileCacheDir) : undefined;
    const result =
      task.kind === 'compile' ? compileUnit(task.unit, loadAssets(), task.options, files) : (await import('../units/diff-unit.js')).diffUnit(task.unit, loadAssets(), task.options, files);
    parentPort!.postMessage({ id, result });
  } catch (e) {
    // A bug, not an input problem: the pool rethrows it in the main thread.
    parentPort!.postMessage({ id, error: (e as Error).stack ?? String(e) });
  }
});
