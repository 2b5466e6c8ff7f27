/** What the plan phase decides: per cluster, the objects to emit, in apply order. */
import type { ModuleLoaderData } from '../kmm/module-loader-data.js';
import type { ModuleObject } from '../model/kmm.js';
import type { ClusterSettings, NodeInfo, RenderSettings } from '../model/inventory.js';

/** A module-loader DaemonSet: one Module on one kernel (SPEC §5.1). */
export interface PlannedModuleLoader {
  readonly type: 'module-loader';
  readonly name: string;
  readonly namespace: string;
  readonly module: ModuleObject;
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

export type PlannedObject = PlannedModuleLoader | PlannedDevicePlugin | PlannedMachineConfig;

/** One row of a cluster's coverage table: a Module on a kernel. */
export interface CoverageRow {
  readonly module: string;
  readonly kernel: string;
  readonly nodes: readonly string[];
  /** The resolved image, or undefined when no mapping matches. */
  readonly image?: string;
}

export interface ClusterPlan {
  readonly cluster: ClusterSettings;
  readonly nodeCount: number;
  /** In apply order (SPEC §5.5, §6). */
  readonly objects: readonly PlannedObject[];
  readonly coverage: readonly CoverageRow[];
}

export interface FleetPlan {
  readonly clusters: readonly ClusterPlan[];
  readonly settings: RenderSettings;
}
