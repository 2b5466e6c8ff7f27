/** Running the real kmm-render command in a child process. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from './paths.js';

/** One unit cache per test process, never the user's own (tests may set KMM_RENDER_CACHE). */
const CACHE = mkdtempSync(join(tmpdir(), 'kmm-render-test-cache-'));

export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, KMM_RENDER_CACHE: CACHE, ...options.env },
    encoding: 'utf8',
  });
}

/** True when the text looks like a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(\(|:\d+:\d+)/m.test(text);
}
