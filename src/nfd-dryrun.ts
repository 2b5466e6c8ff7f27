/**
 * `nfd dryrun` (SPEC §3.8): NodeFeatureRules against one node's features, in memory. The
 * result has exactly the JSON shape of the spec: every rule with its raw output, and the
 * node's final, filtered labels, annotations, extended resources and taints.
 */
import { diagnostic, hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics/diagnostic.js';
import type { LoadedObject } from './load/classify-documents.js';
import { loadDocuments } from './load/load-documents.js';
import { at } from './load/object-ref.js';
import type { InputFile } from './load/repo-snapshot.js';
import type { NfdSettings, NodeFeatureObject, NodeFeatureRuleObject } from './model/fleet-model.js';
import type { SchemaValidators } from './validate/schemas.js';
import { toNodeFeatureObject, toNodeFeatureRuleObject, validateObjects } from './validate/validate-objects.js';
import { evaluateNodeFeatureRules } from './nfd/evaluate-rules.js';
import { buildFeatureSet } from './nfd/features.js';
import { filterWithNodeFeatureLabels, mergedNodeFeatureLabels, orderNodeFeatures, ruleObjectsOf } from './nfd/node-labels.js';
import { setOwnProperty } from './base/own-property.js';
import { compareText } from './base/compare-text.js';

export interface DryrunInputs {
  readonly rules: readonly InputFile[];
  readonly features: InputFile;
  readonly clusterConfig?: InputFile;
}

type StringMap = Record<string, string>;
export interface DryrunTaint {
  key: string;
  value: string;
  effect: string;
}
export interface DryrunRule {
  object: string;
  rule: string;
  matched: boolean;
  error?: string;
  labels: StringMap;
  vars: StringMap;
  annotations: StringMap;
  extendedResources: StringMap;
  taints: DryrunTaint[];
}
export interface DryrunReport {
  rules: DryrunRule[];
  node: { labels: StringMap; annotations: StringMap; extendedResources: StringMap; taints: DryrunTaint[] };
}

const sortedMap = (entries: Iterable<[string, string]>): StringMap => {
  const out: StringMap = {};
  for (const [k, v] of [...entries].sort((a, b) => compareText(a[0], b[0]))) setOwnProperty(out, k, v);
  return out;
};

/** Loads and validates `files` as compile does, keeping the objects of kind `want`. */
function load(files: readonly InputFile[], validators: SchemaValidators, want: string, diagnostics: Diagnostic[]): LoadedObject[] {
  // Files given on the command line have no place in a repository to check.
  const loaded = loadDocuments(files, undefined, { checkPlacement: false });
  for (const d of loaded.diagnostics) diagnostics.push(d);
  const wanted: LoadedObject[] = [];
  for (const o of loaded.objects) {
    if (o.kind.key === want) wanted.push(o);
    else diagnostics.push(diagnostic('UNKNOWN_KIND', at(o.ref, ['kind']), `expected ${want} here, not ${o.kind.key}; ignored`));
  }
  const checked = validateObjects(wanted, validators);
  for (const d of checked.diagnostics) diagnostics.push(d);
  return checked.valid;
}

/** Runs the dry run; the report is absent when an input file is invalid. */
export function runDryrun(inputs: DryrunInputs, validators: SchemaValidators): { diagnostics: Diagnostic[]; report?: DryrunReport } {
  const diagnostics: Diagnostic[] = [];
  const ruleObjects: NodeFeatureRuleObject[] = load(inputs.rules, validators, 'NodeFeatureRule', diagnostics).map(toNodeFeatureRuleObject);
  const nodeFeatures: NodeFeatureObject[] = load([inputs.features], validators, 'NodeFeature', diagnostics).map((o) => toNodeFeatureObject(o));
  const cluster = inputs.clusterConfig ? load([inputs.clusterConfig], validators, 'Cluster', diagnostics)[0] : undefined;
  const sorted = sortDiagnostics(diagnostics);
  if (hasErrors(sorted)) return { diagnostics: sorted };

  const nfd = ((cluster?.value.spec as { nfd?: Partial<NfdSettings> } | undefined)?.nfd ?? {}) as Partial<NfdSettings>;
  const settings: NfdSettings = { extraLabelNs: nfd.extraLabelNs ?? [], denyLabelNs: nfd.denyLabelNs ?? [], enableTaints: nfd.enableTaints ?? false };
  const ordered = orderNodeFeatures(nodeFeatures);
  const features = buildFeatureSet(ordered);
  const result = evaluateNodeFeatureRules(ruleObjectsOf(ruleObjects), features, settings);
  const refs = new Map(ruleObjects.map((r) => [r.name, r.ref]));
  const where = (o: { object: string; index: number }) => at(refs.get(o.object)!, ['spec', 'rules', o.index, 'name']);
  for (const r of result.rules) {
    if (r.error) diagnostics.push(diagnostic(r.errorCode ?? 'NFD_RULE_ERROR', where(r), `NodeFeatureRule ${r.object}, rule "${r.rule}": ${r.error}; the rule is skipped`));
  }
  for (const d of result.dropped) {
    diagnostics.push(diagnostic('NFD_OUTPUT_DROPPED', where(d.origin), `NodeFeatureRule ${d.origin.object}, rule "${d.origin.rule}": ${d.what} ${d.key} dropped: ${d.reason}`));
  }

  // NodeFeature labels and rule labels filtered together, as nfd-master does.
  const nodeLabels = new Map<string, string>();
  const merged = mergedNodeFeatureLabels(ordered);
  if (merged.length === 0) {
    for (const [k, { value }] of result.labels) nodeLabels.set(k, value);
  } else {
    const both = filterWithNodeFeatureLabels(merged, ordered, result, settings);
    for (const [k, v] of Object.entries(both.nodeFeature.labels)) nodeLabels.set(k, v);
    for (const [k, v] of Object.entries(both.rules.labels)) nodeLabels.set(k, v);
  }

  const report: DryrunReport = {
    rules: result.rules.map((r) => ({
      object: r.object,
      rule: r.rule,
      matched: r.matched,
      ...(r.error !== undefined ? { error: r.error } : {}),
      labels: sortedMap(Object.entries(r.output.labels)),
      vars: sortedMap(Object.entries(r.output.vars)),
      annotations: sortedMap(Object.entries(r.output.annotations)),
      extendedResources: sortedMap(Object.entries(r.output.extendedResources)),
      taints: r.output.taints.map((t) => ({ key: t.key, value: t.value ?? '', effect: t.effect })),
    })),
    node: {
      labels: sortedMap(nodeLabels),
      annotations: sortedMap([...result.annotations].map(([k, v]) => [k, v.value])),
      extendedResources: sortedMap([...result.extendedResources].map(([k, v]) => [k, v.value])),
      taints: result.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    },
  };
  return { diagnostics: sortDiagnostics(diagnostics), report };
}
