/**
 * `inventory pull` (SPEC §1, §2.3): reading Nodes, NodeFeatures (all namespaces),
 * MachineConfigPools and the openshift/driver-toolkit ImageStream from a live cluster with
 * @kubernetes/client-node, honouring the kubeconfig's TLS settings. I/O edge (network).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { importClientLibrary, type ClientLibrary } from './client-library.js';
import { OperationalError } from '../base/operational-error.js';

type Obj = Record<string, unknown>;

/** Why the cluster could not be read, in one line without credentials. */
export class ClusterAccessError extends OperationalError {}

export interface PulledInventory {
  readonly nodes: Obj[];
  /** Undefined when the kind is not served (CRD not installed). */
  readonly nodeFeatures?: Obj[];
  readonly machineConfigPools?: Obj[];
  readonly driverToolkit?: Obj | null;
  readonly warnings: string[];
}

export interface PullOptions {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** Allow kubeconfig `exec` credential plugins (they run a program). */
  readonly allowExec?: boolean;
}

const PAGE = 500;

/** Loads the kubeconfig; refuses exec plugins unless allowed. */
function loadKubeConfig(k8s: ClientLibrary, o: PullOptions): KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    if (o.kubeconfig) kc.loadFromFile(o.kubeconfig);
    else kc.loadFromDefault();
    if (o.context) kc.setCurrentContext(o.context);
  } catch (e) {
    throw new ClusterAccessError(`cannot load the kubeconfig${o.kubeconfig ? ` ${o.kubeconfig}` : ''}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (o.context && kc.getCurrentContext() !== o.context) throw new ClusterAccessError(`no context ${o.context} in the kubeconfig`);
  const user = kc.getCurrentUser();
  if (user?.exec && !o.allowExec) {
    throw new ClusterAccessError(`the kubeconfig user ${user.name} uses an exec credential plugin (${user.exec.command}); pass --allow-exec-plugin to run it`);
  }
  if (!kc.getCurrentCluster()) throw new ClusterAccessError('the kubeconfig has no current cluster');
  return kc;
}

function statusOf(k8s: ClientLibrary, e: unknown): number | undefined {
  if (e instanceof k8s.ApiException) return e.code;
  return undefined;
}

function describe(k8s: ClientLibrary, e: unknown, server: string, what: string): ClusterAccessError {
  const code = statusOf(k8s, e);
  if (code === 401) return new ClusterAccessError(`${server} rejected the credentials (401 Unauthorized) while listing ${what}`);
  if (code === 403) return new ClusterAccessError(`${server} refused access (403 Forbidden) to ${what}; the user needs list rights on it`);
  if (code !== undefined) return new ClusterAccessError(`${server} answered ${code} while listing ${what}`);
  const err = e as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  const reason = err.cause?.code ?? err.code ?? err.cause?.message ?? err.message ?? String(e);
  return new ClusterAccessError(`cannot reach ${server} (${reason.split('\n')[0]})`);
}

async function listAll(fetchPage: (cont?: string) => Promise<{ items?: unknown[]; metadata?: { _continue?: string; continue?: string } }>): Promise<Obj[]> {
  const out: Obj[] = [];
  let cont: string | undefined;
  do {
    const page = await fetchPage(cont);
    for (const item of page.items ?? []) out.push(JSON.parse(JSON.stringify(item)) as Obj);
    cont = page.metadata?._continue ?? page.metadata?.continue ?? undefined;
  } while (cont);
  return out;
}

/** Reads the inventory of the cluster the kubeconfig points at. */
export async function pullInventory(o: PullOptions): Promise<PulledInventory> {
  const k8s = await importClientLibrary();
  const kc = loadKubeConfig(k8s, o);
  const server = kc.getCurrentCluster()!.server;
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const warnings: string[] = [];

  let nodes: Obj[];
  try {
    nodes = await listAll((cont) => core.listNode({ limit: PAGE, ...(cont ? { _continue: cont } : {}) }) as never);
  } catch (e) {
    throw describe(k8s, e, server, 'Nodes');
  }
  const optional = async (what: string, missing: string, fn: (cont?: string) => Promise<never>) => {
    try {
      return await listAll(fn);
    } catch (e) {
      if (statusOf(k8s, e) === 404) {
        warnings.push(`${what}: not served by ${server} (${missing}); none pulled`);
        return undefined;
      }
      throw describe(k8s, e, server, what);
    }
  };
  const nodeFeatures = await optional('NodeFeatures', 'Node Feature Discovery is not installed', (cont) =>
    custom.listClusterCustomObject({ group: 'nfd.k8s-sigs.io', version: 'v1alpha1', plural: 'nodefeatures', limit: PAGE, ...(cont ? { _continue: cont } : {}) }) as never,
  );
  const machineConfigPools = await optional('MachineConfigPools', 'the Machine Config Operator is not installed: not OpenShift', (cont) =>
    custom.listClusterCustomObject({ group: 'machineconfiguration.openshift.io', version: 'v1', plural: 'machineconfigpools', limit: PAGE, ...(cont ? { _continue: cont } : {}) }) as never,
  );
  let driverToolkit: Obj | null | undefined;
  try {
    driverToolkit = JSON.parse(JSON.stringify(await custom.getNamespacedCustomObject({ group: 'image.openshift.io', version: 'v1', namespace: 'openshift', plural: 'imagestreams', name: 'driver-toolkit' }))) as Obj;
  } catch (e) {
    if (statusOf(k8s, e) !== 404) throw describe(k8s, e, server, 'the openshift/driver-toolkit ImageStream');
    warnings.push(`the openshift/driver-toolkit ImageStream is not served by ${server}; DTK_AUTO cannot be resolved for this cluster`);
    driverToolkit = null;
  }
  return { nodes, ...(nodeFeatures ? { nodeFeatures } : {}), ...(machineConfigPools ? { machineConfigPools } : {}), driverToolkit, warnings };
}
