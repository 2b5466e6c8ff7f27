/** The document kinds kmm-render reads (SPEC §2.1), keyed by apiVersion and kind. */

/** Our name for each kind we read. */
export type KindKey =
  | 'Module'
  | 'ManagedClusterModule'
  | 'ConfigMap'
  | 'NodeFeatureRule'
  | 'Node'
  | 'NodeFeature'
  | 'HardwareProfile'
  | 'MachineConfigPool'
  | 'ImageStream'
  | 'Cluster'
  | 'RenderConfig'
  | 'ImageDigests';

export interface KindInfo {
  readonly key: KindKey;
  /** Where the kind may appear: anywhere, only in a cluster folder, or only as kmm-render.yaml. */
  readonly placement: 'anywhere' | 'cluster' | 'root-config';
  /** API group used to tell duplicates apart (same group + kind + namespace + name). */
  readonly group: string;
}

const TABLE: Record<string, KindInfo> = {
  'kmm.sigs.x-k8s.io/v1beta1 Module': { key: 'Module', placement: 'anywhere', group: 'kmm.sigs.x-k8s.io' },
  'hub.kmm.sigs.x-k8s.io/v1beta1 ManagedClusterModule': {
    key: 'ManagedClusterModule',
    placement: 'anywhere',
    group: 'hub.kmm.sigs.x-k8s.io',
  },
  'v1 ConfigMap': { key: 'ConfigMap', placement: 'anywhere', group: '' },
  'nfd.k8s-sigs.io/v1alpha1 NodeFeatureRule': { key: 'NodeFeatureRule', placement: 'anywhere', group: 'nfd' },
  'nfd.openshift.io/v1 NodeFeatureRule': { key: 'NodeFeatureRule', placement: 'anywhere', group: 'nfd' },
  'nfd.openshift.io/v1alpha1 NodeFeatureRule': { key: 'NodeFeatureRule', placement: 'anywhere', group: 'nfd' },
  'v1 Node': { key: 'Node', placement: 'cluster', group: '' },
  'nfd.k8s-sigs.io/v1alpha1 NodeFeature': { key: 'NodeFeature', placement: 'cluster', group: 'nfd.k8s-sigs.io' },
  'kmm-render.io/v1alpha1 HardwareProfile': { key: 'HardwareProfile', placement: 'cluster', group: 'kmm-render.io' },
  'machineconfiguration.openshift.io/v1 MachineConfigPool': {
    key: 'MachineConfigPool',
    placement: 'cluster',
    group: 'machineconfiguration.openshift.io',
  },
  'image.openshift.io/v1 ImageStream': { key: 'ImageStream', placement: 'cluster', group: 'image.openshift.io' },
  'kmm-render.io/v1alpha1 Cluster': { key: 'Cluster', placement: 'cluster', group: 'kmm-render.io' },
  'kmm-render.io/v1alpha1 RenderConfig': { key: 'RenderConfig', placement: 'root-config', group: 'kmm-render.io' },
  'kmm-render.io/v1alpha1 ImageDigests': { key: 'ImageDigests', placement: 'anywhere', group: 'kmm-render.io' },
};

/** The kind of a document, or undefined when kmm-render does not read it. */
export function classifyKind(apiVersion: string, kind: string): KindInfo | undefined {
  return TABLE[`${apiVersion} ${kind}`];
}

/** The file name of the render configuration at the repo root. */
export const RENDER_CONFIG_FILE = 'kmm-render.yaml';

/**
 * `kubectl get ... -o yaml` prints several objects as a `v1 List`; the API prints a
 * `v1 NodeList` whose items carry no apiVersion/kind. Both are read item by item.
 */
export function listItemDefault(apiVersion: string, kind: string): { apiVersion: string; kind: string } | null | undefined {
  if (apiVersion === 'v1' && kind === 'NodeList') return { apiVersion: 'v1', kind: 'Node' };
  if (apiVersion === 'v1' && kind === 'List') return null;
  return undefined;
}
