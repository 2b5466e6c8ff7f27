/**
 * Hub and spoke (SPEC §5.7): for each ManagedClusterModule in a hub's scope, the spokes it
 * selects by Cluster labels, the kernels of their targeted nodes, the builds and signing
 * Jobs on the hub (in its operator namespace), and one ManifestWork per spoke carrying the
 * Module with build/sign removed and one literal mapping per kernel.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { at } from '../load/object-ref.js';
import { pinnedImage } from '../kmm/image-reference.js';
import { resolveModuleLoaderData, type ModuleLoaderData } from '../kmm/module-loader-data.js';
import { groupByKernel, matchesSelector, selectTargetedNodes } from '../kmm/node-targeting.js';
import { hasModuleLoader, type ModuleObject } from '../model/kmm.js';
import type { ClusterModel, NodeInfo } from '../model/fleet-model.js';
import type { ManagedClusterModuleObject } from '../model/fleet-model.js';
import type { CoverageRow, FleetContext, PlannedObject, SpokeKernelMapping } from './fleet-plan.js';
import { makeObjectName } from './names.js';
import { planBuildSignObjects } from './plan-build-sign.js';
import { compareText } from '../base/compare-text.js';
import { driverToolkitsOf } from '../targets/target.js';

/**
 * The in-tree removal a spoke's literal mapping carries, as KMM's hub sets it from the loader
 * data: one module as `inTreeModuleToRemove`, which every KMM reads. Several (the list form
 * of KMM 2.x) can only be sent as `inTreeModulesToRemove`, which a spoke on KMM 1.1 drops:
 * a warning, since the in-tree modules would stay loaded there.
 */
function spokeInTreeRemoval(data: ModuleLoaderData, mcm: ManagedClusterModuleObject, spoke: string, diagnostics: Diagnostic[]): Pick<SpokeKernelMapping, 'inTreeModuleToRemove' | 'inTreeModulesToRemove'> {
  const modules = data.inTreeModulesToRemove;
  if (modules.length === 0) return {};
  if (modules.length === 1) return { inTreeModuleToRemove: modules[0]! };
  const mapping = mcm.spec.moduleSpec.moduleLoader?.container.kernelMappings[data.mappingIndex];
  const path = mapping?.inTreeModulesToRemove?.length ? ['spec', 'moduleSpec', 'moduleLoader', 'container', 'kernelMappings', data.mappingIndex, 'inTreeModulesToRemove'] : ['spec', 'moduleSpec', 'moduleLoader', 'container', 'inTreeModulesToRemove'];
  diagnostics.push(
    diagnostic('MCM_IN_TREE_LIST', at(mcm.ref, path), `ManagedClusterModule ${mcm.name} → ${spoke}, kernel ${data.kernel}: the in-tree modules ${modules.join(', ')} can only be sent as inTreeModulesToRemove, which a spoke running KMM 1.1 drops (its CRD has inTreeModuleToRemove, one module): there they would stay loaded`),
  );
  return { inTreeModulesToRemove: [...modules] };
}

export function planHub(hub: ClusterModel, fleet: FleetContext): { objects: PlannedObject[]; coverage: CoverageRow[]; diagnostics: Diagnostic[] } {
  const objects: PlannedObject[] = [];
  const coverage: CoverageRow[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const mcm of hub.managedClusterModules) {
    const module: ModuleObject = {
      ref: mcm.ref,
      specPath: ['spec', 'moduleSpec'],
      name: mcm.name,
      namespace: hub.settings.operatorNamespace,
      spec: mcm.spec.moduleSpec,
    };
    // A device-plugin-only moduleSpec (KMM 2.x) has no kernel mappings to pin for spokes.
    if (!hasModuleLoader(module)) continue;
    const spokes = fleet.clusters.filter((c) => matchesSelector(mcm.spec.selector, c.settings.labels));
    // kernel → loader data and the spoke nodes running it (builds are shared by all spokes)
    const byKernel = new Map<string, { data: ModuleLoaderData; nodes: NodeInfo[]; spokes: ClusterModel[] }>();
    for (const spoke of spokes) {
      const labels = fleet.labelsOf(spoke.settings.name);
      const targeted = selectTargetedNodes(mcm.spec.moduleSpec.selector, spoke.nodes, (n) => labels.get(n.name)?.labels ?? n.labels, mcm.spec.moduleSpec.tolerations);
      const mappings: SpokeKernelMapping[] = [];
      for (const [kernel, nodes] of groupByKernel(targeted)) {
        const r = resolveModuleLoaderData(module, kernel, nodes, spoke.settings.name);
        for (const d of r.diagnostics) diagnostics.push(d);
        coverage.push({
          module: `ManagedClusterModule ${mcm.name} → ${spoke.settings.name}`,
          kernel,
          nodes: nodes.map((n) => n.name),
          ...(r.data ? { image: r.data.containerImage } : {}),
        });
        if (!r.data) continue;
        const entry = byKernel.get(kernel) ?? { data: r.data, nodes: [], spokes: [] };
        entry.nodes.push(...nodes);
        entry.spokes.push(spoke);
        byKernel.set(kernel, entry);
        const digest = hub.knownImages.get(r.data.containerImage) ?? spoke.knownImages.get(r.data.containerImage);
        const image = digest ? pinnedImage(r.data.containerImage, digest) : r.data.containerImage;
        mappings.push({ literal: kernel, containerImage: image, ...spokeInTreeRemoval(r.data, mcm, spoke.settings.name, diagnostics) });
      }
      if (mappings.length === 0) {
        diagnostics.push(diagnostic('MCM_SPOKE_WITHOUT_NODES', at(mcm.ref, ['metadata', 'name']), `ManagedClusterModule ${mcm.name} selects cluster ${spoke.settings.name}, but none of its nodes has a mapped kernel: no ManifestWork for it`));
        continue;
      }
      objects.push({
        type: 'manifest-work',
        name: makeObjectName([mcm.name], mcm.name),
        namespace: spoke.settings.name,
        module,
        spoke: spoke.settings.name,
        spokeNamespace: mcm.spec.spokeNamespace,
        kernelMappings: mappings.sort((a, b) => compareText(a.literal, b.literal)),
      });
    }
    for (const [, { data, nodes, spokes: using }] of [...byKernel].sort((a, b) => compareText(a[0], b[0]))) {
      const bs = planBuildSignObjects(module, data, nodes, hub, { configMapNamespace: hub.settings.operatorNamespace, driverToolkits: [...using.flatMap((s) => driverToolkitsOf(s)), ...driverToolkitsOf(hub)] }, fleet.settings);
      for (const d of bs.diagnostics) diagnostics.push(d);
      for (const o of bs.objects) objects.push(o);
    }
  }
  return { objects, coverage, diagnostics };
}
