/**
 * The compact inventory form (docs/inventory.md) from the upstream one: nodes with equal
 * features, NodeFeature labels and taints become one HardwareProfile, with the labels and OS
 * image they all share; each node keeps its name, kernel and the labels of its own. Also:
 * keeping only the features rules reference. Pure; `inventory pull` and the bench use it.
 */
import { createHash } from 'node:crypto';
import { NFD_NAMESPACES } from '../nfd/node-labels.js';
import { canonicalize } from '../render/canonical-yaml.js';
import { compareText } from '../base/compare-text.js';
import { setOwnProperty } from '../base/own-property.js';

type Obj = Record<string, unknown>;

const rec = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const NODE_NAME_LABEL = 'nfd.node.kubernetes.io/node-name';

/** `spec.features` with only the named features (`<domain>.<feature>`) of each type. */
export function keepFeatures(features: unknown, keep: ReadonlySet<string>): Obj {
  const out: Obj = {};
  for (const type of ['flags', 'attributes', 'instances']) {
    const kept: Obj = {};
    for (const [name, value] of Object.entries(rec(rec(features)[type]))) if (keep.has(name)) setOwnProperty(kept, name, value);
    if (Object.keys(kept).length > 0) setOwnProperty(out, type, kept);
  }
  return out;
}

/**
 * The features and labels of one node's NodeFeatures merged as nfd-master merges them
 * (SPEC §3.1): NFD's own namespaces first, then by name; later flags and attributes override
 * elements, instances are concatenated, later labels override.
 */
export function mergeNodeFeatures(list: readonly Obj[]): { features: Obj; labels: Record<string, string> } {
  const meta = (o: Obj) => rec(o.metadata);
  const rank = (o: Obj) => (NFD_NAMESPACES.includes(String(meta(o).namespace ?? '')) ? 0 : 1);
  const ordered = [...list].sort(
    (a, b) => rank(a) - rank(b) || compareText(String(meta(a).name ?? ''), String(meta(b).name ?? '')) || compareText(String(meta(a).namespace ?? ''), String(meta(b).namespace ?? '')),
  );
  const flags: Obj = {};
  const attributes: Obj = {};
  const instances: Obj = {};
  const labels: Record<string, string> = {};
  for (const nf of ordered) {
    const spec = rec(nf.spec);
    for (const [k, v] of Object.entries(rec(spec.labels))) setOwnProperty(labels, k, v);
    const f = rec(spec.features);
    for (const [name, feature] of Object.entries(rec(f.flags))) setOwnProperty(flags, name, { elements: { ...rec(rec(flags[name]).elements), ...rec(rec(feature).elements) } });
    for (const [name, feature] of Object.entries(rec(f.attributes))) setOwnProperty(attributes, name, { elements: { ...rec(rec(attributes[name]).elements), ...rec(rec(feature).elements) } });
    for (const [name, feature] of Object.entries(rec(f.instances))) {
      const before = rec(instances[name]).elements;
      const more = rec(feature).elements;
      setOwnProperty(instances, name, { elements: [...(Array.isArray(before) ? before : []), ...(Array.isArray(more) ? more : [])] });
    }
  }
  const features: Obj = {};
  if (Object.keys(flags).length) features.flags = flags;
  if (Object.keys(attributes).length) features.attributes = attributes;
  if (Object.keys(instances).length) features.instances = instances;
  return { features, labels };
}

interface Member {
  name: string;
  labels: Record<string, string>;
  kernelVersion: string;
  osImage?: string;
}

/**
 * HardwareProfiles for (trimmed) Nodes and NodeFeatures, sorted by name, and the names of
 * NodeFeatures that belong to no listed node (they would be ignored by a render anyway).
 */
export function toHardwareProfiles(nodes: readonly Obj[], nodeFeatures: readonly Obj[]): { profiles: Obj[]; unassigned: string[] } {
  const byNode = new Map<string, Obj[]>();
  for (const nf of nodeFeatures) {
    const node = rec(rec(nf.metadata).labels)[NODE_NAME_LABEL];
    if (typeof node !== 'string') continue;
    byNode.set(node, [...(byNode.get(node) ?? []), nf]);
  }
  const names = new Set(nodes.map((n) => String(rec(n.metadata).name)));
  const unassigned = nodeFeatures
    .filter((nf) => !names.has(String(rec(rec(nf.metadata).labels)[NODE_NAME_LABEL])))
    .map((nf) => `${String(rec(nf.metadata).namespace ?? '')}/${String(rec(nf.metadata).name)}`)
    .sort(compareText);

  const groups = new Map<string, { shared: Obj; members: Member[] }>();
  for (const node of nodes) {
    const m = rec(node.metadata);
    const info = rec(rec(node.status).nodeInfo);
    const { features, labels: featureLabels } = mergeNodeFeatures(byNode.get(String(m.name)) ?? []);
    const taints = rec(node.spec).taints;
    const shared = canonicalize({ features, featureLabels, taints: Array.isArray(taints) && taints.length ? taints : null }) as Obj;
    const key = JSON.stringify(shared);
    const group = groups.get(key) ?? { shared, members: [] };
    group.members.push({
      name: String(m.name),
      labels: { ...(rec(m.labels) as Record<string, string>) },
      kernelVersion: typeof info.kernelVersion === 'string' ? info.kernelVersion : '',
      ...(typeof info.osImage === 'string' ? { osImage: info.osImage } : {}),
    });
    groups.set(key, group);
  }

  const profiles = [...groups].map(([key, { shared, members }]) => {
    members.sort((a, b) => compareText(a.name, b.name));
    const [first, ...rest] = members;
    const common: Record<string, string> = {};
    for (const [k, v] of Object.entries(first!.labels)) if (rest.every((x) => Object.hasOwn(x.labels, k) && x.labels[k] === v)) setOwnProperty(common, k, v);
    const osImage = members.every((x) => x.osImage === first!.osImage) ? first!.osImage : undefined;
    const spec: Obj = {};
    if (Object.keys(common).length) spec.labels = common;
    if (shared.taints) spec.taints = shared.taints;
    if (osImage !== undefined) spec.osImage = osImage;
    if (Object.keys(rec(shared.featureLabels)).length) spec.featureLabels = shared.featureLabels;
    if (Object.keys(rec(shared.features)).length) spec.features = shared.features;
    spec.nodes = members.map((x) => {
      const own: Record<string, string> = {};
      for (const [k, v] of Object.entries(x.labels)) if (!Object.hasOwn(common, k)) setOwnProperty(own, k, v);
      return {
        name: x.name,
        kernelVersion: x.kernelVersion,
        ...(osImage === undefined && x.osImage !== undefined ? { osImage: x.osImage } : {}),
        ...(Object.keys(own).length ? { labels: own } : {}),
      };
    });
    const name = `profile-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
    return { apiVersion: 'kmm-render.io/v1alpha1', kind: 'HardwareProfile', metadata: { name }, spec };
  });
  profiles.sort((a, b) => compareText(a.metadata.name, b.metadata.name));
  return { profiles, unassigned };
}
