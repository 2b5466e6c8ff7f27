/** The render phase: planned objects → Kubernetes objects via the templates (SPEC §5). */
import { makeLoadScript, makeSoftdepConf, makeUnloadScript } from '../kmm/loader-commands.js';
import { shellQuote } from '../kmm/shell-quote.js';
import type { ClusterSettings, RenderSettings } from '../model/inventory.js';
import type { ClusterPlan, PlannedDevicePlugin, PlannedMachineConfig, PlannedModuleLoader, PlannedObject } from '../plan/fleet-plan.js';
import { toCanonicalYaml } from './canonical-yaml.js';
import * as M from './metadata.js';
import { renderTemplate, type CompiledTemplates } from './templates.js';

/** One emitted object: where it goes and its canonical YAML. */
export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** File name inside the cluster folder. */
  readonly file: string;
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

function loaderView(o: PlannedModuleLoader, cluster: ClusterSettings) {
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
    image: data.containerImage,
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

function finish(planned: PlannedObject, object: Record<string, unknown>, file: string): RenderedObject {
  const meta = object.metadata as { name: string; namespace?: string };
  return {
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

/** Renders every planned object of one cluster, keeping the plan's apply order. */
export function renderClusterObjects(plan: ClusterPlan, templates: CompiledTemplates, settings: RenderSettings): RenderedObject[] {
  return plan.objects.map((o) => {
    switch (o.type) {
      case 'module-loader':
        return finish(o, renderTemplate(templates, 'module-loader-daemonset', loaderView(o, plan.cluster)), `daemonset-${o.namespace}-${o.name}.yaml`);
      case 'device-plugin':
        return finish(o, renderTemplate(templates, 'device-plugin-daemonset', devicePluginView(o, plan.cluster, settings)), `daemonset-${o.namespace}-${o.name}.yaml`);
      case 'machine-config':
        return finish(o, renderTemplate(templates, 'machine-config', machineConfigView(o, plan.cluster)), `machineconfig-${o.name}.yaml`);
    }
  });
}
