/**
 * Running unit tasks (unit-worker.ts) on worker threads. Tasks are handed out largest first,
 * to whichever worker is free; results come back in task order, so nothing depends on which
 * worker was faster.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { taskBytes, type UnitTask } from './unit-task.js';

const WORKER_FILE = new URL('./unit-worker.js', import.meta.url);
/** Beside the worker in the CLI bundle (scripts/bundle-cli.ts): the code-cache loader. */
const BUNDLE_LOADER = new URL('./load-bundle.js', import.meta.url);

/** Workers that have exited (a crash, or asked to). */
const exited = new WeakSet<Worker>();

/**
 * Each worker's young generation, in MiB. A unit's values are kept until it is done, so most
 * of what a worker allocates survives; a smaller young generation costs a few more
 * scavenges and saves memory in every worker. Medium fleet on two workers (BENCHMARKS.md,
 * issue 17): V8's default 2.62 s and 562–614 MiB peak, 16 MiB 2.76 s and 512–522 MiB,
 * 8 MiB 3.01 s and 453–468 MiB.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

/** A worker thread; from the CLI bundle it runs through the code cache, as the command line does. */
function startWorker(): Worker {
  const [loader, file] = [BUNDLE_LOADER, WORKER_FILE].map((u) => JSON.stringify(fileURLToPath(u)));
  const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
  const worker = existsSync(BUNDLE_LOADER) ? new Worker(`require(${loader}).runBundle(${file}, (s) => import(s))`, { eval: true, resourceLimits }) : new Worker(WORKER_FILE, { resourceLimits });
  worker.once('exit', () => exited.add(worker));
  return worker;
}

type Reply = { id: number; result?: unknown; error?: string };

/**
 * Asks a worker to exit, so that it runs its exit handlers (the code cache is written then);
 * terminate() would not. One that does not exit within 5 s is terminated.
 */
function stopWorker(worker: Worker): Promise<void> {
  if (exited.has(worker)) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = setTimeout(() => void worker.terminate().then(() => resolve()), 5_000);
    worker.once('exit', () => {
      clearTimeout(stop);
      resolve();
    });
    worker.postMessage('done');
  });
}

export async function runInWorkers<R>(tasks: readonly UnitTask[], jobs: number): Promise<R[]> {
  const queue = tasks.map((task, id) => ({ id, task, bytes: taskBytes(task) })).sort((a, b) => b.bytes - a.bytes || a.id - b.id);
  const results: R[] = new Array(tasks.length);
  const count = Math.max(1, Math.min(jobs, tasks.length));
  const workers = Array.from({ length: count }, startWorker);
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const item = queue.shift();
              if (!item) return resolve();
              // Sending reads a late input file's text (repo/input-stat-cache.ts), which can
              // fail (InputChangedError): that rejects the run instead of escaping a handler.
              try {
                worker.postMessage({ id: item.id, task: item.task });
              } catch (e) {
                reject(e);
              }
            };
            worker.on('message', (reply: Reply) => {
              if (reply.error !== undefined) return reject(new Error(`a compile worker failed:\n${reply.error}`));
              results[reply.id] = reply.result as R;
              next();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(`a compile worker exited with code ${code}`));
            });
            next();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map(stopWorker));
  }
  return results;
}
