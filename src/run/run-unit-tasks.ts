/**
 * The one place that decides how unit tasks run: on worker threads when there are several
 * tasks, more than one job and enough input to pay for starting workers (each worker loads
 * the compiler and the assets again); otherwise in this thread, through the same functions.
 * Results come back in task order either way. I/O edge (threads, the parse cache on disk).
 */
import { availableParallelism } from 'node:os';
import type { Assets } from '../compile.js';
import type { ParseCache } from '../load/load-documents.js';
import { compileUnit } from '../units/compile-unit.js';
import { openFileParseCache } from './file-parse-cache.js';
import { taskBytes, type UnitTask } from './unit-task.js';

/**
 * Least input (bytes) worth starting workers for: below it, starting them costs more than it
 * saves. Each worker loads the bundle and the assets and warms up its own JIT; measured on
 * two cores (BENCHMARKS.md, issue 17), ten compact clusters render faster in this thread at
 * 2.7 MiB (1.03 s against 1.20 s) and 4.1 MiB (1.43 against 1.59), break even at 6.3 MiB,
 * and gain from workers at 54 MiB (6.9 s against 9.2).
 */
const PARALLEL_MIN_BYTES = 6 * 1024 * 1024;

/** How tasks may run. */
export interface Scheduling {
  /** Worker threads; 1 runs every task in this thread. @default os.availableParallelism() */
  readonly jobs?: number | undefined;
  /** @default PARALLEL_MIN_BYTES */
  readonly parallelMinBytes?: number | undefined;
}

/** Runs `tasks`; `workers` is how many worker threads ran them (0: this thread). */
export async function runUnitTasks<R>(tasks: readonly UnitTask[], assets: () => Assets, scheduling: Scheduling): Promise<{ results: R[]; workers: number }> {
  const jobs = Math.max(1, scheduling.jobs ?? availableParallelism());
  const bytes = tasks.reduce((n, t) => n + taskBytes(t), 0);
  if (tasks.length > 1 && jobs > 1 && bytes >= (scheduling.parallelMinBytes ?? PARALLEL_MIN_BYTES)) {
    const { runInWorkers } = await import('./worker-pool.js');
    return { results: await runInWorkers<R>(tasks, jobs), workers: Math.min(jobs, tasks.length) };
  }
  const parseCaches = new Map<string, ParseCache>();
  const parseCacheOf = (dir: string | undefined) => {
    if (dir === undefined) return undefined;
    let cache = parseCaches.get(dir);
    if (!cache) parseCaches.set(dir, (cache = openFileParseCache(dir)));
    return cache;
  };
  const results: R[] = [];
  for (const t of tasks) {
    const files = parseCacheOf(t.fileCacheDir);
    // The review code (and its text-diff library) loads only for diff tasks.
    const result = t.kind === 'compile' ? compileUnit(t.unit, assets(), t.options, files) : (await import('../units/diff-unit.js')).diffUnit(t.unit, assets(), t.options, files);
    results.push(result as R);
  }
  return { results, workers: 0 };
}
