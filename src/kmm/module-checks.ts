/** The checks KMM's CRD and webhook enforce on a Module, plus ours (SPEC §4.4). */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocPath } from '../diagnostics/locate.js';
import { at } from '../load/object-ref.js';
import { containerPath, hasModuleLoader, type LoaderModuleObject, type ModuleObject, type Sign, type TLSOptions } from '../model/kmm.js';
import { compileRe2, MAX_PATTERN_LENGTH } from '../re2/re2-pattern.js';
import { isShellQuotable, shellQuote } from './shell-quote.js';
import { mergeSign } from './merge-build-sign.js';
import { isLabelValue } from '../k8s/name-syntax.js';


/** True when an image reference names a tag or a digest. */
function hasTagOrDigest(image: string): boolean {
  if (image.includes('@')) return true;
  const lastSlash = image.lastIndexOf('/');
  return image.slice(lastSlash + 1).includes(':');
}

function checkTls(m: ModuleObject, tls: TLSOptions | undefined, path: DocPath, out: Diagnostic[]) {
  if (!tls) return;
  for (const flag of ['insecure', 'insecureSkipTLSVerify'] as const) {
    if (tls[flag] === true) {
      out.push(
        diagnostic('TLS_INSECURE', at(m.ref, [...path, flag]), `${String(path[path.length - 1])}.${flag} is true; the product documentation says not to use it`),
      );
    }
  }
}

function checkSign(m: ModuleObject, sign: Sign, path: DocPath, out: Diagnostic[]) {
  for (const key of ['keySecret', 'certSecret'] as const) {
    if (!sign[key]?.name) {
      out.push(diagnostic('SIGN_SECRET_MISSING', at(m.ref, path), `sign needs ${key}.name (a Secret with the ${key === 'keySecret' ? 'private key under "key"' : 'certificate under "cert"'})`));
    }
  }
  if (!sign.filesToSign || sign.filesToSign.length === 0) {
    out.push(diagnostic('SIGN_NO_FILES', at(m.ref, path), 'sign.filesToSign is empty: KMM would sign nothing'));
  }
}

function checkModprobe(m: LoaderModuleObject, out: Diagnostic[]) {
  const CONTAINER = containerPath(m);
  const modprobe = m.spec.moduleLoader.container.modprobe;
  const path: DocPath = [...CONTAINER, 'modprobe'];
  const rawSet = modprobe.rawArgs !== undefined && ((modprobe.rawArgs.load?.length ?? 0) > 0 || (modprobe.rawArgs.unload?.length ?? 0) > 0);
  if (modprobe.moduleName && rawSet) {
    out.push(diagnostic('MODPROBE_RAWARGS_WITH_NAME', at(m.ref, [...path, 'rawArgs'], true), 'modprobe.rawArgs cannot be used together with modprobe.moduleName'));
  }
  if (!modprobe.moduleName && (!modprobe.rawArgs?.load?.length || !modprobe.rawArgs?.unload?.length)) {
    out.push(diagnostic('MODPROBE_RAWARGS_REQUIRED', at(m.ref, path), 'without modprobe.moduleName, both rawArgs.load and rawArgs.unload are required'));
  }
  const order = modprobe.modulesLoadingOrder;
  // KMM's webhook checks any list that is there, an empty one too (`modulesLoadingOrder: []`).
  if (order) {
    const orderPath = [...path, 'modulesLoadingOrder'];
    if (order.length < 2) {
      out.push(diagnostic('LOADING_ORDER_TOO_SHORT', at(m.ref, orderPath), 'modulesLoadingOrder needs at least two modules'));
    }
    if (order.length > 0 && order[0] !== modprobe.moduleName) {
      out.push(diagnostic('LOADING_ORDER_FIRST', at(m.ref, [...orderPath, 0]), `modulesLoadingOrder must start with moduleName "${modprobe.moduleName ?? ''}"`));
    }
    const seen = new Set<string>();
    order.forEach((name, i) => {
      if (seen.has(name)) out.push(diagnostic('LOADING_ORDER_DUPLICATE', at(m.ref, [...orderPath, i]), `"${name}" appears twice in modulesLoadingOrder`));
      seen.add(name);
    });
  }
  // Every value that ends up in the loader's shell scripts.
  const scripted: [DocPath, string | undefined][] = [
    [[...path, 'moduleName'], modprobe.moduleName],
    [[...path, 'dirName'], modprobe.dirName],
    [[...path, 'firmwarePath'], modprobe.firmwarePath],
    [[...CONTAINER, 'inTreeModuleToRemove'], m.spec.moduleLoader.container.inTreeModuleToRemove],
  ];
  for (const list of ['parameters', 'modulesLoadingOrder'] as const) {
    (modprobe[list] ?? []).forEach((v, i) => scripted.push([[...path, list, i], v]));
  }
  for (const args of ['args', 'rawArgs'] as const) {
    for (const dir of ['load', 'unload'] as const) {
      (modprobe[args]?.[dir] ?? []).forEach((v, i) => scripted.push([[...path, args, dir, i], v]));
    }
  }
  (m.spec.moduleLoader.container.inTreeModulesToRemove ?? []).forEach((v, i) => scripted.push([[...CONTAINER, 'inTreeModulesToRemove', i], v]));
  m.spec.moduleLoader.container.kernelMappings.forEach((km, i) => {
    scripted.push([[...CONTAINER, 'kernelMappings', i, 'inTreeModuleToRemove'], km.inTreeModuleToRemove]);
    (km.inTreeModulesToRemove ?? []).forEach((v, j) => scripted.push([[...CONTAINER, 'kernelMappings', i, 'inTreeModulesToRemove', j], v]));
  });
  for (const [p, v] of scripted) {
    if (v === undefined) continue;
    if (!isShellQuotable(v)) {
      out.push(diagnostic('SHELL_UNSAFE_VALUE', at(m.ref, p), `${String(p[p.length - 1])} contains a control character and cannot be put in the loader script`));
    } else if (v !== '' && shellQuote(v) !== v) {
      // KMM pastes values into `/bin/sh -c` as they are; we quote them, so they differ.
      out.push(
        diagnostic('MODPROBE_VALUE_QUOTED', at(m.ref, p), `${JSON.stringify(v)} has characters the shell interprets (whitespace, $, \`, a glob or another shell character): KMM puts it into the loader's /bin/sh -c script as it is, where it is split into words or expanded; kmm-render quotes it, so modprobe gets it as one literal argument`),
      );
    }
  }
}

/** Checks one Module on its own (scope-dependent checks live in checkModuleInCluster). */
export function checkModule(m: ModuleObject, maxRegexpLength = MAX_PATTERN_LENGTH): Diagnostic[] {
  const CONTAINER = containerPath(m);
  const out: Diagnostic[] = [];
  // A device-plugin-only Module (KMM 2.x) has no loader to check; its version check is KMM's.
  if (!hasModuleLoader(m)) {
    // A DRA-only Module is KMM 2.x's too: nothing to render here (MODULE_FIELD_IGNORED says so).
    if (!m.spec.devicePlugin && m.spec.dra === undefined) out.push(diagnostic('MODULE_EMPTY', at(m.ref, m.specPath), `Module ${m.namespace}/${m.name} has neither moduleLoader, devicePlugin nor dra: it would do nothing`));
    return out;
  }
  const container = m.spec.moduleLoader.container;
  checkModprobe(m, out);
  if (container.version && !isLabelValue(container.version)) {
    out.push(diagnostic('MODULE_VERSION_INVALID', at(m.ref, [...CONTAINER, 'version']), `version ${JSON.stringify(container.version)} is not a valid label value (at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit): it labels the loader DaemonSet and its pods`));
  }
  if (container.version && m.name.length + m.namespace.length > 40) {
    out.push(diagnostic('MODULE_NAME_TOO_LONG', at(m.ref, ['metadata', 'name']), `with moduleLoader.container.version set, name and namespace may have 40 characters together, not ${m.name.length + m.namespace.length}`));
  }
  checkTls(m, container.registryTLS, [...CONTAINER, 'registryTLS'], out);
  checkTls(m, container.build?.baseImageRegistryTLS, [...CONTAINER, 'build', 'baseImageRegistryTLS'], out);
  checkTls(m, container.sign?.unsignedImageRegistryTLS, [...CONTAINER, 'sign', 'unsignedImageRegistryTLS'], out);

  container.kernelMappings.forEach((km, i) => {
    const path: DocPath = [...CONTAINER, 'kernelMappings', i];
    const hasLiteral = !!km.literal;
    const hasRegexp = !!km.regexp;
    if (hasLiteral && hasRegexp) {
      out.push(diagnostic('MAPPING_MATCHER', at(m.ref, [...path, 'regexp'], true), 'a kernel mapping has both literal and regexp; use exactly one'));
    } else if (!hasLiteral && !hasRegexp) {
      out.push(diagnostic('MAPPING_MATCHER', at(m.ref, path), 'a kernel mapping needs literal or regexp'));
    }
    if (hasRegexp && !hasLiteral && km.regexp!.length > maxRegexpLength) {
      out.push(diagnostic('LIMIT_REGEXP', at(m.ref, [...path, 'regexp']), `regexp has ${km.regexp!.length} characters, more than the ${maxRegexpLength} allowed (limits.maxRegexpLength)`));
    } else if (hasRegexp && !hasLiteral) {
      const re = compileRe2(km.regexp!);
      if ('error' in re) {
        out.push(diagnostic('MAPPING_REGEXP_INVALID', at(m.ref, [...path, 'regexp']), `regexp is not valid RE2: ${re.error}`));
      }
    }
    const image = km.containerImage || container.containerImage;
    if (!image) {
      out.push(diagnostic('IMAGE_MISSING', at(m.ref, path), 'no containerImage on the mapping or the container'));
    } else if (!hasTagOrDigest(image)) {
      const p = km.containerImage ? [...path, 'containerImage'] : [...CONTAINER, 'containerImage'];
      out.push(diagnostic('IMAGE_UNTAGGED', at(m.ref, p), `containerImage "${image}" has no tag or digest`));
    }
    checkTls(m, km.registryTLS, [...path, 'registryTLS'], out);
    checkTls(m, km.build?.baseImageRegistryTLS, [...path, 'build', 'baseImageRegistryTLS'], out);
    checkTls(m, km.sign?.unsignedImageRegistryTLS, [...path, 'sign', 'unsignedImageRegistryTLS'], out);
    const sign = mergeSign(container.sign, km.sign);
    if (sign) checkSign(m, sign, km.sign ? [...path, 'sign'] : [...CONTAINER, 'sign'], out);
  });
  return out;
}

/** Module fields KMM 1.1 does not have, with what they do here under kmmVersion "2". */
const KMM2_FIELDS = ['tolerations', 'imageRebuildTriggerGeneration', 'dra'] as const;

/**
 * Fields of a KMM version other than the one the repository renders for (kmm-render.yaml
 * `spec.kmmVersion`): an error under "1.1", which has no such fields; under "2", `dra` (a
 * DRA driver, nothing kmm-render renders) is a warning and ignored.
 */
export function checkKmmVersionFields(m: ModuleObject, kmmVersion: '1.1' | '2'): Diagnostic[] {
  const out: Diagnostic[] = [];
  const spec = m.spec as unknown as Record<string, unknown>;
  if (kmmVersion === '1.1' && spec.moduleLoader === undefined) {
    out.push(diagnostic('KMM_VERSION_FIELD', at(m.ref, m.specPath), `Module ${m.namespace}/${m.name} has no moduleLoader: KMM 1.1 requires one (a device-plugin-only Module is KMM 2.x); set kmmVersion: "2" in kmm-render.yaml or add spec.moduleLoader`));
  }
  for (const field of KMM2_FIELDS) {
    if (spec[field] === undefined) continue;
    const where = at(m.ref, [...m.specPath, field]);
    if (kmmVersion === '1.1') {
      out.push(diagnostic('KMM_VERSION_FIELD', where, `Module ${m.namespace}/${m.name}: spec.${field} is a field of KMM 2.x, and this repository renders for KMM 1.1 (kmm-render.yaml spec.kmmVersion, default "1.1"); set kmmVersion: "2" or remove the field`));
    } else if (field === 'dra') {
      out.push(diagnostic('MODULE_FIELD_IGNORED', where, `Module ${m.namespace}/${m.name}: spec.dra (dynamic resource allocation) has no meaning offline: kmm-render renders no DRA driver or ResourceSlice; ignored`));
    }
  }
  return out;
}
