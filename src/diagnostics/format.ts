/** Printing diagnostics: `file:line:col: severity CODE: message` (SPEC §9) or JSON. */
import type { Diagnostic } from './diagnostic.js';

/** One diagnostic as a text line, with related positions as indented lines. */
export function formatDiagnostic(d: Diagnostic): string {
  let line = `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
  for (const r of d.related ?? []) line += `\n    ${r.file}:${r.line}:${r.col}: related`;
  return line;
}

/** All diagnostics as text, one per line, in the order given. */
export function formatDiagnosticsText(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnostic).join('\n') + (list.length ? '\n' : '');
}

/** All diagnostics as stable JSON (an array; keys in a fixed order). */
export function formatDiagnosticsJson(list: readonly Diagnostic[]): string {
  const rows = list.map((d) => {
    const row: Record<string, unknown> = {
      code: d.code,
      severity: d.severity,
      message: d.message,
      file: d.file,
      line: d.line,
      col: d.col,
      path: d.path,
    };
    if (d.related) row.related = d.related;
    return row;
  });
  return JSON.stringify(rows, null, 2) + '\n';
}
