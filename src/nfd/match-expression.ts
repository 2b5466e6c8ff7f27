/**
 * One match expression against one element that may be missing (SPEC §3.4): the ops, their
 * value-count rules, integer and version comparison, and the errors each raises.
 */
import semver from 'semver';
import { compileRe2 } from '../kmm/regexp.js';

/** `{op, value, type}` of a NodeFeatureRule expression. */
export interface MatchExpression {
  readonly op: string;
  readonly value?: readonly string[];
  readonly type?: string;
}

export const MATCH_OPS = ['In', 'NotIn', 'InRegexp', 'Exists', 'DoesNotExist', 'Gt', 'Ge', 'Lt', 'Le', 'GtLt', 'GeLe', 'IsTrue', 'IsFalse'] as const;

/** An error of an expression; the caller adds rule, feature and key to the message. */
export class ExpressionError extends Error {}

const INTEGER = /^[+-]?[0-9]+$/;
const VERSION = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:[-+][0-9A-Za-z.+-]*)?$/;

/** Base-10 integers with optional sign and leading zeros; "1.0", "0x1" and "" are errors. */
export function parseInteger(text: string): bigint {
  if (!INTEGER.test(text)) throw new ExpressionError(`not an integer: ${JSON.stringify(text)}`);
  return BigInt(text);
}

const versions = new Map<string, semver.SemVer>();

/** Semantic versions, coerced: "2" = 2.0.0, "22.04" = 22.4.0; pre-release and build dropped. */
export function parseVersion(text: string): semver.SemVer {
  let v = versions.get(text);
  if (!v) {
    v = parseVersionText(text);
    // Remembered (bounded): the same kernel and OS versions come back for every node.
    if (versions.size < 4096) versions.set(text, v);
  }
  return v;
}

function parseVersionText(text: string): semver.SemVer {
  const m = VERSION.exec(text);
  if (!m) throw new ExpressionError(`not a version: ${JSON.stringify(text)}`);
  // Leading zeros are read as decimal ("22.04" → 22.4.0), which semver itself refuses.
  const part = (p: string | undefined) => String(BigInt(p ?? '0'));
  return new semver.SemVer(`${part(m[1])}.${part(m[2])}.${part(m[3])}`);
}

function compare(a: string, b: string, type: string | undefined): number {
  if (type === 'version') return semver.compare(parseVersion(a), parseVersion(b));
  const x = parseInteger(a);
  const y = parseInteger(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function expectCount(e: MatchExpression, count: number | 'some'): readonly string[] {
  const values = e.value ?? [];
  const ok = count === 'some' ? values.length >= 1 : values.length === count;
  if (!ok) {
    const want = count === 'some' ? 'at least one value' : count === 0 ? 'no value' : count === 1 ? 'exactly one value' : `exactly ${count} values`;
    throw new ExpressionError(`op ${e.op} takes ${want}, not ${values.length}`);
  }
  return values;
}

/**
 * Evaluates `e` against an element: `present` says whether it exists, `value` is its value
 * (undefined for flag elements, which have none). Throws ExpressionError for invalid
 * expressions and unparsable values.
 */
const KNOWN_OPS: ReadonlySet<string> = new Set(MATCH_OPS);

// Rules are parsed once and evaluated for every feature set: an expression's value set and
// compiled patterns are made once (a value-count error is raised on every evaluation).
const valueSets = new WeakMap<MatchExpression, ReadonlySet<string>>();
function valueSet(e: MatchExpression): ReadonlySet<string> {
  let set = valueSets.get(e);
  if (!set) valueSets.set(e, (set = new Set(expectCount(e, 'some'))));
  return set;
}

type CompiledPattern = { test(input: string): boolean } | { pattern: string; error: string };
const compiledPatterns = new WeakMap<MatchExpression, readonly CompiledPattern[]>();
function patterns(e: MatchExpression): readonly CompiledPattern[] {
  let list = compiledPatterns.get(e);
  if (!list) {
    list = expectCount(e, 'some').map((pattern) => {
      const re = compileRe2(pattern);
      return 'error' in re ? { pattern, error: re.error } : re;
    });
    compiledPatterns.set(e, list);
  }
  return list;
}

export function evaluateExpression(e: MatchExpression, present: boolean, value: string | undefined): boolean {
  if (!KNOWN_OPS.has(e.op)) throw new ExpressionError(`unknown op ${JSON.stringify(e.op)}`);
  if (e.type !== undefined && e.type !== 'version') throw new ExpressionError(`unknown type ${JSON.stringify(e.type)} (only "version")`);
  if (e.op === 'Exists') {
    expectCount(e, 0);
    return present;
  }
  if (e.op === 'DoesNotExist') {
    expectCount(e, 0);
    return !present;
  }
  // A missing element, or one without a value (every flag element), matches no value op.
  if (!present || value === undefined) return false;
  switch (e.op) {
    case 'In':
      return valueSet(e).has(value);
    case 'NotIn':
      return !valueSet(e).has(value);
    case 'InRegexp':
      // In order, as Go's loop: a matching pattern before an invalid one wins.
      for (const re of patterns(e)) {
        if ('error' in re) throw new ExpressionError(`invalid RE2 regexp ${JSON.stringify(re.pattern)}: ${re.error}`);
        if (re.test(value)) return true;
      }
      return false;
    case 'Gt':
      return compare(value, expectCount(e, 1)[0]!, e.type) > 0;
    case 'Ge':
      return compare(value, expectCount(e, 1)[0]!, e.type) >= 0;
    case 'Lt':
      return compare(value, expectCount(e, 1)[0]!, e.type) < 0;
    case 'Le':
      return compare(value, expectCount(e, 1)[0]!, e.type) <= 0;
    case 'GtLt':
    case 'GeLe': {
      const [lo, hi] = expectCount(e, 2) as [string, string];
      if (e.type !== 'version' && parseInteger(lo) >= parseInteger(hi)) {
        throw new ExpressionError(`op ${e.op} needs value[0] < value[1], not ${lo} and ${hi}`);
      }
      const a = compare(value, lo, e.type);
      const b = compare(value, hi, e.type);
      return e.op === 'GtLt' ? a > 0 && b < 0 : a >= 0 && b <= 0;
    }
    case 'IsTrue':
      expectCount(e, 0);
      return value === 'true';
    case 'IsFalse':
      expectCount(e, 0);
      return value === 'false';
  }
  return false;
}
