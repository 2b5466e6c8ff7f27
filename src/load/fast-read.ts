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
 * - plain scalars are resolved by the same YAML 1.1 tags as on the slow path
 *   (yaml-1-1-tags.ts), so `yes`, `0755`, `1:20` or `2024-01-01` mean exactly what they mean on the
 *   slow path;
 * - anything where the two readers could disagree falls back to the slow path: anchors and
 *   aliases (the alias limit), tags, merge keys, directives, duplicate keys (js-yaml throws),
 *   and every syntax error.
 */
import jsyaml from 'js-yaml';
import { isScalar, type ScalarTag } from 'yaml';
import { YAML_1_1_SCALAR_TAGS, YAML_1_2_CORE_SCALAR_TAGS } from './yaml-1-1-tags.js';

/** The result of a fast read: one value per document (`null` for an empty document). */
export type FastRead = { readonly values: readonly unknown[] } | undefined;

const resolveOptions = { intAsBigInt: false } as unknown as Parameters<NonNullable<ScalarTag['resolve']>>[2];

/** Every implicit YAML 1.1 or 1.2 core scalar starts with one of these, or is empty. */
const MAY_BE_TYPED = /^(?:$|[-+.~0-9nNyYtTfFoO<])/;

/** A js-yaml schema whose one implicit type resolves plain scalars exactly as `yaml` does. */
function schemaFor(tags: readonly ScalarTag[]): jsyaml.Schema {
  const tagOf = (data: string) => (MAY_BE_TYPED.test(data) ? tags.find((tag) => tag.test!.test(data)) : undefined);
  const scalars = new jsyaml.Type('tag:kmm-render.io,2026:implicit-scalar', {
    kind: 'scalar',
    resolve: (data: string | null) => data !== null && tagOf(data) !== undefined,
    construct: (data: string) => {
      const value = tagOf(data)!.resolve(data, () => undefined, resolveOptions);
      return isScalar(value) ? value.value : value;
    },
  });
  return jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [scalars] });
}

const SCHEMAS = { '1.1': schemaFor(YAML_1_1_SCALAR_TAGS), core: schemaFor(YAML_1_2_CORE_SCALAR_TAGS) };

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
 * Reads a YAML file's documents quickly, or returns undefined when the slow path must.
 * `schema`: YAML 1.1 (inputs, as Kubernetes reads them) or 1.2 core (our templates' output).
 */
export function readYamlFast(text: string, schema: '1.1' | 'core' = '1.1'): FastRead {
  if (hasSlowPathToken(text) || hasLenientSpot(text)) return undefined;
  const watch = quotedScalarWatch();
  try {
    const values = jsyaml.loadAll(text, undefined, { schema: SCHEMAS[schema], json: false, listener: watch.listener as never });
    return watch.found() ? undefined : { values };
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
