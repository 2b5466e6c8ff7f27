/**
 * One match expression against one element that may be missing (SPEC §3.4): the ops, their
 * value-count rules, integer and version comparison, and the errors each raises.
 */
import semver from 'semver';
import { anchoredLiteral, compileRe2 } from '../kmm/regexp.js';

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
 * An expression compiled for one question: does an element that is `present`, with `value`
 * (undefined for flag elements, which have none), match? Throws ExpressionError for invalid
 * expressions and unparsable values, exactly when and in the order nfd-master would.
 */
export type ExpressionPredicate = (present: boolean, value: string | undefined) => boolean;

const KNOWN_OPS: ReadonlySet<string> = new Set(MATCH_OPS);

/** A predicate that fails with `message` whenever it is asked (a fresh error each time). */
function failing(message: string): ExpressionPredicate {
  return () => {
    throw new ExpressionError(message);
  };
}

/** A predicate that answers false for missing and value-less elements, else fails with `message`. */
function failingOnValue(message: string): ExpressionPredicate {
  return (present, value) => {
    if (!present || value === undefined) return false;
    throw new ExpressionError(message);
  };
}

/** The value-count error of `e` for `count`, or undefined when the count is right. */
function countError(e: MatchExpression, count: number | 'some'): string | undefined {
  try {
    expectCount(e, count);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

type Parsed<T> = { readonly ok: T } | { readonly error: string };

function parseBound<T>(parse: (text: string) => T, text: string): Parsed<T> {
  try {
    return { ok: parse(text) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function boundOf<T>(p: Parsed<T>): T {
  if ('error' in p) throw new ExpressionError(p.error);
  return p.ok;
}

const integers = new Map<string, bigint>();
/** parseInteger, remembered (bounded): the same values come back for every node. */
function integerOf(text: string): bigint {
  let n = integers.get(text);
  if (n === undefined) {
    n = parseInteger(text);
    if (integers.size < 4096) integers.set(text, n);
  }
  return n;
}

/** A three-way comparison of an element value with a bound parsed ahead (value parsed first). */
function comparator(type: string | undefined): <T>(value: string, bound: Parsed<T>) => number {
  if (type === 'version') return (value, bound) => semver.compare(parseVersion(value), boundOf(bound) as semver.SemVer);
  return (value, bound) => {
    const x = integerOf(value);
    const y = boundOf(bound) as bigint;
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

const RANGE_TESTS: Readonly<Record<string, (c: number) => boolean>> = {
  Gt: (c) => c > 0,
  Ge: (c) => c >= 0,
  Lt: (c) => c < 0,
  Le: (c) => c <= 0,
};

function compileExpressionUncached(e: MatchExpression): ExpressionPredicate {
  if (!KNOWN_OPS.has(e.op)) return failing(`unknown op ${JSON.stringify(e.op)}`);
  if (e.type !== undefined && e.type !== 'version') return failing(`unknown type ${JSON.stringify(e.type)} (only "version")`);
  const op = e.op;
  if (op === 'Exists' || op === 'DoesNotExist') {
    const error = countError(e, 0);
    if (error) return failing(error);
    return op === 'Exists' ? (present) => present : (present) => !present;
  }
  // Below: a missing element, or one without a value (every flag element), matches no op.
  const error = countError(e, op === 'In' || op === 'NotIn' || op === 'InRegexp' ? 'some' : op === 'GtLt' || op === 'GeLe' ? 2 : op in RANGE_TESTS ? 1 : 0);
  if (error) return failingOnValue(error);
  const values = e.value ?? [];
  switch (op) {
    case 'In':
    case 'NotIn': {
      const set = new Set(values);
      const want = op === 'In';
      return (present, value) => present && value !== undefined && set.has(value) === want;
    }
    case 'InRegexp': {
      // In order, as Go's loop: a matching pattern before an invalid one wins.
      const patterns = values.map((pattern) => {
        const re = compileRe2(pattern);
        return 'error' in re ? { pattern, error: re.error } : re;
      });
      if (patterns.length === 1 && !('error' in patterns[0]!)) {
        const only = patterns[0];
        return (present, value) => present && value !== undefined && only.test(value);
      }
      return (present, value) => {
        if (!present || value === undefined) return false;
        for (const re of patterns) {
          if ('error' in re) throw new ExpressionError(`invalid RE2 regexp ${JSON.stringify(re.pattern)}: ${re.error}`);
          if (re.test(value)) return true;
        }
        return false;
      };
    }
    case 'GtLt':
    case 'GeLe': {
      const version = e.type === 'version';
      const parse = version ? parseVersion : integerOf;
      const lo = parseBound<unknown>(parse, values[0]!);
      const hi = parseBound<unknown>(parse, values[1]!);
      let order: string | undefined;
      if (!version && 'ok' in lo && 'ok' in hi && (lo.ok as bigint) >= (hi.ok as bigint)) {
        order = `op ${op} needs value[0] < value[1], not ${values[0]} and ${values[1]}`;
      }
      const compare = comparator(e.type);
      const open = op === 'GtLt';
      return (present, value) => {
        if (!present || value === undefined) return false;
        // nfd-master checks the integer bounds (lo first) before it reads the value.
        if (!version) {
          boundOf(lo);
          boundOf(hi);
        }
        if (order) throw new ExpressionError(order);
        const a = compare(value, lo);
        const b = compare(value, hi);
        return open ? a > 0 && b < 0 : a >= 0 && b <= 0;
      };
    }
    case 'IsTrue':
      return (present, value) => present && value === 'true';
    case 'IsFalse':
      return (present, value) => present && value === 'false';
    default: {
      const bound = parseBound<unknown>(e.type === 'version' ? parseVersion : integerOf, values[0]!);
      const compare = comparator(e.type);
      const holds = RANGE_TESTS[op]!;
      return (present, value) => present && value !== undefined && holds(compare(value, bound));
    }
  }
}

// Rules are parsed once and evaluated for every feature set: each expression is compiled once.
const compiledExpressions = new WeakMap<MatchExpression, ExpressionPredicate>();

/** The predicate of `e`, compiled on first use. */
export function compileExpression(e: MatchExpression): ExpressionPredicate {
  let predicate = compiledExpressions.get(e);
  if (!predicate) compiledExpressions.set(e, (predicate = compileExpressionUncached(e)));
  return predicate;
}

/** Evaluates `e` against one element; see ExpressionPredicate. */
export function evaluateExpression(e: MatchExpression, present: boolean, value: string | undefined): boolean {
  return compileExpression(e)(present, value);
}

/**
 * The exact set of values `e` matches, when it is a plain membership test that cannot fail:
 * In, or InRegexp whose every pattern is `^literal$`. Lets a caller look names up instead of
 * asking the predicate for each one.
 */
export function literalValues(e: MatchExpression): ReadonlySet<string> | undefined {
  if (e.type !== undefined || !e.value || e.value.length === 0) return undefined;
  if (e.op === 'In') return new Set(e.value);
  if (e.op !== 'InRegexp') return undefined;
  const literals = e.value.map(anchoredLiteral);
  return literals.every((l) => l !== undefined) ? new Set(literals as string[]) : undefined;
}
