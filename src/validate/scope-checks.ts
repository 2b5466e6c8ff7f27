/** Module checks that depend on the cluster scope: ConfigMaps in scope, operator namespace. */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocPath } from '../diagnostics/locate.js';
import { at } from '../load/object-ref.js';
import { containerPath, hasModuleLoader, type ConfigMapObject, type ModuleObject } from '../model/kmm.js';
import type { ClusterSettings } from '../model/fleet-model.js';


/** Checks one Module against one cluster's scope (SPEC §4.4). */
export function checkModuleInCluster(m: ModuleObject, configMaps: readonly ConfigMapObject[], cluster: ClusterSettings): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A device-plugin-only Module (KMM 2.x) builds nothing and runs no privileged loader.
  if (!hasModuleLoader(m)) return out;
  const CONTAINER = containerPath(m);
  const container = m.spec.moduleLoader.container;
  const builds: [DocPath, string | undefined][] = [];
  if (container.build) builds.push([[...CONTAINER, 'build', 'dockerfileConfigMap'], container.build.dockerfileConfigMap?.name]);
  container.kernelMappings.forEach((km, i) => {
    if (km.build) {
      const name = km.build.dockerfileConfigMap?.name || container.build?.dockerfileConfigMap?.name;
      const own = km.build.dockerfileConfigMap?.name !== undefined;
      builds.push([own ? [...CONTAINER, 'kernelMappings', i, 'build', 'dockerfileConfigMap'] : [...CONTAINER, 'kernelMappings', i, 'build'], name]);
    }
  });
  for (const [path, name] of builds) {
    if (!name) {
      out.push(diagnostic('DOCKERFILE_CONFIGMAP_MISSING', at(m.ref, path), 'build needs dockerfileConfigMap.name'));
      continue;
    }
    const cm = configMaps.find((c) => c.name === name && c.namespace === m.namespace);
    if (!cm) {
      out.push(diagnostic('DOCKERFILE_CONFIGMAP_MISSING', at(m.ref, [...path, 'name']), `ConfigMap ${m.namespace}/${name} is not in the scope of cluster ${cluster.name}`));
    } else if (typeof cm.data.dockerfile !== 'string') {
      out.push(diagnostic('DOCKERFILE_KEY_MISSING', at(cm.ref, ['data']), `ConfigMap ${m.namespace}/${name} has no "dockerfile" key (keys: ${Object.keys(cm.data).sort().join(', ') || 'none'})`));
    }
  }
  if (m.namespace !== cluster.operatorNamespace && !m.spec.moduleLoader.serviceAccountName) {
    out.push(
      diagnostic('SERVICE_ACCOUNT_MISSING', at(m.ref, [...m.specPath, 'moduleLoader']), `Module ${m.namespace}/${m.name} is outside the operator namespace ${cluster.operatorNamespace} of cluster ${cluster.name} and sets no moduleLoader.serviceAccountName: its privileged loader pods will not be admitted`),
    );
  }
  return out;
}
