/**
 * Where kmm-render keeps its caches when not told (`--cache-dir`): $KMM_RENDER_CACHE, else
 * $XDG_CACHE_HOME/kmm-render, else ~/.cache/kmm-render. The unit and parse caches live there,
 * and bin/kmm-render.js keeps V8's code cache of the CLI bundles in its `v8/` folder — private
 * to the user, unlike the system's temporary folder. Safe to delete at any time.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KMM_RENDER_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kmm-render');
}
