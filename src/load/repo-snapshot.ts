/** What the pipeline reads: the input files of one revision of the repository, in memory. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

/** One input file: repo-relative POSIX path and its text. */
export interface InputFile {
  readonly path: string;
  /** May be read on first use (repo/input-stat-cache.ts). */
  readonly text: string;
  /** sha256 (hex) of the text, when the reader already knows it. */
  readonly digest?: string;
  /** Size in bytes, when the reader already knows it. */
  readonly bytes?: number;
  /** Whether the text mentions a hub or a ManagedClusterModule (units/split-units.ts), when known. */
  readonly mentionsHub?: boolean;
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
