/**
 * The compact inventory (docs/inventory.md): a HardwareProfile lists nodes that share one
 * feature set, labels, taints and OS image. Each of its nodes becomes exactly what a Node and
 * a NodeFeature of the upstream form would give — a NodeInfo, and a NodeFeatureObject whose
 * `features` object is shared by all nodes of the profile (so rules run once per profile).
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { trimKernelVersion } from '../kmm/kernel-variables.js';
import type { LoadedObject } from '../load/classify-documents.js';
import { at, type ObjectRef } from '../load/object-ref.js';
import { NODE_OBJECT_PATHS, type NodeFeatureObject, type NodeFieldPaths, type NodeInfo, type Taint } from '../model/fleet-model.js';
import { isLabelValue } from '../k8s/name-syntax.js';

/** The kernel KMM uses for a node, or undefined (with a diagnostic) when no DaemonSet could select it. */
export function kernelOfNode(name: string, kernelVersion: string, ref: ObjectRef, paths: NodeFieldPaths, out: Diagnostic[]): string | undefined {
  const kernel = trimKernelVersion(kernelVersion);
  if (isLabelValue(kernel)) return kernel;
  out.push(diagnostic('NODE_KERNEL_NOT_LABEL_VALUE', at(ref, paths.kernelVersion), `kernel "${kernel}" of Node ${name} is not a valid label value, so no DaemonSet can select it`));
  return undefined;
}

interface ProfileSpec {
  labels?: Record<string, string>;
  taints?: Taint[];
  osImage?: string;
  featureLabels?: Record<string, string>;
  features?: unknown;
  nodes: { name: string; kernelVersion: string; osImage?: string; labels?: Record<string, string> }[];
}

const ENTRY_PATHS = (i: number): NodeFieldPaths => ({ name: ['spec', 'nodes', i, 'name'], kernelVersion: ['spec', 'nodes', i, 'kernelVersion'] });

/** The nodes of one (schema-valid) HardwareProfile and their NodeFeature equivalents. */
export function expandHardwareProfile(o: LoadedObject, out: Diagnostic[]): { nodes: NodeInfo[]; nodeFeatures: NodeFeatureObject[] } {
  const profile = (o.value.metadata as { name: string }).name;
  const spec = o.value.spec as ProfileSpec;
  const features = spec.features ?? {};
  const nodes: NodeInfo[] = [];
  const nodeFeatures: NodeFeatureObject[] = [];
  spec.nodes.forEach((entry, i) => {
    const paths = ENTRY_PATHS(i);
    if (!entry.kernelVersion) {
      out.push(diagnostic('NODE_KERNEL_MISSING', at(o.ref, paths.kernelVersion), `node ${entry.name} of HardwareProfile ${profile} has an empty kernelVersion`));
      return;
    }
    const kernel = kernelOfNode(entry.name, entry.kernelVersion, o.ref, paths, out);
    if (kernel === undefined) return;
    const osImage = entry.osImage ?? spec.osImage;
    nodes.push({
      ref: o.ref,
      paths,
      name: entry.name,
      labels: entry.labels ? { ...spec.labels, ...entry.labels } : (spec.labels ?? {}),
      taints: spec.taints ?? [],
      kernelVersion: entry.kernelVersion,
      kernel,
      ...(osImage ? { osImage } : {}),
    });
    nodeFeatures.push({ ref: o.ref, name: `HardwareProfile/${profile}`, namespace: '', nodeName: entry.name, labels: spec.featureLabels ?? {}, features });
  });
  return { nodes, nodeFeatures };
}

/** A node listed twice in one cluster (two profiles, a profile and a Node, or one profile twice). */
export function findDuplicateNodes(nodes: readonly NodeInfo[]): Diagnostic[] {
  const seen = new Map<string, NodeInfo>();
  const out: Diagnostic[] = [];
  for (const n of nodes) {
    const first = seen.get(n.name);
    if (!first) {
      seen.set(n.name, n);
      continue;
    }
    // Two Node objects with one name are DUPLICATE_OBJECT already.
    if (first.paths === NODE_OBJECT_PATHS && n.paths === NODE_OBJECT_PATHS) continue;
    const where = (x: NodeInfo) => `${x.ref.source.file}:${at(x.ref, x.paths.name).line}`;
    out.push(diagnostic('NODE_DUPLICATE', at(n.ref, n.paths.name), `node ${n.name} is listed twice in its cluster (first at ${where(first)})`));
  }
  return out;
}

