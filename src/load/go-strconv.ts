/**
 * The parts of Go's `strconv` that go-yaml v2's resolver and sigs.k8s.io/yaml call, so that a
 * plain scalar becomes the same number here as in Kubernetes (SPEC §2.1):
 * `ParseInt(s, 0, 64)` and `ParseUint(s, 0, 64)` (base prefixes `0b` `0o` `0x`, a leading
 * `0` meaning octal), `ParseFloat(s, 64)` for the two shapes the resolver hands it, and
 * `FormatFloat(f, 'g', -1, 32)` for float map keys. Checked against Go itself by
 * `conformance/` (the YAML oracle).
 */

const MAX_UINT64 = (1n << 64n) - 1n;
const MAX_INT64 = (1n << 63n) - 1n;
const MIN_INT64 = -(1n << 63n);

/** Digit value of a character code in bases up to 36, or 99. */
function digitOf(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a ? l - 0x61 + 10 : 99;
}

/**
 * `strconv.ParseUint(s, 0, 64)` for a string without underscores (go-yaml removes them
 * first): the value, or undefined for a syntax or range error.
 */
export function parseUintBase0(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  let base = 10;
  let start = 0;
  if (s.charCodeAt(0) === 0x30) {
    const prefix = s.length >= 3 ? s.charCodeAt(1) | 0x20 : 0;
    if (prefix === 0x62) (base = 2), (start = 2);
    else if (prefix === 0x6f) (base = 8), (start = 2);
    else if (prefix === 0x78) (base = 16), (start = 2);
    else (base = 8), (start = 1);
  }
  for (let i = start; i < s.length; i++) if (digitOf(s.charCodeAt(i)) >= base) return undefined;
  const digits = s.slice(start);
  if (digits.length === 0) return 0n; // "0": octal with no digits after the prefix
  const value = BigInt((base === 2 ? '0b' : base === 8 ? '0o' : base === 16 ? '0x' : '') + digits);
  return value <= MAX_UINT64 ? value : undefined;
}

/** `strconv.ParseInt(s, 0, 64)` for a string without underscores, or undefined. */
export function parseIntBase0(s: string): bigint | undefined {
  if (s.length === 0) return undefined;
  const sign = s.charCodeAt(0);
  const negative = sign === 0x2d;
  const magnitude = parseUintBase0(negative || sign === 0x2b ? s.slice(1) : s);
  if (magnitude === undefined) return undefined;
  const value = negative ? -magnitude : magnitude;
  return value >= MIN_INT64 && value <= MAX_INT64 ? value : undefined;
}

/** `strconv.ParseInt(s, 2, 64)` / `ParseUint(s, 2, 64)` (go-yaml's explicit `0b` branch). */
export function parseBinary(s: string, signed: boolean): bigint | undefined {
  const negative = s.charCodeAt(0) === 0x2d;
  const digits = negative || s.charCodeAt(0) === 0x2b ? s.slice(1) : s;
  if (digits.length === 0 || (negative && !signed) || !/^[01]+$/.test(digits)) return undefined;
  const value = negative ? -BigInt('0b' + digits) : BigInt('0b' + digits);
  if (!signed) return value <= MAX_UINT64 ? value : undefined;
  return value >= MIN_INT64 && value <= MAX_INT64 ? value : undefined;
}

/** True when int64/uint64 `value` is past ±2^53, where a JavaScript number cannot hold it exactly. */
export function isBeyondSafeInteger(value: bigint): boolean {
  return value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER);
}

/**
 * Go's `underscoreOK`: underscores only between digits, or between a base prefix and a
 * digit.
 */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && c.toLowerCase() >= 'a' && c.toLowerCase() <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * `strconv.ParseFloat(s, 64)` for a scalar that starts with `.` (go-yaml's `.` hint, where the
 * text is handed over as written, underscores and all): the value, or undefined when Go
 * reports an error — a syntax error, or a range error when the value overflows to ±Inf.
 * Underflow to zero is not an error in Go.
 */
export function parseDotFloat(s: string): number | undefined {
  const n = s.length;
  let i = 1;
  let digits = false;
  let underscores = false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f) underscores = true;
    else if (c >= 0x30 && c <= 0x39) digits = true;
    else break;
  }
  if (!digits) return undefined;
  if (i < n && (s.charCodeAt(i) | 0x20) === 0x65) {
    i++;
    if (i < n && (s[i] === '+' || s[i] === '-')) i++;
    if (i >= n || s.charCodeAt(i) < 0x30 || s.charCodeAt(i) > 0x39) return undefined;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x5f) underscores = true;
      else if (c < 0x30 || c > 0x39) break;
    }
  }
  if (i !== n || (underscores && !underscoreOK(s))) return undefined;
  const value = Number(underscores ? s.replace(/_/g, '') : s);
  return Number.isFinite(value) ? value : undefined;
}

/** go-yaml v2's `yamlStyleFloat`: the only float shapes it hands to ParseFloat (after removing `_`). */
export const YAML_STYLE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * The shortest decimal digits that read back as float32 `x` (x > 0, finite), and the
 * exponent of the first digit, as Go's shortest formatting chooses them: the fewest digits
 * that round-trip; of two that do, the one nearer the exact value; on a tie, the even one.
 */
function shortestFloat32(x: number): { digits: string; exp: number } {
  // toPrecision(100) is the exact decimal value of the double (a float32 has < 100 digits).
  const [mantissa, e] = x.toExponential(99).split('e') as [string, string];
  const all = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(e);
  const value = (digits: string, exponent: number) => Number(`${digits[0]}.${digits.slice(1) || '0'}e${exponent}`);
  for (let p = 1; p <= 9; p++) {
    const lo = all.slice(0, p).padEnd(p, '0');
    const rest = all.slice(p);
    if (rest === '') return { digits: lo.replace(/0+$/, '') || '0', exp };
    let hi = (BigInt(lo) + 1n).toString();
    let hiExp = exp;
    if (hi.length > p) (hi = hi.slice(0, p)), (hiExp = exp + 1);
    const loOk = Math.fround(value(lo, exp)) === x;
    const hiOk = Math.fround(value(hi, hiExp)) === x;
    if (!loOk && !hiOk) continue;
    const half = rest[0] === '5' && /^5$|^50*$/.test(rest) ? 0 : rest[0]! < '5' ? -1 : 1;
    const pickHi = hiOk && (!loOk || half > 0 || (half === 0 && Number(lo[p - 1]) % 2 === 1));
    const [digits, at] = pickHi ? [hi, hiExp] : [lo, exp];
    return { digits: digits.replace(/0+$/, '') || '0', exp: at };
  }
  return { digits: all.slice(0, 9), exp };
}

/**
 * `strconv.FormatFloat(f, 'g', -1, 32)`: the shortest decimal that reads back as the same
 * float32, in %e form when its exponent is below -4 or at least 6 (the 'g' rule for shortest
 * precision), with a two-digit exponent at least.
 */
export function formatFloat32G(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  const x = Math.fround(f);
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const negative = x < 0;
  const { digits, exp: e } = shortestFloat32(Math.abs(x));
  const sign = negative ? '-' : '';
  if (e < -4 || e >= 6) {
    const frac = digits.length > 1 ? '.' + digits.slice(1) : '';
    const abs = Math.abs(e);
    return `${sign}${digits[0]}${frac}e${e < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  // %f with as many decimals as there are digits after the decimal point.
  const point = e + 1; // digits before the point
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
