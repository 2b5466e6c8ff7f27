/**
 * Synthetic fleets for the benchmark and the crash tests: clusters × nodes × distinct
 * hardware profiles × rules × modules × kernels, with NodeFeatures of realistic size
 * (~80 cpuid flags, ~150 loaded modules, ~20 PCI devices, a few hundred kernel.config
 * entries). Deterministic for a given preset and seed.
 */
import { stringify as stringify12 } from 'yaml';

// As kubectl prints YAML: strings a YAML 1.1 reader would take for booleans (y, yes, on) are quoted.
const stringify = (value: unknown) => stringify12(value, { version: '1.1' });

export interface FleetShape {
  readonly clusters: number;
  readonly nodesPerCluster: number;
  /** Distinct hardware profiles per cluster (feature sets and accelerator labels). */
  readonly profiles: number;
  readonly rules: number;
  readonly modules: number;
  readonly kernelsPerCluster: number;
  /** Write one NodeFeature per node (the upstream form). */
  readonly nodeFeatures: boolean;
  readonly seed?: number;
}

export const PRESETS: Record<string, FleetShape> = {
  small: { clusters: 1, nodesPerCluster: 20, profiles: 4, rules: 5, modules: 3, kernelsPerCluster: 2, nodeFeatures: true },
  medium: { clusters: 10, nodesPerCluster: 500, profiles: 16, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: true },
  // 100,000 nodes: one NodeFeature per node would be gigabytes of YAML, which is what the
  // compact inventory form (a later issue) is for; this preset has Nodes only.
  large: { clusters: 50, nodesPerCluster: 2000, profiles: 64, rules: 30, modules: 20, kernelsPerCluster: 3, nodeFeatures: false },
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
export function makeProfile(index: number, rnd: () => number): Profile {
  const flags = (prefix: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, {}]));
  const config = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`CONFIG_OPT_${i}`, rnd() < 0.5 ? 'y' : 'm']));
  const pci = Array.from({ length: 20 }, (_, i) => ({
    attributes: { class: i === 0 ? '0300' : hex4(0x0200 + (i % 4)), vendor: i === 0 ? ['8086', '10de', '1002'][index % 3]! : '8086', device: hex4(0x1000 + index * 7 + i), subsystem_vendor: '8086', subsystem_device: hex4(i) },
  }));
  return {
    accel: index,
    features: {
      flags: { 'cpu.cpuid': { elements: flags('AVX', 80) }, 'kernel.loadedmodule': { elements: flags('mod_', 150) } },
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
    const profiles = Array.from({ length: shape.profiles }, (_, i) => makeProfile(i, rnd));
    const kernels = Array.from({ length: shape.kernelsPerCluster }, (_, i) => KERNELS[(c + i) % KERNELS.length]!);
    const nodes: object[] = [];
    const features: object[] = [];
    for (let n = 0; n < shape.nodesPerCluster; n++) {
      const nodeName = `${name}-node-${String(n).padStart(5, '0')}`;
      const profile = profiles[n % profiles.length]!;
      nodes.push({
        apiVersion: 'v1',
        kind: 'Node',
        metadata: {
          name: nodeName,
          labels: {
            'kubernetes.io/hostname': nodeName,
            'kubernetes.io/arch': 'amd64',
            'node-role.kubernetes.io/worker': '',
            [`example.com/accel-${profile.accel}`]: 'true',
          },
        },
        status: { nodeInfo: { kernelVersion: kernels[n % kernels.length], osImage: 'Red Hat Enterprise Linux CoreOS 416.94.202406251923-0 (Plow)' } },
      });
      if (shape.nodeFeatures) {
        features.push({
          apiVersion: 'nfd.k8s-sigs.io/v1alpha1',
          kind: 'NodeFeature',
          metadata: { name: nodeName, namespace: 'node-feature-discovery', labels: { 'nfd.node.kubernetes.io/node-name': nodeName } },
          spec: { features: profile.features },
        });
      }
    }
    files.set(`clusters/${name}/nodes.yaml`, stringify({ apiVersion: 'v1', kind: 'List', items: nodes }));
    if (shape.nodeFeatures) files.set(`clusters/${name}/nodefeatures.yaml`, features.map((f) => stringify(f)).join('---\n'));
  }
  return files;
}
