/** The render phase: planned objects → Kubernetes objects via the templates (SPEC §5). */
import { makeLoadScript, makeSoftdepConf, makeUnloadScript } from '../kmm/loader-commands.js';
import { shellQuote } from '../kmm/shell-quote.js';
import type { ClusterSettings, RenderSettings } from '../model/fleet-model.js';
import { pinnedImage } from '../kmm/image-reference.js';
import type {
  ClusterPlan,
  PlannedBuildConfig,
  PlannedBuildDockerfile,
  PlannedBuildJob,
  PlannedDevicePlugin,
  PlannedMachineConfig,
  PlannedManifestWork,
  PlannedModuleLoader,
  PlannedOperatorModule,
  PlannedObject,
  PlannedSignJob,
  PlannedTrustedCA,
} from '../plan/fleet-plan.js';
import { TRUSTED_CA_CONFIGMAP } from '../plan/plan-cluster.js';
import { EMITTED_KINDS, emittedKindOf, fileOf, type Stage } from '../plan/emitted-kinds.js';
import { makeSignDockerfile, SIGN_CERT_DIR, SIGN_KEY_DIR } from '../kmm/sign-dockerfile.js';
import * as M from './metadata.js';
import { renderTemplate, type CompiledTemplates } from './templates.js';

/** One emitted object: where it goes and its canonical YAML. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Path inside the cluster folder: `<stage>/<file>`. */
  readonly file: string;
  /** The apply stage folder (SPEC §5.5, §8): 10-machine-config, 20-builds, 30-signing, 40-loaders. */
  readonly stage: Stage;
  readonly object: Record<string, unknown>;
  readonly yaml: string;
  readonly planned: PlannedObject;
}

const OPERATOR_LOADER_SA = 'kmm-operator-module-loader';
const OPERATOR_DEVICE_PLUGIN_SA = 'kmm-operator-device-plugin';
const DEVICE_PLUGINS_PATH = '/var/lib/kubelet/device-plugins';

const sourceOf = (o: { module: { ref: { source: { file: string } } } }) => o.module.ref.source.file;
const nonEmpty = <T>(list: readonly T[] | undefined): readonly T[] | null => (list && list.length > 0 ? list : null);
const nonEmptyMap = (m: Record<string, string>) => (Object.keys(m).length > 0 ? m : null);

/** Backoff limit of signing Jobs: with the exponential back-off capped at 6 minutes, days of retries. */
const SIGN_JOB_BACKOFF_LIMIT = 1000;

function buildConfigView(o: PlannedBuildConfig) {
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, [M.MODULE_NAME_LABEL]: o.module.name, [M.BUILD_TYPE_LABEL]: 'build', [M.JOB_TYPE_LABEL]: 'build', [M.TARGET_KERNEL_LABEL]: o.kernel },
    annotations: M.standardAnnotations([sourceOf(o)], EMITTED_KINDS['build-config'].syncWave),
    dockerfile: o.dockerfile,
    buildArgs: o.buildArgs,
    // Each build secret is mounted at /run/secrets/<name> (SPEC §5.3), in a volume named as
    // KMM names it: secret-<name>.
    volumes: nonEmpty(o.secrets.map((s) => ({ name: `secret-${s}`, source: { type: 'Secret', secret: { secretName: s } }, mounts: [{ destinationPath: `/run/secrets/${s}` }] }))),
    outputImage: o.outputImage,
    pushSecret: o.pushSecret ? { name: o.pushSecret } : null,
    nodeSelector: nonEmptyMap({ ...o.nodeSelector }),
  };
}

/**
 * What KMM 1.1's job helper puts on its build and signing Jobs (labels of module, kernel and
 * job type; on the pods too), with the standard annotations and the high backoff limit.
 */
function jobMetadata(o: PlannedBuildJob | PlannedSignJob, jobType: 'build' | 'sign') {
  const labels = { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, [M.MODULE_NAME_LABEL]: o.module.name, [M.BUILD_TYPE_LABEL]: jobType, [M.JOB_TYPE_LABEL]: jobType, [M.TARGET_KERNEL_LABEL]: o.kernel };
  return {
    name: o.name,
    namespace: o.namespace,
    labels,
    annotations: M.standardAnnotations([sourceOf(o)], emittedKindOf(o).syncWave),
    backoffLimit: SIGN_JOB_BACKOFF_LIMIT,
    podLabels: labels,
  };
}

/** The Kaniko image of a build Job: the builder image, with build.kanikoParams.tag as its tag (as KMM). */
function kanikoImage(builderImage: string, tag: string | undefined): string {
  if (!tag) return builderImage;
  const at = builderImage.search(/[@:](?=[^/]*$)/);
  return `${at === -1 ? builderImage : builderImage.slice(0, at)}:${tag}`;
}

/**
 * The Kaniko build Job as upstream KMM 1.1's build maker makes it (internal/build/job): the
 * Dockerfile ConfigMap at /workspace, the pushed image, build arguments, base-image and push
 * TLS flags, secrets. A Secret that is both imageRepoSecret and a build secret is one
 * volume with both keys' mounts (KMM would name two volumes alike, which the API refuses).
 */
function buildJobView(o: PlannedBuildJob, settings: RenderSettings) {
  const args = ['--destination', o.outputImage];
  for (const a of o.buildArgs) args.push('--build-arg', `${a.name}=${a.value}`);
  if (o.pull.insecure) args.push('--insecure-pull');
  if (o.pull.skipTlsVerify) args.push('--skip-tls-verify-pull');
  if (o.push.insecure) args.push('--insecure');
  if (o.push.skipTlsVerify) args.push('--skip-tls-verify');
  const volumeMounts: object[] = [{ name: 'dockerfile', readOnly: true, mountPath: '/workspace' }];
  const volumes: object[] = [{ name: 'dockerfile', configMap: { name: o.dockerfileConfigMap, items: [{ key: 'dockerfile', path: 'Dockerfile' }] } }];
  const pullSecretIsBuildSecret = o.pushSecret !== undefined && o.secrets.includes(o.pushSecret);
  if (o.pushSecret) {
    volumeMounts.push({ name: `secret-${o.pushSecret}`, readOnly: true, mountPath: '/kaniko/.docker' });
    // With items, only config.json is there; shared with a build secret, the whole Secret is.
    volumes.push({ name: `secret-${o.pushSecret}`, secret: { secretName: o.pushSecret, ...(pullSecretIsBuildSecret ? {} : { items: [{ key: '.dockerconfigjson', path: 'config.json' }] }) } });
  }
  for (const s of o.secrets) {
    volumeMounts.push({ name: `secret-${s}`, readOnly: true, mountPath: `/run/secrets/${s}` });
    if (s !== o.pushSecret) volumes.push({ name: `secret-${s}`, secret: { secretName: s } });
  }
  return {
    ...jobMetadata(o, 'build'),
    nodeSelector: nonEmptyMap({ ...o.nodeSelector }),
    image: kanikoImage(settings.builderImage, o.kanikoTag),
    tolerations: nonEmpty(o.module.spec.tolerations),
    args,
    volumeMounts,
    volumes,
  };
}

function buildDockerfileView(o: PlannedBuildDockerfile) {
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, [M.MODULE_NAME_LABEL]: o.module.name, [M.TARGET_KERNEL_LABEL]: o.kernel },
    annotations: M.standardAnnotations([sourceOf(o)], EMITTED_KINDS['build-dockerfile'].syncWave),
    dockerfile: o.dockerfile,
  };
}

/** Kaniko's own certificates, where its image points SSL_CERT_DIR. */
const KANIKO_CERT_DIR = '/kaniko/ssl/certs';
const TRUSTED_CA_DIR = '/etc/kmm-render/trusted-ca';

/**
 * The signing Job as KMM 1.1's signer makes it (upstream `internal/sign/job`): Kaniko builds
 * the signing Dockerfile, given as a pod annotation mounted through the downward API at
 * /workspace, with the key and certificate under /run/secrets and imageRepoSecret as its
 * registry credentials, and pushes the signed image. Volumes of one Secret are one volume
 * (KMM would make two of the same name, which the API server refuses).
 */
function signJobView(o: PlannedSignJob, settings: RenderSettings) {
  const args = ['--destination', o.signedImage];
  if (o.push.insecure) args.push('--insecure');
  if (o.push.skipTlsVerify) args.push('--skip-tls-verify');
  if (o.pull.insecure) args.push('--insecure-pull');
  if (o.pull.skipTlsVerify) args.push('--skip-tls-verify-pull');
  const secretItems = new Map<string, { key: string; path: string }[]>();
  const secretVolume = (secret: string, key: string, path: string) => {
    const items = secretItems.get(secret) ?? [];
    if (!items.some((i) => i.key === key)) items.push({ key, path });
    secretItems.set(secret, items);
    return `secret-${secret}`;
  };
  const keyVolume = secretVolume(o.keySecret, 'key', 'key.pem');
  const certVolume = secretVolume(o.certSecret, 'cert', 'cert.pem');
  const volumeMounts: object[] = [
    { name: certVolume, mountPath: SIGN_CERT_DIR, readOnly: true },
    { name: keyVolume, mountPath: SIGN_KEY_DIR, readOnly: true },
    { name: 'dockerfile', mountPath: '/workspace', readOnly: true },
  ];
  const signingSecrets = [...secretItems.keys()];
  if (o.pullSecret) volumeMounts.push({ name: secretVolume(o.pullSecret, '.dockerconfigjson', 'config.json'), mountPath: '/kaniko/.docker', readOnly: true });
  // KMM's order: the key and certificate, the Dockerfile, then the registry credentials.
  const volumeOf = (secret: string) => ({ name: `secret-${secret}`, secret: { secretName: secret, items: secretItems.get(secret) } });
  const volumes: object[] = signingSecrets.map(volumeOf);
  volumes.push({ name: 'dockerfile', downwardAPI: { items: [{ path: 'Dockerfile', fieldRef: { fieldPath: "metadata.annotations['dockerfile']" } }] } });
  if (o.pullSecret && !signingSecrets.includes(o.pullSecret)) volumes.push(volumeOf(o.pullSecret));
  let env: object[] | null = null;
  if (o.trustedCA) {
    // The network operator fills the ConfigMap; until it has, the directory is empty.
    volumeMounts.push({ name: 'trusted-ca', mountPath: TRUSTED_CA_DIR, readOnly: true });
    volumes.push({ name: 'trusted-ca', configMap: { name: TRUSTED_CA_CONFIGMAP, optional: true, items: [{ key: 'ca-bundle.crt', path: 'ca-bundle.crt' }] } });
    env = [{ name: 'SSL_CERT_DIR', value: `${KANIKO_CERT_DIR}:${TRUSTED_CA_DIR}` }];
  }
  return {
    ...jobMetadata(o, 'sign'),
    podAnnotations: { dockerfile: makeSignDockerfile(o.unsignedImage, settings.signerImage, o.filesToSign) },
    nodeSelector: nonEmptyMap({ ...o.nodeSelector }),
    builderImage: settings.builderImage,
    tolerations: nonEmpty(o.module.spec.tolerations),
    args,
    env,
    volumeMounts,
    volumes,
  };
}

/**
 * The Module a cluster's KMM operator reconciles: the user's spec, with the pinned literal
 * mappings first and the user's own mappings after them (KMM takes the first that matches).
 */
function operatorModuleView(o: PlannedOperatorModule) {
  const spec = structuredClone(o.module.spec) as unknown as { moduleLoader?: { container: { kernelMappings: object[] } } };
  // A device-plugin-only Module (KMM 2.x) has no mappings to pin.
  const container = spec.moduleLoader?.container;
  if (container) container.kernelMappings = [...o.pinned.map((m) => ({ literal: m.literal, containerImage: m.containerImage, ...m.rest })), ...container.kernelMappings];
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY },
    annotations: M.standardAnnotations([sourceOf(o)], EMITTED_KINDS['operator-module'].syncWave),
    spec,
  };
}

function trustedCAView(o: PlannedTrustedCA) {
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, 'config.openshift.io/inject-trusted-cabundle': 'true' },
    annotations: M.standardAnnotations(o.modules.map((m) => m.ref.source.file), EMITTED_KINDS['trusted-ca'].syncWave),
  };
}

/** The Module of a ManifestWork: the moduleSpec without build/sign, one literal mapping per kernel. */
function spokeModule(o: PlannedManifestWork): object {
  const spec = structuredClone(o.module.spec) as unknown as { moduleLoader: { container: Record<string, unknown> } };
  const container = spec.moduleLoader.container;
  delete container.build;
  delete container.sign;
  container.kernelMappings = o.kernelMappings.map((m) => ({ ...m }));
  return { apiVersion: 'kmm.sigs.x-k8s.io/v1beta1', kind: 'Module', metadata: { name: o.module.name, namespace: o.spokeNamespace }, spec };
}

function manifestWorkView(o: PlannedManifestWork) {
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, 'kmm.node.kubernetes.io/managedclustermodule.name': o.module.name },
    annotations: M.standardAnnotations([sourceOf(o)], EMITTED_KINDS['manifest-work'].syncWave),
    module: spokeModule(o),
  };
}

function loaderView(o: PlannedModuleLoader, cluster: ClusterSettings, settings: RenderSettings, knownImages?: ReadonlyMap<string, string>) {
  const { module, data } = o;
  // spec.selector is immutable: it holds what the name stands for (module and kernel), never
  // the version, so that a version change is a rolling update of the kept DaemonSet
  // (docs/build-sign-hub.md, "Versions").
  const selectorLabels: Record<string, string> = {
    [M.MODULE_NAME_LABEL]: module.name,
    [M.KERNEL_LABEL]: data.kernel,
    [M.ROLE_LABEL]: 'module-loader',
  };
  const podLabels: Record<string, string> = { ...selectorLabels };
  const version = module.spec.moduleLoader.container.version;
  if (version) podLabels[M.versionLabel(settings.kmmVersion, 'loader', module.namespace, module.name)] = version;
  const libModules = `/lib/modules/${data.kernel}`;
  const volumeMounts: object[] = [{ name: 'node-lib-modules', mountPath: libModules, readOnly: true }];
  const volumes: object[] = [{ name: 'node-lib-modules', hostPath: { path: libModules, type: 'Directory' } }];
  if (data.modprobe.firmwarePath) {
    volumeMounts.push({ name: 'node-var-lib-firmware', mountPath: cluster.firmwareHostPath });
    volumes.push({ name: 'node-var-lib-firmware', hostPath: { path: cluster.firmwareHostPath, type: 'DirectoryOrCreate' } });
  }
  const order = data.modprobe.modulesLoadingOrder ?? [];
  let podAnnotations: Record<string, string> | null = null;
  if (order.length > 0) {
    // As KMM does: the softdep file comes from a pod annotation through the downward API.
    podAnnotations = { 'modules-order': makeSoftdepConf(order) };
    volumeMounts.push({ name: 'modules-order', mountPath: '/etc/modprobe.d', readOnly: true });
    volumes.push({
      name: 'modules-order',
      downwardAPI: { items: [{ path: 'softdep.conf', fieldRef: { fieldPath: "metadata.annotations['modules-order']" } }] },
    });
  }
  const sa = module.spec.moduleLoader.serviceAccountName || (module.namespace === cluster.operatorNamespace ? OPERATOR_LOADER_SA : null);
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, ...podLabels },
    annotations: M.standardAnnotations([sourceOf(o)], EMITTED_KINDS['module-loader'].syncWave),
    selectorLabels,
    podLabels,
    podAnnotations,
    nodeSelector: { ...module.spec.selector, [cluster.kernelVersionLabel]: data.kernel },
    serviceAccountName: sa,
    imagePullSecrets: module.spec.imageRepoSecret?.name ? [{ name: module.spec.imageRepoSecret.name }] : null,
    tolerations: nonEmpty(module.spec.tolerations),
    image: knownImages?.has(data.containerImage) ? pinnedImage(data.containerImage, knownImages.get(data.containerImage)!) : data.containerImage,
    imagePullPolicy: data.imagePullPolicy ?? null,
    loadScript: makeLoadScript(data.modprobe, cluster.firmwareHostPath, data.inTreeModulesToRemove),
    unloadScript: makeUnloadScript(data.modprobe, cluster.firmwareHostPath),
    volumeMounts,
    volumes,
  };
}

function devicePluginView(o: PlannedDevicePlugin, cluster: ClusterSettings, settings: RenderSettings) {
  const { module } = o;
  const dp = module.spec.devicePlugin!;
  const selectorLabels = { [M.MODULE_NAME_LABEL]: module.name, [M.ROLE_LABEL]: 'device-plugin' };
  // As for loaders: KMM's version label is on the object and its pods, not in the selector.
  const podLabels: Record<string, string> = { ...selectorLabels };
  const version = module.spec.moduleLoader?.container.version;
  if (version) podLabels[M.versionLabel(settings.kmmVersion, 'devicePlugin', module.namespace, module.name)] = version;
  // Device plugin only (KMM 2.x): no kernel module to wait for.
  const moduleName = module.spec.moduleLoader?.container.modprobe.moduleName;
  // The kernel lists modules under /sys/module with "_" for "-".
  const sysModule = moduleName ? `/sys/module/${moduleName.replace(/-/g, '_')}` : undefined;
  const initContainers = sysModule
    ? [
        {
          name: 'wait-for-module',
          image: settings.waitImage,
          command: ['/bin/sh', '-c', `until [ -d ${shellQuote(sysModule)} ]; do echo waiting for kernel module ${shellQuote(moduleName!)}; sleep 5; done`],
        },
      ]
    : null;
  const sa = dp.serviceAccountName || (module.namespace === cluster.operatorNamespace ? OPERATOR_DEVICE_PLUGIN_SA : null);
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, ...podLabels },
    annotations: M.standardAnnotations([sourceOf(o)], EMITTED_KINDS['device-plugin'].syncWave),
    selectorLabels,
    podLabels,
    nodeSelector: nonEmptyMap(module.spec.selector),
    kernelVersionLabel: cluster.kernelVersionLabel,
    kernels: o.kernels,
    serviceAccountName: sa,
    imagePullSecrets: module.spec.imageRepoSecret?.name ? [{ name: module.spec.imageRepoSecret.name }] : null,
    tolerations: nonEmpty(module.spec.tolerations),
    initContainers,
    container: {
      image: dp.container.image,
      imagePullPolicy: dp.container.imagePullPolicy ?? null,
      command: nonEmpty(dp.container.command),
      args: nonEmpty(dp.container.args),
      env: nonEmpty(dp.container.env),
      resources: dp.container.resources ?? null,
    },
    volumeMounts: [...(dp.container.volumeMounts ?? []), { name: 'kubelet-device-plugins', mountPath: DEVICE_PLUGINS_PATH }],
    volumes: [{ name: 'kubelet-device-plugins', hostPath: { path: DEVICE_PLUGINS_PATH, type: 'Directory' } }, ...(dp.volumes ?? [])],
  };
}

function machineConfigView(o: PlannedMachineConfig, cluster: ClusterSettings) {
  return {
    name: o.name,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, 'machineconfiguration.openshift.io/role': o.pool },
    annotations: M.standardAnnotations(o.modules.map((m) => m.ref.source.file), EMITTED_KINDS['machine-config'].syncWave),
    kernelArgument: `firmware_class.path=${cluster.firmwareHostPath}`,
  };
}

/** What a view may read besides its planned object. */
interface ViewContext {
  readonly cluster: ClusterSettings;
  readonly settings: RenderSettings;
  /** Loader images known by digest, when rendering with --pin-digests (SPEC §5.8). */
  readonly pinned: ReadonlyMap<string, string> | undefined;
}

type Planned<T extends PlannedObject['type']> = Extract<PlannedObject, { type: T }>;

/** The template view of each kind: the values its template in templates/ fills in. */
const VIEWS: { readonly [T in PlannedObject['type']]: (o: Planned<T>, ctx: ViewContext) => object } = {
  'machine-config': (o, ctx) => machineConfigView(o, ctx.cluster),
  'build-config': (o) => buildConfigView(o),
  'build-job': (o, ctx) => buildJobView(o, ctx.settings),
  'build-dockerfile': (o) => buildDockerfileView(o),
  'trusted-ca': (o) => trustedCAView(o),
  'sign-job': (o, ctx) => signJobView(o, ctx.settings),
  'module-loader': (o, ctx) => loaderView(o, ctx.cluster, ctx.settings, ctx.pinned),
  'device-plugin': (o, ctx) => devicePluginView(o, ctx.cluster, ctx.settings),
  'manifest-work': (o) => manifestWorkView(o),
  'operator-module': (o) => operatorModuleView(o),
};

/** Renders one planned object through its kind's view and template. */
function renderObject<O extends PlannedObject>(o: O, templates: CompiledTemplates, ctx: ViewContext): RenderedObject {
  const kind = emittedKindOf(o);
  const view = (VIEWS[o.type] as (o: O, ctx: ViewContext) => object)(o, ctx);
  const { object, yaml } = renderTemplate(templates, kind.template, view);
  if (object.kind !== kind.kind || object.apiVersion !== kind.apiVersion) {
    throw new Error(`bug: template ${kind.template} renders ${String(object.apiVersion)} ${String(object.kind)}, the kinds table says ${kind.apiVersion} ${kind.kind}`);
  }
  const meta = object.metadata as { name: string; namespace?: string };
  return {
    stage: kind.stage,
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: meta.name,
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    file: fileOf(o),
    object,
    yaml,
    planned: o,
  };
}

/**
 * Renders every planned object of one cluster, keeping the plan's apply order. With
 * `pinned`, loader images known there are referenced by digest (SPEC §5.8).
 */
export function renderClusterObjects(plan: ClusterPlan, templates: CompiledTemplates, settings: RenderSettings, pinned?: ReadonlyMap<string, string>): RenderedObject[] {
  const ctx: ViewContext = { cluster: plan.cluster, settings, pinned };
  return plan.objects.map((o) => renderObject(o, templates, ctx));
}
