/** Parsing input files into YAML documents that keep their source positions. */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { toJsonPointer, type SourceDocument } from '../diagnostics/locate.js';
import type { InputFile } from './repo-snapshot.js';
import { DEFAULT_LIMITS, flowDepth, type Limits } from './limits.js';
import { FastLocator } from '../diagnostics/fast-locate.js';
import { readJsonFast, readYamlFast, type FastRead } from './fast-read.js';
import { readBlockYamlFast } from './block-yaml-read.js';
import { pruneNulls, pruneNullsWithDepth } from './prune-nulls.js';
import { composeDocumentValue } from './compose-values.js';
import { INPUT_PARSE_OPTIONS } from './yaml-parse-options.js';

/** A parsed, non-empty document and its plain JavaScript value. */
export interface ParsedDocument {
  readonly source: SourceDocument;
  readonly value: unknown;
  /** The value has no null fields left (classify-documents need not prune it again). */
  readonly nullsPruned?: boolean;
}


function position(lineCounter: LineCounter, file: string, offset: number) {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col, path: '' };
}

const BRACKETS_ONLY = /^(\s*)([\]}][\]},\s]*)(#.*)?$/;

/** The syntax trees of a file's documents (values come from compose-values.ts). */
function parseText(text: string, lineCounter: LineCounter) {
  const docs = parseAllDocuments(text, { ...INPUT_PARSE_OPTIONS, lineCounter });
  return Array.isArray(docs) ? docs : [];
}

/**
 * Kubernetes' YAML reader accepts a flow collection whose closing `]` or `}` sits at the
 * indentation of the enclosing block key (common in published NodeFeatureRules); YAML 1.2
 * and the yaml package do not. Such closing lines are indented further, which changes no
 * value: whitespace inside a flow collection is insignificant. Lines and the columns of
 * every other line stay as they were.
 */
function relaxFlowIndentation(text: string): string | undefined {
  let current = text;
  for (let round = 0; round < 8; round++) {
    const lc = new LineCounter();
    const docs = parseText(current, lc);
    const bad = docs.flatMap((d) => d.errors).filter((e) => e.code === 'BAD_INDENT' && /^Flow (map|sequence)/.test(e.message));
    if (bad.length === 0) return round === 0 ? undefined : current;
    const lines = current.split('\n');
    let changed = false;
    for (const e of bad) {
      const i = lc.linePos(e.pos[0]).line - 1;
      if (BRACKETS_ONLY.test(lines[i] ?? '')) {
        lines[i] = '  ' + lines[i];
        changed = true;
      }
    }
    if (!changed) return undefined;
    current = lines.join('\n');
  }
  return undefined;
}

/**
 * Parses one file into its documents and diagnostics. `fastRead: false` forces the slow
 * path, for the test that proves both paths give the same result.
 */
export function parseFile(file: InputFile, limits: Limits = DEFAULT_LIMITS, { fastRead = true } = {}): { documents: ParsedDocument[]; diagnostics: Diagnostic[]; fastRead?: boolean } {
  let lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const whole = { file: file.path, line: 1, col: 1, path: '' };
  const bytes = Buffer.byteLength(file.text);
  if (bytes > limits.maxFileBytes) {
    return { documents, diagnostics: [diagnostic('LIMIT_FILE_SIZE', whole, `${file.path} has ${bytes} bytes, more than the ${limits.maxFileBytes} allowed (limits.maxFileBytes in kmm-render.yaml)`)] };
  }
  // The fast readers decline what is too deep for them; their values' depth is checked.
  const fast = fastRead ? (readJsonFast(file.text) ?? readBlockYamlFast(file.text) ?? readYamlFast(file.text)) : undefined;
  const accepted = fast && acceptFastRead(file, fast, limits);
  if (accepted) return { documents: accepted, diagnostics, fastRead: true };
  if (flowDepth(file.text) > limits.maxDepth) {
    return { documents, diagnostics: [diagnostic('LIMIT_DEPTH', whole, `${file.path} nests collections deeper than ${limits.maxDepth} levels (limits.maxDepth)`)] };
  }
  let list: ReturnType<typeof parseText>;
  try {
    list = parseText(file.text, lineCounter);
  } catch (e) {
    if (e instanceof RangeError) return { documents, diagnostics: [diagnostic('LIMIT_DEPTH', whole, `${file.path} nests too deeply to be read`)] };
    throw e;
  }
  if (list.length > limits.maxDocumentsPerFile) {
    return { documents, diagnostics: [diagnostic('LIMIT_DOCUMENTS', whole, `${file.path} has ${list.length} documents, more than the ${limits.maxDocumentsPerFile} allowed (limits.maxDocumentsPerFile)`)] };
  }
  let text = file.text;
  if (list.some((d) => d.errors.some((e) => e.code === 'BAD_INDENT'))) {
    const relaxed = relaxFlowIndentation(file.text);
    if (relaxed !== undefined) {
      const lc = new LineCounter();
      const again = parseText(relaxed, lc);
      if (again.every((d) => d.errors.length === 0)) {
        list = again;
        lineCounter = lc;
        text = relaxed;
      }
    }
  }
  // The syntax trees are not kept: a large inventory's trees are several times its text.
  // When a diagnostic needs a position, the file is parsed again, once (SPEC §9 positions
  // are the same: same text, same options).
  let again: Document.Parsed[] | undefined;
  const reparse = () => (again ??= parseText(text, new LineCounter()));
  list.forEach((doc, index) => {
    const errors = doc.errors;
    for (const e of errors) {
      const code = e.code === 'TAG_RESOLVE_FAILED' ? 'YAML_TAG' : 'YAML_SYNTAX';
      diagnostics.push(diagnostic(code, position(lineCounter, file.path, e.pos[0]), firstLine(e.message)));
    }
    // Custom tags (`!foo`, `!!python/object`) mean nothing to Kubernetes; refuse them.
    const tags = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
    for (const w of tags) diagnostics.push(diagnostic('YAML_TAG', position(lineCounter, file.path, w.pos[0]), `${firstLine(w.message)}: custom YAML tags are not allowed`));
    if (errors.length > 0 || tags.length > 0) return;
    if (doc.contents === null) return; // an empty document, e.g. after a trailing `---`
    const composed = composeDocumentValue(doc, limits, text);
    if ('problem' in composed) {
      const p = composed.problem;
      diagnostics.push(diagnostic(p.code, { ...position(lineCounter, file.path, p.offset), path: toJsonPointer(p.path) }, p.message));
      return;
    }
    const value = composed.value;
    const counter = lineCounter;
    const source: SourceDocument = {
      file: file.path,
      index,
      get doc() {
        return reparse()[index]!;
      },
      lineCounter: counter,
    };
    if (value === null || value === undefined) return; // `---` with nothing after it, or `null`
    if (typeof value !== 'object' || Array.isArray(value)) {
      const at = { ...position(lineCounter, file.path, doc.contents.range?.[0] ?? 0), path: toJsonPointer([]) };
      diagnostics.push(diagnostic('DOCUMENT_NOT_OBJECT', at, 'a document must be a mapping with apiVersion and kind'));
      return;
    }
    // Null fields are dropped here, as on the fast path (classify-documents.ts says why).
    documents.push({ source, value: pruneNulls(value), nullsPruned: true });
  });
  return { documents, diagnostics };
}

/**
 * The documents of a fast read (fast-read.ts), or undefined when one of them needs a
 * diagnostic: the slow path finds it again and says where it is. Source positions are
 * computed on first use by parsing the file with `yaml`.
 */
function acceptFastRead(file: InputFile, { values, prunedDepth }: NonNullable<FastRead>, limits: Limits): ParsedDocument[] | undefined {
  if (values.length > limits.maxDocumentsPerFile) return undefined;
  if (prunedDepth !== undefined && prunedDepth > limits.maxDepth) return undefined;
  const entries: { index: number; value: unknown }[] = [];
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    if (prunedDepth !== undefined) {
      entries.push({ index, value });
      continue;
    }
    const pruned = pruneNullsWithDepth(value);
    if (pruned.depth > limits.maxDepth || pruned.nullLikeKey) return undefined;
    entries.push({ index, value: pruned.value });
  }
  return documentsWithLazyPositions(file, entries);
}

/**
 * Documents whose values are known (read fast, or from a cache) and whose positions are
 * computed on first use, by parsing the file with `yaml`. `value`s have no null fields.
 */
export function documentsWithLazyPositions(file: InputFile, entries: readonly { index: number; value: unknown }[]): ParsedDocument[] {
  let parsed: { docs: Document.Parsed[]; lineCounter: LineCounter } | undefined;
  let fast: FastLocator | undefined;
  const reparse = () => {
    if (parsed) return parsed;
    const lineCounter = new LineCounter();
    return (parsed = { docs: parseText(file.text, lineCounter), lineCounter });
  };
  return entries.map(({ index, value }) => {
    const source: SourceDocument = {
      file: file.path,
      index,
      get doc() {
        return reparse().docs[index]!;
      },
      get lineCounter() {
        return reparse().lineCounter;
      },
      get fast() {
        return (fast ??= new FastLocator(file.text));
      },
    };
    return { source, value, nullsPruned: true };
  });
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
