/**
 * matchFeatures terms (SPEC §3.3): flags and attributes as one pool, instances on their own,
 * matchName over element names, and the elements each term hands to the templates.
 * Evaluated fail-fast, as nfd-master does; expression keys in sorted order so that which
 * error or mismatch is found first does not depend on map order.
 */
import type { NodeFeatureSet } from './features.js';
import { compileExpression, literalValues, type ExpressionPredicate, type MatchExpression } from './match-expression.js';
import { NfdEngineError } from './engine-error.js';

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
export class MatchError extends NfdEngineError {
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

/** One expression of a term, compiled: its key, op and predicate. */
interface CompiledKeyExpression {
  readonly key: string;
  readonly op: string;
  readonly test: ExpressionPredicate;
}

/** A term as evaluated: the feature looked up and as spelled, expressions in key order. */
interface CompiledTerm {
  readonly feature: string;
  /** Lower-cased, for lookup. */
  readonly lookup: string;
  /** Domain as the rule spells it (the template data's first key). */
  readonly domain: string;
  /** Feature name as the rule spells it (the template data's second key). */
  readonly featureName: string;
  readonly expressions: readonly CompiledKeyExpression[] | undefined;
  readonly matchName: CompiledNameExpression | undefined;
}

/** matchName compiled: its predicate, and the names it matches when it is a plain membership test. */
interface CompiledNameExpression {
  readonly op: string;
  readonly test: ExpressionPredicate;
  readonly literals: ReadonlySet<string> | undefined;
}

// Rules are parsed once and evaluated for every feature set: each term is compiled once.
const compiledTerms = new WeakMap<FeatureMatcherTerm, CompiledTerm>();

function compileTerm(term: FeatureMatcherTerm): CompiledTerm {
  let hit = compiledTerms.get(term);
  if (!hit) {
    const dot = term.feature.indexOf('.');
    const lookup = term.feature.toLowerCase();
    const exprs = term.matchExpressions;
    hit = {
      feature: term.feature,
      lookup,
      domain: dot >= 0 ? term.feature.slice(0, dot) : lookup,
      featureName: dot >= 0 ? term.feature.slice(dot + 1) : '',
      // Sorted keys, so that which error or mismatch is found first does not depend on map order.
      expressions: exprs && Object.keys(exprs).sort().map((key) => ({ key, op: exprs[key]!.op, test: compileExpression(exprs[key]!) })),
      matchName: term.matchName && { op: term.matchName.op, test: compileExpression(term.matchName), literals: literalValues(term.matchName) },
    };
    compiledTerms.set(term, hit);
  }
  return hit;
}

/** Asks a predicate, its errors tagged with the feature, key and op. */
function ask(t: CompiledTerm, key: string | undefined, op: string, test: ExpressionPredicate, present: boolean, value: string | undefined): boolean {
  try {
    return test(present, value);
  } catch (err) {
    throw new MatchError((err as Error).message, t.feature, key, op);
  }
}

/** matchExpressions against one instance: every expression must match it. */
function instanceMatches(t: CompiledTerm, exprs: readonly CompiledKeyExpression[], attrs: Map<string, string>): boolean {
  for (const e of exprs) {
    const value = attrs.get(e.key);
    if (!ask(t, e.key, e.op, e.test, value !== undefined, value)) return false;
  }
  return true;
}

type TermResult = { matched: boolean; elements: MatchedElement[] };

/** matchExpressions against one feature name that may carry several types. */
function matchExpressionsMulti(
  t: CompiledTerm,
  exprs: readonly CompiledKeyExpression[],
  flags: Set<string> | undefined,
  attrs: Map<string, string> | undefined,
  instances: readonly Map<string, string>[] | undefined,
  collect: boolean,
): TermResult {
  let pooled: MatchedElement[] = [];
  // An empty expression set matches an existing flag/attribute feature, with no elements.
  let matched = flags !== undefined || attrs !== undefined;
  for (const e of exprs) {
    let onFlags = false;
    let onAttrs = false;
    let failed = false;
    if (flags) {
      onFlags = ask(t, e.key, e.op, e.test, flags.has(e.key), undefined);
      if (!onFlags) failed = e.op === 'DoesNotExist'; // must hold on every type present
      else if (collect) pooled.push({ Name: e.key });
    }
    if (attrs && !failed) {
      const value = attrs.get(e.key);
      onAttrs = ask(t, e.key, e.op, e.test, value !== undefined, value);
      if (!onAttrs) failed = e.op === 'DoesNotExist';
      else if (collect) pooled.push({ Name: e.key, Value: value ?? '' });
    }
    if (failed || (!onFlags && !onAttrs)) {
      matched = false;
      pooled = [];
      break;
    }
  }
  if (pooled.length > 1) pooled.sort(byName);
  if (!instances) return { matched, elements: pooled };
  for (const inst of instances) {
    // Every instance is asked, as nfd-master does, so that an error in a later one surfaces.
    if (instanceMatches(t, exprs, inst)) {
      if (collect) pooled.push(Object.fromEntries(inst));
      matched = true;
    }
  }
  return { matched, elements: pooled };
}

/** The names of `names` that `e` matches, in iteration order (by lookup when `e` is a membership test). */
function matchingNames(e: CompiledNameExpression, names: ReadonlySet<string> | ReadonlyMap<string, string>): Iterable<string> {
  const literals = e.literals;
  if (literals && literals.size < names.size) {
    const found: string[] = [];
    for (const l of literals) if (names.has(l)) found.push(l);
    return found;
  }
  const found: string[] = [];
  for (const name of names.keys()) if (e.test(true, name)) found.push(name);
  return found;
}

/** matchName: the expression applied to element names (whole instances when an attribute name matches). */
function matchNamesMulti(
  t: CompiledTerm,
  e: CompiledNameExpression,
  flags: Set<string> | undefined,
  attrs: Map<string, string> | undefined,
  instances: readonly Map<string, string>[] | undefined,
  collect: boolean,
): TermResult {
  const elements: MatchedElement[] = [];
  let count = 0;
  try {
    if (flags) {
      for (const name of matchingNames(e, flags)) {
        count++;
        if (collect) elements.push({ Name: name });
      }
    }
    if (attrs) {
      for (const name of matchingNames(e, attrs)) {
        count++;
        if (collect) elements.push({ Name: name, Value: attrs.get(name)! });
      }
    }
    if (elements.length > 1) elements.sort(byName);
    if (instances) {
      for (const inst of instances) {
        for (const _ of matchingNames(e, inst)) {
          count++;
          if (collect) elements.push(Object.fromEntries(inst));
          break;
        }
      }
    }
  } catch (err) {
    throw new MatchError((err as Error).message, t.feature, undefined, e.op);
  }
  return { matched: count > 0, elements };
}

/** One term against the features: whether its feature exists, whether it matched, and its elements. */
function matchTerm(t: CompiledTerm, features: NodeFeatureSet, collect: boolean): { present: boolean; matched: boolean; elements: MatchedElement[] } {
  const flags = features.flags.get(t.lookup);
  const attrs = features.attributes.get(t.lookup);
  const instances = features.instances.get(t.lookup);
  if (!flags && !attrs && !instances) return { present: false, matched: false, elements: [] };
  let matched = true;
  let found: MatchedElement[] = [];
  if (t.expressions) {
    const r = matchExpressionsMulti(t, t.expressions, flags, attrs, instances, collect);
    matched = r.matched;
    found = r.elements;
  }
  if (matched && t.matchName) {
    const r = matchNamesMulti(t, t.matchName, flags, attrs, instances, collect);
    matched = r.matched;
    found = found.length ? found.concat(r.elements) : r.elements;
  }
  return { present: true, matched, elements: found };
}

/** What a rule without templates gets: no elements are gathered for it. */
const NO_ELEMENTS: MatchedFeatures = new Map();

/**
 * A list of terms, all of which must match (fail-fast). Returns the matched elements per
 * domain and feature as the rule spells them, when `collect` (only templates read them).
 * Throws MatchError.
 */
export function evaluateFeatureMatcher(terms: readonly FeatureMatcherTerm[], features: NodeFeatureSet, collect = true): { matched: boolean; elements: MatchedFeatures } {
  if (!collect) {
    for (const term of terms) if (!matchTerm(compileTerm(term), features, false).matched) return { matched: false, elements: NO_ELEMENTS };
    return { matched: true, elements: NO_ELEMENTS };
  }
  const elements: MatchedFeatures = new Map();
  for (const term of terms) {
    const t = compileTerm(term);
    const { present, matched, elements: found } = matchTerm(t, features, true);
    if (!present) return { matched: false, elements };
    let byName = elements.get(t.domain);
    if (!byName) elements.set(t.domain, (byName = new Map<string, MatchedElement[]>()));
    const before = byName.get(t.featureName);
    byName.set(t.featureName, before ? before.concat(found) : found);
    if (!matched) return { matched: false, elements };
  }
  return { matched: true, elements };
}
