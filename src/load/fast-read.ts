/**
 * The fast way to read an input file's values, for files that need nothing special.
 *
 * The `yaml` package gives us source positions, its errors and its limits, but it builds a
 * syntax tree first and reads ~3 MB/s; a dumped inventory is tens of megabytes. `js-yaml`
 * reads the same YAML ~10× faster, and `JSON.parse` reads JSON ~50× faster. Positions are
 * only needed when a diagnostic is reported, and then the file is parsed again with `yaml`
 * (see parse-documents.ts), so the fast readers only have to produce the same *values*.
 *
 * Same values is ensured by construction and by a differential test:
 * - plain scalars are resolved by the one go-yaml resolver (go-yaml-resolve.ts) that the slow
 *   path uses, so `yes`, `0755`, `1:20` or `209276e89438390` mean what they mean to Kubernetes;
 * - js-yaml turns keys into strings its own way, so a file declines when a key could come out
 *   differently: a float, an integer beyond int64 or past 2^53, a null-like key, or a
 *   collection as a key;
 * - anything else where the two readers could disagree falls back to the slow path: anchors
 *   and aliases (the alias limits), tags, merge keys, directives, duplicate keys (js-yaml
 *   throws), `.inf`/`.nan`, and every syntax error.
 */
import jsyaml from 'js-yaml';
import { jsonKeyOf, resolvePlainScalarInto, type ResolvedScalar } from './go-yaml-resolve.js';

/**
 * The result of a fast read: one value per document (`null` for an empty document). A reader
 * that drops null fields itself says so with the deepest nesting of collections in the file.
 */
export type FastRead = { readonly values: readonly unknown[]; readonly prunedDepth?: number } | undefined;

/** Only these first characters (or an empty scalar) can make a plain scalar anything but a string. */
const MAY_BE_TYPED = /^(?:$|[-+.~0-9nNyYtTfFoO])/;

/** Set while a file is read when a scalar could become a different key than js-yaml makes of it. */
let keyMayDiffer = false;
const resolved: ResolvedScalar = { kind: 'str', value: '', inexact: false };

/** A js-yaml schema whose one implicit type resolves plain scalars with go-yaml's rules. */
const GO_YAML_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    new jsyaml.Type('tag:kmm-render.io,2026:go-yaml-scalar', {
      kind: 'scalar',
      resolve: (data: string | null) => data !== null && MAY_BE_TYPED.test(data),
      construct: (data: string) => {
        const r = resolvePlainScalarInto(data, resolved);
        if (r.kind === 'null' || r.kind === 'str' || r.kind === 'bool') return r.value;
        // A value is fine either way; as a key it must be what sigs.k8s.io/yaml makes of it.
        if (r.kind !== 'int' || r.inexact) {
          if (r.kind !== 'float' || !Number.isFinite(r.value as number) || jsonKeyOf(r, data) !== String(r.value)) keyMayDiffer = true;
        }
        return r.value;
      },
    }),
  ],
});

/**
 * A token that makes the two readers differ or needs the slow path's checks: an anchor or
 * alias, a tag, a merge key, a directive, a document end marker, a tab in indentation.
 * Found anywhere in the text, even inside a string, it only costs speed. (Each is searched
 * for separately: a regular expression that starts with a distinctive character is scanned
 * for quickly, an alternation of assertions is tried at every position.)
 */
function hasSlowPathToken(text: string): boolean {
  return (
    /(?<![^\s[{,])[&*!][^\s[\]{},]/.test(text) ||
    text.includes('<<') ||
    text.startsWith('%') ||
    text.includes('\n%') ||
    text.startsWith('...') ||
    text.includes('\n...') ||
    (text.includes('\t') && /^ *\t/m.test(text))
  );
}

/**
 * Where js-yaml is more lenient than `yaml`: characters YAML does not allow in a stream, and
 * a carriage return that is not part of a line end. (Quoted scalars continued on the next
 * line are the third case; js-yaml does not check their indentation. They are found while
 * reading, by quotedScalarWatch.)
 */
function hasLenientSpot(text: string): boolean {
  return (
    /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff\ufffe\uffff\ud800-\udfff]/.test(text) ||
    (text.includes('\r') && /\r(?!\n)/.test(text))
  );
}

/** The part of js-yaml's parser state the watch reads. */
interface ParserState {
  readonly input: string;
  readonly position: number;
  readonly line: number;
  readonly kind: string | null;
  readonly tag: string | null;
}

/**
 * A js-yaml listener that notices a quoted scalar spanning lines. A scalar node that ends
 * on another line than it began, with no tag (so not plain: plain scalars get `?` or a
 * resolved tag), is quoted or a block scalar; its first significant character says which.
 * When in doubt it reports one: that only costs the slow path.
 */
function quotedScalarWatch(): { listener: (event: 'open' | 'close', state: ParserState) => void; found: () => boolean } {
  const starts: number[] = [];
  const lines: number[] = [];
  let found = false;
  const listener = (event: 'open' | 'close', state: ParserState) => {
    if (event === 'open') {
      starts.push(state.position);
      lines.push(state.line);
      return;
    }
    const start = starts.pop()!;
    const line = lines.pop()!;
    if (found || state.kind !== 'scalar' || state.tag !== null || state.line === line) return;
    const input = state.input;
    for (let i = start; i < state.position; i++) {
      const c = input.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
      if (c === 0x23 /* # */) {
        while (i < state.position && input.charCodeAt(i) !== 0x0a) i++;
        continue;
      }
      if (c !== 0x7c /* | */ && c !== 0x3e /* > */) found = true;
      return;
    }
    found = true;
  };
  return { listener, found: () => found };
}

/**
 * A flow collection used as a key (`[a, b]: c`) or an explicit key (`? x`): js-yaml joins a
 * list key into a string, where Kubernetes refuses it. Found anywhere, even in a string, it
 * only costs speed.
 */
const COMPLEX_KEY = /[\]}][ \t]*:(?:[ \t\r\n]|$)|(?:^|[\s,[{])\?(?:[ \t\r\n]|$)/m;

/** A plain scalar that may start with ":" in a flow collection, or `a:` before `,` `]` `}` (the slow path judges). */
const FLOW_COLON = /(?:[[{,]|: )[ \t]*:(?![ \t\r\n,\]}])|[^\s'"]:[,\]}]/;

/**
 * An empty entry of a compact nested sequence at the end of a line (`- -`): js-yaml puts the
 * next line's entry into the inner sequence, whatever its indentation (found by conformance/).
 */
const COMPACT_EMPTY_ENTRY = /- +-[ \t]*$/m;

/** Reads a YAML file's documents quickly, or returns undefined when the slow path must. */
export function readYamlFast(text: string): FastRead {
  if (hasSlowPathToken(text) || hasLenientSpot(text) || COMPLEX_KEY.test(text) || FLOW_COLON.test(text) || COMPACT_EMPTY_ENTRY.test(text)) return undefined;
  const watch = quotedScalarWatch();
  keyMayDiffer = false;
  try {
    const values = jsyaml.loadAll(text, undefined, { schema: GO_YAML_SCHEMA, json: false, listener: watch.listener as never });
    return watch.found() || keyMayDiffer ? undefined : { values };
  } catch {
    return undefined;
  }
}

/**
 * Reads a JSON file (one document) with JSON.parse, or returns undefined: not JSON, or JSON
 * with a repeated key (which JSON.parse would silently drop and Kubernetes refuses).
 */
export function readJsonFast(text: string): FastRead {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return undefined;
  // A number JSON.parse would read as Infinity (an exponent of three digits, or 309 digits
  // or more) is a string to go-yaml; -0 is the integer 0 there. Both go the slow way.
  if (/[0-9][eE][-+]?[0-9]{3}|[0-9]{309}|-0(?![.0-9eE])/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return hasRepeatedKey(text) ? undefined : { values: [value] };
}

/**
 * True when some JSON object in `text` (valid JSON) names a key twice. One pass: strings are
 * skipped as tokens, and a stack holds the keys of each open object.
 */
function hasRepeatedKey(text: string): boolean {
  const stack: (Set<string> | undefined)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      while (text.charCodeAt(j) !== 0x22) j += text.charCodeAt(j) === 0x5c /* \ */ ? 2 : 1;
      if (expectKey) {
        const keys = stack[stack.length - 1]!;
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (keys.has(key)) return true;
        keys.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(undefined);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] !== undefined;
    }
  }
  return false;
}
