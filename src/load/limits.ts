/**
 * The input limits (SPEC §10): sized so that real fleets never reach them, overridable in
 * kmm-render.yaml (`spec.limits`). Every limit reached is a diagnostic, never a crash or a
 * hang. Templates have their own step and output budget (nfd/go-template-eval.ts), and
 * regular expressions are RE2 (re2/re2-pattern.ts); docs/security.md lists every bound.
 */
import { MAX_PATTERN_LENGTH } from '../re2/re2-pattern.js';

export interface Limits {
  /** @default 64 MiB */
  readonly maxFileBytes: number;
  /** @default 50,000 */
  readonly maxDocumentsPerFile: number;
  /** Alias expansions per document (alias bombs). @default 100 */
  readonly maxAliasCount: number;
  /** Nesting of mappings and sequences. @default 64 */
  readonly maxDepth: number;
  /** @default 200,000 */
  readonly maxNodesPerCluster: number;
  /** Emitted objects per cluster. @default 100,000 */
  readonly maxObjectsPerCluster: number;
  /**
   * Characters of one regular expression of a Module's kernel mapping. NodeFeatureRule
   * patterns are bounded by the same default, fixed (re2/re2-pattern.ts). @default 4,096
   */
  readonly maxRegexpLength: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxDocumentsPerFile: 50_000,
  maxAliasCount: 100,
  maxDepth: 64,
  maxNodesPerCluster: 200_000,
  maxObjectsPerCluster: 100_000,
  maxRegexpLength: MAX_PATTERN_LENGTH,
};

/** The limits of a `spec.limits` mapping, defaults for what it does not set or sets wrongly. */
export function limitsFrom(raw: unknown): Limits {
  const r = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS)) {
    const v = r[key];
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) out[key] = v;
  }
  return out as unknown as Limits;
}

/**
 * The deepest nesting of flow collections (`[`/`{`) in a text, outside quoted strings; a
 * cheap scan that runs before the parser, so that `[[[[…` cannot exhaust its stack.
 */
export function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) comment = true;
    else if (c === '[' || c === '{') max = Math.max(max, ++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return max;
}

/** The deepest nesting of a parsed value (iterative, so it cannot overflow the stack). */
export function valueDepth(value: unknown): number {
  let max = 0;
  const values: unknown[] = [value];
  const depths: number[] = [0];
  while (values.length) {
    const v = values.pop()!;
    const d = depths.pop()! + 1;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (Array.isArray(v)) {
      for (const child of v) if (child !== null && typeof child === 'object') values.push(child), depths.push(d);
    } else {
      for (const k in v) {
        const child = (v as Record<string, unknown>)[k];
        if (child !== null && typeof child === 'object') values.push(child), depths.push(d);
      }
    }
  }
  return max;
}
