/**
 * The seam for targets (SPEC §12): every decision that depends on what the cluster runs —
 * its distribution, and later whether it runs the KMM operator — is read from the cluster's
 * Target, never from `if (distribution === …)` in plan, render or review code. OpenShift is
 * the first target; a new one is one more entry in TARGETS (and, where it emits other kinds,
 * their entries in plan/emitted-kinds.ts).
 */

/** `Cluster.spec.distribution` values kmm-render renders for. */
const DISTRIBUTIONS = ['openshift', 'kubernetes'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

/** What one target decides. */
export interface Target {
  readonly distribution: Distribution;
  /**
   * What kmm-render delivers: `workloads`, the objects the KMM operator would create (loader
   * and device-plugin DaemonSets, builds, signing Jobs); or `operator-modules`, where the
   * cluster runs the KMM operator (`Cluster.spec.kmmOperator`), the Modules it reconciles,
   * with kernel mappings pinned for the inventory's kernels.
   */
  readonly delivery: 'workloads' | 'operator-modules';
  /** One sentence for the cluster README: what this target gets. */
  readonly summary: string;
  /**
   * What builds a Module's image in the cluster (plan/plan-build-sign.ts): an OpenShift
   * `build-config`, or a `kaniko-job` as upstream KMM makes it (a batch/v1 Job and the
   * ConfigMap with its Dockerfile).
   */
  readonly imageBuild: 'build-config' | 'kaniko-job';
  /**
   * How the kernel is told to search `firmwareHostPath` for firmware: `machine-config`, a
   * `firmware_class.path` kernel argument per MachineConfigPool (applying it reboots the
   * pool); or `kernel-default`: nothing is emitted, and a firmwareHostPath outside the
   * kernel's own search path (KERNEL_FIRMWARE_PATHS) is a warning that says what to do.
   */
  readonly firmwareSearchPath: 'machine-config' | 'kernel-default';
  /** Whether the Driver Toolkit ImageStream exists, so DTK_AUTO can resolve (SPEC §5.3). */
  readonly driverToolkit: boolean;
  /** Whether signing Jobs mount the cluster's trusted CA bundle from a ConfigMap the platform fills. */
  readonly trustedCABundle: boolean;
  /** The KMM operator's namespace, unless the Cluster sets `operatorNamespace`. */
  readonly operatorNamespace: string;
  /** The node label with the full kernel version, unless the Cluster sets `kernelVersionLabel`. */
  readonly kernelVersionLabel: string;
  /** Where loaders put firmware on the host, unless the Cluster sets `firmwareHostPath`. */
  readonly firmwareHostPath: string;
}

/** Every target, by distribution. */
export const TARGETS: { readonly [D in Distribution]: Target } = {
  openshift: {
    distribution: 'openshift',
    delivery: 'workloads',
    summary: 'OpenShift: images are built by BuildConfigs; the firmware search path is a MachineConfig per pool (applying it reboots the pool).',
    imageBuild: 'build-config',
    firmwareSearchPath: 'machine-config',
    driverToolkit: true,
    trustedCABundle: true,
    operatorNamespace: 'openshift-kmm',
    // NFD's kernel label; RHCOS's own search path does not include /var/lib/firmware.
    kernelVersionLabel: 'feature.node.kubernetes.io/kernel-version.full',
    firmwareHostPath: '/var/lib/firmware',
  },
  // Vanilla Kubernetes, as upstream KMM runs there: no Builds, MachineConfigs or DTK.
  kubernetes: {
    distribution: 'kubernetes',
    delivery: 'workloads',
    summary: 'Kubernetes: images are built by Kaniko Jobs, as upstream KMM builds them; no MachineConfigs (firmware goes where the kernel looks), no Driver Toolkit.',
    imageBuild: 'kaniko-job',
    firmwareSearchPath: 'kernel-default',
    driverToolkit: false,
    trustedCABundle: false,
    // Where upstream KMM's kustomization installs the operator.
    operatorNamespace: 'kmm-operator-system',
    kernelVersionLabel: 'feature.node.kubernetes.io/kernel-version.full',
    // Upstream KMM's default: the kernel searches it without any configuration.
    firmwareHostPath: '/lib/firmware',
  },
};

/**
 * Where the Linux firmware loader looks without `firmware_class.path` (drivers/base/firmware_loader):
 * /lib/firmware/updates/<release>, /lib/firmware/updates, /lib/firmware/<release>, /lib/firmware.
 */
export const KERNEL_FIRMWARE_PATHS = ['/lib/firmware', '/lib/firmware/updates'] as const;

const OPERATOR_TARGETS: { readonly [D in Distribution]: Target } = {
  openshift: { ...TARGETS.openshift, delivery: 'operator-modules', summary: 'OpenShift with the KMM operator: it gets the Modules, pinned for its kernels, and builds, signs and loads itself; the firmware search path is a MachineConfig per pool (applying it reboots the pool).' },
  kubernetes: { ...TARGETS.kubernetes, delivery: 'operator-modules', summary: 'Kubernetes with the KMM operator: it gets the Modules, pinned for its kernels, and builds, signs and loads itself.' },
};

/** The target of a cluster, from its settings: its distribution, and whether it runs the KMM operator. */
export function targetOf(cluster: { readonly distribution: Distribution; readonly kmmOperator?: boolean }): Target {
  return (cluster.kmmOperator ? OPERATOR_TARGETS : TARGETS)[cluster.distribution];
}

/** The Driver Toolkit images DTK_AUTO may resolve to on a cluster: none where its target has no DTK. */
export function driverToolkitsOf<T>(cluster: { readonly settings: { readonly distribution: Distribution }; readonly driverToolkit?: T }): (T | undefined)[] {
  return targetOf(cluster.settings).driverToolkit ? [cluster.driverToolkit] : [];
}
