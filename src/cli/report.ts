/** Printing diagnostics and progress to stderr. I/O edge. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticsJson, formatDiagnosticsTextCapped } from '../diagnostics/format.js';

export type OutputFormat = 'text' | 'json';

/** How many diagnostics text output shows before it summarises the rest (`--max-diagnostics`). */
export const DEFAULT_MAX_DIAGNOSTICS = 50;
let maxDiagnostics = DEFAULT_MAX_DIAGNOSTICS;

/** Sets `--max-diagnostics` for this process (the CLI does, once, before a command runs). */
export function setMaxDiagnostics(max: number): void {
  maxDiagnostics = max;
}

/**
 * Writes diagnostics in the chosen format to the given stream: JSON has all of them (tools
 * filter; docs/diagnostics.md), text the first `--max-diagnostics` and a summary of the rest.
 */
export function printDiagnostics(list: readonly Diagnostic[], format: OutputFormat, stream: NodeJS.WritableStream = process.stderr): void {
  if (format === 'json') stream.write(formatDiagnosticsJson(list));
  else if (list.length > 0) stream.write(formatDiagnosticsTextCapped(list, maxDiagnostics));
}

/** A one-line summary such as "2 errors, 1 warning". */
export function countSummary(list: readonly Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** Progress on stderr, only when stderr is a terminal (SPEC §1). */
export function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2Kkmm-render: ${message}`);
}

/** Clears the progress line. */
export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
}
