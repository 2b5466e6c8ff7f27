/** Labels and annotations every emitted object carries (SPEC §5, §5.5). */

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kmm-render';
export const MODULE_NAME_LABEL = 'kmm.node.kubernetes.io/module.name';
export const KERNEL_LABEL = 'kmm.node.kubernetes.io/kernel-version.full';
export const ROLE_LABEL = 'kmm.node.kubernetes.io/role';
export const BUILD_TYPE_LABEL = 'kmm.openshift.io/build.type';
/** What KMM 1.1's job helper labels its build and signing Jobs with. */
export const JOB_TYPE_LABEL = 'kmm.node.kubernetes.io/job-type';
export const TARGET_KERNEL_LABEL = 'kmm.node.kubernetes.io/target-kernel';
const SOURCE_ANNOTATION = 'kmm-render.io/source';
const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * The labels KMM sets for ordered upgrades when moduleLoader.container.version is set, on
 * the loader and the device plugin, per KMM version: 1.1's, and 2.x's (whose worker pods
 * load the module and whose device plugin pods are "schedule" pods, internal/constants).
 */
const VERSION_LABEL_PREFIXES = {
  '1.1': { loader: 'beta.kmm.node.kubernetes.io/version-module-loader', devicePlugin: 'beta.kmm.node.kubernetes.io/version-device-plugin' },
  '2': { loader: 'beta.kmm.node.kubernetes.io/version-worker-pod', devicePlugin: 'beta.kmm.node.kubernetes.io/version-schedule-pod' },
} as const;

/** The version label of a Module's `pod` (loader or device plugin) for the KMM version rendered for. */
export function versionLabel(kmmVersion: keyof typeof VERSION_LABEL_PREFIXES, pod: 'loader' | 'devicePlugin', namespace: string, name: string): string {
  return `${VERSION_LABEL_PREFIXES[kmmVersion][pod]}.${namespace}.${name}`;
}

/** Standard annotations: where the object came from and its sync wave. */
export function standardAnnotations(sources: readonly string[], wave: string): Record<string, string> {
  return { [SOURCE_ANNOTATION]: [...new Set(sources)].sort().join(','), [SYNC_WAVE_ANNOTATION]: wave };
}
