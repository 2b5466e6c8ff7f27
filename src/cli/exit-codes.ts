/** Exit codes (SPEC §1). */
import { OperationalError } from '../base/operational-error.js';

export const EXIT_OK = 0;
/** The input has errors; diagnostics were printed. */
export const EXIT_INPUT_ERRORS = 1;
/** Usage error or internal failure. */
export const EXIT_USAGE = 2;
/** `diff`/`check`: a difference was found. */
export const EXIT_DIFFERENCE = 3;

/** A usage error: printed as one line, exit 2. */
export class UsageError extends OperationalError {}
