/**
 * A failure that is neither a bug nor a problem of the input (those are diagnostics): the
 * output folder holds files kmm-render did not write, an input changed while it was read,
 * another render holds the output. The CLI prints the message and exits 2, without a stack.
 * The CLI tells these apart by class, never by comparing `.name` strings.
 */
export class OperationalError extends Error {
  constructor(message?: string) {
    super(message);
    // The subclass's name in messages and stacks (OutputConflictError: …).
    this.name = new.target.name;
  }
}
