/** Printing diagnostics and progress to stderr. I/O edge. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnosticsJson, formatDiagnosticsText } from '../diagnostics/format.js';

export type OutputFormat = 'text' | 'json';

/** Writes diagnostics in the chosen format to the given stream. */
export function printDiagnostics(list: readonly Diagnostic[], format: OutputFormat, stream: NodeJS.WritableStream = process.stderr): void {
  if (format === 'json') stream.write(formatDiagnosticsJson(list));
  else if (list.length > 0) stream.write(formatDiagnosticsText(list));
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
