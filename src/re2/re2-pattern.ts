/** RE2 regular expressions for user-supplied patterns (SPEC §4.2, §10): linear time, Go syntax. */
import { RE2JS } from 're2js';
import { BoundedMemo } from '../base/bounded-memo.js';

/** A compiled pattern that matches anywhere in the input, like Go's regexp.MatchString. */
export interface Re2Pattern {
  test(input: string): boolean;
}

const cache = new Map<string, Re2Pattern | string>();

/** A pattern that can only match one literal string (no metacharacters between ^ and $). */
const ANCHORED_LITERAL = /^\^[A-Za-z0-9_-]+\$$/;

/** Answers remembered per pattern. */
const MAX_REMEMBERED_ANSWERS = 4096;

/** Longest pattern compiled (limits.maxRegexpLength; NodeFeatureRule patterns use this default). */
export const MAX_PATTERN_LENGTH = 4096;

/** The one string `pattern` can match, when it is `^literal$` over letters, digits, "_" and "-". */
export function anchoredLiteral(pattern: string): string | undefined {
  return ANCHORED_LITERAL.test(pattern) ? pattern.slice(1, -1) : undefined;
}

/** Compiles `pattern` once; returns the pattern, or the RE2 error text. */
export function compileRe2(pattern: string, maxLength = MAX_PATTERN_LENGTH): Re2Pattern | { error: string } {
  if (pattern.length > maxLength) return { error: `the pattern has ${pattern.length} characters, more than the ${maxLength} allowed` };
  let hit = cache.get(pattern);
  const literal = hit === undefined ? anchoredLiteral(pattern) : undefined;
  if (literal !== undefined) {
    // `^name$` over letters, digits, "_" and "-" matches exactly that string: compare.
    hit = { test: (input: string) => input === literal };
    cache.set(pattern, hit);
  }
  if (hit === undefined) {
    try {
      const re = RE2JS.compile(pattern);
      // The same inputs come back node after node (cpuid flags, module names, kernels):
      // remember answers, up to a bound, since RE2JS matching costs microseconds.
      const answers = new BoundedMemo<string, boolean>(MAX_REMEMBERED_ANSWERS);
      const find = (input: string) => re.matcher(input).find();
      hit = { test: (input: string) => answers.get(input, find) };
    } catch (e) {
      hit = String((e as Error).message).replace(/^error parsing regexp: /, '');
    }
    cache.set(pattern, hit);
  }
  return typeof hit === 'string' ? { error: hit } : hit;
}
