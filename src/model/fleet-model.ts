/** A cluster and its inventory as kmm-render reads them (SPEC §2.3). */
import type { DocPath } from '../diagnostics/locate.js';
import type { ObjectRef } from '../load/object-ref.js';
import type { ConfigMapObject, ModuleObject } from './kmm.js';
import type { Distribution } from '../targets/target.js';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Where a node's name and kernel version are inside its object. */
export interface NodeFieldPaths {
  readonly name: DocPath;
  readonly kernelVersion: DocPath;
}

/** The paths of a Node object; a HardwareProfile's nodes have their own. */
export const NODE_OBJECT_PATHS: NodeFieldPaths = { name: ['metadata', 'name'], kernelVersion: ['status', 'nodeInfo', 'kernelVersion'] };

/** A node of the inventory: a Node object, or one entry of a HardwareProfile. */
export interface NodeInfo {
  /** The Node, or the profile's entry for the node. */
  readonly ref: ObjectRef;
  readonly paths: NodeFieldPaths;
  readonly name: string;
  /** Labels from the Node object itself. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** status.nodeInfo.kernelVersion as reported. */
  readonly kernelVersion: string;
  /** The kernel KMM uses: kernelVersion with a trailing "+" removed (SPEC §4.1). */
  readonly kernel: string;
  readonly osImage?: string;
}

/** Raw NFD features of one NodeFeature object (interpreted by the nfd/ phase). */
export interface NodeFeatureObject {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly namespace: string;
  /** Value of the label nfd.node.kubernetes.io/node-name. */
  readonly nodeName?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly features: unknown;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface MachineConfigPoolInfo {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly nodeSelector?: LabelSelector;
}

/** NFD master settings that change rule outcomes (SPEC §3.6). */
export interface NfdSettings {
  readonly extraLabelNs: readonly string[];
  readonly denyLabelNs: readonly string[];
  readonly enableTaints: boolean;
}

/** A cluster's settings, defaults applied (SPEC §2.3). */
export interface ClusterSettings {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default "openshift" (its Target: targets/target.ts) */
  readonly distribution: Distribution;
  /** @default "openshift-kmm" */
  readonly operatorNamespace: string;
  /** The cluster runs the KMM operator: it gets pinned Modules, not what the operator would make. @default false */
  readonly kmmOperator: boolean;
  /** @default false */
  readonly hub: boolean;
  /** @default "feature.node.kubernetes.io/kernel-version.full" */
  readonly kernelVersionLabel: string;
  /** @default "/var/lib/firmware" */
  readonly firmwareHostPath: string;
  readonly nfd: NfdSettings;
}

/** A rule object in scope, kept raw for the nfd/ phase. */
export interface NodeFeatureRuleObject {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly spec: unknown;
  readonly scope?: string;
}

/** The `openshift/driver-toolkit` ImageStream: RHCOS version (tag name) → image. */
export interface DriverToolkitStream {
  readonly ref: ObjectRef;
  readonly tags: ReadonlyMap<string, string>;
}

/** A ManagedClusterModule (SPEC §5.7), kept for the hub that has it in scope. */
export interface ManagedClusterModuleObject {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly spec: {
    readonly moduleSpec: import('./kmm.js').ModuleSpec;
    readonly spokeNamespace: string;
    readonly selector: Readonly<Record<string, string>>;
  };
  readonly scope?: string;
}

/** Everything the pipeline knows about one cluster after validation. */
export interface ClusterModel {
  readonly settings: ClusterSettings;
  /** Sorted by name. */
  readonly nodes: readonly NodeInfo[];
  readonly nodeFeatures: readonly NodeFeatureObject[];
  readonly pools: readonly MachineConfigPoolInfo[];
  /** Modules in scope (fleet-wide and the cluster's own), sorted by namespace/name. */
  readonly modules: readonly ModuleObject[];
  readonly configMaps: readonly ConfigMapObject[];
  /** NodeFeatureRules in scope, sorted by name (SPEC §3.2). */
  readonly rules: readonly NodeFeatureRuleObject[];
  readonly driverToolkit?: DriverToolkitStream;
  /** Images known to exist (ImageDigests in scope, SPEC §5.8): image → digest. */
  readonly knownImages: ReadonlyMap<string, string>;
  /** ManagedClusterModules in scope, sorted by name (used when the cluster is a hub). */
  readonly managedClusterModules: readonly ManagedClusterModuleObject[];
}

/** Settings from kmm-render.yaml, defaults applied. */
export interface RenderSettings {
  /** @default "rendered" */
  readonly output: string;
  readonly exclude: readonly string[];
  /** Image with the kernel's sign-file that the signing Dockerfile signs in (SPEC §5.4). */
  readonly signerImage: string;
  /** Kaniko, which builds and pushes the signing Dockerfile (SPEC §5.4). */
  readonly builderImage: string;
  /** Image of the init container that waits for the module before a device plugin starts. */
  readonly waitImage: string;
  /** @default false */
  readonly pinDigests: boolean;
  /** Which KMM's Module fields are accepted: "1.1", or "2" (tolerations, imageRebuildTriggerGeneration, dra). @default "1.1" */
  readonly kmmVersion: '1.1' | '2';
  /** Severity per diagnostic code (`diagnostics` of kmm-render.yaml): only valid entries. @default {} */
  readonly diagnostics: Readonly<Record<string, DiagnosticSetting>>;
}

/** What kmm-render.yaml may make of a diagnostic code. */
export type DiagnosticSetting = 'error' | 'warning' | 'off';

/** The validated fleet: every cluster with its scope resolved. */
export interface FleetModel {
  /** Sorted by name. */
  readonly clusters: readonly ClusterModel[];
  readonly settings: RenderSettings;
}
