/**
 * A worker thread that compiles units (src/units/) for the worker pool. It reads the
 * package's assets itself, once, and answers one message per unit.
 */
import { parentPort } from 'node:worker_threads';
import { loadAssets } from '../cli/assets.js';
import { compileUnit, type UnitOptions } from '../units/compile-unit.js';
import type { CompileUnit } from '../units/split-units.js';

export interface UnitRequest {
  readonly id: number;
  readonly unit: CompileUnit;
  readonly options: UnitOptions;
}

parentPort!.on('message', (request: UnitRequest) => {
  try {
    parentPort!.postMessage({ id: request.id, result: compileUnit(request.unit, loadAssets(), request.options) });
  } catch (e) {
    // A bug, not an input problem: the pool rethrows it in the main thread.
    parentPort!.postMessage({ id: request.id, error: (e as Error).stack ?? String(e) });
  }
});
