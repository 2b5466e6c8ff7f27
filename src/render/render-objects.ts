/** The render phase: planned objects → Kubernetes objects via the templates (SPEC §5). */
import { makeLoadScript, makeSoftdepConf, makeUnloadScript } from '../kmm/loader-commands.js';
import { shellQuote } from '../kmm/shell-quote.js';
import type { ClusterSettings, RenderSettings } from '../model/inventory.js';
import { pinnedImage } from '../kmm/image-reference.js';
import type {
  ClusterPlan,
  PlannedBuildConfig,
  PlannedDevicePlugin,
  PlannedMachineConfig,
  PlannedManifestWork,
  PlannedModuleLoader,
  PlannedObject,
  PlannedSignJob,
} from '../plan/fleet-plan.js';
import { toCanonicalYaml } from './canonical-yaml.js';
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
export const SIGN_JOB_BACKOFF_LIMIT = 1000;

function buildConfigView(o: PlannedBuildConfig) {
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, [M.MODULE_NAME_LABEL]: o.module.name, [M.BUILD_TYPE_LABEL]: 'build', [M.TARGET_KERNEL_LABEL]: o.kernel },
    annotations: M.standardAnnotations([sourceOf(o)], M.SYNC_WAVE.BuildConfig),
    dockerfile: o.dockerfile,
    buildArgs: o.buildArgs,
    // Each build secret is mounted at /run/secrets/<name> (SPEC §5.3).
    volumes: nonEmpty(o.secrets.map((s) => ({ name: s, source: { type: 'Secret', secret: { secretName: s } }, mounts: [{ destinationPath: `/run/secrets/${s}` }] }))),
    outputImage: o.outputImage,
    pushSecret: o.pushSecret ? { name: o.pushSecret } : null,
    nodeSelector: nonEmptyMap({ ...o.nodeSelector }),
  };
}

function signJobView(o: PlannedSignJob, settings: RenderSettings) {
  const labels = { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, [M.MODULE_NAME_LABEL]: o.module.name, [M.BUILD_TYPE_LABEL]: 'sign', [M.TARGET_KERNEL_LABEL]: o.kernel };
  const args = ['-signedimage', o.signedImage, '-unsignedimage', o.unsignedImage, '-key', '/signingkey/key.priv', '-cert', '/signingcert/public.der', '-filestosign', o.filesToSign.join(':')];
  const volumeMounts: object[] = [
    { name: 'secret-signing-key', mountPath: '/signingkey', readOnly: true },
    { name: 'secret-signing-cert', mountPath: '/signingcert', readOnly: true },
  ];
  const volumes: object[] = [
    { name: 'secret-signing-key', secret: { secretName: o.keySecret, items: [{ key: 'key', path: 'key.priv' }] } },
    { name: 'secret-signing-cert', secret: { secretName: o.certSecret, items: [{ key: 'cert', path: 'public.der' }] } },
  ];
  if (o.pullSecret) {
    args.push('-pullsecret', '/docker_config/config.json');
    volumeMounts.push({ name: 'pull-secret', mountPath: '/docker_config', readOnly: true });
    volumes.push({ name: 'pull-secret', secret: { secretName: o.pullSecret, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } });
  }
  if (o.insecure) args.push('-insecure');
  if (o.skipTlsVerify) args.push('-skip-tls-verify');
  return {
    name: o.name,
    namespace: o.namespace,
    labels,
    annotations: M.standardAnnotations([sourceOf(o)], M.SYNC_WAVE.Job),
    backoffLimit: SIGN_JOB_BACKOFF_LIMIT,
    podLabels: labels,
    nodeSelector: nonEmptyMap({ ...o.nodeSelector }),
    signerImage: settings.signerImage,
    args,
    volumeMounts,
    volumes,
  };
}

/** The Module of a ManifestWork: the moduleSpec without build/sign, one literal mapping per kernel. */
function spokeModule(o: PlannedManifestWork): object {
  const spec = structuredClone(o.module.spec) as unknown as { moduleLoader: { container: Record<string, unknown> } };
  const container = spec.moduleLoader.container;
  delete container.build;
  delete container.sign;
  container.kernelMappings = o.kernelMappings.map((m) => ({ literal: m.literal, containerImage: m.containerImage }));
  return { apiVersion: 'kmm.sigs.x-k8s.io/v1beta1', kind: 'Module', metadata: { name: o.module.name, namespace: o.spokeNamespace }, spec };
}

function manifestWorkView(o: PlannedManifestWork) {
  return {
    name: o.name,
    namespace: o.namespace,
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, 'kmm.node.kubernetes.io/managedclustermodule.name': o.module.name },
    annotations: M.standardAnnotations([sourceOf(o)], M.SYNC_WAVE.DaemonSet),
    module: spokeModule(o),
  };
}

function loaderView(o: PlannedModuleLoader, cluster: ClusterSettings, knownImages?: ReadonlyMap<string, string>) {
  const { module, data } = o;
  const selectorLabels: Record<string, string> = {
    [M.MODULE_NAME_LABEL]: module.name,
    [M.KERNEL_LABEL]: data.kernel,
    [M.ROLE_LABEL]: 'module-loader',
  };
  const version = module.spec.moduleLoader.container.version;
  if (version) selectorLabels[M.moduleLoaderVersionLabel(module.namespace, module.name)] = version;
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
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, ...selectorLabels },
    annotations: M.standardAnnotations([sourceOf(o)], M.SYNC_WAVE.DaemonSet),
    selectorLabels,
    podAnnotations,
    nodeSelector: { ...module.spec.selector, [cluster.kernelVersionLabel]: data.kernel },
    serviceAccountName: sa,
    imagePullSecrets: module.spec.imageRepoSecret?.name ? [{ name: module.spec.imageRepoSecret.name }] : null,
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
  const moduleName = module.spec.moduleLoader.container.modprobe.moduleName;
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
    labels: { [M.MANAGED_BY_LABEL]: M.MANAGED_BY, ...selectorLabels },
    annotations: M.standardAnnotations([sourceOf(o)], M.SYNC_WAVE.DaemonSet),
    selectorLabels,
    nodeSelector: nonEmptyMap(module.spec.selector),
    kernelVersionLabel: cluster.kernelVersionLabel,
    kernels: o.kernels,
    serviceAccountName: sa,
    imagePullSecrets: module.spec.imageRepoSecret?.name ? [{ name: module.spec.imageRepoSecret.name }] : null,
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
    annotations: M.standardAnnotations(o.modules.map((m) => m.ref.source.file), M.SYNC_WAVE.MachineConfig),
    kernelArgument: `firmware_class.path=${cluster.firmwareHostPath}`,
  };
}

/** Stage folders, in apply order: Flux applies each as its own Kustomization (SPEC §8). */
export const STAGES = ['10-machine-config', '20-builds', '30-signing', '40-loaders'] as const;
export type Stage = (typeof STAGES)[number];

const STAGE_OF: Record<PlannedObject['type'], Stage> = {
  'machine-config': '10-machine-config',
  'build-config': '20-builds',
  'sign-job': '30-signing',
  'module-loader': '40-loaders',
  'device-plugin': '40-loaders',
  'manifest-work': '40-loaders',
};

function finish(planned: PlannedObject, object: Record<string, unknown>, name: string): RenderedObject {
  const meta = object.metadata as { name: string; namespace?: string };
  const stage = STAGE_OF[planned.type];
  const file = `${stage}/${name}`;
  return {
    stage,
    apiVersion: String(object.apiVersion),
    kind: String(object.kind),
    name: meta.name,
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    file,
    object,
    yaml: toCanonicalYaml(object),
    planned,
  };
}

/**
 * Renders every planned object of one cluster, keeping the plan's apply order. With
 * `pinned`, loader images known there are referenced by digest (SPEC §5.8).
 */
export function renderClusterObjects(plan: ClusterPlan, templates: CompiledTemplates, settings: RenderSettings, pinned?: ReadonlyMap<string, string>): RenderedObject[] {
  return plan.objects.map((o): RenderedObject => {
    switch (o.type) {
      case 'module-loader':
        return finish(o, renderTemplate(templates, 'module-loader-daemonset', loaderView(o, plan.cluster, pinned)), `daemonset-${o.namespace}-${o.name}.yaml`);
      case 'build-config':
        return finish(o, renderTemplate(templates, 'build-config', buildConfigView(o)), `buildconfig-${o.namespace}-${o.name}.yaml`);
      case 'sign-job':
        return finish(o, renderTemplate(templates, 'sign-job', signJobView(o, settings)), `job-${o.namespace}-${o.name}.yaml`);
      case 'manifest-work':
        return finish(o, renderTemplate(templates, 'manifest-work', manifestWorkView(o)), `manifestwork-${o.namespace}-${o.name}.yaml`);
      case 'device-plugin':
        return finish(o, renderTemplate(templates, 'device-plugin-daemonset', devicePluginView(o, plan.cluster, settings)), `daemonset-${o.namespace}-${o.name}.yaml`);
      case 'machine-config':
        return finish(o, renderTemplate(templates, 'machine-config', machineConfigView(o, plan.cluster)), `machineconfig-${o.name}.yaml`);
    }
  });
}
