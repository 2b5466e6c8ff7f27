/**
 * Running every NodeFeatureRule in scope against one node's features (SPEC §3.2–§3.6):
 * objects sorted by name, rules in list order, `rule.matched` fed after every rule that
 * evaluated without error, later rules overriding earlier ones, and nfd-master's filtering
 * of the combined output at the end.
 */
import type { NfdSettings } from '../model/fleet-model.js';
import { cloneFeatureSet, type NodeFeatureSet } from './features.js';
import { executeRule, UNMATCHED, type NfdRule, type RuleOutput } from './execute-rule.js';
import { filterAnnotations, filterExtendedResources, filterLabels, filterTaints, type Dropped, type FilteredTaint, type Kept, type RawEntry } from './label-filter.js';
import { NfdEngineError } from './engine-error.js';
import type { DiagnosticCode } from '../diagnostics/catalogue.js';

/** The attribute feature that carries earlier rules' labels and vars (SPEC §3.2). */
export const RULE_MATCHED_FEATURE = 'rule.matched';

/** One NodeFeatureRule object: its name and its rules, in list order. */
export interface RuleObject {
  readonly name: string;
  readonly rules: readonly NfdRule[];
}

/** Which rule produced something. */
export interface RuleOrigin {
  readonly object: string;
  readonly rule: string;
  /** Index of the rule in spec.rules. */
  readonly index: number;
}

export interface RuleResult extends RuleOrigin {
  readonly matched: boolean;
  readonly error?: string;
  /** The catalogue code of `error` (NfdEngineError.code). */
  readonly errorCode?: DiagnosticCode;
  readonly output: RuleOutput;
}

/** The final NFD result for one node, with the origin of every entry. */
export interface NodeRuleResult {
  readonly rules: readonly RuleResult[];
  /** The rules' labels alone, filtered (what a node without NodeFeature labels gets). */
  readonly labels: Kept<RuleOrigin>;
  /** The rules' raw labels in rule order, for filtering together with NodeFeature labels. */
  readonly rawLabels: readonly RawEntry<RuleOrigin>[];
  /** The features after every rule ran (with rule.matched), which `@` values resolve against. */
  readonly features: NodeFeatureSet;
  readonly annotations: Kept<RuleOrigin>;
  readonly extendedResources: Kept<RuleOrigin>;
  readonly taints: readonly FilteredTaint<RuleOrigin>[];
  readonly dropped: readonly Dropped<RuleOrigin>[];
}

/** Evaluates all rule objects (already sorted by name) for one node. */
export function evaluateNodeFeatureRules(objects: readonly RuleObject[], base: NodeFeatureSet, settings: NfdSettings): NodeRuleResult {
  const features = cloneFeatureSet(base);
  // nfd-master creates rule.matched when the first rule has run without error (matched or
  // not): before that, a rule that names it does not match.
  const given = features.attributes.get(RULE_MATCHED_FEATURE);
  const backref = new Map(given ?? []);
  if (given) features.attributes.set(RULE_MATCHED_FEATURE, backref);

  const results: RuleResult[] = [];
  const labels: RawEntry<RuleOrigin>[] = [];
  const annotations: RawEntry<RuleOrigin>[] = [];
  const extendedResources: RawEntry<RuleOrigin>[] = [];
  const taints = new Map<string, RuleOutput['taints'][number] & { origin: RuleOrigin }>();

  for (const object of objects) {
    const rules = object.rules;
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index]!;
      const origin: RuleOrigin = { object: object.name, rule: rule.name, index };
      let output: RuleOutput;
      try {
        output = executeRule(rule, features);
      } catch (e) {
        if (!(e instanceof NfdEngineError)) throw e;
        results.push({ ...origin, matched: false, error: e.message, errorCode: e.code, output: UNMATCHED });
        continue;
      }
      results.push({ object: origin.object, rule: origin.rule, index, matched: output.matched, output });
      if (!features.attributes.has(RULE_MATCHED_FEATURE)) features.attributes.set(RULE_MATCHED_FEATURE, backref);
      if (!output.matched) continue;
      // Feed raw labels and vars back for later rules (SPEC §3.2).
      for (const k in output.labels) {
        backref.set(k, output.labels[k]!);
        labels.push([k, output.labels[k]!, origin]);
      }
      for (const k in output.vars) backref.set(k, output.vars[k]!);
      for (const k in output.annotations) annotations.push([k, output.annotations[k]!, origin]);
      for (const k in output.extendedResources) extendedResources.push([k, output.extendedResources[k]!, origin]);
      for (const t of output.taints) {
        taints.delete(`${t.key}:${t.effect}`);
        taints.set(`${t.key}:${t.effect}`, { ...t, origin });
      }
    }
  }

  // `@` values resolve after all rules ran, so they see the final rule.matched.
  const dropped: Dropped<RuleOrigin>[] = [];
  return {
    rules: results,
    labels: filterLabels(labels, features, settings, dropped),
    rawLabels: labels,
    features,
    annotations: filterAnnotations(annotations, settings, dropped),
    extendedResources: filterExtendedResources(extendedResources, features, settings, dropped),
    taints: filterTaints([...taints.values()], settings, dropped),
    dropped,
  };
}
