/**
 * The features of one node, from its NodeFeature objects (SPEC §3.1): flag, attribute and
 * instance features, one name possibly carrying several types. Merged as nfd-master does:
 * objects in merge order, later flags and attributes overriding earlier elements, instance
 * lists concatenated.
 */
import type { NodeFeatureObject } from '../model/fleet-model.js';
import { setOwnProperty } from '../base/own-property.js';
import { compareText } from '../base/compare-text.js';

/** One node's features, keyed by feature name (`<domain>.<feature>`). */
export interface NodeFeatureSet {
  readonly flags: Map<string, Set<string>>;
  readonly attributes: Map<string, Map<string, string>>;
  readonly instances: Map<string, Map<string, string>[]>;
}

export function emptyFeatureSet(): NodeFeatureSet {
  return { flags: new Map(), attributes: new Map(), instances: new Map() };
}

type RawElements = Record<string, unknown> | null | undefined;

function recordOf(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Merges the `spec.features` of one NodeFeature into `into`. */
export function mergeFeatures(into: NodeFeatureSet, raw: unknown): void {
  const f = recordOf(raw);
  for (const [name, feature] of Object.entries(recordOf(f.flags))) {
    const set = into.flags.get(name) ?? new Set<string>();
    for (const element of Object.keys(recordOf((feature as { elements?: RawElements })?.elements))) set.add(element);
    into.flags.set(name, set);
  }
  for (const [name, feature] of Object.entries(recordOf(f.attributes))) {
    const map = into.attributes.get(name) ?? new Map<string, string>();
    for (const [k, v] of Object.entries(recordOf((feature as { elements?: RawElements })?.elements))) map.set(k, String(v));
    into.attributes.set(name, map);
  }
  for (const [name, feature] of Object.entries(recordOf(f.instances))) {
    const list = into.instances.get(name) ?? [];
    const elements = (feature as { elements?: unknown })?.elements;
    for (const instance of Array.isArray(elements) ? elements : []) {
      const attrs = recordOf(recordOf(instance).attributes);
      list.push(new Map(Object.entries(attrs).map(([k, v]) => [k, String(v)])));
    }
    into.instances.set(name, list);
  }
}

const FEATURE_KINDS = ['flags', 'attributes', 'instances'] as const;

/** The part of a NodeFeature's `spec.features` whose feature names are in `names`, same shape. */
export function pickFeatures(raw: object, names: ReadonlySet<string>): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const kind of FEATURE_KINDS) {
    const all = (raw as Record<string, unknown>)[kind];
    if (all === null || typeof all !== 'object' || Array.isArray(all)) continue;
    const some: Record<string, unknown> = {};
    for (const [name, feature] of Object.entries(all)) {
      if (names.has(name)) setOwnProperty(some, name, feature);
    }
    out[kind] = some;
  }
  return out;
}

/** True when a NodeFeature's `spec.features` has any feature at all. */
export function hasFeatures(raw: unknown): boolean {
  const f = recordOf(raw);
  return FEATURE_KINDS.some((kind) => Object.keys(recordOf(f[kind])).length > 0);
}

/** The merged features of NodeFeature objects already in merge order. */
export function buildFeatureSet(ordered: readonly NodeFeatureObject[]): NodeFeatureSet {
  const set = emptyFeatureSet();
  for (const nf of ordered) mergeFeatures(set, nf.features);
  return set;
}

/**
 * A copy whose attribute features may be replaced (rule.matched) without touching the
 * original. Flags, instances and element maps are shared: rule evaluation never changes them.
 */
export function cloneFeatureSet(f: NodeFeatureSet): NodeFeatureSet {
  return { flags: f.flags, attributes: new Map(f.attributes), instances: f.instances };
}

/** A stable text key of a feature set, so that nodes with equal features share one evaluation. */
export function featureSetKey(f: NodeFeatureSet): string {
  const sorted = <T>(entries: Iterable<[string, T]>) => [...entries].sort((a, b) => compareText(a[0], b[0]));
  return JSON.stringify([
    sorted(f.flags).map(([k, v]) => [k, [...v].sort()]),
    sorted(f.attributes).map(([k, v]) => [k, sorted(v)]),
    sorted(f.instances).map(([k, v]) => [k, v.map((m) => sorted(m))]),
  ]);
}
