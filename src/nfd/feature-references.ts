/**
 * The features (`<domain>.<feature>`) NodeFeatureRules reference: in their matchFeatures and
 * matchAny terms (what `render` checks the inventory for, NFD_FEATURE_ABSENT), and also in
 * `@domain.feature.element` output values (together: what `inventory pull` keeps of a node's
 * features). `rule.matched` is produced by rules, not nodes.
 */
import type { DocPath } from '../diagnostics/locate.js';

/** One reference: the feature name and where it is, inside the NodeFeatureRule object. */
export interface FeatureReference {
  readonly feature: string;
  readonly rule: number;
  readonly path: DocPath;
}

type Term = { feature?: unknown };
type Rule = { matchFeatures?: unknown; matchAny?: unknown };

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The references of one NodeFeatureRule's spec, in document order. */
export function featureReferences(spec: unknown): FeatureReference[] {
  const out: FeatureReference[] = [];
  const rules = list((spec as { rules?: unknown } | null)?.rules);
  rules.forEach((raw, r) => {
    const rule = (raw ?? {}) as Rule;
    const terms = (items: unknown, base: DocPath) =>
      list(items).forEach((t, i) => {
        const feature = (t as Term | null)?.feature;
        if (typeof feature === 'string' && feature !== 'rule.matched') out.push({ feature, rule: r, path: [...base, i, 'feature'] });
      });
    list(rule.matchAny).forEach((any, a) => terms((any as Rule | null)?.matchFeatures, ['spec', 'rules', r, 'matchAny', a, 'matchFeatures']));
    terms(rule.matchFeatures, ['spec', 'rules', r, 'matchFeatures']);
  });
  return out;
}

/** Features named by `@domain.feature.element` values of labels, annotations and extended resources. */
export function dynamicValueFeatures(spec: unknown): string[] {
  const out = new Set<string>();
  for (const raw of list((spec as { rules?: unknown } | null)?.rules)) {
    const rule = (raw ?? {}) as Record<string, unknown>;
    for (const field of ['labels', 'annotations', 'extendedResources']) {
      const values = rule[field];
      if (values === null || typeof values !== 'object') continue;
      for (const v of Object.values(values as Record<string, unknown>)) {
        const m = typeof v === 'string' ? /^@([^.]+)\.([^.]+)\./.exec(v) : null;
        if (m && `${m[1]}.${m[2]}` !== 'rule.matched') out.add(`${m[1]}.${m[2]}`);
      }
    }
  }
  return [...out].sort();
}
