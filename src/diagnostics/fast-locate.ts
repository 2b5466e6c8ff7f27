/**
 * Positions without a syntax tree. `yaml` builds a tree at ~2 MB/s, so a fleet whose every
 * NodeFeature has an error (60 MB of them) spent half a minute and gigabytes on positions
 * alone. Inventories are block-style YAML as kubectl and yq write it, and for that a line
 * scan finds where each key and value starts. The scan covers block mappings and sequences
 * (also a sequence at its key's indentation, as go-yaml writes them), plain single-line
 * scalars, single-line quoted scalars, block scalars and empty flow collections; anything
 * else — anchors, aliases, tags, non-empty flow collections, multi-line plain or quoted
 * scalars, complex keys, tabs, `\r`, directives, `...` — declines the document, and
 * locate.ts asks the tree. A mapping value's nested block is indexed when a path first goes
 * into it, so that a diagnostic in one corner of a big document does not index the rest; a
 * block the scan cannot read declines the paths into it. A differential test checks that
 * both give the same position for every node of every fixture and corpus file
 * (test/fast-locate.test.ts).
 */

/** What the scan knows of one node of a document. */
interface Entry {
  /** Offset of the node (a collection starts at its first key or dash). */
  readonly value: number;
  /** Offset of the key, for a mapping value. */
  readonly key?: number;
  /** A plain scalar's text; undefined for other nodes. */
  readonly plain?: string;
  /** A quoted or block scalar, whose source text the scan does not keep. */
  readonly quoted?: boolean;
  /** The node's children by key or index (as text); a tree, so no path strings are hashed. */
  children?: Map<string, Entry>;
  /**
   * A mapping value's nested block, not scanned yet: its lines [start, end), at least
   * `minIndent` deep. It is scanned when a path first goes into it or ends at it, so a
   * diagnostic in one corner of a big document does not index the rest.
   */
  lazy?: { readonly start: number; readonly end: number; readonly minIndent: number } | undefined;
  /** Scanning the nested block found YAML the scan does not read: ask the tree here. */
  declined?: boolean;
}

/** Where a node goes: under `parent`, as `name`. */
interface Slot {
  readonly parent: Entry;
  readonly name: string;
}

/** The nodes of one document: a sentinel whose only child, '', is the root node; and its lines. */
interface DocumentIndex {
  readonly sentinel: Entry;
  readonly lines: readonly Line[];
}

class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

/** One line of the document: where it starts, its indentation, and its text after it. */
interface Line {
  readonly start: number;
  readonly indent: number;
  /** The line without its indentation and line break. */
  readonly text: string;
}

const PLAIN_KEY_START = /^[^\s\-?:,[\]{}#&*!|>'"%@`]|^[-?:](?=[^\s,[\]{}])/;

/**
 * Indexes one document of `text` (between offsets `start` and `end`), or returns undefined
 * when it uses YAML the scan does not read.
 */
function indexDocument(text: string, start: number, end: number): DocumentIndex | undefined {
  const lines: Line[] = [];
  let at = start;
  while (at < end) {
    const nl = text.indexOf('\n', at);
    const stop = nl === -1 || nl >= end ? end : nl;
    let first = at;
    while (first < stop && text.charCodeAt(first) === 0x20) first++;
    // Blank lines and comment lines hold no node.
    if (first < stop && text.charCodeAt(first) !== 0x23 /* # */) {
      const trimmed = text.slice(first, stop);
      if (trimmed.includes('\t') || trimmed.includes('\r')) return undefined;
      lines.push({ start: at, indent: first - at, text: trimmed });
    }
    at = stop + 1;
  }
  // The document marker line itself, when the document starts with one.
  if (lines[0]?.text.startsWith('---')) {
    if (!/^---(\s+#.*)?$/.test(lines[0].text)) return undefined;
    lines.shift();
  }
  if (lines.length === 0) return undefined;
  const sentinel: Entry = { value: -1 };
  try {
    const scan = new Scanner(lines);
    scan.node(0, { parent: sentinel, name: '' }, undefined);
    if (scan.next < lines.length) return undefined;
  } catch (e) {
    if (e instanceof Decline) return undefined;
    throw e;
  }
  return { sentinel, lines };
}

/** The `value` of expand()'s holder, under which put() finds the entry being expanded. */
const EXPANDING = -2;

/**
 * Scans a lazy entry's nested block into the entry (put() finds the entry itself under the
 * holder), or marks it declined: the block must be read whole, to the line where it ends.
 */
function expand(doc: DocumentIndex, entry: Entry): void {
  const lazy = entry.lazy!;
  entry.lazy = undefined;
  const holder: Entry = { value: EXPANDING, children: new Map([['', entry]]) };
  const scan = new Scanner(doc.lines);
  scan.next = lazy.start;
  try {
    scan.node(lazy.minIndent, { parent: holder, name: '' }, entry.key);
    if (scan.next !== lazy.end) entry.declined = true;
  } catch (e) {
    if (!(e instanceof Decline)) throw e;
    entry.declined = true;
  }
  if (entry.declined) entry.children = undefined;
}

/** The entry, its nested block scanned; undefined when the scan declined it. */
function scanned(doc: DocumentIndex, entry: Entry): Entry | undefined {
  if (entry.lazy) expand(doc, entry);
  return entry.declined ? undefined : entry;
}

class Scanner {
  next = 0;
  constructor(private readonly lines: readonly Line[]) {}

  /**
   * Records the node at `path` and returns it. A key written twice declines: the tree keeps
   * the first pair, and the index would mix both values' children (such documents are
   * refused by Kubernetes, so their positions always come from the tree). Under expand()'s
   * holder the entry being expanded is found, not made.
   */
  private put(path: Slot, value: number, key: number | undefined, plain?: string, quoted = false): Entry {
    const siblings = (path.parent.children ??= new Map());
    const known = siblings.get(path.name);
    if (known) return path.parent.value === EXPANDING ? known : decline();
    const entry: Entry = { value, key, plain, quoted, children: undefined };
    siblings.set(path.name, entry);
    return entry;
  }

  /** The block node starting at the current line, at least `minIndent` deep, at `path`; `key` is its key's offset. */
  node(minIndent: number, path: Slot, key: number | undefined): void {
    const line = this.lines[this.next];
    if (!line || line.indent < minIndent) return decline();
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(line.indent, path, key);
    return this.mapping(line.indent, path, key, line.start + line.indent, line.text);
  }

  /** A block sequence whose dashes are at `indent`. */
  private sequence(indent: number, path: Slot, key: number | undefined): void {
    let i = 0;
    let self: Entry | undefined;
    for (;;) {
      const line = this.lines[this.next];
      if (!line || line.indent !== indent || !(line.text === '-' || line.text.startsWith('- '))) return;
      const offset = line.start + line.indent;
      self ??= this.put(path, offset, key);
      const itemPath: Slot = { parent: self, name: String(i++) };
      const rest = line.text.slice(1).replace(/^ +/, '');
      const restOffset = offset + (line.text.length - rest.length);
      if (rest !== '' && !rest.startsWith('#') && this.isKey(rest)) {
        // A mapping that starts after the dash: its keys line up with this one.
        this.mapping(indent + (line.text.length - rest.length), itemPath, undefined, restOffset, rest);
        continue;
      }
      this.next++;
      if (rest === '' || rest.startsWith('#')) {
        const child = this.lines[this.next];
        if (!child || child.indent <= indent) return decline(); // a null item
        this.node(indent + 1, itemPath, undefined);
        continue;
      }
      if (rest === '-' || rest.startsWith('- ')) return decline();
      this.scalarOrFlow(indent, itemPath, undefined, restOffset, rest);
    }
  }

  private isKey(text: string): boolean {
    return keyColon(text) !== -1;
  }

  /** A block mapping whose keys are at `indent`; the first key is `text` at `offset`, on the current line. */
  private mapping(indent: number, path: Slot, key: number | undefined, offset: number, text: string): void {
    const self = this.put(path, offset, key);
    let lineText = text;
    let lineOffset = offset;
    for (;;) {
      this.next++;
      const colon = keyColon(lineText);
      if (colon === -1) return decline();
      const valuePath: Slot = { parent: self, name: keyName(lineText, colon) };
      let restStart = colon + 1;
      while (lineText.charCodeAt(restStart) === 0x20) restStart++;
      const after = colon + 1 === lineText.length ? '' : ' ';
      const rest = lineText.slice(restStart);
      const restOffset = lineOffset + restStart;
      if (rest === '' || rest.startsWith('#')) {
        const child = this.lines[this.next];
        if (child && child.indent > indent) this.nested(indent, valuePath, lineOffset);
        else if (child && child.indent === indent && (child.text === '-' || child.text.startsWith('- '))) this.sequence(indent, valuePath, lineOffset);
        else if (after === '') this.put(valuePath, restOffset, lineOffset, ''); // null, right after the colon
        else if (rest.startsWith('#')) this.put(valuePath, restOffset, lineOffset, ''); // null, at the comment
        else return decline();
      } else {
        this.scalarOrFlow(indent, valuePath, lineOffset, restOffset, rest);
      }
      const line = this.lines[this.next];
      if (!line || line.indent < indent) return;
      if (line.indent > indent) return decline();
      if (line.text === '-' || line.text.startsWith('- ')) return; // a sequence at its key's indentation ends here
      lineText = line.text;
      lineOffset = line.start + line.indent;
    }
  }

  /** A mapping value's nested block (its lines are deeper than the key's `indent`), left to be scanned on first use. */
  private nested(indent: number, path: Slot, key: number): void {
    const start = this.next;
    let end = start;
    while (end < this.lines.length && this.lines[end]!.indent > indent) end++;
    const first = this.lines[start]!;
    this.put(path, first.start + first.indent, key).lazy = { start, end, minIndent: indent + 1 };
    this.next = end;
  }

  /** A value that fits on its line: a scalar, a block scalar's header or an empty flow collection. */
  private scalarOrFlow(parentIndent: number, path: Slot, key: number | undefined, offset: number, text: string): void {
    const c = text[0]!;
    if (c === '|' || c === '>') {
      if (!/^[|>][1-9+-]{0,2}( +#.*)?$/.test(text)) return decline();
      this.put(path, offset, key, undefined, true);
      while (this.lines[this.next] && this.lines[this.next]!.indent > parentIndent) this.next++;
      return;
    }
    if (text === '{}' || text === '[]') {
      // An empty flow collection, the most common value of a NodeFeature (`AVX512F: {}`).
      this.put(path, offset, key);
      this.noContinuation(parentIndent);
      return;
    }
    if (c === '{' || c === '[') {
      const end = this.flow(text, 0, offset, path, key);
      if (!/^( +#.*)?$/.test(text.slice(end))) return decline();
      this.noContinuation(parentIndent);
      return;
    }
    if (c === '"' || c === "'") {
      if (!/^("[^"\\]*"|'[^']*')( +#.*)?$/.test(text)) return decline();
      this.put(path, offset, key, undefined, true);
      this.noContinuation(parentIndent);
      return;
    }
    if ('&*!%@`?,]}#'.includes(c) || (c === '-' && (text === '-' || text[1] === ' '))) return decline();
    // The scalar ends at a comment (" #") and before trailing spaces.
    const hash = text.indexOf(' #');
    let end = hash === -1 ? text.length : hash;
    while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
    const plain = end === text.length ? text : text.slice(0, end);
    if (plain.includes(': ') || plain.endsWith(':')) return decline();
    this.put(path, offset, key, plain);
    this.noContinuation(parentIndent);
  }

  /**
   * A flow collection that ends on its line, starting at text[i] (at file offset `base + i`),
   * or a scalar inside one; returns where it ends. Plain scalars with a ':' and implicit
   * (key-only) entries decline.
   */
  private flow(text: string, i: number, base: number, path: Slot, key: number | undefined): number {
    const space = (j: number) => {
      while (text[j] === ' ') j++;
      return j;
    };
    const open = text[i];
    if (open === '{' || open === '[') {
      const self = this.put(path, base + i, key);
      const close = open === '{' ? '}' : ']';
      let j = space(i + 1);
      let n = 0;
      while (text[j] !== close) {
        if (open === '[') {
          j = space(this.flow(text, j, base, { parent: self, name: String(n++) }, undefined));
        } else {
          const k = /^("([^"\\]*)"|'([^']*)'|[^\s,:{}[\]#'"&*!|>%@`][^,:{}[\]#]*?) *: /.exec(text.slice(j));
          if (!k) return decline();
          const name = k[2] ?? k[3] ?? k[1]!;
          j = space(this.flow(text, j + k[0].length, base, { parent: self, name }, base + j));
        }
        if (text[j] === ',') j = space(j + 1);
        else if (text[j] !== close) return decline();
      }
      return j + 1;
    }
    if (open === '"' || open === "'") {
      const q = open === '"' ? /^"[^"\\]*"/.exec(text.slice(i)) : /^'[^']*'/.exec(text.slice(i));
      if (!q) return decline();
      this.put(path, base + i, key, undefined, true);
      return i + q[0].length;
    }
    const m = /^[^\s,:{}[\]#'"&*!|>%@`?-][^,:{}[\]#]*/.exec(text.slice(i)) ?? /^-[^\s,:{}[\]#][^,:{}[\]#]*/.exec(text.slice(i));
    if (!m) return decline();
    const plain = m[0].replace(/ +$/, '');
    this.put(path, base + i, key, plain);
    return i + plain.length;
  }

  /** A more-indented line after a scalar would continue it (a multi-line scalar). */
  private noContinuation(parentIndent: number): void {
    const line = this.lines[this.next];
    if (line && line.indent > parentIndent) decline();
  }
}

/**
 * Where the colon that ends the key at the start of `text` is, or -1 when the line does not
 * start with a key the scan reads (a plain key, or a quoted one without escapes).
 */
function keyColon(text: string): number {
  const c = text[0];
  if (c === '"' || c === "'") {
    const close = text.indexOf(c, 1);
    if (close === -1 || (c === '"' && text.lastIndexOf('\\', close) > 0)) return -1;
    let colon = close + 1;
    while (text[colon] === ' ') colon++;
    return text[colon] === ':' && (colon + 1 === text.length || text[colon + 1] === ' ') ? colon : -1;
  }
  if (!(isAsciiAlphanumeric(text.charCodeAt(0)) || PLAIN_KEY_START.test(text))) return -1;
  let colon = text.indexOf(':');
  while (colon !== -1 && colon + 1 < text.length && text[colon + 1] !== ' ') colon = text.indexOf(':', colon + 1);
  if (colon === -1) return -1;
  const hash = text.indexOf('#');
  if (hash !== -1 && hash < colon) return -1;
  return colon;
}

/** A letter or digit: a plain key may start with it (the common case, decided without PLAIN_KEY_START). */
function isAsciiAlphanumeric(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
}

/** The key at the start of a key line whose colon keyColon found, as yaml reads it (a string). */
function keyName(text: string, colon: number): string {
  const c = text[0];
  if (c === '"' || c === "'") return text.slice(1, text.indexOf(c, 1));
  let end = colon;
  while (end > 0 && text.charCodeAt(end - 1) === 0x20) end--;
  return text.slice(0, end);
}

/** Where each document of a file starts and ends, as yaml counts documents; undefined to decline. */
function splitDocuments(text: string): { start: number; end: number }[] | undefined {
  // A directive or a document end marker at a line start (also after a line separator, as
  // a multiline ^ sees them) declines; includes() finds them faster than a multiline regexp.
  if (text.startsWith('\ufeff') || text.includes('\u2028') || text.includes('\u2029')) return undefined;
  if (text.startsWith('%') || text.startsWith('...') || text.includes('\n%') || text.includes('\n...')) return undefined;
  const markers: number[] = [];
  const re = /^---(?=[ \n]|$)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) markers.push(m.index);
  const docs: { start: number; end: number }[] = [];
  const before = text.slice(0, markers[0] ?? text.length);
  if (/^[ ]*[^ \n#]/m.test(before)) docs.push({ start: 0, end: markers[0] ?? text.length });
  markers.forEach((m, i) => docs.push({ start: m, end: markers[i + 1] ?? text.length }));
  return docs;
}

/** Line starts of a text, for offset → line and column. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 1-based line and column of `offset`. */
function linePosition(starts: readonly number[], offset: number): { line: number; col: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** A file's fast locator: documents indexed on first use, the last few kept. */
export class FastLocator {
  private readonly docs: { start: number; end: number }[] | undefined;
  private starts: number[] | undefined;
  private readonly cache = new Map<number, DocumentIndex | undefined>();

  constructor(private readonly text: string) {
    this.docs = text.includes('\r') ? undefined : splitDocuments(text);
  }

  private document(index: number): DocumentIndex | undefined {
    if (!this.docs) return undefined;
    if (this.cache.has(index)) return this.cache.get(index);
    const range = this.docs[index];
    const doc = range ? indexDocument(this.text, range.start, range.end) : undefined;
    // Diagnostics come document by document; a few indexes are enough.
    if (this.cache.size >= 8) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(index, doc);
    return doc;
  }

  /** The node at the deepest existing prefix of `path` (the key with `atKey`), or undefined to ask yaml. */
  locate(docIndex: number, path: readonly (string | number)[], atKey: boolean): { line: number; col: number } | undefined {
    const doc = this.document(docIndex);
    if (!doc) return undefined;
    // The deepest existing prefix: walk down while the path exists.
    const root = doc.sentinel.children?.get('');
    if (!root) return undefined;
    let entry: Entry = root;
    let depth = 0;
    for (; depth < path.length; depth++) {
      const child: Entry | undefined = entry.children?.get(String(path[depth]));
      if (!child) break;
      // A node whose block the scan cannot read may hold anything: ask the tree.
      if (!scanned(doc, child)) return undefined;
      entry = child;
    }
    const offset = atKey && depth === path.length && entry.key !== undefined ? entry.key : entry.value;
    this.starts ??= lineStarts(this.text);
    return linePosition(this.starts, offset);
  }

  /** The scalar at `path`: its text when plain, or undefined when the scan cannot say (ask yaml). */
  scalar(docIndex: number, path: readonly (string | number)[]): { text: string; plain: boolean } | 'not-scalar' | undefined {
    const doc = this.document(docIndex);
    if (!doc) return undefined;
    let entry: Entry | undefined = doc.sentinel.children?.get('');
    for (const segment of path) {
      entry = entry?.children?.get(String(segment));
      if (entry && !scanned(doc, entry)) return undefined;
    }
    if (!entry) return 'not-scalar';
    if (entry.plain !== undefined) return { text: entry.plain, plain: true };
    return entry.quoted ? undefined : 'not-scalar';
  }
}
