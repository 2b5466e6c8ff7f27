/** The KMM planner for one cluster: which objects to emit, their names and order (SPEC §4, §5). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { at } from '../load/object-ref.js';
import { resolveModuleLoaderData } from '../kmm/module-loader-data.js';
import { groupByKernel, selectTargetedNodes } from '../kmm/node-targeting.js';
import type { ModuleObject } from '../model/kmm.js';
import type { ClusterModel, NodeInfo } from '../model/inventory.js';
import type { NodeLabels } from '../nfd/node-labels.js';
import type { ClusterPlan, CoverageRow, PlannedObject } from './fleet-plan.js';
import { assignPool } from './machine-config-pools.js';
import { hashedName, makeObjectName } from './names.js';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const APPLY_RANK: Record<PlannedObject['type'], number> = { 'machine-config': 0, 'module-loader': 1, 'device-plugin': 2 };

/** The object kind a planned object becomes (names are unique per kind and namespace). */
function kindOf(o: PlannedObject): string {
  return o.type === 'machine-config' ? 'MachineConfig' : 'DaemonSet';
}

function namespaceOf(o: PlannedObject): string {
  return o.type === 'machine-config' ? '' : o.namespace;
}

/** The unambiguous identity a name stands for; equal readable names of different identities collide. */
function identityOf(o: PlannedObject): string {
  switch (o.type) {
    case 'module-loader':
      return `module-loader/${o.namespace}/${o.module.name}/${o.data.kernel}`;
    case 'device-plugin':
      return `device-plugin/${o.namespace}/${o.module.name}`;
    case 'machine-config':
      return `machine-config/${o.pool}`;
  }
}

/** Gives every object of a colliding readable name a hashed name instead (SPEC §5). */
function resolveNameCollisions(objects: PlannedObject[]): PlannedObject[] {
  const groups = new Map<string, Set<string>>();
  for (const o of objects) {
    const key = `${kindOf(o)}/${namespaceOf(o)}/${o.name}`;
    const set = groups.get(key) ?? new Set<string>();
    set.add(identityOf(o));
    groups.set(key, set);
  }
  return objects.map((o) => {
    const ids = groups.get(`${kindOf(o)}/${namespaceOf(o)}/${o.name}`)!;
    return ids.size > 1 ? { ...o, name: hashedName(o.name, identityOf(o)) } : o;
  });
}

/** Plans one cluster from its model and the effective node labels. */
export function planCluster(cluster: ClusterModel, labels: ReadonlyMap<string, NodeLabels>): { plan: ClusterPlan; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const objects: PlannedObject[] = [];
  const coverage: CoverageRow[] = [];
  const labelsOf = (n: NodeInfo) => labels.get(n.name)?.labels ?? n.labels;
  // pool name → modules needing the firmware path there
  const firmwarePools = new Map<string, ModuleObject[]>();
  const poolOfNode = new Map<string, string | undefined>();
  const poolOf = (n: NodeInfo, module: ModuleObject): string | undefined => {
    if (!poolOfNode.has(n.name)) {
      const a = assignPool(labelsOf(n), cluster.pools);
      if (a.candidates.length > 1) {
        diagnostics.push(diagnostic('NODE_IN_SEVERAL_POOLS', at(n.ref, ['metadata', 'name']), `node ${n.name} matches the MachineConfigPools ${a.candidates.join(', ')}; using ${a.pool}`));
      }
      poolOfNode.set(n.name, a.pool);
    }
    const pool = poolOfNode.get(n.name);
    if (pool === undefined) {
      diagnostics.push(diagnostic('NODE_WITHOUT_POOL', at(n.ref, ['metadata', 'name']), `node ${n.name} needs the firmware search path for Module ${module.namespace}/${module.name} but is in no MachineConfigPool (no worker, master or custom pool matches it)`));
    }
    return pool;
  };

  for (const module of cluster.modules) {
    const targeted = selectTargetedNodes(module.spec.selector, cluster.nodes, labelsOf);
    const mappedKernels: string[] = [];
    const mappedNodes: NodeInfo[] = [];
    for (const [kernel, nodes] of groupByKernel(targeted)) {
      const r = resolveModuleLoaderData(module, kernel, nodes, cluster.settings.name);
      for (const item of r.diagnostics) diagnostics.push(item);
      const nodeNames = nodes.map((n) => n.name);
      const moduleId = `${module.namespace}/${module.name}`;
      coverage.push(r.data ? { module: moduleId, kernel, nodes: nodeNames, image: r.data.containerImage } : { module: moduleId, kernel, nodes: nodeNames });
      if (!r.data) continue;
      mappedKernels.push(kernel);
      for (const item of nodes) mappedNodes.push(item);
      objects.push({
        type: 'module-loader',
        name: makeObjectName([module.name, kernel], `${module.namespace}/${module.name}/${kernel}`),
        namespace: module.namespace,
        module,
        data: r.data,
        nodes,
      });
      if (module.spec.moduleLoader.container.modprobe.firmwarePath) {
        for (const n of nodes) {
          const pool = poolOf(n, module);
          if (pool === undefined) continue;
          const list = firmwarePools.get(pool) ?? [];
          if (!list.includes(module)) list.push(module);
          firmwarePools.set(pool, list);
        }
      }
    }
    if (module.spec.devicePlugin && mappedKernels.length > 0) {
      objects.push({
        type: 'device-plugin',
        name: makeObjectName([module.name, 'device-plugin'], `${module.namespace}/${module.name}/device-plugin`),
        namespace: module.namespace,
        module,
        kernels: mappedKernels,
        nodes: [...mappedNodes].sort((a, b) => compareText(a.name, b.name)),
      });
    }
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

  const ordered = resolveNameCollisions(objects).sort(
    (a, b) => APPLY_RANK[a.type] - APPLY_RANK[b.type] || compareText(namespaceOf(a), namespaceOf(b)) || compareText(a.name, b.name),
  );
  return { plan: { cluster: cluster.settings, nodeCount: cluster.nodes.length, objects: ordered, coverage }, diagnostics };
}
