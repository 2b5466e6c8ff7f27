/**
 * matchFeatures terms (SPEC §3.3): flags and attributes as one pool, instances on their own,
 * matchName over element names, and the elements each term hands to the templates.
 * Evaluated fail-fast, as nfd-master does; expression keys in sorted order so that which
 * error or mismatch is found first does not depend on map order.
 */
import type { NodeFeatureSet } from './features.js';
import { evaluateExpression, type MatchExpression } from './match-expression.js';

/** A template element: {Name}, {Name, Value} or an instance's attributes. */
export type MatchedElement = Record<string, string>;

/** Template data: domain → feature → elements, with the rule's spelling of the names. */
export type MatchedFeatures = Map<string, Map<string, MatchedElement[]>>;

export interface FeatureMatcherTerm {
  readonly feature: string;
  readonly matchExpressions?: Readonly<Record<string, MatchExpression>>;
  readonly matchName?: MatchExpression;
}

/** An error while matching, with the feature and key it happened on. */
export class MatchError extends Error {
  constructor(
    message: string,
    readonly feature: string,
    readonly key?: string,
    readonly op?: string,
  ) {
    super(message);
  }
}

const byName = (a: MatchedElement, b: MatchedElement) => (a.Name! < b.Name! ? -1 : a.Name! > b.Name! ? 1 : 0);
// Rules are parsed once and evaluated for every feature set: sort each expression map once.
const sortedKeyCache = new WeakMap<object, string[]>();
function sortedKeys(o: Readonly<Record<string, unknown>>): string[] {
  let keys = sortedKeyCache.get(o);
  if (!keys) sortedKeyCache.set(o, (keys = Object.keys(o).sort()));
  return keys;
}

/** evaluateExpression, its errors tagged with the feature and key. */
function evaluate(feature: string, key: string | undefined, e: MatchExpression, present: boolean, value: string | undefined): boolean {
  try {
    return evaluateExpression(e, present, value);
  } catch (err) {
    throw new MatchError((err as Error).message, feature, key, e.op);
  }
}

/** matchExpressions against one instance: every expression must match it. */
function instanceMatches(feature: string, exprs: Readonly<Record<string, MatchExpression>>, attrs: Map<string, string>): boolean {
  for (const key of sortedKeys(exprs)) {
    const e = exprs[key]!;
    if (!evaluate(feature, key, e, attrs.has(key), attrs.get(key))) return false;
  }
  return true;
}

/** matchExpressions against one feature name that may carry several types. */
export function matchExpressionsMulti(
  feature: string,
  exprs: Readonly<Record<string, MatchExpression>>,
  flags: Set<string> | undefined,
  attrs: Map<string, string> | undefined,
  instances: readonly Map<string, string>[] | undefined,
): { matched: boolean; elements: MatchedElement[] } {
  let pooled: MatchedElement[] = [];
  // An empty expression set matches an existing flag/attribute feature, with no elements.
  let matched = flags !== undefined || attrs !== undefined;
  for (const key of sortedKeys(exprs)) {
    const e = exprs[key]!;
    let onFlags = false;
    let onAttrs = false;
    let failed = false;
    if (flags) {
      onFlags = evaluate(feature, key, e, flags.has(key), undefined);
      if (onFlags) pooled.push({ Name: key });
      else if (e.op === 'DoesNotExist') failed = true; // must hold on every type present
    }
    if (attrs && !failed) {
      onAttrs = evaluate(feature, key, e, attrs.has(key), attrs.get(key));
      if (onAttrs) pooled.push({ Name: key, Value: attrs.get(key) ?? '' });
      else if (e.op === 'DoesNotExist') failed = true;
    }
    if (failed || (!onFlags && !onAttrs)) {
      matched = false;
      pooled = [];
      break;
    }
  }
  pooled.sort(byName);
  const matchedInstances: MatchedElement[] = [];
  for (const inst of instances ?? []) {
    if (instanceMatches(feature, exprs, inst)) matchedInstances.push(Object.fromEntries(inst));
  }
  return { matched: matched || matchedInstances.length > 0, elements: [...pooled, ...matchedInstances] };
}

/** matchName: the expression applied to element names (whole instances when an attribute name matches). */
export function matchNamesMulti(
  feature: string,
  e: MatchExpression,
  flags: Set<string> | undefined,
  attrs: Map<string, string> | undefined,
  instances: readonly Map<string, string>[] | undefined,
): { matched: boolean; elements: MatchedElement[] } {
  const names: MatchedElement[] = [];
  for (const name of flags ?? []) if (evaluate(feature, undefined, e, true, name)) names.push({ Name: name });
  for (const [name, value] of attrs ?? []) if (evaluate(feature, undefined, e, true, name)) names.push({ Name: name, Value: value });
  names.sort(byName);
  const whole: MatchedElement[] = [];
  for (const inst of instances ?? []) {
    if ([...inst.keys()].some((name) => evaluate(feature, undefined, e, true, name))) whole.push(Object.fromEntries(inst));
  }
  const elements = [...names, ...whole];
  return { matched: elements.length > 0, elements };
}

const termNameCache = new WeakMap<FeatureMatcherTerm, { name: string; dom: string; nam: string }>();

/** The feature a term names: lower-cased for lookup, and split as the rule spells it (once per term). */
function termNames(term: FeatureMatcherTerm): { name: string; dom: string; nam: string } {
  let hit = termNameCache.get(term);
  if (!hit) {
    const name = term.feature.toLowerCase();
    const dot = term.feature.indexOf('.');
    hit = dot >= 0 ? { name, dom: term.feature.slice(0, dot), nam: term.feature.slice(dot + 1) } : { name, dom: name, nam: '' };
    termNameCache.set(term, hit);
  }
  return hit;
}

/**
 * A list of terms, all of which must match (fail-fast). Returns the matched elements per
 * domain and feature as the rule spells them. Throws MatchError.
 */
export function evaluateFeatureMatcher(terms: readonly FeatureMatcherTerm[], features: NodeFeatureSet): { matched: boolean; elements: MatchedFeatures } {
  const elements: MatchedFeatures = new Map();
  for (const term of terms) {
    const { name, dom, nam } = termNames(term);
    const flags = features.flags.get(name);
    const attrs = features.attributes.get(name);
    const instances = features.instances.get(name);
    if (!flags && !attrs && !instances) return { matched: false, elements };
    let matched = true;
    let found: MatchedElement[] = [];
    if (term.matchExpressions) {
      const r = matchExpressionsMulti(term.feature, term.matchExpressions, flags, attrs, instances);
      matched = r.matched;
      found = r.elements;
    }
    if (matched && term.matchName) {
      const r = matchNamesMulti(term.feature, term.matchName, flags, attrs, instances);
      matched = r.matched;
      found = [...found, ...r.elements];
    }
    let domain = elements.get(dom);
    if (!domain) elements.set(dom, (domain = new Map<string, MatchedElement[]>()));
    const before = domain.get(nam);
    domain.set(nam, before ? [...before, ...found] : found);
    if (!matched) return { matched: false, elements };
  }
  return { matched: true, elements };
}
