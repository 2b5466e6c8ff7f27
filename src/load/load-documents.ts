/**
 * The load phase: input files → documents with positions → objects with their kind and
 * scope. `compile` and `nfd dryrun` both load through here.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { classifyDocuments, type LoadedObject } from './classify-documents.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { parseFile, type ParsedDocument } from './parse-documents.js';
import type { InputFile } from './repo-snapshot.js';

/** What parsing one file gives. */
export type ParsedFile = ReturnType<typeof parseFile>;

/**
 * Parse results to share between loads of similar snapshots (the two sides of a diff, the
 * on-disk parse cache): a file with the same path and text is parsed once. `limits`
 * identifies the limits the file was parsed under. Parsed values are never changed by the
 * pipeline beyond dropping null fields, which is idempotent.
 */
export interface ParseCache {
  get(file: InputFile, limits: string): ParsedFile | undefined;
  set(file: InputFile, limits: string, result: ParsedFile): void;
}

/** A ParseCache in memory: one entry per path, used while the text and limits are the same. */
export function memoryParseCache(): ParseCache {
  const entries = new Map<string, { text: string; limits: string; result: ParsedFile }>();
  return {
    get: (file, limits) => {
      const hit = entries.get(file.path);
      return hit && hit.text === file.text && hit.limits === limits ? hit.result : undefined;
    },
    set: (file, limits, result) => void entries.set(file.path, { text: file.text, limits, result }),
  };
}

export interface LoadOptions {
  /** See ParseCache. */
  readonly parseCache?: ParseCache | undefined;
  /** Whether kinds must be in their place in the repository (SPEC §2.1). @default true */
  readonly checkPlacement?: boolean;
}

/** Parses and classifies `files` (in the order given) under `limits`; every problem is a diagnostic. */
export function loadDocuments(files: readonly InputFile[], limits: Limits = DEFAULT_LIMITS, options: LoadOptions = {}): { objects: LoadedObject[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parsed: ParsedDocument[] = [];
  const limitsKey = JSON.stringify(limits);
  for (const f of files) {
    let r = options.parseCache?.get(f, limitsKey);
    if (!r) {
      r = parseFile(f, limits);
      options.parseCache?.set(f, limitsKey, r);
    }
    for (const item of r.documents) parsed.push(item);
    for (const item of r.diagnostics) diagnostics.push(item);
  }
  const classified = classifyDocuments(parsed, { checkPlacement: options.checkPlacement ?? true });
  for (const item of classified.diagnostics) diagnostics.push(item);
  return { objects: classified.objects, diagnostics };
}
