/**
 * Everything needed to load one Module on one kernel: the mapping merged with the container
 * level and every variable substituted (SPEC §4.2, §4.3). KMM calls this ModuleLoaderData.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocPath } from '../diagnostics/locate.js';
import { at } from '../load/object-ref.js';
import { containerPath, type Build, type LoaderModuleObject, type ModuleObject, type Modprobe, type Sign, type TLSOptions } from '../model/kmm.js';
import type { NodeInfo } from '../model/fleet-model.js';
import { kernelVariables } from './kernel-variables.js';
import { resolveKernelMapping } from './kernel-mapping.js';
import { mergeBuild, mergeSign } from './merge-build-sign.js';
import { substituteVariables } from './substitution.js';

/** The default modprobe.dirName (KMM's CRD default). */
const DEFAULT_DIR_NAME = '/opt';

export interface ModuleLoaderData {
  readonly module: ModuleObject;
  readonly kernel: string;
  readonly mappingIndex: number;
  readonly containerImage: string;
  readonly imagePullPolicy?: string;
  readonly registryTLS?: TLSOptions;
  /** In-tree modules to unload first (inTreeModuleToRemove and inTreeModulesToRemove). */
  readonly inTreeModulesToRemove: readonly string[];
  readonly modprobe: Modprobe & { dirName: string };
  readonly build?: Build;
  readonly sign?: Sign;
  /** Whether the mapping (not the container level) sets containerImage, and sign: for positions. */
  readonly imageFromMapping: boolean;
  readonly signFromMapping: boolean;
}


/**
 * Resolves the loader data for one kernel. Returns undefined (with diagnostics) when no
 * mapping matches or a value cannot be substituted.
 */
export function resolveModuleLoaderData(
  module: LoaderModuleObject,
  kernel: string,
  nodes: readonly NodeInfo[],
  clusterName: string,
): { data?: ModuleLoaderData; unmapped: boolean; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const CONTAINER = containerPath(module);
  const container = module.spec.moduleLoader.container;
  const matched = resolveKernelMapping(container.kernelMappings, kernel);
  if (!matched) {
    const names = nodes.map((n) => n.name).join(', ');
    diagnostics.push(
      diagnostic('KERNEL_MAPPING_MISSING', at(module.ref, [...CONTAINER, 'kernelMappings']), `Module ${module.namespace}/${module.name} in cluster ${clusterName}: no kernel mapping matches kernel ${kernel}; ${nodes.length} node(s) get no module: ${names}`),
    );
    return { unmapped: true, diagnostics };
  }
  const { index, mapping } = matched;
  const mappingPath: DocPath = [...CONTAINER, 'kernelMappings', index];

  const kv = kernelVariables(kernel);
  if ('error' in kv) {
    for (const n of nodes) diagnostics.push(diagnostic('KERNEL_TOO_FEW_PARTS', at(n.ref, n.paths.kernelVersion), kv.error));
    return { unmapped: false, diagnostics };
  }

  let failed = false;
  const substitute = (text: string, vars: Record<string, string>, path: DocPath): string => {
    const r = substituteVariables(text, vars);
    if (r.error) {
      diagnostics.push(diagnostic('SUBSTITUTION_UNCLOSED', at(module.ref, path), `${String(path[path.length - 1])}: ${r.error}`));
      failed = true;
    }
    for (const name of r.unknown) {
      diagnostics.push(diagnostic('VARIABLE_UNKNOWN', at(module.ref, path), `unknown variable ${name} in "${text}" became "" (known: ${Object.keys(vars).join(', ')})`));
    }
    return r.value;
  };

  const imageVars = { ...kv.vars, MOD_NAME: module.name, MOD_NAMESPACE: module.namespace };
  const imagePath = mapping.containerImage ? [...mappingPath, 'containerImage'] : [...CONTAINER, 'containerImage'];
  const containerImage = substitute(mapping.containerImage || container.containerImage || '', imageVars, imagePath);

  let sign = mergeSign(container.sign, mapping.sign);
  if (sign) {
    const signPath = mapping.sign ? [...mappingPath, 'sign'] : [...CONTAINER, 'sign'];
    sign = {
      ...sign,
      ...(sign.unsignedImage ? { unsignedImage: substitute(sign.unsignedImage, kv.vars, [...signPath, 'unsignedImage']) } : {}),
      filesToSign: (sign.filesToSign ?? []).map((f) => substitute(f, kv.vars, [...signPath, 'filesToSign'])),
    };
  }
  if (failed) return { unmapped: false, diagnostics };

  const build = mergeBuild(container.build, mapping.build);
  const registryTLS = mapping.registryTLS ?? container.registryTLS;
  // Mapping level wins over container level, as for every other mapping value (SPEC §4.2).
  const level = mapping.inTreeModuleToRemove || mapping.inTreeModulesToRemove?.length ? mapping : container;
  const inTree = [...(level.inTreeModuleToRemove ? [level.inTreeModuleToRemove] : []), ...(level.inTreeModulesToRemove ?? [])];
  const data: ModuleLoaderData = {
    module,
    kernel,
    mappingIndex: index,
    containerImage,
    modprobe: { ...container.modprobe, dirName: container.modprobe.dirName || DEFAULT_DIR_NAME },
    ...(container.imagePullPolicy ? { imagePullPolicy: container.imagePullPolicy } : {}),
    ...(registryTLS ? { registryTLS } : {}),
    inTreeModulesToRemove: [...new Set(inTree)],
    ...(build ? { build } : {}),
    ...(sign ? { sign } : {}),
    imageFromMapping: Boolean(mapping.containerImage),
    signFromMapping: mapping.sign !== undefined,
  };
  return { data, unmapped: false, diagnostics };
}
