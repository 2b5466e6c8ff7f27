/**
 * From raw rule output to what nfd-master puts on the node (SPEC §3.6): prefixing, dynamic
 * `@` values, denied and extra namespaces, key and value syntax, taints only when enabled,
 * extended resources as quantities. Every dropped entry comes back with its reason.
 */
import type { NfdSettings } from '../model/inventory.js';
import { isLabelKey, isLabelValue } from '../validate/label-syntax.js';
import type { NodeFeatureSet } from './features.js';
import { FEATURE_LABEL_PREFIX, prefixLabelKey } from './label-prefix.js';

const FEATURE_NS = 'feature.node.kubernetes.io';
const PROFILE_NS = 'profile.node.kubernetes.io';
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
// Kubernetes resource.Quantity: a signed decimal number with an optional suffix.
const QUANTITY = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/;
const MAX_ANNOTATION_VALUE = 1024;

function namespaceOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

/** True when nfd-master refuses a label (or taint, extended resource) namespace. */
export function isNamespaceDenied(ns: string, settings: NfdSettings): boolean {
  for (const allowed of [FEATURE_NS, PROFILE_NS]) if (ns === allowed || ns.endsWith('.' + allowed)) return false;
  if (settings.extraLabelNs.includes(ns)) return false;
  if (ns === 'kubernetes.io' || ns.endsWith('.kubernetes.io')) return true;
  return settings.denyLabelNs.some((d) => (d.startsWith('*.') ? ns.endsWith(d.slice(1)) : ns === d));
}

/** Resolves `@domain.feature.element` against attribute features; undefined when unresolvable. */
export function resolveDynamicValue(value: string, features: NodeFeatureSet): string | undefined {
  const m = /^@([^.]+)\.([^.]+)\.(.+)$/.exec(value);
  if (!m) return undefined;
  return features.attributes.get(`${m[1]}.${m[2]}`)?.get(m[3]!);
}

export interface Dropped<O = unknown> {
  readonly what: 'label' | 'annotation' | 'extended resource' | 'taint';
  readonly key: string;
  readonly reason: string;
  readonly origin: O;
}

/** A raw entry and whatever the caller needs to know of where it came from. */
export type RawEntry<O> = readonly [key: string, value: string, origin: O];

/** A kept entry, keyed by its final key. */
export type Kept<O> = Map<string, { value: string; origin: O }>;

/** Filters labels (prefixing unprefixed keys); later entries override earlier ones. */
export function filterLabels<O>(raw: readonly RawEntry<O>[], features: NodeFeatureSet, settings: NfdSettings, dropped: Dropped<O>[]): Kept<O> {
  const out: Kept<O> = new Map();
  for (const [k, v, origin] of raw) {
    const key = prefixLabelKey(k);
    let value = v;
    if (value.startsWith('@')) {
      const resolved = resolveDynamicValue(value, features);
      if (resolved === undefined) {
        dropped.push({ what: 'label', key, reason: `value ${value} names no attribute feature element`, origin });
        continue;
      }
      value = resolved;
    }
    if (isNamespaceDenied(namespaceOf(key), settings)) dropped.push({ what: 'label', key, reason: `namespace ${namespaceOf(key)} is not allowed`, origin });
    else if (!isLabelKey(key)) dropped.push({ what: 'label', key, reason: 'not a valid label key', origin });
    else if (!isLabelValue(value)) dropped.push({ what: 'label', key, reason: `value ${JSON.stringify(value)} is not a valid label value`, origin });
    else {
      out.delete(key);
      out.set(key, { value, origin });
    }
  }
  return out;
}

/** Filters annotations. */
export function filterAnnotations<O>(raw: readonly RawEntry<O>[], settings: NfdSettings, dropped: Dropped<O>[]): Kept<O> {
  const out: Kept<O> = new Map();
  for (const [k, value, origin] of raw) {
    const key = prefixLabelKey(k);
    const ns = namespaceOf(key);
    if (ns === 'nfd.node.kubernetes.io' || ns.endsWith('.nfd.node.kubernetes.io') || isNamespaceDenied(ns, settings)) {
      dropped.push({ what: 'annotation', key, reason: `namespace ${ns} is not allowed`, origin });
    } else if (!isLabelKey(key)) dropped.push({ what: 'annotation', key, reason: 'not a valid annotation key', origin });
    else if (new TextEncoder().encode(value).length > MAX_ANNOTATION_VALUE) dropped.push({ what: 'annotation', key, reason: `value longer than ${MAX_ANNOTATION_VALUE} bytes`, origin });
    else {
      out.delete(key);
      out.set(key, { value, origin });
    }
  }
  return out;
}

/** Filters extended resources (values are quantities, possibly `@` dynamic). */
export function filterExtendedResources<O>(raw: readonly RawEntry<O>[], features: NodeFeatureSet, settings: NfdSettings, dropped: Dropped<O>[]): Kept<O> {
  const out: Kept<O> = new Map();
  for (const [k, v, origin] of raw) {
    const key = prefixLabelKey(k);
    let value = v;
    if (value.startsWith('@')) {
      const resolved = resolveDynamicValue(value, features);
      if (resolved === undefined) {
        dropped.push({ what: 'extended resource', key, reason: `value ${value} names no attribute feature element`, origin });
        continue;
      }
      value = resolved;
    }
    if (isNamespaceDenied(namespaceOf(key), settings)) dropped.push({ what: 'extended resource', key, reason: `namespace ${namespaceOf(key)} is not allowed`, origin });
    else if (!isLabelKey(key)) dropped.push({ what: 'extended resource', key, reason: 'not a valid resource name', origin });
    else if (!QUANTITY.test(value)) dropped.push({ what: 'extended resource', key, reason: `value ${JSON.stringify(value)} is not a quantity`, origin });
    else {
      out.delete(key);
      out.set(key, { value, origin });
    }
  }
  return out;
}

export interface FilteredTaint<O> {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
  readonly origin: O;
}

/** Filters taints: only with enableTaints, prefixed keys in allowed namespaces, known effects. */
export function filterTaints<O>(
  raw: readonly { key: string; value?: string; effect: string; origin: O }[],
  settings: NfdSettings,
  dropped: Dropped<O>[],
): FilteredTaint<O>[] {
  const out: FilteredTaint<O>[] = [];
  for (const t of raw) {
    const ns = namespaceOf(t.key);
    const drop = (reason: string) => dropped.push({ what: 'taint', key: t.key, reason, origin: t.origin });
    if (!settings.enableTaints) drop('taints are disabled (the Cluster does not set nfd.enableTaints: true)');
    else if (ns === '') drop(`taint keys are never prefixed; use ${FEATURE_LABEL_PREFIX}${t.key}`);
    else if (isNamespaceDenied(ns, settings)) drop(`namespace ${ns} is not allowed`);
    else if (!TAINT_EFFECTS.includes(t.effect)) drop(`effect ${t.effect} is not one of ${TAINT_EFFECTS.join(', ')}`);
    else if (!isLabelKey(t.key) || !isLabelValue(t.value ?? '')) drop('invalid key or value');
    else out.push({ key: t.key, value: t.value ?? '', effect: t.effect, origin: t.origin });
  }
  return out;
}
