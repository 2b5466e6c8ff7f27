/** The KMM planner for one cluster: which objects to emit, their names and order (SPEC §4, §5). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { at } from '../load/object-ref.js';
import { resolveModuleLoaderData, type ModuleLoaderData } from '../kmm/module-loader-data.js';
import { groupByKernel, selectTargetedNodes } from '../kmm/node-targeting.js';
import { containerPath, hasModuleLoader, type LoaderModuleObject, type ModuleObject } from '../model/kmm.js';
import type { ClusterModel, NodeInfo } from '../model/fleet-model.js';
import type { NodeLabels } from '../nfd/node-labels.js';
import type { ClusterPlan, CoverageRow, FleetContext, OperatorKernelMapping, PlannedObject } from './fleet-plan.js';
import { pinnedImage } from '../kmm/image-reference.js';
import { emittedKindOf, namespaceOf } from './emitted-kinds.js';
import { planHub } from './plan-hub.js';
import { assignPool } from './machine-config-pools.js';
import { hashedName, makeObjectName } from './names.js';
import { planBuildSignObjects } from './plan-build-sign.js';
import { compareText } from '../base/compare-text.js';
import { driverToolkitsOf, KERNEL_FIRMWARE_PATHS, targetOf } from '../targets/target.js';

/** The ConfigMap the signing Jobs of one namespace mount the cluster's trusted CA bundle from. */
export const TRUSTED_CA_CONFIGMAP = 'kmm-render-trusted-ca';

/** One trusted-CA ConfigMap per namespace whose signing Jobs mount it. */
function planTrustedCAs(objects: readonly PlannedObject[]): PlannedObject[] {
  const byNamespace = new Map<string, ModuleObject[]>();
  for (const o of objects) {
    if (o.type !== 'sign-job' || !o.trustedCA) continue;
    const list = byNamespace.get(o.namespace) ?? [];
    if (!list.includes(o.module)) list.push(o.module);
    byNamespace.set(o.namespace, list);
  }
  return [...byNamespace].map(([namespace, modules]) => ({ type: 'trusted-ca', name: TRUSTED_CA_CONFIGMAP, namespace, modules }));
}

/**
 * The literal mapping a Module for the KMM operator gets for one kernel of the inventory: the
 * image as kmm-render resolved it (by digest where ImageDigests know it, and then without
 * build and sign: the image exists) and the matched mapping's other fields, so that the
 * operator builds and signs what kmm-render would have.
 */
function pinKernelMapping(module: LoaderModuleObject, data: ModuleLoaderData, knownImages: ReadonlyMap<string, string>): OperatorKernelMapping {
  const { regexp: _regexp, literal: _literal, containerImage: _image, ...rest } = module.spec.moduleLoader.container.kernelMappings[data.mappingIndex]! as unknown as Record<string, unknown>;
  const digest = knownImages.get(data.containerImage);
  if (digest === undefined) return { literal: data.kernel, containerImage: data.containerImage, rest };
  const { build: _build, sign: _sign, ...unbuilt } = rest;
  return { literal: data.kernel, containerImage: pinnedImage(data.containerImage, digest), rest: unbuilt };
}

/** The device-plugin DaemonSet of a Module, on `nodes` (sorted here), for `kernels` ([] when it loads nothing). */
function devicePlugin(module: ModuleObject, kernels: readonly string[], nodes: readonly NodeInfo[]): PlannedObject {
  const name = makeObjectName([module.name, 'device-plugin'], `${module.namespace}/${module.name}/device-plugin`);
  return { type: 'device-plugin', name, namespace: module.namespace, module, kernels, nodes: [...nodes].sort((a, b) => compareText(a.name, b.name)) };
}

/** The Module a cluster that runs the KMM operator gets (SPEC §12), serving `nodes` (sorted here). */
function operatorModule(module: ModuleObject, pinned: readonly OperatorKernelMapping[], nodes: readonly NodeInfo[]): PlannedObject {
  return { type: 'operator-module', name: module.name, namespace: module.namespace, module, pinned, nodes: [...nodes].sort((a, b) => compareText(a.name, b.name)) };
}

/** The unambiguous identity a name stands for; equal readable names of different identities collide. */
const identityOf = (o: PlannedObject) => emittedKindOf(o).identity(o);

/** Gives every object of a colliding readable name a hashed name instead (SPEC §5). */
function resolveNameCollisions(objects: PlannedObject[]): PlannedObject[] {
  const key = (o: PlannedObject) => `${emittedKindOf(o).kind}/${namespaceOf(o)}/${o.name}`;
  const groups = new Map<string, Set<string>>();
  for (const o of objects) groups.set(key(o), (groups.get(key(o)) ?? new Set<string>()).add(identityOf(o)));
  return objects.map((o) => (groups.get(key(o))!.size > 1 ? { ...o, name: hashedName(o.name, identityOf(o)) } : o));
}

/** Plans one cluster from its model and the effective node labels. */
export function planCluster(cluster: ClusterModel, labels: ReadonlyMap<string, NodeLabels>, fleet: FleetContext): { plan: ClusterPlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const objects: PlannedObject[] = [];
  const coverage: CoverageRow[] = [];
  const target = targetOf(cluster.settings);
  // Where nothing can tell the kernel (no MachineConfigs), firmware must be where it looks.
  const warnedFirmware = new Set<ModuleObject>();
  const warnUnsearchedFirmware = (module: ModuleObject) => {
    const path = cluster.settings.firmwareHostPath;
    if (warnedFirmware.has(module) || (KERNEL_FIRMWARE_PATHS as readonly string[]).includes(path.replace(/\/+$/, ''))) return;
    warnedFirmware.add(module);
    diagnostics.push(
      diagnostic(
        'FIRMWARE_PATH_NOT_SEARCHED',
        at(module.ref, [...containerPath(module), 'modprobe', 'firmwarePath']),
        `Module ${module.namespace}/${module.name} copies firmware to ${path} on the nodes of cluster ${cluster.settings.name}, where the kernel does not look, and on distribution ${cluster.settings.distribution} kmm-render emits no MachineConfig to tell it: set firmware_class.path=${path} on these nodes' kernel command line, or leave firmwareHostPath at ${target.firmwareHostPath}`,
      ),
    );
  };
  const labelsOf = (n: NodeInfo) => labels.get(n.name)?.labels ?? n.labels;
  // pool name → modules needing the firmware path there
  const firmwarePools = new Map<string, ModuleObject[]>();
  const poolOfNode = new Map<string, string | undefined>();
  const poolOf = (n: NodeInfo, module: ModuleObject): string | undefined => {
    if (!poolOfNode.has(n.name)) {
      const a = assignPool(labelsOf(n), cluster.pools);
      if (a.candidates.length > 1) {
        diagnostics.push(diagnostic('NODE_IN_SEVERAL_POOLS', at(n.ref, n.paths.name), `node ${n.name} matches the MachineConfigPools ${a.candidates.join(', ')}; using ${a.pool}`));
      }
      poolOfNode.set(n.name, a.pool);
    }
    const pool = poolOfNode.get(n.name);
    if (pool === undefined) {
      diagnostics.push(diagnostic('NODE_WITHOUT_POOL', at(n.ref, n.paths.name), `node ${n.name} needs the firmware search path for Module ${module.namespace}/${module.name} but is in no MachineConfigPool (no worker, master or custom pool matches it)`));
    }
    return pool;
  };

  // Where the cluster runs the KMM operator, it gets pinned Modules instead of workloads.
  const operator = target.delivery === 'operator-modules';
  for (const module of cluster.modules) {
    const targeted = selectTargetedNodes(module.spec.selector, cluster.nodes, labelsOf, module.spec.tolerations);
    if (!hasModuleLoader(module)) {
      // Device plugin only (KMM 2.x): it runs on the selected nodes; nothing is loaded.
      if (operator) objects.push(operatorModule(module, [], []));
      else if (module.spec.devicePlugin && targeted.length > 0) objects.push(devicePlugin(module, [], targeted));
      continue;
    }
    const mappedKernels: string[] = [];
    const mappedNodes: NodeInfo[] = [];
    const pinned: OperatorKernelMapping[] = [];
    for (const [kernel, nodes] of groupByKernel(targeted)) {
      const r = resolveModuleLoaderData(module, kernel, nodes, cluster.settings.name);
      for (const d of r.diagnostics) diagnostics.push(d);
      const nodeNames = nodes.map((n) => n.name);
      const moduleId = `${module.namespace}/${module.name}`;
      if (!r.data) {
        coverage.push({ module: moduleId, kernel, nodes: nodeNames });
        continue;
      }
      const bs = planBuildSignObjects(module, r.data, nodes, cluster, { configMapNamespace: module.namespace, driverToolkits: driverToolkitsOf(cluster) }, fleet.settings);
      for (const d of bs.diagnostics) diagnostics.push(d);
      // With the operator, builds and signing stay in the Module: the operator runs them.
      if (!operator) for (const o of bs.objects) objects.push(o);
      coverage.push({ module: moduleId, kernel, nodes: nodeNames, image: r.data.containerImage, build: bs.build, sign: bs.sign });
      mappedKernels.push(kernel);
      for (const n of nodes) mappedNodes.push(n);
      if (operator) pinned.push(pinKernelMapping(module, r.data, cluster.knownImages));
      else {
        objects.push({
          type: 'module-loader',
          name: makeObjectName([module.name, kernel], `${module.namespace}/${module.name}/${kernel}`),
          namespace: module.namespace,
          module,
          data: r.data,
          nodes,
        });
      }
      // How the kernel finds firmwareHostPath depends on the target (MachineConfigs on OpenShift).
      if (module.spec.moduleLoader.container.modprobe.firmwarePath && target.firmwareSearchPath === 'machine-config') {
        for (const n of nodes) {
          const pool = poolOf(n, module);
          if (pool === undefined) continue;
          const list = firmwarePools.get(pool) ?? [];
          if (!list.includes(module)) list.push(module);
          firmwarePools.set(pool, list);
        }
      }
      if (module.spec.moduleLoader.container.modprobe.firmwarePath && target.firmwareSearchPath === 'kernel-default') warnUnsearchedFirmware(module);
    }
    // Every Module in scope, even one no node needs yet: the operator serves nodes to come.
    if (operator) objects.push(operatorModule(module, pinned, mappedNodes));
    else if (module.spec.devicePlugin && mappedKernels.length > 0) objects.push(devicePlugin(module, mappedKernels, mappedNodes));
  }

  for (const [pool, modules] of firmwarePools) {
    const poolNodes = cluster.nodes.filter((n) => {
      if (!poolOfNode.has(n.name)) poolOfNode.set(n.name, assignPool(labelsOf(n), cluster.pools).pool);
      return poolOfNode.get(n.name) === pool;
    });
    objects.push({
      type: 'machine-config',
      name: makeObjectName(['99', pool, 'kernel-args-firmware-path'], `99-${pool}-kernel-args-firmware-path`),
      pool,
      poolNodes,
      modules,
    });
  }

  if (cluster.settings.hub) {
    const hub = planHub(cluster, fleet);
    for (const d of hub.diagnostics) diagnostics.push(d);
    for (const o of hub.objects) objects.push(o);
    for (const row of hub.coverage) coverage.push(row);
  }

  for (const o of planTrustedCAs(objects)) objects.push(o);
  const ordered = resolveNameCollisions(objects).sort(
    (a, b) => emittedKindOf(a).applyRank - emittedKindOf(b).applyRank || compareText(namespaceOf(a), namespaceOf(b)) || compareText(a.name, b.name),
  );
  return { plan: { cluster: cluster.settings, nodeCount: cluster.nodes.length, objects: ordered, coverage }, diagnostics };
}

