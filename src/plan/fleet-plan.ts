/** What the plan phase decides: per cluster, the objects to emit, in apply order. */
import type { RegistryAccess } from '../kmm/build-sign-decision.js';
import type { ModuleLoaderData } from '../kmm/module-loader-data.js';
import type { LoaderModuleObject, ModuleObject } from '../model/kmm.js';
import type { ClusterModel, ClusterSettings, NodeInfo, RenderSettings } from '../model/fleet-model.js';
import type { NodeLabels } from '../nfd/node-labels.js';

/** A module-loader DaemonSet: one Module on one kernel (SPEC §5.1). */
export interface PlannedModuleLoader {
  readonly type: 'module-loader';
  readonly name: string;
  readonly namespace: string;
  readonly module: LoaderModuleObject;
  readonly data: ModuleLoaderData;
  readonly nodes: readonly NodeInfo[];
}

/** A device-plugin DaemonSet: one per Module with devicePlugin (SPEC §5.2). */
export interface PlannedDevicePlugin {
  readonly type: 'device-plugin';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
  /** Kernels with a mapping among the targeted nodes, sorted. */
  readonly kernels: readonly string[];
  readonly nodes: readonly NodeInfo[];
}

/** A firmware-path MachineConfig for one pool (SPEC §5.6). */
export interface PlannedMachineConfig {
  readonly type: 'machine-config';
  readonly name: string;
  readonly pool: string;
  /** Nodes of the pool (all of them reboot when it is applied). */
  readonly poolNodes: readonly NodeInfo[];
  /** Modules whose firmware needs it. */
  readonly modules: readonly ModuleObject[];
}

/** An in-cluster build of one Module × kernel (SPEC §5.3). */
export interface PlannedBuildConfig {
  readonly type: 'build-config';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
  readonly kernel: string;
  readonly dockerfile: string;
  /** The final image, or the intermediate unsigned one when the mapping also signs. */
  readonly outputImage: string;
  /** User args merged with the injected ones, sorted by name. */
  readonly buildArgs: readonly { name: string; value: string }[];
  readonly secrets: readonly string[];
  readonly pushSecret?: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly nodes: readonly NodeInfo[];
}

/**
 * An in-cluster build of one Module × kernel where there are no OpenShift Builds (SPEC §12):
 * a Kaniko Job as upstream KMM 1.1 makes it (internal/build/job), building the Dockerfile of
 * its PlannedBuildDockerfile ConfigMap. Jobs are immutable: the name carries a hash of it.
 */
export interface PlannedBuildJob {
  readonly type: 'build-job';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
  readonly kernel: string;
  /** The ConfigMap (a PlannedBuildDockerfile) with the Dockerfile under `dockerfile`. */
  readonly dockerfileConfigMap: string;
  /** The final image, or the intermediate unsigned one when the mapping also signs. */
  readonly outputImage: string;
  /** User args merged with the injected ones, sorted by name. */
  readonly buildArgs: readonly { name: string; value: string }[];
  readonly secrets: readonly string[];
  /** imageRepoSecret: Kaniko's registry credentials. */
  readonly pushSecret?: string;
  readonly push: RegistryAccess;
  readonly pull: RegistryAccess;
  /** build.kanikoParams.tag, replacing the builder image's tag. */
  readonly kanikoTag?: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly nodes: readonly NodeInfo[];
}

/** The Dockerfile of a Kaniko build Job, as a ConfigMap named like the Job (one per Job). */
export interface PlannedBuildDockerfile {
  readonly type: 'build-dockerfile';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
  readonly kernel: string;
  readonly dockerfile: string;
}

/**
 * A Module for a cluster that runs the KMM operator (SPEC §12): the user's Module, scoped and
 * resolved, with one literal kernel mapping per kernel of the inventory first (image by
 * digest where ImageDigests know it) and the user's own mappings after them, for kernels
 * that appear before the next render. Builds and signing stay in it, for the operator.
 */
export interface PlannedOperatorModule {
  readonly type: 'operator-module';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
  /** Sorted by kernel. */
  readonly pinned: readonly OperatorKernelMapping[];
  /** Nodes that get the module (a mapping matches their kernel). */
  readonly nodes: readonly NodeInfo[];
}

/** A pinned mapping: the kernel, the resolved image, and the matched mapping's own build, sign and TLS. */
export interface OperatorKernelMapping {
  readonly literal: string;
  readonly containerImage: string;
  /** The matched mapping's fields other than its match and image (build, sign, registryTLS, in-tree removal). */
  readonly rest: Readonly<Record<string, unknown>>;
}

/** A signing Job of one Module × kernel (SPEC §5.4). */
export interface PlannedSignJob {
  readonly type: 'sign-job';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
  readonly kernel: string;
  readonly unsignedImage: string;
  readonly signedImage: string;
  readonly filesToSign: readonly string[];
  readonly keySecret: string;
  readonly certSecret: string;
  /** imageRepoSecret: Kaniko's registry credentials for pulling and pushing. */
  readonly pullSecret?: string;
  readonly push: RegistryAccess;
  readonly pull: RegistryAccess;
  /** Mount the cluster's trusted CA bundle (OpenShift: the PlannedTrustedCA of the namespace). */
  readonly trustedCA: boolean;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly nodes: readonly NodeInfo[];
}

/**
 * On OpenShift, a ConfigMap into which the cluster network operator injects the cluster's
 * trusted CA bundle, one per namespace with signing Jobs, mounted by their Kaniko pods.
 */
export interface PlannedTrustedCA {
  readonly type: 'trusted-ca';
  readonly name: string;
  readonly namespace: string;
  /** The Modules whose signing Jobs mount it. */
  readonly modules: readonly ModuleObject[];
}

/**
 * A kernel mapping of a spoke's Module, as KMM's hub writes it: the kernel, the resolved
 * image and the effective in-tree module to remove (the list form only when it names several).
 */
export interface SpokeKernelMapping {
  readonly literal: string;
  readonly containerImage: string;
  readonly inTreeModuleToRemove?: string;
  readonly inTreeModulesToRemove?: readonly string[];
}

/** A ManifestWork carrying a trimmed Module to one spoke (SPEC §5.7). */
export interface PlannedManifestWork {
  readonly type: 'manifest-work';
  readonly name: string;
  /** The spoke cluster's name. */
  readonly namespace: string;
  readonly module: ModuleObject;
  readonly spoke: string;
  readonly spokeNamespace: string;
  /** One literal mapping per kernel, sorted by kernel. */
  readonly kernelMappings: readonly SpokeKernelMapping[];
}

export type PlannedObject =
  | PlannedModuleLoader
  | PlannedDevicePlugin
  | PlannedMachineConfig
  | PlannedBuildConfig
  | PlannedBuildJob
  | PlannedBuildDockerfile
  | PlannedSignJob
  | PlannedTrustedCA
  | PlannedOperatorModule
  | PlannedManifestWork;

/** One row of a cluster's coverage table: a Module on a kernel. */
export interface CoverageRow {
  readonly module: string;
  readonly kernel: string;
  readonly nodes: readonly string[];
  /** The resolved image, or undefined when no mapping matches. */
  readonly image?: string;
  /** Whether the image is built or signed in the cluster (not when it is a known image). */
  readonly build?: boolean;
  readonly sign?: boolean;
}

export interface ClusterPlan {
  readonly cluster: ClusterSettings;
  readonly nodeCount: number;
  /** In apply order (SPEC §5.5, §6). */
  readonly objects: readonly PlannedObject[];
  readonly coverage: readonly CoverageRow[];
}

/** Everything the planner of one cluster may need from the rest of the fleet (hubs plan for spokes). */
export interface FleetContext {
  readonly clusters: readonly ClusterModel[];
  readonly labelsOf: (cluster: string) => ReadonlyMap<string, NodeLabels>;
  readonly settings: RenderSettings;
}
