/** Parsing input files into YAML documents that keep their source positions. */
import { isMap, isScalar, LineCounter, parseAllDocuments, visit, type Document } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { toJsonPointer, type SourceDocument } from '../diagnostics/locate.js';
import type { InputFile } from './repo-snapshot.js';

/** A parsed, non-empty document and its plain JavaScript value. */
export interface ParsedDocument {
  readonly source: SourceDocument;
  readonly value: unknown;
}

/** Alias expansions allowed per document before it is refused (alias bombs, SPEC §10). */
export const MAX_ALIAS_COUNT = 100;

function position(lineCounter: LineCounter, file: string, offset: number) {
  const { line, col } = lineCounter.linePos(offset);
  return { file, line, col, path: '' };
}

/**
 * Parses every document of one file. YAML 1.1 scalars are used because that is what
 * Kubernetes' own YAML reader resolves (`on`/`yes` are booleans there); JSON is read the same
 * way, since JSON is YAML.
 */
export function parseFile(file: InputFile): { documents: ParsedDocument[]; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  const docs = parseAllDocuments(file.text, {
    lineCounter,
    version: '1.1',
    // Checked below in linear time; yaml's own check compares every key with every other.
    uniqueKeys: false,
    prettyErrors: false,
    keepSourceTokens: false,
  });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, index) => {
    const errors = doc.errors;
    for (const e of errors) {
      diagnostics.push(diagnostic('YAML_SYNTAX', position(lineCounter, file.path, e.pos[0]), firstLine(e.message)));
    }
    if (errors.length > 0) return;
    if (doc.contents === null) return;
    const duplicate = findDuplicateKey(doc);
    if (duplicate !== undefined) {
      diagnostics.push(diagnostic('YAML_SYNTAX', position(lineCounter, file.path, duplicate.offset), `map keys must be unique: "${duplicate.key}" appears twice`));
      return;
    } // an empty document, e.g. after a trailing `---`
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const at = position(lineCounter, file.path, doc.range[0]);
      diagnostics.push(diagnostic('YAML_SYNTAX', at, `document cannot be expanded: ${firstLine(String((e as Error).message))}`));
      return;
    }
    const source: SourceDocument = { file: file.path, index, doc, lineCounter };
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const at = { ...position(lineCounter, file.path, doc.contents.range?.[0] ?? 0), path: toJsonPointer([]) };
      diagnostics.push(diagnostic('DOCUMENT_NOT_OBJECT', at, 'a document must be a mapping with apiVersion and kind'));
      return;
    }
    documents.push({ source, value });
  });
  return { documents, diagnostics };
}

/** The first key repeated within one mapping, with its offset. */
function findDuplicateKey(doc: Document.Parsed): { key: string; offset: number } | undefined {
  let found: { key: string; offset: number } | undefined;
  visit(doc, {
    Map(_, map) {
      if (!isMap(map)) return undefined;
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || key.value === '<<') continue;
        const k = String(key.value);
        if (seen.has(k)) {
          found = { key: k, offset: key.range?.[0] ?? 0 };
          return visit.BREAK;
        }
        seen.add(k);
      }
      return undefined;
    },
  });
  return found;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
