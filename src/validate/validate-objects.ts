/**
 * The first check of every loaded object: legacy NodeFeatureRule forms (SPEC §3.7), else its
 * kind's JSON schema (SPEC §2.4). `compile` (through buildFleetModel) and `nfd dryrun` both
 * validate through here; objects with problems are left out.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedObject } from '../load/classify-documents.js';
import type { NodeFeatureObject, NodeFeatureRuleObject } from '../model/fleet-model.js';
import { checkLegacyNodeFeatureRule } from './node-feature-rule-checks.js';
import { validateAgainstSchema, type SchemaValidators } from './schemas.js';

/** The objects that pass, and the problems of the others. */
export function validateObjects(loaded: readonly LoadedObject[], validators: SchemaValidators): { valid: LoadedObject[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const valid: LoadedObject[] = [];
  for (const o of loaded) {
    const legacy = o.kind.key === 'NodeFeatureRule' ? checkLegacyNodeFeatureRule(o) : [];
    const problems = legacy.length > 0 ? legacy : validateAgainstSchema(o, validators);
    for (const item of problems) diagnostics.push(item);
    if (problems.length === 0) valid.push(o);
  }
  return { valid, diagnostics };
}

type Metadata = { name: string; namespace?: string };

/** A valid NodeFeature object as the model holds it; `nodeName` from its node-name label, when known. */
export function toNodeFeatureObject(o: LoadedObject, nodeName?: string): NodeFeatureObject {
  const m = o.value.metadata as Metadata;
  const spec = (o.value.spec ?? {}) as { labels?: Record<string, string>; features?: unknown };
  return { ref: o.ref, name: m.name, namespace: m.namespace ?? '', ...(nodeName ? { nodeName } : {}), labels: spec.labels ?? {}, features: spec.features ?? {} };
}

/** A valid NodeFeatureRule object as the model holds it. */
export function toNodeFeatureRuleObject(o: LoadedObject): NodeFeatureRuleObject {
  return { ref: o.ref, name: (o.value.metadata as Metadata).name, spec: o.value.spec, ...(o.cluster !== undefined ? { scope: o.cluster } : {}) };
}
