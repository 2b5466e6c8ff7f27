/**
 * The validate phase: schema checks, semantic checks and cluster scoping, producing the
 * typed, read-only fleet model the later phases work on (SPEC §2, §4.4).
 */
import { CATALOGUE } from '../diagnostics/catalogue.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fileStart } from '../diagnostics/locate.js';
import { clusterFolderOf, type LoadedObject } from '../load/classify-documents.js';
import { isDns1123Label } from '../k8s/name-syntax.js';
import { at } from '../load/object-ref.js';
import { checkKmmVersionFields, checkModule } from '../kmm/module-checks.js';
import { DEFAULT_LIMITS, type Limits } from '../load/limits.js';
import { isShellQuotable } from '../kmm/shell-quote.js';
import type { ConfigMapObject, ModuleObject, ModuleSpec } from '../model/kmm.js';
import type {
  ClusterModel,
  ClusterSettings,
  FleetModel,
  ManagedClusterModuleObject,
  MachineConfigPoolInfo,
  NodeFeatureObject,
  NodeFeatureRuleObject,
  NodeInfo,
  DiagnosticSetting,
  RenderSettings,
  Taint,
} from '../model/fleet-model.js';
import { NODE_OBJECT_PATHS } from '../model/fleet-model.js';
import { expandHardwareProfile, findDuplicateNodes, kernelOfNode } from './hardware-profiles.js';
import * as D from './defaults.js';
import { findDuplicates } from './duplicates.js';
import { checkModuleInCluster } from './scope-checks.js';
import type { SchemaValidators } from './schemas.js';
import { toNodeFeatureObject, toNodeFeatureRuleObject, validateObjects } from './validate-objects.js';
import { compareText } from '../base/compare-text.js';
import { TARGETS } from '../targets/target.js';

/** The node label that ties a NodeFeature to its node (SPEC §2.3). */
export const NODE_NAME_LABEL = 'nfd.node.kubernetes.io/node-name';

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

const meta = (o: LoadedObject) => o.value.metadata as Meta;
/**
 * The `diagnostics` severities of kmm-render.yaml that can be applied, and a diagnostic for
 * each that cannot: an unknown code, or an error made a warning or turned off (kmm-render
 * cannot render correct output past an error).
 */
function diagnosticSettings(config: LoadedObject | undefined, out: Diagnostic[]): Record<string, DiagnosticSetting> {
  const entries = ((config?.value.spec as { diagnostics?: Record<string, DiagnosticSetting> } | undefined)?.diagnostics ?? {}) as Record<string, DiagnosticSetting>;
  const settings: Record<string, DiagnosticSetting> = {};
  for (const [code, setting] of Object.entries(entries).sort(([a], [b]) => compareText(a, b))) {
    const where = at(config!.ref, ['spec', 'diagnostics', code], true);
    const known = (CATALOGUE as Record<string, { severity: string } | undefined>)[code];
    if (!known) {
      const near = Object.keys(CATALOGUE).filter((c) => c.startsWith(code.split('_')[0]!)).slice(0, 5);
      out.push(diagnostic('CONFIG_DIAGNOSTIC_UNKNOWN', where, `kmm-render.yaml: there is no diagnostic code ${code}${near.length ? ` (codes like it: ${near.join(', ')})` : ''}; docs/diagnostics.md lists them`));
    } else if (known.severity === 'error' && setting !== 'error') {
      out.push(diagnostic('CONFIG_DIAGNOSTIC_ERROR', where, `kmm-render.yaml: ${code} is an error and stays one (kmm-render cannot render correct output past it); only warnings can be made errors or turned off`));
    } else {
      settings[code] = setting;
    }
  }
  return settings;
}

function renderSettings(objects: readonly LoadedObject[], out: Diagnostic[]): RenderSettings {
  const config = objects.find((o) => o.kind.key === 'RenderConfig');
  const spec = ((config?.value.spec ?? {}) as Partial<RenderSettings>);
  return {
    output: spec.output ?? D.DEFAULT_OUTPUT,
    exclude: spec.exclude ?? [],
    signerImage: spec.signerImage ?? D.DEFAULT_SIGNER_IMAGE,
    builderImage: spec.builderImage ?? D.DEFAULT_BUILDER_IMAGE,
    waitImage: spec.waitImage ?? D.DEFAULT_WAIT_IMAGE,
    pinDigests: spec.pinDigests ?? false,
    kmmVersion: spec.kmmVersion ?? '1.1',
    diagnostics: diagnosticSettings(config, out),
  };
}

function clusterSettings(name: string, cluster: LoadedObject | undefined): ClusterSettings {
  const spec = (cluster?.value.spec ?? {}) as Partial<Omit<ClusterSettings, 'nfd'>> & { nfd?: Partial<ClusterSettings['nfd']> };
  // The schema allows only known distributions.
  const distribution = spec.distribution ?? D.DEFAULT_DISTRIBUTION;
  const target = TARGETS[distribution];
  return {
    name,
    labels: (cluster ? meta(cluster).labels : undefined) ?? {},
    distribution,
    operatorNamespace: spec.operatorNamespace ?? target.operatorNamespace,
    kmmOperator: spec.kmmOperator ?? false,
    hub: spec.hub ?? false,
    kernelVersionLabel: spec.kernelVersionLabel ?? target.kernelVersionLabel,
    firmwareHostPath: spec.firmwareHostPath ?? target.firmwareHostPath,
    nfd: {
      extraLabelNs: spec.nfd?.extraLabelNs ?? [],
      denyLabelNs: spec.nfd?.denyLabelNs ?? [],
      enableTaints: spec.nfd?.enableTaints ?? false,
    },
  };
}

function toModule(o: LoadedObject, out: Diagnostic[], maxRegexpLength: number, kmmVersion: RenderSettings['kmmVersion']): ModuleObject {
  const m = meta(o);
  if (!m.namespace) {
    out.push(diagnostic('MODULE_NAMESPACE_DEFAULTED', at(o.ref, ['metadata']), `Module ${m.name} has no metadata.namespace; rendered into "${D.DEFAULT_MODULE_NAMESPACE}"`));
  }
  const spec = o.value.spec as ModuleSpec;
  const module: ModuleObject = {
    ref: o.ref,
    specPath: ['spec'],
    name: m.name,
    namespace: m.namespace || D.DEFAULT_MODULE_NAMESPACE,
    spec,
    ...(o.cluster !== undefined ? { scope: o.cluster } : {}),
  };
  for (const item of checkModule(module, maxRegexpLength)) out.push(item);
  for (const item of checkKmmVersionFields(module, kmmVersion)) out.push(item);
  return module;
}

function toNode(o: LoadedObject, out: Diagnostic[]): NodeInfo | undefined {
  const m = meta(o);
  const status = (o.value.status ?? {}) as { nodeInfo?: { kernelVersion?: string; osImage?: string } };
  const kernelVersion = status.nodeInfo?.kernelVersion;
  if (!kernelVersion) {
    out.push(diagnostic('NODE_KERNEL_MISSING', at(o.ref, NODE_OBJECT_PATHS.kernelVersion), `Node ${m.name} has no status.nodeInfo.kernelVersion`));
    return undefined;
  }
  const kernel = kernelOfNode(m.name, kernelVersion, o.ref, NODE_OBJECT_PATHS, out);
  if (kernel === undefined) return undefined;
  const spec = (o.value.spec ?? {}) as { taints?: Taint[] };
  return {
    ref: o.ref,
    paths: NODE_OBJECT_PATHS,
    name: m.name,
    labels: m.labels ?? {},
    taints: spec.taints ?? [],
    kernelVersion,
    kernel,
    ...(status.nodeInfo?.osImage ? { osImage: status.nodeInfo.osImage } : {}),
  };
}

/** Builds the fleet model. Objects with schema errors are left out of it. */
export function buildFleetModel(
  loaded: readonly LoadedObject[],
  filePaths: readonly string[],
  validators: SchemaValidators,
  limits: Limits = DEFAULT_LIMITS,
): { model: FleetModel; diagnostics: Diagnostic[] } {
  const { valid, diagnostics } = validateObjects(loaded, validators);

  // Clusters: every clusters/<name>/ folder holding an input file (SPEC §2.3).
  const folders = new Map<string, string>();
  for (const p of [...filePaths].sort(compareText)) {
    const name = clusterFolderOf(p);
    if (name !== undefined && !folders.has(name)) folders.set(name, p);
  }
  const clusterNames: string[] = [];
  for (const [name, firstFile] of [...folders.entries()].sort((a, b) => compareText(a[0], b[0]))) {
    if (isDns1123Label(name)) clusterNames.push(name);
    else diagnostics.push(diagnostic('CLUSTER_NAME_INVALID', fileStart(firstFile), `cluster folder "clusters/${name}" is not a DNS-1123 label (lower-case letters, digits and "-", at most 63)`));
  }
  const inValidScope = (o: LoadedObject) => o.cluster === undefined || clusterNames.includes(o.cluster);
  const objects = valid.filter(inValidScope);

  const fleetWide = objects.filter((o) => o.cluster === undefined && o.kind.placement === 'anywhere');
  const byCluster = new Map<string, LoadedObject[]>(clusterNames.map((n) => [n, []]));
  for (const o of objects) if (o.cluster !== undefined) byCluster.get(o.cluster)!.push(o);

  for (const item of findDuplicates([fleetWide, ...clusterNames.map((n) => [...fleetWide, ...byCluster.get(n)!])])) diagnostics.push(item);

  // Read first: which KMM's fields a Module may use is a setting of kmm-render.yaml.
  const renderConfig = renderSettings(objects, diagnostics);
  const moduleCache = new Map<LoadedObject, ModuleObject>();
  const moduleOf = (o: LoadedObject) => {
    let m = moduleCache.get(o);
    if (!m) moduleCache.set(o, (m = toModule(o, diagnostics, limits.maxRegexpLength, renderConfig.kmmVersion)));
    return m;
  };
  // Fleet-wide Modules are checked even when there is no cluster yet.
  for (const o of fleetWide) if (o.kind.key === 'Module') moduleOf(o);

  const clusters: ClusterModel[] = [];
  for (const name of clusterNames) {
    const own = byCluster.get(name)!;
    const scope = [...fleetWide, ...own];
    const clusterDocs = own.filter((o) => o.kind.key === 'Cluster');
    for (const c of clusterDocs) {
      if (meta(c).name !== name) {
        diagnostics.push(diagnostic('CLUSTER_NAME_MISMATCH', at(c.ref, ['metadata', 'name']), `Cluster name "${meta(c).name}" must equal its folder name "${name}"`));
      }
    }
    const settings = clusterSettings(name, clusterDocs[0]);
    // firmwareHostPath goes into the loaders' shell scripts (SPEC §5.1).
    if (clusterDocs[0] && !isShellQuotable(settings.firmwareHostPath)) {
      diagnostics.push(diagnostic('SHELL_UNSAFE_VALUE', at(clusterDocs[0].ref, ['spec', 'firmwareHostPath']), 'firmwareHostPath contains a control character and cannot be put in the loader script'));
    }

    const nodes: NodeInfo[] = [];
    for (const o of own) {
      if (o.kind.key !== 'Node') continue;
      const n = toNode(o, diagnostics);
      if (n) nodes.push(n);
    }
    const nodeFeatures: NodeFeatureObject[] = [];
    for (const o of own) {
      if (o.kind.key !== 'HardwareProfile') continue;
      const expanded = expandHardwareProfile(o, diagnostics);
      for (const n of expanded.nodes) nodes.push(n);
      for (const nf of expanded.nodeFeatures) nodeFeatures.push(nf);
    }
    for (const item of findDuplicateNodes(nodes)) diagnostics.push(item);
    nodes.sort((a, b) => compareText(a.name, b.name));
    if (nodes.length > limits.maxNodesPerCluster) {
      diagnostics.push(diagnostic('LIMIT_NODES', at(nodes[limits.maxNodesPerCluster]!.ref, nodes[limits.maxNodesPerCluster]!.paths.name), `cluster ${name} has ${nodes.length} nodes, more than the ${limits.maxNodesPerCluster} allowed (limits.maxNodesPerCluster)`));
      nodes.length = 0;
    }
    const nodeNames = new Set(nodes.map((n) => n.name));

    for (const o of own) {
      if (o.kind.key !== 'NodeFeature') continue;
      const m = meta(o);
      const nodeName = m.labels?.[NODE_NAME_LABEL];
      if (!nodeName || !nodeNames.has(nodeName)) {
        diagnostics.push(diagnostic('NODE_FEATURE_UNASSIGNED', at(o.ref, ['metadata']), nodeName ? `NodeFeature ${m.name} is for node "${nodeName}", which is not in the inventory of cluster ${name}` : `NodeFeature ${m.name} has no ${NODE_NAME_LABEL} label`));
      }
      nodeFeatures.push(toNodeFeatureObject(o, nodeName));
    }

    const pools: MachineConfigPoolInfo[] = own
      .filter((o) => o.kind.key === 'MachineConfigPool')
      .map((o) => {
        const sel = (o.value.spec as { nodeSelector?: MachineConfigPoolInfo['nodeSelector'] } | undefined)?.nodeSelector;
        return { ref: o.ref, name: meta(o).name, ...(sel ? { nodeSelector: sel } : {}) };
      })
      .sort((a, b) => compareText(a.name, b.name));

    const modules = scope.filter((o) => o.kind.key === 'Module').map(moduleOf);
    modules.sort((a, b) => compareText(a.namespace, b.namespace) || compareText(a.name, b.name));
    const configMaps: ConfigMapObject[] = scope
      .filter((o) => o.kind.key === 'ConfigMap')
      .map((o) => ({
        ref: o.ref,
        name: meta(o).name,
        namespace: meta(o).namespace || D.DEFAULT_MODULE_NAMESPACE,
        data: (o.value.data ?? {}) as Record<string, string>,
        ...(o.cluster !== undefined ? { scope: o.cluster } : {}),
      }));
    const rules: NodeFeatureRuleObject[] = scope
      .filter((o) => o.kind.key === 'NodeFeatureRule')
      .map(toNodeFeatureRuleObject)
      .sort((a, b) => compareText(a.name, b.name));

    for (const m of modules) for (const item of checkModuleInCluster(m, configMaps, settings)) diagnostics.push(item);

    // The Driver Toolkit ImageStream: openshift/driver-toolkit, tag name = RHCOS version.
    const dtk = own.find((o) => o.kind.key === 'ImageStream' && meta(o).name === 'driver-toolkit' && (meta(o).namespace ?? 'openshift') === 'openshift');
    type Tag = { name: string; from?: { name?: string } };
    const driverToolkit = dtk
      ? {
          ref: dtk.ref,
          tags: new Map(
            ((dtk.value.spec as { tags?: Tag[] } | undefined)?.tags ?? [])
              .filter((t) => t.from?.name)
              .map((t) => [t.name, t.from!.name!] as [string, string]),
          ),
        }
      : undefined;
    const knownImages = new Map<string, string>();
    for (const o of scope.filter((x) => x.kind.key === 'ImageDigests')) {
      for (const img of (o.value.spec as { images: { image: string; digest: string }[] }).images) knownImages.set(img.image, img.digest);
    }
    const managedClusterModules: ManagedClusterModuleObject[] = scope
      .filter((o) => o.kind.key === 'ManagedClusterModule')
      .map((o) => ({ ref: o.ref, name: meta(o).name, spec: o.value.spec as ManagedClusterModuleObject['spec'], ...(o.cluster !== undefined ? { scope: o.cluster } : {}) }))
      .sort((a, b) => compareText(a.name, b.name));
    clusters.push({ settings, nodes, nodeFeatures, pools, modules, configMaps, rules, knownImages, managedClusterModules, ...(driverToolkit ? { driverToolkit } : {}) });
  }

  // ManagedClusterModules: KMM's checks on the moduleSpec, and a hub to run them.
  const hubs = clusters.filter((c) => c.settings.hub);
  for (const o of objects.filter((x) => x.kind.key === 'ManagedClusterModule')) {
    const spec = o.value.spec as ManagedClusterModuleObject['spec'];
    const view: ModuleObject = { ref: o.ref, specPath: ['spec', 'moduleSpec'], name: meta(o).name, namespace: hubs[0]?.settings.operatorNamespace ?? D.DEFAULT_OPERATOR_NAMESPACE, spec: spec.moduleSpec };
    for (const d of checkModule(view, limits.maxRegexpLength)) diagnostics.push(d);
    for (const d of checkKmmVersionFields(view, renderConfig.kmmVersion)) diagnostics.push(d);
    if (!hubs.some((h) => h.managedClusterModules.some((m) => m.ref === o.ref))) {
      diagnostics.push(diagnostic('MCM_WITHOUT_HUB', at(o.ref, ['metadata', 'name']), `ManagedClusterModule ${meta(o).name} is in the scope of no hub cluster (a Cluster with spec.hub: true); nothing is rendered for it`));
    }
  }

  return { model: { clusters, settings: renderConfig }, diagnostics };
}
