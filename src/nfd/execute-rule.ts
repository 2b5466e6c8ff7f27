/**
 * Executing one NodeFeatureRule rule against one node's features (SPEC §3.3, §3.5): matchAny,
 * matchFeatures, templates once per matching element, static labels and vars over template
 * output. Mirrors nfd-master's fail-fast evaluation.
 */
import type { NodeFeatureSet } from './features.js';
import { executeTemplate } from './go-template-eval.js';
import { parseTemplate, TemplateError, type TemplateNode } from './go-template-parse.js';
import { evaluateFeatureMatcher, MatchError, type FeatureMatcherTerm, type MatchedFeatures } from './match-term.js';

/** A template larger than this is an error (SPEC §3.5). */
export const MAX_TEMPLATE_SIZE = 64 * 1024;

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
  readonly labels: Record<string, string>;
  readonly vars: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly extendedResources: Record<string, string>;
  readonly taints: NfdTaint[];
}

/** Why a rule could not be evaluated: names the feature, key and op when they are known. */
export class RuleError extends Error {
  constructor(
    message: string,
    readonly feature?: string,
    readonly key?: string,
    readonly op?: string,
  ) {
    super(message);
  }
}

/** Copies own entries as data properties, so that a key such as "__proto__" stays a key. */
function assignOwn(target: Record<string, string>, source: Readonly<Record<string, string>> | undefined): Record<string, string> {
  for (const k of Object.keys(source ?? {})) {
    Object.defineProperty(target, k, { value: source![k], enumerable: true, writable: true, configurable: true });
  }
  return target;
}

const compiled = new Map<string, TemplateNode[] | TemplateError>();

/** Parses a template once per distinct text. */
export function compileRuleTemplate(text: string): TemplateNode[] {
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

/** Template data: {domain: {feature: [elements]}} as plain objects without a prototype. */
function templateData(m: MatchedFeatures): Record<string, unknown> {
  const data = Object.create(null) as Record<string, unknown>;
  for (const [dom, features] of m) {
    const d = Object.create(null) as Record<string, unknown>;
    for (const [name, elements] of features) {
      d[name] = elements.map((e) => Object.assign(Object.create(null) as Record<string, string>, e));
    }
    data[dom] = d;
  }
  return data;
}

/** Splits template output into key=value pairs (SPEC §3.5). */
export function parseTemplateOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new TemplateError(`template output line ${JSON.stringify(line)} has no "=" (expected key=value)`);
    Object.defineProperty(out, line.slice(0, eq), { value: line.slice(eq + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function expand(template: string | undefined, what: string, m: MatchedFeatures, into: Record<string, string>): void {
  if (!template) return;
  try {
    assignOwn(into, parseTemplateOutput(executeTemplate(compileRuleTemplate(template), templateData(m))));
  } catch (e) {
    if (e instanceof TemplateError) throw new RuleError(`${what}: ${e.message}`);
    throw e;
  }
}

function match(terms: readonly FeatureMatcherTerm[], features: NodeFeatureSet) {
  try {
    return evaluateFeatureMatcher(terms, features);
  } catch (e) {
    if (e instanceof MatchError) {
      const where = `feature ${e.feature}${e.key ? `, key ${e.key}` : ''}${e.op ? `, op ${e.op}` : ''}`;
      throw new RuleError(`${where}: ${e.message}`, e.feature, e.key, e.op);
    }
    throw e;
  }
}

const NO_MATCH: RuleOutput = { matched: false, labels: {}, vars: {}, annotations: {}, extendedResources: {}, taints: [] };

/** Executes one rule. Throws RuleError when the rule cannot be evaluated. */
export function executeRule(rule: NfdRule, features: NodeFeatureSet): RuleOutput {
  let labels: Record<string, string> = {};
  let vars: Record<string, string> = {};
  const templated = Boolean(rule.labelsTemplate || rule.varsTemplate);
  if (rule.matchAny && rule.matchAny.length > 0) {
    let any = false;
    for (const element of rule.matchAny) {
      const r = match(element.matchFeatures ?? [], features);
      if (!r.matched) continue;
      any = true;
      // Without templates the first match is enough (nfd-master stops there).
      if (!templated) break;
      expand(rule.labelsTemplate, 'labelsTemplate', r.elements, labels);
      expand(rule.varsTemplate, 'varsTemplate', r.elements, vars);
    }
    if (!any) return NO_MATCH;
  }
  if (rule.matchFeatures && rule.matchFeatures.length > 0) {
    const r = match(rule.matchFeatures, features);
    if (!r.matched) return NO_MATCH;
    expand(rule.labelsTemplate, 'labelsTemplate', r.elements, labels);
    expand(rule.varsTemplate, 'varsTemplate', r.elements, vars);
  }
  // Spreading defines own data properties (a "__proto__" key stays a key), and is fast.
  if (rule.labels) labels = { ...labels, ...rule.labels };
  if (rule.vars) vars = { ...vars, ...rule.vars };
  return {
    matched: true,
    labels,
    vars,
    annotations: { ...rule.annotations },
    extendedResources: { ...rule.extendedResources },
    taints: rule.taints ? [...rule.taints] : [],
  };
}
