/** Running the real kmm-render command in a child process. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { BIN } from './paths.js';

export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
  });
}

/** True when the text looks like a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(\(|:\d+:\d+)/m.test(text);
}
