/** Quoting values for the `/bin/sh -c` scripts of the module loader (SPEC §5.1). */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;
// Control characters (including newline and tab) cannot be quoted without changing what
// the script means or how the YAML reads, so they are refused.
const UNSAFE = /[\u0000-\u001f\u007f]/;

/** True when `value` can be quoted for sh. */
export function isShellQuotable(value: string): boolean {
  return !UNSAFE.test(value);
}

/**
 * Quotes `value` for POSIX sh: left bare when it only has safe characters (so
 * `modprobe -v -d /opt simple_kmod` reads as in the KMM docs), else single-quoted.
 * Throws for unquotable values: callers check `isShellQuotable` in validation first.
 */
export function shellQuote(value: string): string {
  if (!isShellQuotable(value)) throw new Error(`bug: unquotable value reached the script builder: ${JSON.stringify(value)}`);
  if (value === '') return "''";
  if (SAFE.test(value)) return value;
  return "'" + value.replace(/'/g, `'"'"'`) + "'";
}
