/** The KMM Module CR as kmm-render reads it (kmm.sigs.x-k8s.io/v1beta1, KMM 1.1 fields). */
import type { ObjectRef } from '../load/object-ref.js';

export interface LocalObjectReference {
  name?: string;
}

export interface TLSOptions {
  insecure?: boolean;
  insecureSkipTLSVerify?: boolean;
}

export interface BuildArg {
  name: string;
  value: string;
}

export interface Build {
  buildArgs?: BuildArg[];
  secrets?: LocalObjectReference[];
  baseImageRegistryTLS?: TLSOptions;
  dockerfileConfigMap?: LocalObjectReference;
  kanikoParams?: { tag?: string };
  selector?: Record<string, string>;
}

export interface Sign {
  unsignedImage?: string;
  unsignedImageRegistryTLS?: TLSOptions;
  keySecret?: LocalObjectReference;
  certSecret?: LocalObjectReference;
  filesToSign?: string[];
}

export interface KernelMapping {
  literal?: string;
  regexp?: string;
  containerImage?: string;
  build?: Build;
  sign?: Sign;
  registryTLS?: TLSOptions;
  inTreeModuleToRemove?: string;
  /** Newer KMM releases' list form; accepted too. */
  inTreeModulesToRemove?: string[];
}

export interface ModprobeArgs {
  load?: string[];
  unload?: string[];
}

export interface Modprobe {
  moduleName?: string;
  parameters?: string[];
  dirName?: string;
  firmwarePath?: string;
  args?: ModprobeArgs;
  rawArgs?: ModprobeArgs;
  modulesLoadingOrder?: string[];
}

export interface ModuleLoaderContainer {
  modprobe: Modprobe;
  containerImage?: string;
  imagePullPolicy?: string;
  build?: Build;
  sign?: Sign;
  registryTLS?: TLSOptions;
  kernelMappings: KernelMapping[];
  inTreeModuleToRemove?: string;
  /** Newer KMM releases' list form; accepted too. */
  inTreeModulesToRemove?: string[];
  version?: string;
}

export interface DevicePluginContainer {
  image: string;
  imagePullPolicy?: string;
  command?: string[];
  args?: string[];
  env?: Record<string, unknown>[];
  resources?: Record<string, unknown>;
  volumeMounts?: Record<string, unknown>[];
}

export interface ModuleSpec {
  /** Required by KMM 1.1; optional in KMM 2.x (a device-plugin-only Module). */
  moduleLoader?: { container: ModuleLoaderContainer; serviceAccountName?: string };
  devicePlugin?: {
    container: DevicePluginContainer;
    serviceAccountName?: string;
    volumes?: Record<string, unknown>[];
  };
  imageRepoSecret?: LocalObjectReference;
  selector: Record<string, string>;
  /** KMM 2.x: on every pod of the Module, and in targeting (SPEC §4.1). */
  tolerations?: Toleration[];
  /** KMM 2.x: a change forces a new build (and signing). */
  imageRebuildTriggerGeneration?: number;
  /** KMM 2.x dynamic resource allocation: no meaning offline, ignored with a warning. */
  dra?: Record<string, unknown>;
}

/** A Kubernetes pod toleration. */
export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

/** A Module that loads a kernel module (every KMM 1.1 Module; KMM 2.x allows device-plugin-only ones). */
export type LoaderModuleObject = ModuleObject & { readonly spec: ModuleSpec & { moduleLoader: NonNullable<ModuleSpec['moduleLoader']> } };

/** Whether the Module has a moduleLoader (else it only runs a device plugin). */
export function hasModuleLoader(m: ModuleObject): m is LoaderModuleObject {
  return m.spec.moduleLoader !== undefined;
}

/** A validated Module, with where it came from. */
export interface ModuleObject {
  readonly ref: ObjectRef;
  /** Where the Module spec is inside the object: ['spec'], or ['spec', 'moduleSpec'] in a ManagedClusterModule. */
  readonly specPath: readonly (string | number)[];
  readonly name: string;
  /** metadata.namespace, or "default" when unset (with a warning). */
  readonly namespace: string;
  readonly spec: ModuleSpec;
  /** The cluster folder the Module lives in; undefined for fleet-wide Modules. */
  readonly scope?: string;
}

/** The path of `moduleLoader.container` in a Module-like object. */
export function containerPath(m: Pick<ModuleObject, 'specPath'>): (string | number)[] {
  return [...m.specPath, 'moduleLoader', 'container'];
}

/** A validated ConfigMap (Dockerfiles for in-cluster builds). */
export interface ConfigMapObject {
  readonly ref: ObjectRef;
  readonly name: string;
  readonly namespace: string;
  readonly data: Record<string, string>;
  readonly scope?: string;
}
