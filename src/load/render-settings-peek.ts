/**
 * The two settings the reader needs before it reads anything — where the output goes and
 * which paths to exclude — taken leniently from kmm-render.yaml. The file is validated
 * properly with every other input; a broken one gives its diagnostics there.
 */
import { parse } from 'yaml';
import { DEFAULT_LIMITS, limitsFrom, type Limits } from './limits.js';

export interface ReaderSettings {
  readonly output?: string;
  readonly exclude: readonly string[];
  readonly limits: Limits;
}

export function peekReaderSettings(text: string | undefined): ReaderSettings {
  if (text === undefined) return { exclude: [], limits: DEFAULT_LIMITS };
  try {
    const doc = parse(text, { version: '1.1', maxAliasCount: 10, logLevel: 'silent' }) as { spec?: { output?: unknown; exclude?: unknown; limits?: unknown } } | null;
    const spec = doc?.spec ?? {};
    const exclude = Array.isArray(spec.exclude) ? spec.exclude.filter((e): e is string => typeof e === 'string') : [];
    const limits = limitsFrom(spec.limits);
    return typeof spec.output === 'string' ? { output: spec.output, exclude, limits } : { exclude, limits };
  } catch {
    return { exclude: [], limits: DEFAULT_LIMITS };
  }
}
