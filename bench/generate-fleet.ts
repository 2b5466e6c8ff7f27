/**
 * Synthetic fleets for the benchmark and the crash tests: clusters × nodes × distinct
 * hardware profiles × rules × modules × kernels. Nodes look as `kubectl get nodes -o yaml`
 * prints them (annotations, addresses, capacity, conditions, nodeInfo; no status.images);
 * each NodeFeature has ~400 elements (80 cpuid flags, 150 loaded and 100 enabled modules,
 * 20 PCI devices, os-release, a few dozen kernel.config options) or, for the full-size
 * preset, ~5,000 kernel.config options (~170 KB, like a real OpenShift 4.19 node). The
 * compact form writes HardwareProfiles instead. Deterministic for a given preset and seed.
 */
import { stringify as stringify12 } from 'yaml';

// As kubectl prints YAML: strings a YAML 1.1 reader would take for booleans (y, yes, on) are quoted.
// kubectl never writes anchors and aliases: objects the generator shares are written out in full.
const stringify = (value: unknown) => stringify12(value, { version: '1.1', aliasDuplicateObjects: false });

export interface FleetShape {
  readonly clusters: number;
  readonly nodesPerCluster: number;
  /** Distinct hardware profiles per cluster (feature sets and accelerator labels). */
  readonly profiles: number;
  readonly rules: number;
  readonly modules: number;
  readonly kernelsPerCluster: number;
  /** Features for the nodes: one NodeFeature per node (upstream form) or in HardwareProfiles. */
  readonly nodeFeatures: boolean;
  /** The compact inventory form (HardwareProfiles) instead of Nodes and NodeFeatures. */
  readonly compact?: boolean;
  /** kernel.config options per feature set. @default 40 */
  readonly kernelConfigOptions?: number;
  readonly seed?: number;
  /**
   * NodeFeatures written by a YAML 1.2 tool (as yq v4 writes them): kernel.config's `y`
   * unquoted, which Kubernetes reads as a boolean, so every node is broken.
   */
  readonly yaml12NodeFeatures?: boolean;
}

export const PRESETS: Record<string, FleetShape> = {
  small: { clusters: 1, nodesPerCluster: 20, profiles: 4, rules: 5, modules: 3, kernelsPerCluster: 2, nodeFeatures: true },
  // Issue 17's small fleet: 1 cluster × 20 nodes with ~400-element NodeFeatures, 30 rules, 20 Modules.
  'small-realistic': { clusters: 1, nodesPerCluster: 20, profiles: 4, rules: 30, modules: 20, kernelsPerCluster: 2, nodeFeatures: true },
  medium: { clusters: 10, nodesPerCluster: 500, profiles: 16, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: true },
  // The medium fleet in the compact inventory form (HardwareProfiles), for the cold-render line beside the upstream one.
  'medium-compact': { clusters: 10, nodesPerCluster: 500, profiles: 16, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: true, compact: true },
  // The error path: the medium fleet with every node's NodeFeature broken.
  'medium-broken': { clusters: 10, nodesPerCluster: 500, profiles: 16, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: true, yaml12NodeFeatures: true },
  full: { clusters: 1, nodesPerCluster: 200, profiles: 4, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: true, kernelConfigOptions: 5500 },
  // 100,000 nodes in the compact form, 64 hardware profiles per cluster.
  large: { clusters: 50, nodesPerCluster: 2000, profiles: 64, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: true, compact: true },
};

/** A small seeded PRNG (mulberry32): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const KERNELS = [
  '5.14.0-284.52.1.el9_2.x86_64',
  '5.14.0-427.22.1.el9_4.x86_64',
  '5.14.0-427.37.1.el9_4.x86_64',
  '5.14.0-503.15.1.el9_5.x86_64',
  '5.14.0-570.12.1.el9_6.x86_64',
];

interface Profile {
  readonly accel: number;
  readonly features: object;
}

/** The NodeFeature `spec.features` of one synthetic hardware profile. */
export function makeProfile(index: number, rnd: () => number, kernelConfigOptions = 40): Profile {
  const flags = (prefix: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, {}]));
  const config = Object.fromEntries(Array.from({ length: kernelConfigOptions }, (_, i) => [`CONFIG_OPT_${i}`, rnd() < 0.5 ? 'y' : 'm']));
  const pci = Array.from({ length: 20 }, (_, i) => ({
    attributes: { class: i === 0 ? '0300' : hex4(0x0200 + (i % 4)), vendor: i === 0 ? ['8086', '10de', '1002'][index % 3]! : '8086', device: hex4(0x1000 + index * 7 + i), subsystem_vendor: '8086', subsystem_device: hex4(i) },
  }));
  return {
    accel: index,
    features: {
      flags: { 'cpu.cpuid': { elements: flags('AVX', 80) }, 'kernel.loadedmodule': { elements: flags('mod_', 150) }, 'kernel.enabledmodule': { elements: flags('mod_', 100) } },
      attributes: {
        'kernel.config': { elements: config },
        'system.osrelease': { elements: { ID: 'rhcos', VERSION_ID: '4.16', 'VERSION_ID.major': '4', 'VERSION_ID.minor': '16' } },
      },
      instances: { 'pci.device': { elements: pci } },
    },
  };
}

/**
 * `count` NodeFeatureRule rules of the kinds real rule sets have: PCI vendor/class with a
 * loaded module, kernel config options, a version comparison, a matchName regexp with a
 * template, and a rule chained on an earlier one through rule.matched.
 */
export function syntheticRules(count: number): object[] {
  return Array.from({ length: count }, (_, r) => {
    switch (r % 5) {
      case 0:
        return {
          name: `accel ${r}`,
          labels: { [`example.com/rule-${r}`]: 'true' },
          matchFeatures: [
            { feature: 'pci.device', matchExpressions: { vendor: { op: 'In', value: ['8086'] }, class: { op: 'In', value: ['0300', '0380'] } } },
            { feature: 'kernel.loadedmodule', matchExpressions: { [`mod_${r}`]: { op: 'Exists' } } },
          ],
        };
      case 1:
        return {
          name: `kconfig ${r}`,
          labels: { [`example.com/kconfig-${r}`]: 'true' },
          matchFeatures: [{ feature: 'kernel.config', matchExpressions: { [`CONFIG_OPT_${r}`]: { op: 'In', value: ['y', 'm'] }, CONFIG_OPT_1: { op: 'Exists' } } }],
        };
      case 2:
        return {
          name: `os ${r}`,
          vars: { [`os-${r}`]: 'ok' },
          matchFeatures: [{ feature: 'system.osrelease', matchExpressions: { VERSION_ID: { op: 'Ge', value: ['4.14'], type: 'version' }, ID: { op: 'InRegexp', value: ['^rhcos$'] } } }],
        };
      case 3:
        return {
          name: `cpu ${r}`,
          labelsTemplate: '{{ range .cpu.cpuid }}cpu-{{ .Name }}=true\n{{ end }}',
          matchFeatures: [{ feature: 'cpu.cpuid', matchName: { op: 'InRegexp', value: [`^AVX${r % 10}$`] } }],
        };
      default:
        return {
          name: `chained ${r}`,
          labels: { [`example.com/chained-${r}`]: 'true' },
          matchFeatures: [{ feature: 'rule.matched', matchExpressions: { [`os-${r - 2}`]: { op: 'Exists' } } }],
        };
    }
  });
}

/** The files of a synthetic fleet repository: repo-relative path → text. */
export function generateFleet(shape: FleetShape): Map<string, string> {
  const rnd = seededRandom(shape.seed ?? 42);
  const files = new Map<string, string>();
  for (let m = 0; m < shape.modules; m++) {
    files.set(
      `modules/module-${m}.yaml`,
      stringify({
        apiVersion: 'kmm.sigs.x-k8s.io/v1beta1',
        kind: 'Module',
        metadata: { name: `accel-driver-${m}`, namespace: 'openshift-kmm' },
        spec: {
          moduleLoader: {
            container: {
              modprobe: { moduleName: `accel_drv_${m}`, ...(m % 4 === 0 ? { firmwarePath: '/firmware' } : {}) },
              kernelMappings: [
                { literal: KERNELS[0], containerImage: `quay.io/example/accel-${m}:1.0-${KERNELS[0]}` },
                { regexp: '^5\\.14\\.0-(427|503)\\.', containerImage: `quay.io/example/accel-${m}:1.0-\${KERNEL_FULL_VERSION}` },
              ],
            },
          },
          ...(m % 5 === 0 ? { devicePlugin: { container: { image: `quay.io/example/accel-${m}-plugin:1.0` } } } : {}),
          selector: { [`example.com/accel-${m % shape.profiles}`]: 'true' },
        },
      }),
    );
  }
  syntheticRules(shape.rules).forEach((rule, r) => {
    files.set(
      `rules/rule-${r}.yaml`,
      stringify({ apiVersion: 'nfd.k8s-sigs.io/v1alpha1', kind: 'NodeFeatureRule', metadata: { name: `rule-${r}` }, spec: { rules: [rule] } }),
    );
  });
  for (let c = 0; c < shape.clusters; c++) {
    const name = `cluster-${String(c).padStart(3, '0')}`;
    const profiles = Array.from({ length: shape.profiles }, (_, i) => makeProfile(i, rnd, shape.kernelConfigOptions));
    const kernels = Array.from({ length: shape.kernelsPerCluster }, (_, i) => KERNELS[(c + i) % KERNELS.length]!);
    const members: { name: string; profile: number; kernel: string }[] = [];
    for (let n = 0; n < shape.nodesPerCluster; n++) {
      members.push({ name: `${name}-node-${String(n).padStart(5, '0')}`, profile: n % profiles.length, kernel: kernels[n % kernels.length]! });
    }
    if (shape.compact) {
      // One HardwareProfile per (hardware, kernel): what `inventory pull` writes.
      const docs: string[] = [];
      profiles.forEach((profile, p) => {
        const nodes = members.filter((m) => m.profile === p);
        docs.push(
          stringify({
            apiVersion: 'kmm-render.io/v1alpha1',
            kind: 'HardwareProfile',
            metadata: { name: `profile-${String(p).padStart(2, '0')}` },
            spec: {
              labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', 'node-role.kubernetes.io/worker': '', [`example.com/accel-${profile.accel}`]: 'true' },
              osImage: OS_IMAGE,
              ...(shape.nodeFeatures ? { features: profile.features } : {}),
              nodes: nodes.map((m) => ({ name: m.name, kernelVersion: m.kernel, labels: { 'kubernetes.io/hostname': m.name } })),
            },
          }),
        );
      });
      files.set(`clusters/${name}/hardware-profiles.yaml`, docs.join('---\n'));
      continue;
    }
    const nodes = members.map((m, n) => kubectlNode(m.name, n, m.kernel, profiles[m.profile]!.accel));
    files.set(`clusters/${name}/nodes.yaml`, stringify({ apiVersion: 'v1', kind: 'List', items: nodes }));
    if (shape.nodeFeatures) {
      const features = members.map((m) => ({
        apiVersion: 'nfd.k8s-sigs.io/v1alpha1',
        kind: 'NodeFeature',
        metadata: { name: m.name, namespace: 'node-feature-discovery', labels: { 'nfd.node.kubernetes.io/node-name': m.name } },
        spec: { features: profiles[m.profile]!.features },
      }));
      const write = shape.yaml12NodeFeatures ? (f: object) => stringify12(f, { aliasDuplicateObjects: false }) : stringify;
      files.set(`clusters/${name}/nodefeatures.yaml`, features.map((f) => write(f)).join('---\n'));
    }
  }
  return files;
}

const OS_IMAGE = 'Red Hat Enterprise Linux CoreOS 416.94.202406251923-0 (Plow)';

/** A Node as `kubectl get node -o yaml` prints it, without status.images. */
function kubectlNode(name: string, n: number, kernel: string, accel: number): object {
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  const resources = { cpu: '64', 'ephemeral-storage': '936709304Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '527952032Ki', pods: '250' };
  const condition = (type: string, status: string, reason: string, message: string) => ({
    lastHeartbeatTime: '2026-11-22T05:00:00Z',
    lastTransitionTime: '2026-10-01T08:30:00Z',
    message,
    reason,
    status,
    type,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      annotations: {
        'csi.volume.kubernetes.io/nodeid': `{"ebs.csi.aws.com":"i-0${n.toString(16).padStart(16, '0')}"}`,
        'machine.openshift.io/machine': `openshift-machine-api/${name}`,
        'machineconfiguration.openshift.io/controlPlaneTopology': 'HighlyAvailable',
        'machineconfiguration.openshift.io/currentConfig': 'rendered-worker-3f1b6c2a8d9e0f4a5b6c7d8e9f0a1b2c',
        'machineconfiguration.openshift.io/desiredConfig': 'rendered-worker-3f1b6c2a8d9e0f4a5b6c7d8e9f0a1b2c',
        'machineconfiguration.openshift.io/reason': '',
        'machineconfiguration.openshift.io/state': 'Done',
        'nfd.node.kubernetes.io/feature-labels': 'cpu-cpuid.AVX,cpu-cpuid.AVX2,kernel-version.full,pci-0300_8086.present',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      creationTimestamp: '2026-10-01T08:21:17Z',
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'node-role.kubernetes.io/worker': '',
        'node.openshift.io/os_id': 'rhcos',
        [`example.com/accel-${accel}`]: 'true',
      },
      name,
      resourceVersion: String(4200000 + n),
      uid: `6f1c${n.toString(16).padStart(4, '0')}-0b1e-4c5d-9e8f-1a2b3c4d5e6f`,
    },
    spec: { podCIDR: `10.128.${n % 256}.0/23`, podCIDRs: [`10.128.${n % 256}.0/23`], providerID: `aws:///us-east-1a/i-0${n.toString(16).padStart(16, '0')}` },
    status: {
      addresses: [
        { address: ip, type: 'InternalIP' },
        { address: name, type: 'Hostname' },
        { address: `${name}.ec2.internal`, type: 'InternalDNS' },
      ],
      allocatable: resources,
      capacity: resources,
      conditions: [
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: `b7f0${n.toString(16).padStart(4, '0')}-5b1e-4c5d-9e8f-1a2b3c4d5e6f`,
        containerRuntimeVersion: 'cri-o://1.29.5-5.rhaos4.16.git7032128.el9',
        kernelVersion: kernel,
        kubeProxyVersion: 'v1.29.5+29c95f3',
        kubeletVersion: 'v1.29.5+29c95f3',
        machineID: `ec2${n.toString(16).padStart(29, '0')}`,
        operatingSystem: 'linux',
        osImage: OS_IMAGE,
        systemUUID: `ec2${n.toString(16).padStart(5, '0')}-1234-5678-9abc-def012345678`,
      },
    },
  };
}
