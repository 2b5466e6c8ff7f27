/** What the pipeline reads: the input files of one revision of the repository, in memory. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** One input file: repo-relative POSIX path and its text (plain data: it crosses worker boundaries). */
export interface InputFile {
  readonly path: string;
  readonly text: string;
  /** sha256 (hex) of the text, when the reader already knows it. */
  readonly digest?: string;
  /** Size in bytes, when the reader already knows it. */
  readonly bytes?: number;
  /** Whether the text mentions a hub or a ManagedClusterModule (units/split-units.ts), when known. */
  readonly mentionsHub?: boolean;
}

/**
 * An input file listed but not read: its stat matched the input stat cache
 * (repo/input-stat-cache.ts), which knows its digest. `read` reads it now — I/O, called by
 * run/ before compiling, never by the pipeline — and throws InputChangedError when the text
 * no longer has that digest.
 */
export interface UnreadInputFile {
  readonly path: string;
  readonly text?: undefined;
  readonly digest: string;
  readonly bytes: number;
  readonly mentionsHub: boolean;
  read(): InputFile;
}

/** A file of a listing: read, or known by its digest only. */
export type ListedInputFile = InputFile | UnreadInputFile;

/** A repository listed for `render`: like a snapshot, but some files may not be read yet. */
export interface RepoListing {
  readonly files: readonly ListedInputFile[];
  readonly readDiagnostics: readonly Diagnostic[];
  readonly commit?: string;
}

/** A listed file's text, reading it when it has not been read (run/ only: this may do I/O). */
export function readListedFile(file: ListedInputFile): InputFile {
  return file.text === undefined ? file.read() : file;
}

/**
 * The repository as the pipeline sees it. Whether it came from the working tree or a git
 * revision is invisible to `compile` (ARCHITECTURE.md).
 */
export interface RepoSnapshot {
  /** Every input file, any order (the pipeline sorts). */
  readonly files: readonly InputFile[];
  /** Problems found while reading (unreadable files, links out of the repo). */
  readonly readDiagnostics: readonly Diagnostic[];
  /** The commit the files come from, when the repo root is a git work tree. */
  readonly commit?: string;
}
