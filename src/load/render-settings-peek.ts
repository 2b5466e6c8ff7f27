/**
 * The two settings the reader needs before it reads anything — where the output goes and
 * which paths to exclude — taken leniently from kmm-render.yaml. The file is validated
 * properly with every other input; a broken one gives its diagnostics there.
 */
import { DEFAULT_LIMITS, limitsFrom, type Limits } from './limits.js';
import { parseFile } from './parse-documents.js';

export interface ReaderSettings {
  readonly output?: string;
  readonly exclude: readonly string[];
  readonly limits: Limits;
}

export function peekReaderSettings(text: string | undefined): ReaderSettings {
  if (text === undefined) return { exclude: [], limits: DEFAULT_LIMITS };
  try {
    // Read as every input is read (the default limits: these settings are what sets them).
    const doc = parseFile({ path: 'kmm-render.yaml', text }).documents[0]?.value as { spec?: { output?: unknown; exclude?: unknown; limits?: unknown } } | undefined;
    const spec = doc?.spec ?? {};
    const exclude = Array.isArray(spec.exclude) ? spec.exclude.filter((e): e is string => typeof e === 'string') : [];
    const limits = limitsFrom(spec.limits);
    return typeof spec.output === 'string' ? { output: spec.output, exclude, limits } : { exclude, limits };
  } catch {
    return { exclude: [], limits: DEFAULT_LIMITS };
  }
}
