/**
 * Runs the CLI bundle (scripts/bundle-cli.ts) with a persistent V8 code cache on Node 20,
 * which has no `module.enableCompileCache()` (bin/kmm-render.js uses that where Node has
 * it): the bundle is compiled with the code V8 cached from an earlier run, so a run does not
 * parse and compile the same 1.6 MB again. The cache is one file per bundle text, Node
 * version and architecture in the `v8/` folder of kmm-render's cache, written when the
 * process exits (with every function the run compiled), atomically; a cache V8 rejects, or
 * one that cannot be read or written, only costs speed. KMM_RENDER_CODE_CACHE=off turns it
 * off. (The v8-compile-cache package does this for any module, but compiles without an
 * `import()` callback, and the cluster client is an ES module the bundle must import.)
 * I/O edge.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { defaultCacheDir } from '../disk/cache-dir.js';
import { writeFileAtomically } from '../disk/write-file-atomically.js';

export { defaultCacheDir } from '../disk/cache-dir.js';

/**
 * Runs a CommonJS bundle and returns its exports: with Node's compile cache where Node has it,
 * else through loadBundle. `importModule` is the caller's `import()`. `writeCache: 'now'` is for
 * a thread that may be stopped without seeing its exit.
 */
export function runBundle(file: string, importModule: (specifier: string) => Promise<unknown>, writeCache: 'at-exit' | 'now' = 'at-exit'): Record<string, unknown> {
  const enable = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable === 'function') {
    enable(join(defaultCacheDir(), 'v8'));
    return createRequire(file)(file) as Record<string, unknown>;
  }
  return loadBundle(file, importModule, writeCache);
}

/** Loads a CommonJS bundle with the code cache of load-bundle.ts and returns its exports. */
export function loadBundle(file: string, importModule: (specifier: string) => Promise<unknown>, writeCache: 'at-exit' | 'now' = 'at-exit', env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const source = readFileSync(file, 'utf8');
  const useCache = env.KMM_RENDER_CODE_CACHE !== 'off';
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${file}\0`).update(source).digest('hex').slice(0, 24);
  const cacheFile = join(defaultCacheDir(env), 'v8', `${basename(file, '.js')}-${key}.bin`);
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: ((specifier: string) => importModule(specifier)) as never,
  });
  const save = () => {
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileAtomically(cacheFile, script.createCachedData());
    } catch {
      // A read-only or full cache folder: the next run compiles again.
    }
  };
  const stale = useCache && (!cachedData || script.cachedDataRejected);
  // At exit the cache holds every function the run compiled, not only the top level.
  if (stale && writeCache === 'at-exit') process.once('exit', save);
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (stale && writeCache === 'now') save();
  return module.exports;
}
