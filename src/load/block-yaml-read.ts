/**
 * The fastest way to read an input file's values: a line reader for the block YAML that
 * kubectl and go-yaml print (`kubectl get nodefeatures -o yaml`, a dumped inventory), which
 * declines everything else to the js-yaml reader (fast-read.ts).
 *
 * An upstream-form inventory is tens of megabytes of lines like `AVX512F: {}`; js-yaml reads
 * them at ~25 MB/s and its guards scan the text five more times. This reader takes one pass,
 * line by line, and knows only:
 * - block mappings and block sequences, indented with spaces, a sequence either indented
 *   under its key or at the key's own column, `- key: value` entries;
 * - keys that are plain scalars resolving to strings, or quoted on one line;
 * - values that are plain scalars on one line (resolved by go-yaml's rules, as every reader
 *   does: go-yaml-resolve.ts), quoted scalars on one line (double-quoted ones without a
 *   backslash), `{}` and `[]`, literal block scalars (`|`, `|-`, `|+`) as mapping values;
 * - `---` between documents, blank lines and whole-line comments.
 * It drops null fields as it reads (prune-nulls.ts says why) and measures the nesting, so
 * its values need no second walk.
 * Anything else — flow collections, folded and multi-line scalars, escapes, anchors, aliases,
 * tags, merge keys, directives, comments after a value, a repeated key, tabs, carriage
 * returns, characters YAML forbids — declines the whole file, and a declined file costs only
 * the time to the first such line. The differential tests (test/fast-read.test.ts) and the
 * conformance YAML oracle check that an accepted file gives the slow path's values.
 */
import { resolvePlainScalarInto, type ResolvedScalar } from './go-yaml-resolve.js';
import type { FastRead } from './fast-read.js';

/** Characters this reader never accepts: controls, tabs, CR, NEL, LS/PS, BOM, surrogates. */
const REFUSED_CHARACTER = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/;

/** Nesting deeper than this declines (the depth limit itself is checked on the values). */
const MAX_NESTING = 1000;

/** YAML's limit on an implicit key's length; the yaml package refuses longer ones. */
const MAX_IMPLICIT_KEY = 1024;

const SPACE = 0x20;
const DASH = 0x2d;
const HASH = 0x23;
const COLON = 0x3a;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const PIPE = 0x7c;

/** First characters that make a scalar anything but a plain scalar this reader knows. */
const INDICATOR = new Uint8Array(128);
for (const c of '-?:,[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

/** Thrown inside the reader when the file needs another reader; never escapes readBlockYamlFast. */
class Decline {}
const DECLINE = new Decline();

class BlockReader {
  /** Where the next line starts. */
  private next = 0;
  /** The current line: its start, its end (the newline's offset), where its content starts, its column. */
  private lineStart = 0;
  private lineEnd = 0;
  private content = 0;
  private indent = 0;
  /** The current line is a `---` document marker. */
  private marker = false;
  private depth = 0;
  /** The deepest nesting of collections seen, counted as pruneNullsWithDepth counts it. */
  deepest = 0;
  private readonly resolved: ResolvedScalar = { kind: 'str', value: '', inexact: false };

  constructor(private readonly text: string) {}

  readDocuments(): unknown[] {
    const values: unknown[] = [];
    let open = false;
    let value: unknown = null;
    while (this.advance()) {
      if (this.marker) {
        if (open) values.push(value);
        open = true;
        value = null;
        continue;
      }
      if (this.indent !== 0 || value !== null) throw DECLINE;
      open = true;
      value = this.readNode(0);
      // A root node ends at the end of the file or at a marker, never at another line.
      if (this.ended) break;
      if (!this.marker) throw DECLINE;
      values.push(value);
      value = null;
    }
    if (open) values.push(value);
    return values;
  }

  /** The end of the file was reached. */
  private ended = false;

  /** Moves to the next line with content; false at the end of the file or at a document marker. */
  private advance(): boolean {
    const text = this.text;
    const length = text.length;
    this.marker = false;
    while (this.next < length) {
      const start = this.next;
      let end = text.indexOf('\n', start);
      if (end < 0) end = length;
      this.next = end + 1;
      let i = start;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i === end) continue;
      const c = text.charCodeAt(i);
      if (c === HASH) continue;
      this.lineStart = start;
      this.lineEnd = end;
      this.content = i;
      this.indent = i - start;
      if (i === start) {
        if (c === DASH && text.startsWith('---', start)) {
          if (end !== start + 3) throw DECLINE;
          this.marker = true;
          return true;
        }
        if (c === 0x2e /* . */ && text.startsWith('...', start)) throw DECLINE;
        if (c === 0x25 /* % */) throw DECLINE;
      }
      return true;
    }
    this.ended = true;
    return false;
  }

  /** Advances and says whether there is a content line (not the end, not a marker). */
  private advanceToContent(): boolean {
    return this.advance() && !this.marker;
  }

  private isSequenceEntry(): boolean {
    const at = this.content;
    return this.text.charCodeAt(at) === DASH && (at + 1 === this.lineEnd || this.text.charCodeAt(at + 1) === SPACE);
  }

  /** The block node whose first line is the current one, at column `indent`. */
  private readNode(indent: number): unknown {
    this.enter();
    const value = this.isSequenceEntry() ? this.readSequence(indent) : this.readMapping(indent);
    this.depth--;
    return value;
  }

  /** One level deeper: a collection starts. */
  private enter(): void {
    if (++this.depth > MAX_NESTING) throw DECLINE;
    if (this.depth > this.deepest) this.deepest = this.depth;
  }

  private readMapping(indent: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    // Keys whose null value was dropped: a key written twice is still found.
    let dropped: string[] | undefined;
    for (;;) {
      const key = this.readKey();
      if (key === undefined || Object.prototype.hasOwnProperty.call(map, key) || dropped?.includes(key)) throw DECLINE;
      let at = this.keyEnd + 1;
      while (this.text.charCodeAt(at) === SPACE) at++;
      let value: unknown;
      let more: boolean;
      if (at >= this.lineEnd) {
        more = this.advanceToContent();
        if (!more) value = null;
        else if (this.indent > indent) value = this.readNode(this.indent);
        // A sequence at its key's own column (readNode sees the dash and reads a sequence).
        else if (this.indent === indent && this.isSequenceEntry()) value = this.readNode(indent);
        else value = null;
        more = more && !this.marker && !this.ended;
      } else {
        value = this.text.charCodeAt(at) === PIPE ? this.readLiteral(indent, at) : this.readScalar(at, this.lineEnd);
        more = this.advanceToContent();
        if (more && this.indent > indent) throw DECLINE;
      }
      if (value !== null) map[key] = value;
      else (dropped ??= []).push(key);
      if (!more || this.indent < indent) return map;
      if (this.indent > indent) throw DECLINE;
    }
  }

  private readSequence(indent: number): unknown[] {
    const text = this.text;
    const list: unknown[] = [];
    for (;;) {
      let at = this.content + 1;
      while (text.charCodeAt(at) === SPACE) at++;
      let more: boolean;
      if (at >= this.lineEnd) {
        more = this.advanceToContent();
        if (more && this.indent > indent) list.push(this.readNode(this.indent));
        else list.push(null);
        more = more && !this.marker && !this.ended;
      } else {
        if (text.charCodeAt(at) === DASH && (at + 1 === this.lineEnd || text.charCodeAt(at + 1) === SPACE)) throw DECLINE;
        // The entry's content starts a node at its own column, as if it began a line there.
        this.content = at;
        this.indent = at - this.lineStart;
        if (this.isKeyLine()) {
          this.enter();
          list.push(this.readMapping(this.indent));
          this.depth--;
          more = !this.marker && !this.ended;
        } else {
          list.push(this.readScalar(at, this.lineEnd));
          more = this.advanceToContent();
          if (more && this.indent > indent) throw DECLINE;
        }
      }
      if (!more || this.indent < indent) return list;
      if (this.indent > indent) throw DECLINE;
      if (!this.isSequenceEntry()) return list;
    }
  }

  /** The offset of the `:` after the key readKey or isKeyLine found. */
  private keyEnd = 0;
  private quotedKey: string | undefined;

  /** Whether the current content is `key:` followed by a space or the line's end; sets keyEnd. */
  private isKeyLine(): boolean {
    const text = this.text;
    const start = this.content;
    const end = this.lineEnd;
    const c = text.charCodeAt(start);
    this.quotedKey = undefined;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const close = this.closingQuote(start, end);
      if (close < 0 || text.charCodeAt(close + 1) !== COLON) return false;
      const after = close + 2;
      if (after !== end && text.charCodeAt(after) !== SPACE) return false;
      this.quotedKey = this.quotedText(start, close);
      this.keyEnd = close + 1;
      return true;
    }
    let colon = text.indexOf(':', start);
    while (colon >= 0 && colon < end) {
      if (colon + 1 === end || text.charCodeAt(colon + 1) === SPACE) {
        this.keyEnd = colon;
        return true;
      }
      colon = text.indexOf(':', colon + 1);
    }
    return false;
  }

  /** The current line's key, or undefined when it has none this reader accepts. */
  private readKey(): string | undefined {
    if (!this.isKeyLine()) return undefined;
    if (this.quotedKey !== undefined) return this.quotedKey === '__proto__' ? undefined : this.quotedKey;
    const text = this.text;
    const start = this.content;
    const c = text.charCodeAt(start);
    if (c < 128 && INDICATOR[c] === 1) return undefined;
    const end = this.keyEnd;
    if (end - start > MAX_IMPLICIT_KEY || text.charCodeAt(end - 1) === SPACE) return undefined;
    const key = text.slice(start, end);
    if (key.includes(' #') || key === '<<' || key === '__proto__') return undefined;
    // A key that go-yaml reads as a number, a boolean or null is turned into text its own way.
    return resolvePlainScalarInto(key, this.resolved).kind === 'str' ? key : undefined;
  }

  /** The offset of the quote closing the quoted scalar at `start`, on this line; -1 if none. */
  private closingQuote(start: number, end: number): number {
    const text = this.text;
    const quote = text.charCodeAt(start);
    let at = start + 1;
    for (;;) {
      const close = text.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", at);
      if (close < 0 || close >= end) return -1;
      if (quote === SINGLE_QUOTE && text.charCodeAt(close + 1) === SINGLE_QUOTE) {
        at = close + 2;
        continue;
      }
      return close;
    }
  }

  private quotedText(start: number, close: number): string {
    const inner = this.text.slice(start + 1, close);
    // A backslash escapes in double quotes (and is itself in single quotes and plain scalars).
    if (this.text.charCodeAt(start) === DOUBLE_QUOTE && inner.includes('\\')) throw DECLINE;
    return this.text.charCodeAt(start) === SINGLE_QUOTE && inner.includes("''") ? inner.replaceAll("''", "'") : inner;
  }

  /**
   * A literal block scalar (`|`, `|-`, `|+`) whose header is at `header`, a value of a mapping
   * at column `parentIndent`: its text; the next line to read is the first one after it. Declined: an indentation indicator, a comment after the header, a
   * line of spaces only (empty lines must be empty), an empty scalar, the last line without
   * a newline.
   */
  private readLiteral(parentIndent: number, header: number): string {
    const text = this.text;
    let headerEnd = this.lineEnd;
    while (text.charCodeAt(headerEnd - 1) === SPACE) headerEnd--;
    const chomping = headerEnd === header + 1 ? 'clip' : headerEnd === header + 2 ? text[header + 1] : undefined;
    if (chomping !== 'clip' && chomping !== '-' && chomping !== '+') throw DECLINE;
    const lines: string[] = [];
    let contentIndent = -1;
    let at = this.next;
    while (at < text.length) {
      const end = text.indexOf('\n', at);
      if (end < 0) throw DECLINE;
      let i = at;
      while (text.charCodeAt(i) === SPACE) i++;
      if (i === end) {
        if (end > at) throw DECLINE;
        lines.push('');
        at = end + 1;
        continue;
      }
      if (contentIndent < 0) {
        if (i - at <= parentIndent) throw DECLINE;
        contentIndent = i - at;
      } else if (i - at < contentIndent) break;
      lines.push(text.slice(at + contentIndent, end));
      at = end + 1;
    }
    if (contentIndent < 0) throw DECLINE;
    let trailing = 0;
    while (lines[lines.length - 1 - trailing] === '') trailing++;
    const body = lines.slice(0, lines.length - trailing).join('\n');
    this.next = at;
    return chomping === '-' ? body : chomping === '+' ? body + '\n'.repeat(trailing + 1) : body + '\n';
  }

  /** The value of the scalar from `start` to the line's end `end`. */
  private readScalar(start: number, end: number): unknown {
    const text = this.text;
    while (text.charCodeAt(end - 1) === SPACE) end--;
    const c = text.charCodeAt(start);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const close = this.closingQuote(start, end);
      if (close !== end - 1) throw DECLINE;
      return this.quotedText(start, close);
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (end !== start + 2 || text.charCodeAt(start + 1) !== c + 2) throw DECLINE;
      if (this.depth + 1 > this.deepest) this.deepest = this.depth + 1;
      return c === 0x7b ? {} : [];
    }
    if (c < 128 && INDICATOR[c] === 1) {
      // `-1` is a number; `-` alone or `- x` is not a value here.
      if (c !== DASH || end === start + 1 || text.charCodeAt(start + 1) === SPACE) throw DECLINE;
    }
    const raw = text.slice(start, end);
    if (text.charCodeAt(end - 1) === COLON || raw.includes(': ') || raw.includes(' #')) throw DECLINE;
    const r = resolvePlainScalarInto(raw, this.resolved);
    if (r.kind === 'float' && !Number.isFinite(r.value as number)) throw DECLINE;
    return r.value;
  }
}

/** Reads a file of plain block YAML (see above), or returns undefined for the other readers. */
export function readBlockYamlFast(text: string): FastRead {
  if (REFUSED_CHARACTER.test(text)) return undefined;
  try {
    const reader = new BlockReader(text);
    const values = reader.readDocuments();
    return { values, prunedDepth: reader.deepest };
  } catch (e) {
    if (e === DECLINE) return undefined;
    throw e;
  }
}
