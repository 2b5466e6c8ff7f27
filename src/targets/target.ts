/**
 * The seam for targets (SPEC §12): every decision that depends on what the cluster runs —
 * its distribution, and later whether it runs the KMM operator — is read from the cluster's
 * Target, never from `if (distribution === …)` in plan, render or review code. OpenShift is
 * the first target; a new one is one more entry in TARGETS (and, where it emits other kinds,
 * their entries in plan/emitted-kinds.ts).
 */

/** `Cluster.spec.distribution` values kmm-render renders for. */
const DISTRIBUTIONS = ['openshift'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** What one target decides. */
export interface Target {
  readonly distribution: Distribution;
  /** The planned object type that builds a Module's image in the cluster (plan/plan-build-sign.ts). */
  readonly imageBuild: 'build-config';
  /**
   * How the kernel is told to search `firmwareHostPath` for firmware: `machine-config`, a
   * `firmware_class.path` kernel argument per MachineConfigPool (applying it reboots the pool).
   */
  readonly firmwareSearchPath: 'machine-config';
  /** Whether the Driver Toolkit ImageStream exists, so DTK_AUTO can resolve (SPEC §5.3). */
  readonly driverToolkit: boolean;
  /** Whether signing Jobs mount the cluster's trusted CA bundle from a ConfigMap the platform fills. */
  readonly trustedCABundle: boolean;
  /** The node label with the full kernel version, unless the Cluster sets `kernelVersionLabel`. */
  readonly kernelVersionLabel: string;
  /** Where loaders put firmware on the host, unless the Cluster sets `firmwareHostPath`. */
  readonly firmwareHostPath: string;
}

/** Every target, by distribution. */
export const TARGETS: { readonly [D in Distribution]: Target } = {
  openshift: {
    distribution: 'openshift',
    imageBuild: 'build-config',
    firmwareSearchPath: 'machine-config',
    driverToolkit: true,
    trustedCABundle: true,
    // NFD's kernel label; RHCOS's own search path does not include /var/lib/firmware.
    kernelVersionLabel: 'feature.node.kubernetes.io/kernel-version.full',
    firmwareHostPath: '/var/lib/firmware',
  },
};

/** The target of a cluster, from its settings. */
export function targetOf(cluster: { readonly distribution: Distribution }): Target {
  return TARGETS[cluster.distribution];
}

/** The Driver Toolkit images DTK_AUTO may resolve to on a cluster: none where its target has no DTK. */
export function driverToolkitsOf<T>(cluster: { readonly settings: { readonly distribution: Distribution }; readonly driverToolkit?: T }): (T | undefined)[] {
  return targetOf(cluster.settings).driverToolkit ? [cluster.driverToolkit] : [];
}
