/**
 * What `inventory pull` keeps of live objects (SPEC §2.3): the fields rendering uses and a
 * few stable ones, nothing that changes while the cluster is idle (resourceVersion,
 * managedFields, timestamps, conditions, images, boot IDs), so that pulling twice from an
 * unchanged cluster changes no byte. Pure.
 */
import { compareText } from '../base/compare-text.js';

type Obj = Record<string, unknown>;

const rec = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const defined = (o: Obj): Obj => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0)));
function meta(o: Obj, keepNamespace: boolean): Obj {
  const m = rec(o.metadata);
  return defined({ name: m.name, ...(keepNamespace ? { namespace: m.namespace } : {}), labels: m.labels && Object.keys(rec(m.labels)).length ? m.labels : undefined });
}

/** A Node: labels, taints, unschedulable, nodeInfo without its boot ID. */
export function trimNode(node: Obj): Obj {
  const spec = rec(node.spec);
  const nodeInfo = { ...rec(rec(node.status).nodeInfo) };
  delete nodeInfo.bootID;
  const taints = Array.isArray(spec.taints) ? (spec.taints as Obj[]).map((t) => defined({ key: t.key, value: t.value, effect: t.effect })) : undefined;
  return defined({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: meta(node, false),
    spec: defined({ taints: taints?.length ? taints : undefined, unschedulable: spec.unschedulable === true ? true : undefined }),
    status: { nodeInfo },
  });
}

/** A NodeFeature: its node-name label and spec. */
export function trimNodeFeature(nf: Obj): Obj {
  return { apiVersion: 'nfd.k8s-sigs.io/v1alpha1', kind: 'NodeFeature', metadata: meta(nf, true), spec: rec(nf.spec) };
}

/** A MachineConfigPool: which nodes it selects. */
export function trimMachineConfigPool(p: Obj): Obj {
  const spec = rec(p.spec);
  return defined({
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfigPool',
    metadata: meta(p, false),
    spec: defined({ nodeSelector: spec.nodeSelector, machineConfigSelector: spec.machineConfigSelector }),
  });
}

/** The driver-toolkit ImageStream: its tags (RHCOS version → image). */
export function trimImageStream(is: Obj): Obj {
  const tags = Array.isArray(rec(is.spec).tags) ? (rec(is.spec).tags as Obj[]) : [];
  return {
    apiVersion: 'image.openshift.io/v1',
    kind: 'ImageStream',
    metadata: { name: 'driver-toolkit', namespace: 'openshift' },
    spec: {
      tags: tags
        .map((t) => defined({ name: t.name, from: rec(t.from).name ? { kind: rec(t.from).kind ?? 'DockerImage', name: rec(t.from).name } : undefined }))
        .sort((a, b) => compareText(String(a.name), String(b.name))),
    },
  };
}

/** A `v1 List` of objects sorted by namespace and name, as kubectl prints several objects. */
export function listOf(items: readonly Obj[]): Obj {
  const key = (o: Obj) => `${String(rec(o.metadata).namespace ?? '')}/${String(rec(o.metadata).name ?? '')}`;
  return { apiVersion: 'v1', kind: 'List', items: [...items].sort((a, b) => compareText(key(a), key(b))) };
}
