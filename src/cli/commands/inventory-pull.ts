/** `kmm-render inventory pull` (SPEC §1, §2.3): a live cluster's inventory into clusters/<name>/. I/O edge. */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { listOf, trimImageStream, trimMachineConfigPool, trimNode, trimNodeFeature } from '../../cluster/inventory-objects.js';
import { ClusterAccessError, pullInventory } from '../../cluster/pull-inventory.js';
import { isDns1123Label } from '../../load/classify-documents.js';
import { toCanonicalYaml } from '../../render/canonical-yaml.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';

export interface InventoryPullOptions {
  repo: string;
  cluster?: string;
  kubeconfig?: string;
  context?: string;
  allowExec: boolean;
}

const HEADER = '# Pulled by `kmm-render inventory pull`; pull again rather than edit.\n';

/** Writes (or, with undefined, removes) one inventory file that kmm-render owns. */
function writeOwned(path: string, value: object | undefined): string | undefined {
  if (value === undefined) {
    if (existsSync(path) && readFileSync(path, 'utf8').startsWith(HEADER)) {
      rmSync(path);
      return `removed ${path}`;
    }
    return undefined;
  }
  const tmp = `${path}.kmm-render-tmp`;
  writeFileSync(tmp, HEADER + toCanonicalYaml(value));
  renameSync(tmp, path);
  return `wrote ${path}`;
}

export async function runInventoryPull(o: InventoryPullOptions): Promise<number> {
  if (!o.cluster) throw new UsageError('inventory pull needs --cluster NAME');
  if (!isDns1123Label(o.cluster)) throw new UsageError(`--cluster ${o.cluster} is not a DNS-1123 label (it names the folder clusters/<name>/)`);
  let pulled;
  try {
    pulled = await pullInventory({ ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), ...(o.context ? { context: o.context } : {}), allowExec: o.allowExec });
  } catch (e) {
    if (e instanceof ClusterAccessError) {
      process.stderr.write(`kmm-render: ${e.message}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  const dir = join(resolve(o.repo), 'clusters', o.cluster);
  mkdirSync(dir, { recursive: true });
  const done = [
    writeOwned(join(dir, 'nodes.yaml'), listOf(pulled.nodes.map(trimNode))),
    writeOwned(join(dir, 'nodefeatures.yaml'), pulled.nodeFeatures && listOf(pulled.nodeFeatures.map(trimNodeFeature))),
    writeOwned(join(dir, 'machineconfigpools.yaml'), pulled.machineConfigPools && listOf(pulled.machineConfigPools.map(trimMachineConfigPool))),
    writeOwned(join(dir, 'driver-toolkit.yaml'), pulled.driverToolkit ? trimImageStream(pulled.driverToolkit) : undefined),
  ].filter((x): x is string => x !== undefined);
  for (const w of pulled.warnings) process.stderr.write(`kmm-render: warning: ${w}\n`);
  process.stderr.write(`kmm-render: ${pulled.nodes.length} node(s)${pulled.nodeFeatures ? `, ${pulled.nodeFeatures.length} NodeFeature(s)` : ''}${pulled.machineConfigPools ? `, ${pulled.machineConfigPools.length} MachineConfigPool(s)` : ''}; ${done.join('; ')}\n`);
  return EXIT_OK;
}
