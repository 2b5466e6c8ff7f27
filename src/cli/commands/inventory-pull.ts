/** `kmm-render inventory pull` (SPEC §1, §2.3): a live cluster's inventory into clusters/<name>/. I/O edge. */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keepFeatures, toHardwareProfiles } from '../../cluster/compact-inventory.js';
import { listOf, trimImageStream, trimMachineConfigPool, trimNode, trimNodeFeature } from '../../cluster/inventory-objects.js';
import { classifyDocuments, clusterFolderOf } from '../../load/classify-documents.js';
import { parseFile } from '../../load/parse-documents.js';
import { dynamicValueFeatures, featureReferences } from '../../nfd/feature-references.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { ClusterAccessError, pullInventory } from '../../cluster/pull-inventory.js';
import { isDns1123Label } from '../../k8s/name-syntax.js';
import { toCanonicalYaml } from '../../render/canonical-yaml.js';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../exit-codes.js';
import { writeFileAtomically } from '../../disk/write-file-atomically.js';

export interface InventoryPullOptions {
  repo: string;
  cluster?: string;
  kubeconfig?: string;
  context?: string;
  allowExec: boolean;
  /** One Node and NodeFeature per node instead of HardwareProfiles. */
  upstream?: boolean;
  /** Keep every feature, not only those the repository's rules reference. */
  allFeatures?: boolean;
}

type Obj = Record<string, unknown>;

const HEADER = '# Pulled by `kmm-render inventory pull`; pull again rather than edit.\n';
const PROFILES_FILE = 'hardware-profiles.yaml';

/**
 * The features that NodeFeatureRules in the cluster's scope (fleet-wide files and its own
 * folder) reference, in match terms or `@` output values. Files that do not parse are skipped here; `render` reports them.
 */
function referencedFeatures(repo: string, cluster: string): Set<string> {
  const snapshot = readRepo(repo, undefined, readReaderSettings(repo));
  const inScope = snapshot.files.filter((f) => {
    const folder = clusterFolderOf(f.path);
    return folder === undefined || folder === cluster;
  });
  const { objects } = classifyDocuments(inScope.flatMap((f) => parseFile(f).documents), { checkPlacement: false });
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind.key !== 'NodeFeatureRule') continue;
    for (const ref of featureReferences(o.value.spec)) out.add(ref.feature);
    for (const feature of dynamicValueFeatures(o.value.spec)) out.add(feature);
  }
  return out;
}

/** Writes (or, with undefined, removes) one inventory file that kmm-render owns. */
function writeOwned(path: string, value: object | string | undefined): string | undefined {
  if (value === undefined) {
    if (existsSync(path) && readFileSync(path, 'utf8').startsWith(HEADER)) {
      rmSync(path);
      return `removed ${path}`;
    }
    return undefined;
  }
  writeFileAtomically(path, HEADER + (typeof value === 'string' ? value : toCanonicalYaml(value)));
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
  const keep = o.allFeatures ? undefined : referencedFeatures(resolve(o.repo), o.cluster);
  const nodes = pulled.nodes.map(trimNode);
  const nodeFeatures = pulled.nodeFeatures?.map((nf) => {
    const trimmed = trimNodeFeature(nf);
    if (!keep) return trimmed;
    const spec = trimmed.spec as Obj;
    return { ...trimmed, spec: { ...spec, features: keepFeatures(spec.features, keep) } };
  });
  mkdirSync(dir, { recursive: true });
  const written: (string | undefined)[] = [];
  let summary: string;
  if (o.upstream) {
    written.push(writeOwned(join(dir, PROFILES_FILE), undefined));
    written.push(writeOwned(join(dir, 'nodes.yaml'), listOf(nodes)));
    written.push(writeOwned(join(dir, 'nodefeatures.yaml'), nodeFeatures && listOf(nodeFeatures)));
    summary = `${nodes.length} node(s)${nodeFeatures ? `, ${nodeFeatures.length} NodeFeature(s)` : ''}`;
  } else {
    const { profiles, unassigned } = toHardwareProfiles(nodes, nodeFeatures ?? []);
    for (const nf of unassigned) process.stderr.write(`kmm-render: warning: NodeFeature ${nf} belongs to no node of the cluster; left out\n`);
    written.push(writeOwned(join(dir, 'nodes.yaml'), undefined));
    written.push(writeOwned(join(dir, 'nodefeatures.yaml'), undefined));
    written.push(writeOwned(join(dir, PROFILES_FILE), profiles.map((p) => toCanonicalYaml(p)).join('---\n')));
    summary = `${nodes.length} node(s) in ${profiles.length} hardware profile(s)`;
  }
  written.push(writeOwned(join(dir, 'machineconfigpools.yaml'), pulled.machineConfigPools && listOf(pulled.machineConfigPools.map(trimMachineConfigPool))));
  written.push(writeOwned(join(dir, 'driver-toolkit.yaml'), pulled.driverToolkit ? trimImageStream(pulled.driverToolkit) : undefined));
  const done = written.filter((x): x is string => x !== undefined);
  for (const w of pulled.warnings) process.stderr.write(`kmm-render: warning: ${w}\n`);
  const features = keep ? `; features kept: ${keep.size ? [...keep].sort().join(', ') : 'none (no rule references one)'}` : '; all features kept';
  process.stderr.write(`kmm-render: ${summary}${pulled.machineConfigPools ? `, ${pulled.machineConfigPools.length} MachineConfigPool(s)` : ''}${features}; ${done.join('; ')}\n`);
  return EXIT_OK;
}
