/**
 * Executing one NodeFeatureRule rule against one node's features (SPEC §3.3, §3.5): matchAny,
 * matchFeatures, templates once per matching element, static labels and vars over template
 * output. Mirrors nfd-master's fail-fast evaluation.
 */
import type { NodeFeatureSet } from './features.js';
import { executeTemplate } from './go-template-eval.js';
import { parseTemplate, TemplateError, type TemplateNode } from './go-template-parse.js';
import { evaluateFeatureMatcher, MatchError, type FeatureMatcherTerm, type MatchedFeatures } from './match-term.js';
import { setOwnProperty } from '../base/own-property.js';
import { NfdEngineError } from './engine-error.js';

/** A template larger than this is an error (SPEC §3.5). */
const MAX_TEMPLATE_SIZE = 64 * 1024;

export interface NfdTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** One entry of `spec.rules`. */
export interface NfdRule {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly labelsTemplate?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly vars?: Readonly<Record<string, string>>;
  readonly varsTemplate?: string;
  readonly taints?: readonly NfdTaint[];
  readonly extendedResources?: Readonly<Record<string, string>>;
  readonly matchFeatures?: readonly FeatureMatcherTerm[];
  readonly matchAny?: readonly { readonly matchFeatures: readonly FeatureMatcherTerm[] }[];
}

/** The raw output of a rule (before prefixing and filtering). */
export interface RuleOutput {
  readonly matched: boolean;
  readonly labels: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly extendedResources: Readonly<Record<string, string>>;
  readonly taints: readonly NfdTaint[];
}

/** Why a rule could not be evaluated: names the feature, key and op when they are known. */
export class RuleError extends NfdEngineError {
  constructor(
    message: string,
    readonly feature?: string,
    readonly key?: string,
    readonly op?: string,
  ) {
    super(message);
  }
}

const compiled = new Map<string, TemplateNode[] | TemplateError>();

/** Parses a template once per distinct text. */
function compileRuleTemplate(text: string): TemplateNode[] {
  let hit = compiled.get(text);
  if (!hit) {
    try {
      if (text.length > MAX_TEMPLATE_SIZE) throw new TemplateError(`template is ${text.length} bytes, more than the ${MAX_TEMPLATE_SIZE} allowed`);
      hit = parseTemplate(text);
    } catch (e) {
      hit = e instanceof TemplateError ? e : new TemplateError(String(e));
    }
    compiled.set(text, hit);
  }
  if (hit instanceof TemplateError) throw hit;
  return hit;
}

/**
 * Template data: {domain: {feature: [elements]}} as plain objects without a prototype. The
 * element objects are this evaluation's own (match-term makes them), so they are not copied;
 * the executor reads only own properties.
 */
function templateData(m: MatchedFeatures): Record<string, unknown> {
  const data = Object.create(null) as Record<string, unknown>;
  for (const [dom, features] of m) {
    const d = Object.create(null) as Record<string, unknown>;
    for (const [name, elements] of features) d[name] = elements;
    data[dom] = d;
  }
  return data;
}

/** Splits template output into key=value pairs (SPEC §3.5), into `out` (later lines win). */
function parseTemplateOutput(text: string, out: Record<string, string> = {}): Record<string, string> {
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new TemplateError(`template output line ${JSON.stringify(line)} has no "=" (expected key=value)`);
    setOwnProperty(out, line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

function expand(template: string | undefined, what: string, m: MatchedFeatures, into: Record<string, string>): void {
  if (!template) return;
  try {
    // Straight into `into`: a failing template fails the rule, whose output is then dropped.
    parseTemplateOutput(executeTemplate(compileRuleTemplate(template), templateData(m)), into);
  } catch (e) {
    if (e instanceof TemplateError) throw new RuleError(`${what}: ${e.message}`);
    throw e;
  }
}

function match(terms: readonly FeatureMatcherTerm[], features: NodeFeatureSet, templated: boolean) {
  try {
    return evaluateFeatureMatcher(terms, features, templated);
  } catch (e) {
    if (e instanceof MatchError) {
      const where = `feature ${e.feature}${e.key ? `, key ${e.key}` : ''}${e.op ? `, op ${e.op}` : ''}`;
      throw new RuleError(`${where}: ${e.message}`, e.feature, e.key, e.op);
    }
    throw e;
  }
}

// Shared by every output that has none of something (outputs are read, never changed).
const NONE: Readonly<Record<string, string>> = Object.freeze({});
const NO_TAINTS: readonly NfdTaint[] = Object.freeze([]);
/** The output of a rule that did not match. */
export const UNMATCHED: RuleOutput = Object.freeze({ matched: false, labels: NONE, vars: NONE, annotations: NONE, extendedResources: NONE, taints: NO_TAINTS });

/** `base` with `over`'s entries on top; either one itself when the other has none. */
function overlay(base: Readonly<Record<string, string>>, over: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> {
  if (!over) return base;
  if (base === NONE) return over;
  return { ...base, ...over };
}

/** Executes one rule. Throws RuleError when the rule cannot be evaluated. */
export function executeRule(rule: NfdRule, features: NodeFeatureSet): RuleOutput {
  const templated = Boolean(rule.labelsTemplate || rule.varsTemplate);
  // Template output goes into fresh objects; without templates there is none.
  const fromLabelsTemplate: Record<string, string> = rule.labelsTemplate ? {} : (NONE as Record<string, string>);
  const fromVarsTemplate: Record<string, string> = rule.varsTemplate ? {} : (NONE as Record<string, string>);
  if (rule.matchAny && rule.matchAny.length > 0) {
    let any = false;
    for (const element of rule.matchAny) {
      const r = match(element.matchFeatures ?? [], features, templated);
      if (!r.matched) continue;
      any = true;
      // Without templates the first match is enough (nfd-master stops there).
      if (!templated) break;
      expand(rule.labelsTemplate, 'labelsTemplate', r.elements, fromLabelsTemplate);
      expand(rule.varsTemplate, 'varsTemplate', r.elements, fromVarsTemplate);
    }
    if (!any) return UNMATCHED;
  }
  if (rule.matchFeatures && rule.matchFeatures.length > 0) {
    const r = match(rule.matchFeatures, features, templated);
    if (!r.matched) return UNMATCHED;
    expand(rule.labelsTemplate, 'labelsTemplate', r.elements, fromLabelsTemplate);
    expand(rule.varsTemplate, 'varsTemplate', r.elements, fromVarsTemplate);
  }
  // Static labels and vars override template output. Spreading defines own data properties
  // (a "__proto__" key stays a key); the rule's own objects are shared when nothing is merged
  // (outputs are read, never changed).
  return {
    matched: true,
    labels: overlay(fromLabelsTemplate, rule.labels),
    vars: overlay(fromVarsTemplate, rule.vars),
    annotations: rule.annotations ?? NONE,
    extendedResources: rule.extendedResources ?? NONE,
    taints: rule.taints ?? NO_TAINTS,
  };
}
