/**
 * Everything kmm-render knows about each kind of object it emits, in one table (the shape of
 * kustomize's resource-order table): its Kubernetes kind, apply rank and stage folder, file
 * name, sync wave and template, what identity its name stands for, which nodes it serves and
 * what applying it means for the cluster. Plan, render, output, review and explain read this
 * table instead of switching on the type. Adding a kind is one entry here, one template and
 * its view in render/render-objects.ts (docs/adding-a-kind.md).
 */
import type { PlannedObject } from './fleet-plan.js';

/** Stage folders, in apply order: Flux applies each as its own Kustomization (SPEC §8). */
export const STAGES = ['10-machine-config', '20-builds', '30-signing', '40-loaders'] as const;
export type Stage = (typeof STAGES)[number];

/** What Flux's Kustomization of each stage is called and how long it waits for its objects. */
export const STAGE_FACTS: { readonly [S in Stage]: { readonly name: string; readonly timeout: string } } = {
  '10-machine-config': { name: 'machine-config', timeout: '15m' },
  // Builds and signing run images to completion: they may take long.
  '20-builds': { name: 'builds', timeout: '60m' },
  '30-signing': { name: 'signing', timeout: '60m' },
  '40-loaders': { name: 'loaders', timeout: '15m' },
};

/**
 * How tests validate objects of a kind: a JSON schema of ours in schemas/output/ and the
 * upstream one in ../shared/reference/schemas/, or the model class of `kubernetes-models`
 * (its module path, e.g. `apps/v1/DaemonSet`: the OpenAPI schema of Kubernetes itself), or a
 * CustomResourceDefinition in ../shared/reference/schemas/ (its openAPIV3Schema).
 */
export type KindSchema = { readonly own: string; readonly upstream: string } | { readonly kubernetesModel: string } | { readonly crd: string };

/** What applying or changing an object means beyond the object itself (SPEC §7 impact). */
export type KindImpact =
  | { readonly effect: 'reboot'; readonly pool: string; readonly nodes: number }
  | { readonly effect: 'build' | 'sign'; readonly module: string; readonly kernel: string; readonly image: string };

/** The static facts of one emitted kind, for planned objects `O`. */
export interface EmittedKind<O extends PlannedObject> {
  readonly apiVersion: string;
  readonly kind: string;
  /** Whether the object lives in a namespace (its file name and identity include it). */
  readonly namespaced: boolean;
  /** Apply order inside a cluster (SPEC §5.5): lower first. */
  readonly applyRank: number;
  readonly stage: Stage;
  /** The file name prefix inside the stage folder: `<prefix>-[<namespace>-]<name>.yaml`. */
  readonly filePrefix: string;
  /** Argo CD sync wave (SPEC §5.5). */
  readonly syncWave: string;
  /** The handlebars template in templates/ (without `.yaml.hbs`). */
  readonly template: string;
  /** The schema its objects must satisfy (test/output-validity.test.ts). */
  readonly schema: KindSchema;
  /** The unambiguous identity a name stands for: equal readable names of different identities collide. */
  readonly identity: (o: O) => string;
  /** Whether the object serves a node (explain); undefined: it serves no node directly. */
  readonly servesNode?: (o: O, node: string) => boolean;
  /**
   * The Module it loads and the nodes that get it (`diff`: nodes that gain or lose a
   * module); undefined for kinds that load nothing themselves.
   */
  readonly loads?: (o: O) => { readonly module: { readonly namespace: string; readonly name: string }; readonly nodes: readonly { readonly name: string }[] };
  /** What applying it means (reboots, builds, signing); undefined: nothing beyond itself. */
  readonly impact?: (o: O) => KindImpact;
}

type Planned<T extends PlannedObject['type']> = Extract<PlannedObject, { type: T }>;
const moduleId = (o: { module: { namespace: string; name: string } }) => `${o.module.namespace}/${o.module.name}`;
const servedNodes = (o: { nodes: readonly { name: string }[] }, node: string) => o.nodes.some((n) => n.name === node);

/** The table: one entry per planned object type, checked exhaustive by the type. */
export const EMITTED_KINDS: { readonly [T in PlannedObject['type']]: EmittedKind<Planned<T>> } = {
  'machine-config': {
    apiVersion: 'machineconfiguration.openshift.io/v1',
    kind: 'MachineConfig',
    namespaced: false,
    applyRank: 0,
    stage: '10-machine-config',
    filePrefix: 'machineconfig',
    syncWave: '-3',
    template: 'machine-config',
    schema: { own: 'machine-config', upstream: 'openshift_v4.15-strict_machineconfig_machineconfiguration.openshift.io_v1.json' },
    identity: (o) => `machine-config/${o.pool}`,
    servesNode: (o, node) => o.poolNodes.some((n) => n.name === node),
    impact: (o) => ({ effect: 'reboot', pool: o.pool, nodes: o.poolNodes.length }),
  },
  'build-config': {
    apiVersion: 'build.openshift.io/v1',
    kind: 'BuildConfig',
    namespaced: true,
    applyRank: 2,
    stage: '20-builds',
    filePrefix: 'buildconfig',
    syncWave: '-2',
    template: 'build-config',
    schema: { own: 'build-config', upstream: 'openshift_v4.15-strict_buildconfig_build.openshift.io_v1.json' },
    identity: (o) => `build-config/${o.namespace}/${o.module.name}/${o.kernel}`,
    servesNode: servedNodes,
    impact: (o) => ({ effect: 'build', module: moduleId(o), kernel: o.kernel, image: o.outputImage }),
  },
  'build-dockerfile': {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespaced: true,
    // Before the Job that mounts it.
    applyRank: 1,
    stage: '20-builds',
    filePrefix: 'configmap',
    syncWave: '-2',
    template: 'build-dockerfile-configmap',
    schema: { kubernetesModel: 'v1/ConfigMap' },
    identity: (o) => `build-dockerfile/${o.namespace}/${o.module.name}/${o.kernel}/${o.name}`,
  },
  'build-job': {
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespaced: true,
    applyRank: 3,
    stage: '20-builds',
    filePrefix: 'job',
    syncWave: '-2',
    template: 'build-job',
    schema: { kubernetesModel: 'batch/v1/Job' },
    identity: (o) => `build-job/${o.namespace}/${o.module.name}/${o.kernel}/${o.name}`,
    servesNode: servedNodes,
    impact: (o) => ({ effect: 'build', module: moduleId(o), kernel: o.kernel, image: o.outputImage }),
  },
  'trusted-ca': {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespaced: true,
    applyRank: 4,
    stage: '30-signing',
    filePrefix: 'configmap',
    syncWave: '-1',
    template: 'trusted-ca-configmap',
    schema: { kubernetesModel: 'v1/ConfigMap' },
    identity: (o) => `trusted-ca/${o.namespace}`,
  },
  'sign-job': {
    apiVersion: 'batch/v1',
    kind: 'Job',
    namespaced: true,
    applyRank: 5,
    stage: '30-signing',
    filePrefix: 'job',
    syncWave: '-1',
    template: 'sign-job',
    schema: { kubernetesModel: 'batch/v1/Job' },
    identity: (o) => `sign-job/${o.namespace}/${o.module.name}/${o.kernel}/${o.name}`,
    servesNode: servedNodes,
    impact: (o) => ({ effect: 'sign', module: moduleId(o), kernel: o.kernel, image: o.signedImage }),
  },
  'module-loader': {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    namespaced: true,
    applyRank: 6,
    stage: '40-loaders',
    filePrefix: 'daemonset',
    syncWave: '0',
    template: 'module-loader-daemonset',
    schema: { kubernetesModel: 'apps/v1/DaemonSet' },
    identity: (o) => `module-loader/${o.namespace}/${o.module.name}/${o.data.kernel}`,
    servesNode: servedNodes,
    loads: (o) => o,
  },
  'device-plugin': {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    namespaced: true,
    applyRank: 7,
    stage: '40-loaders',
    filePrefix: 'daemonset',
    syncWave: '0',
    template: 'device-plugin-daemonset',
    schema: { kubernetesModel: 'apps/v1/DaemonSet' },
    identity: (o) => `device-plugin/${o.namespace}/${o.module.name}`,
    servesNode: servedNodes,
  },
  'operator-module': {
    apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
    kind: 'Module',
    namespaced: true,
    applyRank: 8,
    stage: '40-loaders',
    filePrefix: 'module',
    syncWave: '0',
    template: 'operator-module',
    schema: { crd: 'kmm-module-crd.v2.6.0.yaml' },
    identity: (o) => `operator-module/${o.namespace}/${o.module.name}`,
    servesNode: servedNodes,
    loads: (o) => o,
  },
  'manifest-work': {
    apiVersion: 'work.open-cluster-management.io/v1',
    kind: 'ManifestWork',
    namespaced: true,
    applyRank: 9,
    stage: '40-loaders',
    filePrefix: 'manifestwork',
    syncWave: '0',
    template: 'manifest-work',
    schema: { own: 'manifest-work', upstream: 'work.open-cluster-management.io_manifestwork_v1.json' },
    identity: (o) => `manifest-work/${o.namespace}/${o.module.name}`,
  },
};

/** The table entry of a planned object. */
export function emittedKindOf<O extends PlannedObject>(o: O): EmittedKind<O> {
  return EMITTED_KINDS[o.type] as unknown as EmittedKind<O>;
}

/** The namespace a planned object is emitted in ('' for cluster-scoped kinds). */
export function namespaceOf(o: PlannedObject): string {
  return emittedKindOf(o).namespaced && 'namespace' in o ? o.namespace : '';
}

/** Its file inside the cluster folder: `<stage>/<prefix>-[<namespace>-]<name>.yaml`. */
export function fileOf(o: PlannedObject): string {
  const k = emittedKindOf(o);
  const ns = namespaceOf(o);
  return `${k.stage}/${k.filePrefix}-${ns ? ns + '-' : ''}${o.name}.yaml`;
}
