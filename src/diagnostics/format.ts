/** Printing diagnostics: `file:line:col: severity CODE: message` (SPEC §9) or JSON. */
import type { Diagnostic } from './diagnostic.js';
import { compareText } from '../base/compare-text.js';

/** One diagnostic as a text line, with related positions as indented lines. */
function formatDiagnostic(d: Diagnostic): string {
  let line = `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`;
  for (const r of d.related ?? []) line += `\n    ${r.file}:${r.line}:${r.col}: related`;
  return line;
}

/** All diagnostics as text, one per line, in the order given. */
export function formatDiagnosticsText(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnostic).join('\n') + (list.length ? '\n' : '');
}

/** 12345 → "12,345", the same on every machine (no locale). */
function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',');
}

/**
 * The first `max` diagnostics as text, then, for the rest, one line per code: how many, in
 * how many files, and where the first is. The list is in the usual order (sorted).
 */
export function formatDiagnosticsTextCapped(list: readonly Diagnostic[], max: number): string {
  if (list.length <= max) return formatDiagnosticsText(list);
  const hidden = list.slice(max);
  const byCode = new Map<string, { count: number; files: Set<string>; first: Diagnostic }>();
  for (const d of hidden) {
    const entry = byCode.get(d.code) ?? { count: 0, files: new Set<string>(), first: d };
    entry.count++;
    entry.files.add(d.file);
    byCode.set(d.code, entry);
  }
  const lines = [...byCode]
    .sort(([a, x], [b, y]) => y.count - x.count || compareText(a, b))
    .map(([code, e]) => `  ${code} × ${formatCount(e.count)} in ${formatCount(e.files.size)} file${e.files.size === 1 ? '' : 's'} (first: ${e.first.file}:${e.first.line}:${e.first.col})`);
  return `${formatDiagnosticsText(list.slice(0, max))}… and ${formatCount(hidden.length)} more (--max-diagnostics all shows them):\n${lines.join('\n')}\n`;
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
