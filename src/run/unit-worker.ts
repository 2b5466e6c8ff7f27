/**
 * A worker thread for the worker pool: compiles units (`render`, `check`) or diffs them
 * (`diff`). It reads the package's assets itself, once, and answers one message per task.
 */
import { parentPort } from 'node:worker_threads';
import { loadAssets } from '../package/assets.js';
import { compileUnit } from '../units/compile-unit.js';
import { openFileParseCache } from './file-parse-cache.js';
import type { UnitTask } from './unit-task.js';

parentPort!.on('message', async (message: { id: number; task: UnitTask } | 'done') => {
  // The pool is done: exit, so that exit handlers (the code cache of cli/load-bundle.ts) run.
  if (message === 'done') process.exit(0);
  const { id, task } = message;
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
