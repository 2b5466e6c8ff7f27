/**
 * One match expression against one element that may be missing (SPEC §3.4): the ops, their
 * value-count rules, integer and version comparison, and the errors each raises.
 */
import { anchoredLiteral, compileRe2 } from '../re2/re2-pattern.js';
import { BoundedMemo } from '../base/bounded-memo.js';
import { NfdEngineError } from './engine-error.js';

/** `{op, value, type}` of a NodeFeatureRule expression. */
export interface MatchExpression {
  readonly op: string;
  readonly value?: readonly string[];
  readonly type?: string;
}

const MATCH_OPS = ['In', 'NotIn', 'InRegexp', 'Exists', 'DoesNotExist', 'Gt', 'Ge', 'Lt', 'Le', 'GtLt', 'GeLe', 'IsTrue', 'IsFalse'] as const;

/** An error of an expression; the caller adds rule, feature and key to the message. */
export class ExpressionError extends NfdEngineError {}

const INTEGER = /^[+-]?[0-9]+$/;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/**
 * Go's strconv.Atoi, as nfd-master compares integers: base 10, an optional sign, leading
 * zeros allowed, within int64; "1.0", "0x1", "" and anything larger are errors.
 */
function parseInteger(text: string): bigint {
  if (!INTEGER.test(text)) throw new ExpressionError(`not an integer: ${JSON.stringify(text)}`);
  const n = BigInt(text);
  if (n > MAX_INT64 || n < MIN_INT64) throw new ExpressionError(`integer out of range: ${JSON.stringify(text)}`);
  return n;
}

/** A version as nfd-master compares it: major, minor, patch (pre-release dropped, metadata ignored). */
export interface Version {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
}

/** Masterminds/semver v3's loose (coercing) pattern, which nfd-master's NewVersion uses. */
const LOOSE_VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const MAX_UINT64 = (1n << 64n) - 1n;

/** Remembered: the same kernel and OS versions come back for every node. */
const versions = new BoundedMemo<string, Version>(4096);

/**
 * A version as node-feature-discovery reads one (Masterminds/semver v3 NewVersion, coercing):
 * "2" = 2.0.0, "22.04" = 22.4.0, `v` allowed; a pre-release of letters, digits and `-` (a
 * numeric part without leading zeros) is dropped, build metadata ignored. So a kernel's
 * `5.14.0-427.22.1.el9_4.x86_64` is not a version (the `_`), as for nfd-master.
 */
function parseVersion(text: string): Version {
  return versions.get(text, parseVersionText);
}

function parseVersionText(text: string): Version {
  const m = LOOSE_VERSION.exec(text);
  if (!m) throw new ExpressionError(`not a version: ${JSON.stringify(text)}`);
  const part = (p: string | undefined) => {
    const n = BigInt((p ?? '0').replace(/^\./, ''));
    if (n > MAX_UINT64) throw new ExpressionError(`not a version: ${JSON.stringify(text)} (a part beyond uint64)`);
    return n;
  };
  const pre = m[5];
  if (pre !== undefined && pre.split('.').some((p) => /^[0-9]+$/.test(p) && p.length > 1 && p.startsWith('0'))) {
    throw new ExpressionError(`not a version: ${JSON.stringify(text)} (a numeric pre-release part starts with 0)`);
  }
  return { major: part(m[1]), minor: part(m[2]), patch: part(m[3]) };
}

function compareVersions(a: Version, b: Version): number {
  const c = (x: bigint, y: bigint) => (x < y ? -1 : x > y ? 1 : 0);
  return c(a.major, b.major) || c(a.minor, b.minor) || c(a.patch, b.patch);
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

const integers = new BoundedMemo<string, bigint>(4096);
/** parseInteger, remembered (bounded): the same values come back for every node. */
function integerOf(text: string): bigint {
  return integers.get(text, parseInteger);
}

/** A three-way comparison of an element value with a bound parsed ahead (value parsed first). */
function comparator(type: string | undefined): <T>(value: string, bound: Parsed<T>) => number {
  if (type === 'version') return (value, bound) => compareVersions(parseVersion(value), boundOf(bound) as Version);
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
      // nfd-master compiles every pattern before it tests any (an invalid one fails the
      // expression even after a match), and only for an element that has a value.
      const patterns = values.map((pattern) => {
        const re = compileRe2(pattern);
        return 'error' in re ? { pattern, error: re.error } : re;
      });
      const invalid = patterns.find((p): p is { pattern: string; error: string } => 'error' in p);
      if (invalid) return failingOnValue(`invalid RE2 regexp ${JSON.stringify(invalid.pattern)}: ${invalid.error}`);
      const compiledPatterns = patterns as { test(text: string): boolean }[];
      if (compiledPatterns.length === 1) {
        const only = compiledPatterns[0]!;
        return (present, value) => present && value !== undefined && only.test(value);
      }
      return (present, value) => present && value !== undefined && compiledPatterns.some((re) => re.test(value));
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
