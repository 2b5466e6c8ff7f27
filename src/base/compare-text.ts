/**
 * The one order of text in kmm-render: by UTF-16 code units, as `<` compares strings. Never
 * `localeCompare`: output must not depend on the machine's locale (ARCHITECTURE.md,
 * "Deterministic by construction").
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
