/**
 * From raw rule output to what nfd-master puts on the node (SPEC §3.6): prefixing, dynamic
 * `@` values, denied and extra namespaces, key and value syntax, taints only when enabled,
 * extended resources as quantities. Every dropped entry comes back with its reason.
 */
import type { NfdSettings } from '../model/fleet-model.js';
import { isLabelKey, isLabelValue } from '../k8s/name-syntax.js';
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

/** `ns` is `allowed` or one of its subdomains. */
const within = (ns: string, allowed: string) => ns === allowed || ns.endsWith('.' + allowed);

/**
 * nfd-master's validate package: kubernetes.io and its subdomains are refused, except the
 * namespaces it owns — labels feature.node and profile.node, annotations, extended resources
 * and taints feature.node only (and their subdomains).
 */
function isKubernetesNamespaceRefused(ns: string, own: readonly string[]): boolean {
  return (ns === 'kubernetes.io' || ns.endsWith('.kubernetes.io')) && !own.some((o) => within(ns, o));
}

/** nfd-master's denyLabelNs: a name, or `*suffix` for every namespace ending so. */
function isDeniedByConfig(ns: string, settings: NfdSettings): boolean {
  return settings.denyLabelNs.some((d) => (d.startsWith('*') ? ns.endsWith(d.replace(/^\*+/, '')) : ns === d));
}

/**
 * True when nfd-master refuses a label namespace: a kubernetes.io namespace it does not own,
 * or one of denyLabelNs — unless extraLabelNs names it.
 */
function isNamespaceDenied(ns: string, settings: NfdSettings): boolean {
  return (isKubernetesNamespaceRefused(ns, [FEATURE_NS, PROFILE_NS]) || isDeniedByConfig(ns, settings)) && !settings.extraLabelNs.includes(ns);
}

/** Resolves `@domain.feature.element` against attribute features; undefined when unresolvable. */
function resolveDynamicValue(value: string, features: NodeFeatureSet): string | undefined {
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

/** How one kind of output is checked: which namespaces, `@` values, and what a valid value is. */
interface EntryRules {
  readonly what: Dropped['what'];
  readonly dynamic: boolean;
  readonly namespaceDenied: (ns: string) => boolean;
  readonly keyNoun: string;
  /** Why the value is invalid, or undefined when it is valid. */
  readonly invalidValue: (value: string) => string | undefined;
}

/**
 * The entries nfd-master filters: unprefixed keys prefixed, and of one key the last entry —
 * later rules override earlier ones before anything is checked, so an entry that is then
 * dropped takes the earlier ones with it. Within one rule's output a key written with its
 * prefix wins over the same key written without (nfd-master's addNsToMapKeys).
 */
function lastEntries<O>(raw: readonly RawEntry<O>[]): Map<string, { value: string; origin: O; explicit: boolean }> {
  const out = new Map<string, { value: string; origin: O; explicit: boolean }>();
  for (const [k, value, origin] of raw) {
    const key = prefixLabelKey(k);
    const explicit = k.includes('/');
    const before = out.get(key);
    if (before && before.origin === origin && before.explicit && !explicit) continue;
    out.delete(key);
    out.set(key, { value, origin, explicit });
  }
  return out;
}

/** Resolves `@` values and drops what nfd-master drops (after lastEntries). */
function filterEntries<O>(raw: readonly RawEntry<O>[], rules: EntryRules, features: NodeFeatureSet | undefined, dropped: Dropped<O>[]): Kept<O> {
  const out: Kept<O> = new Map();
  for (const [key, { value: v, origin }] of lastEntries(raw)) {
    let value = v;
    let reason: string | undefined;
    if (rules.dynamic && features && value.startsWith('@')) {
      const resolved = resolveDynamicValue(value, features);
      if (resolved === undefined) reason = `value ${value} names no attribute feature element`;
      else value = resolved;
    }
    if (reason === undefined) {
      const ns = namespaceOf(key);
      if (!isLabelKey(key)) reason = `not a valid ${rules.keyNoun}`;
      else if (rules.namespaceDenied(ns)) reason = `namespace ${ns} is not allowed`;
      else reason = rules.invalidValue(value);
    }
    if (reason !== undefined) dropped.push({ what: rules.what, key, reason, origin });
    else out.set(key, { value, origin });
  }
  return out;
}

/** `denied`, remembered per namespace (a node's output names the same few namespaces). */
function rememberDenied(denied: (ns: string) => boolean): (ns: string) => boolean {
  const known = new Map<string, boolean>();
  return (ns) => {
    let answer = known.get(ns);
    if (answer === undefined) {
      answer = denied(ns);
      if (known.size < 1024) known.set(ns, answer);
    }
    return answer;
  };
}

// The label rules of one NfdSettings object, made once: every node of a cluster shares them.
const labelRules = new WeakMap<NfdSettings, EntryRules>();

/** Filters labels (prefixing unprefixed keys); later entries override earlier ones. */
export function filterLabels<O>(raw: readonly RawEntry<O>[], features: NodeFeatureSet, settings: NfdSettings, dropped: Dropped<O>[]): Kept<O> {
  let rules = labelRules.get(settings);
  if (!rules) {
    rules = {
      what: 'label',
      dynamic: true,
      namespaceDenied: rememberDenied((ns) => isNamespaceDenied(ns, settings)),
      keyNoun: 'label key',
      invalidValue: (v) => (isLabelValue(v) ? undefined : `value ${JSON.stringify(v)} is not a valid label value`),
    };
    labelRules.set(settings, rules);
  }
  return filterEntries(raw, rules, features, dropped);
}

/**
 * Filters annotations as nfd-master does: no `@` values, kubernetes.io namespaces refused but
 * feature.node.kubernetes.io (so nfd.node.kubernetes.io too), values up to 1024 bytes. The
 * label namespace settings (denyLabelNs, extraLabelNs) do not apply.
 */
export function filterAnnotations<O>(raw: readonly RawEntry<O>[], _settings: NfdSettings, dropped: Dropped<O>[]): Kept<O> {
  return filterEntries(
    raw,
    {
      what: 'annotation',
      dynamic: false,
      namespaceDenied: (ns) => isKubernetesNamespaceRefused(ns, [FEATURE_NS]),
      keyNoun: 'annotation key',
      invalidValue: (v) => (new TextEncoder().encode(v).length > MAX_ANNOTATION_VALUE ? `value longer than ${MAX_ANNOTATION_VALUE} bytes` : undefined),
    },
    undefined,
    dropped,
  );
}

/**
 * Filters extended resources (values are quantities, possibly `@` dynamic); kubernetes.io
 * namespaces refused but feature.node.kubernetes.io, whatever the label settings say.
 */
export function filterExtendedResources<O>(raw: readonly RawEntry<O>[], features: NodeFeatureSet, _settings: NfdSettings, dropped: Dropped<O>[]): Kept<O> {
  return filterEntries(
    raw,
    {
      what: 'extended resource',
      dynamic: true,
      namespaceDenied: (ns) => isKubernetesNamespaceRefused(ns, [FEATURE_NS]),
      keyNoun: 'resource name',
      invalidValue: (v) => (QUANTITY.test(v) ? undefined : `value ${JSON.stringify(v)} is not a quantity`),
    },
    features,
    dropped,
  );
}

export interface FilteredTaint<O> {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
  readonly origin: O;
}

/**
 * Filters taints: only with enableTaints, prefixed keys outside the kubernetes.io namespaces
 * nfd-master does not own, known effects (the label namespace settings do not apply).
 */
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
    else if (isKubernetesNamespaceRefused(ns, [FEATURE_NS])) drop(`namespace ${ns} is not allowed`);
    else if (!TAINT_EFFECTS.includes(t.effect)) drop(`effect ${t.effect} is not one of ${TAINT_EFFECTS.join(', ')}`);
    else if (!isLabelKey(t.key) || !isLabelValue(t.value ?? '')) drop('invalid key or value');
    else out.push({ key: t.key, value: t.value ?? '', effect: t.effect, origin: t.origin });
  }
  return out;
}
