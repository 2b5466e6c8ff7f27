/** Which MachineConfigPool a node belongs to (SPEC §5.6). */
import type { LabelSelector, MachineConfigPoolInfo } from '../model/fleet-model.js';
import { hasOwnProperty } from '../base/own-property.js';

const MASTER_ROLES = ['node-role.kubernetes.io/master', 'node-role.kubernetes.io/control-plane'];
const WORKER_ROLE = 'node-role.kubernetes.io/worker';
const DEFAULT_POOLS = ['master', 'worker'];

/** True when labels satisfy a Kubernetes LabelSelector (an empty selector matches all). */
export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = hasOwnProperty(labels, e.key);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[e.key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[e.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

/** The pool of a node, and every custom pool that matched (more than one is a conflict). */
export interface PoolAssignment {
  readonly pool?: string;
  readonly candidates: readonly string[];
}

/**
 * A node belongs to the custom pool whose nodeSelector matches it; else to `master` when it
 * has a control-plane role (so a single-node cluster uses `master`), else to `worker`.
 */
export function assignPool(labels: Readonly<Record<string, string>>, pools: readonly MachineConfigPoolInfo[]): PoolAssignment {
  const custom = pools
    .filter((p) => !DEFAULT_POOLS.includes(p.name) && p.nodeSelector)
    .filter((p) => matchesLabelSelector(p.nodeSelector!, labels))
    .map((p) => p.name);
  if (custom.length > 0) return { pool: custom[0]!, candidates: custom };
  if (MASTER_ROLES.some((r) => r in labels)) return { pool: 'master', candidates: [] };
  if (WORKER_ROLE in labels) return { pool: 'worker', candidates: [] };
  return { candidates: [] };
}
