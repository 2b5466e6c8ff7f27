/**
 * A fast writer of canonical YAML (issue 17): the `yaml` package's output for the values
 * kmm-render renders, byte for byte, without building a document of nodes first — writing
 * every emitted object through `yaml` was the largest part of a small render after start-up.
 *
 * It writes block maps and sequences, integers, booleans, plain and double-quoted strings and
 * literal block scalars, deciding each string's style by the `yaml` package's own rules
 * (stringifyString.js's plainString and blockString, and its YAML 1.1 schema's tags for
 * strings that would read back as another type). For anything else — a float, a null in a
 * list, a list in a list, a string with control characters, quotes, backslashes or non-ASCII
 * that needs quoting, a block scalar that keeps trailing newlines, an unusual key — it
 * declines (returns undefined) and canonical-yaml.ts writes the object with `yaml`.
 * test/canonical-yaml.test.ts compares the two on every object of every fixture and on
 * generated values.
 */
import { Document } from 'yaml';
import { BoundedMemo } from '../base/bounded-memo.js';

const DECLINE = Symbol('decline');

/** The YAML 1.1 tags a plain scalar could resolve to other than a string (the `yaml` package's, so decided as it decides). */
let typedTags: readonly RegExp[] | undefined;
/** Rendered objects repeat their strings (labels, images, kernels): each is tested once. */
const typed = new BoundedMemo<string, boolean>(100_000);
function isTyped(s: string): boolean {
  typedTags ??= new Document(null, { version: '1.1' }).schema.tags.flatMap((t) => (t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test instanceof RegExp ? [t.test] : []));
  return typed.get(s, (text) => typedTags!.some((re) => re.test(text)));
}

/** What the `yaml` package does not write plain (plainString's test). */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
/** Characters that force double quotes with escapes (stringifyString), or whose quoting we leave to `yaml`. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]/;
/** A line that starts like a document marker: `yaml` then indents or quotes by where the scalar is (containsDocumentMarker); left to it. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/m;
const blockEndNewlines = /(^|(?<!\n))\n+(?!\n|$)/g;

/** A one-line string as a double-quoted scalar, when it needs no escape. */
function quoted(s: string): string {
  if (/[^\x20-\x7e]|["'\\]/.test(s)) throw DECLINE;
  return `"${s}"`;
}

/** A multi-line string as a literal block scalar indented by `indent` (blockString, literal). */
function literalBlock(s: string, indent: string): string {
  if (/\n[\t ]+$/.test(s) || DOCUMENT_MARKER.test(s)) throw DECLINE;
  let value = s;
  let endStart = value.length;
  while (endStart > 0 && (value[endStart - 1] === '\n' || value[endStart - 1] === '\t' || value[endStart - 1] === ' ')) endStart--;
  let end = value.substring(endStart);
  const endNl = end.indexOf('\n');
  // Keeping trailing newlines (`|+`) changes how `yaml` ends the entry: left to it.
  if (endNl !== -1 && (value === end || endNl !== end.length - 1)) throw DECLINE;
  const chomp = endNl === -1 ? '-' : '';
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(blockEndNewlines, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; startEnd++) {
    const ch = value[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? '2' : '') + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

/** A string value whose content lines (if a block) are indented by `indent`. */
function stringScalar(s: string, indent: string): string {
  if (CONTROL.test(s)) throw DECLINE;
  if (s.includes('\n')) return literalBlock(s, indent);
  if (NOT_PLAIN.test(s)) return quoted(s);
  if (DOCUMENT_MARKER.test(s)) throw DECLINE;
  return isTyped(s) ? quoted(s) : s;
}

function key(k: string): string {
  if (k.length > 1000 || CONTROL.test(k) || k.includes('\n') || NOT_PLAIN.test(k) || DOCUMENT_MARKER.test(k) || isTyped(k)) throw DECLINE;
  return k;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A scalar or empty collection written on the line of its key or dash, or undefined for a block collection. */
function inline(v: unknown, indent: string): string | undefined {
  if (typeof v === 'string') return stringScalar(v, indent);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0)) throw DECLINE;
    return String(v);
  }
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (isMap(v)) return Object.keys(v).length === 0 ? '{}' : undefined;
  throw DECLINE;
}

/** The entries of a non-empty map at `indent`; the first line's indentation is the caller's (`first`). */
function writeMap(map: Record<string, unknown>, indent: string, first: string, out: string[]): void {
  let lead = first;
  for (const [k, v] of Object.entries(map)) {
    const child = indent + '  ';
    const text = inline(v, child);
    if (text !== undefined) out.push(`${lead}${key(k)}: ${text}`);
    else {
      out.push(`${lead}${key(k)}:`);
      if (Array.isArray(v)) writeSeq(v, child, out);
      else writeMap(v as Record<string, unknown>, child, child, out);
    }
    lead = indent;
  }
}

/** The items of a non-empty sequence, dashes at `indent`. */
function writeSeq(seq: readonly unknown[], indent: string, out: string[]): void {
  for (const item of seq) {
    const child = indent + '  ';
    const text = inline(item, child);
    if (text !== undefined) out.push(`${indent}- ${text}`);
    else if (Array.isArray(item)) throw DECLINE;
    else writeMap(item as Record<string, unknown>, child, `${indent}- `, out);
  }
}

/** The canonical YAML of a canonicalized map (keys in order, no nulls), or undefined where `yaml` must write it. */
export function writeCanonicalYamlFast(value: unknown): string | undefined {
  if (!isMap(value) || Object.keys(value).length === 0) return undefined;
  const out: string[] = [];
  try {
    writeMap(value, '', '', out);
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
  return out.join('\n') + '\n';
}
