/** The one diagnostic shape of SPEC §9, plus helpers to build, sort and count them. */
import { CATALOGUE, type DiagnosticCode, type Severity } from './catalogue.js';
import { compareText } from '../base/compare-text.js';

export type { Severity } from './catalogue.js';

/** A place in an input file that a diagnostic points at. */
export interface SourcePosition {
  /** Repo-relative POSIX path. */
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  col: number;
  /** JSON pointer into the document ("" for the document itself). */
  path: string;
}

/** A problem found in the input: stable code, severity, message and position. */
export interface Diagnostic extends SourcePosition {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Other places involved (e.g. the first of two duplicates). */
  related?: SourcePosition[];
}

/** Builds a diagnostic with the catalogue's default severity for `code`. */
export function diagnostic(
  code: DiagnosticCode,
  at: SourcePosition,
  message: string,
  extra: { related?: SourcePosition[]; severity?: Severity } = {},
): Diagnostic {
  const d: Diagnostic = {
    code,
    severity: extra.severity ?? CATALOGUE[code].severity,
    message,
    file: at.file,
    line: at.line,
    col: at.col,
    path: at.path,
  };
  if (extra.related && extra.related.length > 0) d.related = extra.related;
  return d;
}

/** Orders diagnostics by file, line, column, code, then message (SPEC §9). */
function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    compareText(a.code, b.code) ||
    compareText(a.message, b.message)
  );
}

/** Sorts and removes exact repeats (the same problem reached twice, e.g. from two clusters). */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const sorted = [...list].sort(compareDiagnostics);
  const out: Diagnostic[] = [];
  for (const d of sorted) {
    const prev = out[out.length - 1];
    if (prev && compareDiagnostics(prev, d) === 0 && prev.severity === d.severity) continue;
    out.push(d);
  }
  return out;
}

/** True when any diagnostic is an error. */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/**
 * Applies kmm-render.yaml's `diagnostics` severities: `error` makes a warning an error,
 * `off` drops it, `warning` keeps it (entries for error codes are refused when the config
 * is read, so errors stay errors).
 */
export function applySeverities(list: readonly Diagnostic[], settings: Readonly<Record<string, 'error' | 'warning' | 'off'>>): Diagnostic[] {
  if (Object.keys(settings).length === 0) return [...list];
  const out: Diagnostic[] = [];
  for (const d of list) {
    const s = settings[d.code];
    if (d.severity !== 'warning' || s === undefined || s === 'warning') out.push(d);
    else if (s === 'error') out.push({ ...d, severity: 'error' });
  }
  return out;
}

/** Turns every warning into an error (the `--strict` flag). */
export function escalateWarnings(list: readonly Diagnostic[], codes?: ReadonlySet<DiagnosticCode>): Diagnostic[] {
  return list.map((d) =>
    d.severity === 'warning' && (!codes || codes.has(d.code)) ? { ...d, severity: 'error' } : d,
  );
}
