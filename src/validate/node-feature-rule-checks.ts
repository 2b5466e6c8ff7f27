/**
 * Legacy NodeFeatureRule forms (SPEC §3.7): before v0.15 NFD accepted shorthands such as
 * `vendor: ["8086"]` or `vendor: "8086"` in matchExpressions. They are refused with a
 * diagnostic that shows the modern form, instead of a bare schema type error.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocPath } from '../diagnostics/locate.js';
import type { LoadedObject } from '../load/classify-documents.js';
import { at } from '../load/object-ref.js';

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function modernForm(key: string, value: unknown): string {
  if (value === null || value === undefined) return `${key}: {op: Exists}`;
  const values = (Array.isArray(value) ? value : [value]).map((v) => JSON.stringify(String(v)));
  return `${key}: {op: In, value: [${values.join(', ')}]}`;
}

function checkTerms(obj: LoadedObject, terms: unknown, path: DocPath, out: Diagnostic[]) {
  if (!Array.isArray(terms)) return;
  terms.forEach((term, j) => {
    if (!isRecord(term)) return;
    const exprs = term.matchExpressions;
    if (!isRecord(exprs)) return;
    for (const [key, e] of Object.entries(exprs)) {
      if (isRecord(e)) continue;
      out.push(
        diagnostic('NFD_LEGACY_SHORTHAND', at(obj.ref, [...path, j, 'matchExpressions', key], true), `"${key}: ${JSON.stringify(e)}" is the shorthand NFD dropped in v0.15; write ${modernForm(key, e)}`),
      );
    }
  });
}

/** Finds legacy shorthands in a NodeFeatureRule. */
export function checkLegacyNodeFeatureRule(obj: LoadedObject): Diagnostic[] {
  const out: Diagnostic[] = [];
  const rules = (obj.value.spec as { rules?: unknown } | undefined)?.rules;
  if (!Array.isArray(rules)) return out;
  rules.forEach((rule, i) => {
    if (!isRecord(rule)) return;
    checkTerms(obj, rule.matchFeatures, ['spec', 'rules', i, 'matchFeatures'], out);
    if (Array.isArray(rule.matchAny)) {
      rule.matchAny.forEach((any, k) => {
        if (isRecord(any)) checkTerms(obj, any.matchFeatures, ['spec', 'rules', i, 'matchAny', k, 'matchFeatures'], out);
      });
    }
  });
  return out;
}
