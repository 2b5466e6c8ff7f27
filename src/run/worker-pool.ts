/**
 * Compiling units on worker threads. Units are handed out largest first, to whichever worker
 * is free; results come back in unit order, so nothing depends on which worker was faster.
 */
import { Worker } from 'node:worker_threads';
import type { UnitOptions, UnitResult } from '../units/compile-unit.js';
import type { CompileUnit } from '../units/split-units.js';
import type { UnitRequest } from './unit-worker.js';

const WORKER_FILE = new URL('./unit-worker.js', import.meta.url);

type Reply = { id: number; result?: UnitResult; error?: string };

export async function compileUnitsInWorkers(units: readonly CompileUnit[], options: UnitOptions, jobs: number): Promise<UnitResult[]> {
  const size = (u: CompileUnit) => u.files.reduce((n, f) => n + f.text.length, 0);
  const queue = units.map((unit, id) => ({ id, unit, bytes: size(unit) })).sort((a, b) => b.bytes - a.bytes || a.id - b.id);
  const results: UnitResult[] = new Array(units.length);
  const count = Math.max(1, Math.min(jobs, units.length));
  const workers = Array.from({ length: count }, () => new Worker(WORKER_FILE));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const next = () => {
              const item = queue.shift();
              if (!item) return resolve();
              const request: UnitRequest = { id: item.id, unit: item.unit, options };
              worker.postMessage(request);
            };
            worker.on('message', (reply: Reply) => {
              if (reply.error !== undefined) return reject(new Error(`a compile worker failed:\n${reply.error}`));
              results[reply.id] = reply.result!;
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
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
