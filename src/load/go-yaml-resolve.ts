/**
 * Plain YAML scalars resolved exactly as Kubernetes reads them (SPEC §2.1): sigs.k8s.io/yaml
 * decodes with go-yaml v2, whose `resolve` looks at the first character, then at a table of
 * words, then tries Go's integer and float parsers. Not the YAML 1.1 type list, and not 1.2:
 * `.`, `1:20`, `2024-01-01` and `209276e89438390` (a float that overflows) are strings,
 * `0o17` and `017` are 15, `08` is 8, `y`/`on`/`no` are booleans, `1_000` is 1000.
 *
 * Timestamps are not a separate case: go-yaml v2 recognises them, but decodes a timestamp
 * into an untyped value as its original string, and no timestamp-shaped text is a number.
 *
 * One function serves both readers (fast-read.ts, compose-values.ts); `conformance/` checks
 * it against sigs.k8s.io/yaml on generated scalars.
 */
import { isBeyondSafeInteger, parseBinary, parseDotFloat, parseIntBase0, parseUintBase0, formatFloat32G, YAML_STYLE_FLOAT } from './go-strconv.js';

/** What go-yaml makes of a scalar. `uint` is an integer beyond int64 (go-yaml's uint64). */
export type ScalarKind = 'str' | 'null' | 'bool' | 'int' | 'uint' | 'float';

/** A resolved scalar: its kind, its value, and whether an integer lost precision in a JavaScript number. */
export interface ResolvedScalar {
  kind: ScalarKind;
  value: string | number | boolean | null;
  /** An int or uint past ±2^53: `value` is the nearest double. */
  inexact: boolean;
}

/** The words go-yaml's table resolves (resolveMap). */
const WORDS = new Map<string, { kind: ScalarKind; value: boolean | number | null }>();
for (const [kind, value, words] of [
  ['bool', true, 'y Y yes Yes YES true True TRUE on On ON'],
  ['bool', false, 'n N no No NO false False FALSE off Off OFF'],
  ['null', null, '~ null Null NULL'],
  ['float', NaN, '.nan .NaN .NAN'],
  ['float', Infinity, '.inf .Inf .INF +.inf +.Inf +.INF'],
  ['float', -Infinity, '-.inf -.Inf -.INF'],
] as const) {
  for (const w of words.split(' ')) WORDS.set(w, { kind, value });
}

/**
 * go-yaml's resolveTable: the first character decides whether a scalar can be anything but a
 * string. S = sign, D = digit, M = a word of the table, '.' = a float or a word.
 */
const HINT = new Uint8Array(128);
for (const c of '+-') HINT[c.charCodeAt(0)] = 0x53; // S
for (const c of '0123456789') HINT[c.charCodeAt(0)] = 0x44; // D
for (const c of 'yYnNtTfFoO~') HINT[c.charCodeAt(0)] = 0x4d; // M
HINT[0x2e] = 0x2e; // .

/** A common decimal integer that a double holds exactly: decided without BigInt. */
const SMALL_DECIMAL = /^[-+]?[1-9][0-9]{0,14}$/;

function fill(out: ResolvedScalar, kind: ScalarKind, value: ResolvedScalar['value'], inexact = false): ResolvedScalar {
  out.kind = kind;
  out.value = value;
  out.inexact = inexact;
  return out;
}

function fromInteger(out: ResolvedScalar, kind: 'int' | 'uint', n: bigint): ResolvedScalar {
  return fill(out, kind, Number(n), isBeyondSafeInteger(n));
}

/**
 * Resolves a plain scalar into `out` (reused by the hot path to avoid an allocation per
 * scalar). `<<` is the string "<<": a merge key is a matter of position (compose-values.ts).
 */
export function resolvePlainScalarInto(text: string, out: ResolvedScalar): ResolvedScalar {
  if (text.length === 0) return fill(out, 'null', null);
  const first = text.charCodeAt(0);
  const hint = first < 128 ? HINT[first]! : 0;
  if (hint === 0) return fill(out, 'str', text);
  const word = WORDS.get(text);
  if (word) return fill(out, word.kind, word.value);
  if (hint === 0x4d) return fill(out, 'str', text);
  if (hint === 0x2e) {
    const f = parseDotFloat(text);
    return f === undefined ? fill(out, 'str', text) : fill(out, 'float', f);
  }
  // D or S: an int, a uint or a float (or a timestamp, which stays its string).
  if (SMALL_DECIMAL.test(text)) return fill(out, 'int', Number(text));
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  const int = parseIntBase0(plain);
  if (int !== undefined) return fromInteger(out, 'int', int);
  const uint = parseUintBase0(plain);
  if (uint !== undefined) return fromInteger(out, 'uint', uint);
  if (YAML_STYLE_FLOAT.test(plain)) {
    // Go's ParseFloat and Number both round correctly; an overflow is an error in Go, and
    // the scalar is then a string (`209276e89438390` is an interface name, not Infinity).
    const f = Number(plain);
    if (Number.isFinite(f)) return fill(out, 'float', f);
  }
  if (plain.startsWith('0b')) {
    const b = parseBinary(plain.slice(2), true);
    if (b !== undefined) return fromInteger(out, 'int', b);
    const u = parseBinary(plain.slice(2), false);
    if (u !== undefined) return fromInteger(out, 'uint', u);
  } else if (plain.startsWith('-0b')) {
    const b = parseBinary('-' + plain.slice(3), true);
    if (b !== undefined) return fromInteger(out, 'int', b);
  }
  return fill(out, 'str', text);
}

/** Resolves a plain scalar (see resolvePlainScalarInto). */
export function resolvePlainScalar(text: string): ResolvedScalar {
  return resolvePlainScalarInto(text, { kind: 'str', value: text, inexact: false });
}

/** The standard tags go-yaml resolves, by their long names. */
export const STANDARD_SCALAR_TAGS = {
  'tag:yaml.org,2002:str': 'str',
  'tag:yaml.org,2002:int': 'int',
  'tag:yaml.org,2002:float': 'float',
  'tag:yaml.org,2002:bool': 'bool',
  'tag:yaml.org,2002:null': 'null',
} as const;

/**
 * A scalar with an explicit standard tag (`!!int "12"`, `!!str 12`), as go-yaml's resolve
 * with a tag: any text is a !!str; otherwise the text must resolve to the tag's kind (an int
 * is accepted as a !!float). (`!!timestamp`, `!!binary` and the collection tags other than
 * !!map and !!seq are refused by the reader: docs/inputs.md.)
 */
export function resolveTaggedScalar(tag: keyof typeof STANDARD_SCALAR_TAGS, text: string): ResolvedScalar | { error: string } {
  const want = STANDARD_SCALAR_TAGS[tag];
  if (want === 'str') return { kind: 'str', value: text, inexact: false };
  const r = resolvePlainScalar(text);
  if (r.kind === want || (want === 'int' && r.kind === 'uint') || (want === 'float' && (r.kind === 'int' || r.kind === 'uint'))) {
    return want === 'float' ? { ...r, kind: 'float', inexact: false } : r;
  }
  return { error: `cannot decode ${describeKind(r.kind)} \`${text}\` as a !!${want}` };
}

function describeKind(kind: ScalarKind): string {
  return kind === 'uint' ? '!!int' : `!!${kind}`;
}

/**
 * The JSON object key sigs.k8s.io/yaml makes of a scalar map key: strings as they are, ints in
 * decimal, booleans as true/false, floats by FormatFloat(f, 'g', -1, 32) with .inf, -.inf and
 * .nan for the non-finite ones. Null keys and keys beyond int64 are refused there
 * ("unsupported map key"): undefined.
 */
export function jsonKeyOf(r: ResolvedScalar, text: string): string | undefined {
  switch (r.kind) {
    case 'str':
      return r.value as string;
    case 'bool':
      return r.value ? 'true' : 'false';
    case 'int':
      return r.inexact ? exactIntegerText(text) : String(r.value);
    case 'float': {
      const s = formatFloat32G(r.value as number);
      return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
    }
    default:
      return undefined;
  }
}

/** The decimal digits of an int64 written in any of go-yaml's integer forms. */
function exactIntegerText(text: string): string {
  const plain = text.replace(/_/g, '');
  const n = parseIntBase0(plain) ?? (plain.startsWith('-0b') ? parseBinary('-' + plain.slice(3), true) : plain.startsWith('0b') ? parseBinary(plain.slice(2), true) : undefined);
  return String(n ?? text);
}
