/**
 * The one canonical YAML writer (SPEC §6): keys sorted with apiVersion, kind and metadata
 * first, no anchors, no line folding, literal blocks for multi-line strings, LF endings and
 * one trailing newline. Strings that a YAML 1.1 reader (Kubernetes') would take for
 * something else — yes, on, 0755 — are quoted.
 */
import { Document } from 'yaml';
import { compareText } from '../base/compare-text.js';
import { setOwnProperty } from '../base/own-property.js';
import { writeCanonicalYamlFast } from './fast-canonical-yaml.js';

const FIRST_KEYS = ['apiVersion', 'kind', 'metadata'];

function compareTopKeys(a: string, b: string): number {
  const ia = FIRST_KEYS.indexOf(a);
  const ib = FIRST_KEYS.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? FIRST_KEYS.length : ia) - (ib < 0 ? FIRST_KEYS.length : ib);
  return compareText(a, b);
}

/** Deep copy with keys sorted and null values dropped (Kubernetes reads null as absent). */
export function canonicalize(value: unknown, top = true): unknown {
  if (Array.isArray(value)) return value.map((v) => canonicalize(v, false));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .sort(([a], [b]) => (top ? compareTopKeys(a, b) : compareText(a, b)));
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      setOwnProperty(out, k, canonicalize(v, false));
    }
    return out;
  }
  return value;
}

/** Writes one object as canonical YAML: the fast writer where it can, else the `yaml` package. */
export function toCanonicalYaml(value: unknown): string {
  const canonical = canonicalize(value);
  return writeCanonicalYamlFast(canonical) ?? toCanonicalYamlWithLibrary(canonical);
}

/** The `yaml` package's canonical YAML of a canonicalized value (the reference the fast writer matches). */
export function toCanonicalYamlWithLibrary(canonical: unknown): string {
  const doc = new Document(canonical, { version: '1.1', aliasDuplicateObjects: false });
  const text = doc.toString({ lineWidth: 0, minContentWidth: 0, blockQuote: 'literal', indentSeq: true });
  return text.endsWith('\n') ? text : text + '\n';
}
