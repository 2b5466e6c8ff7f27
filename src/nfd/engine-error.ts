/**
 * The NFD engine's errors: a rule that cannot be evaluated (a bad expression, a template
 * that fails, an unknown feature) is skipped, as nfd-master skips it, and reported with the
 * catalogue code the error carries.
 */
import type { DiagnosticCode } from '../diagnostics/catalogue.js';

/** An error of the NFD engine; `code` is the diagnostic it becomes. */
export class NfdEngineError extends Error {
  /** The catalogue code of the diagnostic that reports it. */
  readonly code: DiagnosticCode = 'NFD_RULE_ERROR';
}
