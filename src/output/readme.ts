/** The README files of the output tree: what the tree is, and per cluster the coverage. */
import type { ClusterPlan } from '../plan/fleet-plan.js';
import type { RenderedObject } from '../render/render-objects.js';
import { emittedKindOf } from '../plan/emitted-kinds.js';
import { targetOf } from '../targets/target.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The cluster README: coverage table (module × kernel × nodes), gaps, objects, reboots. */
export function clusterReadme(plan: ClusterPlan, objects: readonly RenderedObject[]): string {
  const name = plan.cluster.name;
  const lines = [
    `# Cluster ${name}`,
    '',
    `Rendered by kmm-render from the repository; do not edit by hand. ${plan.nodeCount} node(s) in the inventory.`,
    '',
    `Target: ${targetOf(plan.cluster).summary}`,
    '',
    '## Coverage',
    '',
  ];
  if (plan.coverage.length === 0) {
    lines.push('No Module targets any node of this cluster.');
  } else {
    lines.push('| Module | Kernel | Nodes | Image | In cluster |', '|---|---|---:|---|---|');
    for (const row of plan.coverage) {
      const steps = [row.build ? 'build' : '', row.sign ? 'sign' : ''].filter(Boolean).join(' + ') || '—';
      lines.push(`| ${cell(row.module)} | ${cell(row.kernel)} | ${row.nodes.length} | ${row.image ? '`' + cell(row.image) + '`' : '**no mapping**'} | ${row.image ? steps : '—'} |`);
    }
  }
  const gaps = plan.coverage.filter((r) => !r.image);
  lines.push('', '## Nodes left without a module', '');
  if (gaps.length === 0) lines.push('None: every targeted node has a kernel mapping.');
  for (const g of gaps) lines.push(`- ${g.module} on kernel ${g.kernel}: ${g.nodes.join(', ')}`);
  const reboots = objects.flatMap((o) => {
    const impact = emittedKindOf(o.planned).impact?.(o.planned);
    return impact?.effect === 'reboot' ? [{ object: o, impact }] : [];
  });
  if (reboots.length > 0) {
    lines.push('', '## Reboots', '');
    for (const { object, impact } of reboots) {
      lines.push(`- ${object.kind} ${object.name}: applying or changing it reboots the ${impact.nodes} node(s) of pool ${impact.pool}.`);
    }
  }
  lines.push('', '## Objects, in apply order', '');
  if (objects.length === 0) lines.push('None.');
  for (const o of objects) lines.push(`- ${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name} (\`${o.file}\`)`);
  return lines.join('\n') + '\n';
}

/** The top-level README of the output tree. */
export function treeReadme(clusters: readonly { name: string; objects: number }[], command: string): string {
  const lines = [
    '# Rendered by kmm-render',
    '',
    'This folder holds, per cluster, the objects the Kernel Module Management operator would',
    'create at run time (module-loader and device-plugin DaemonSets, BuildConfigs, signing Jobs,',
    'firmware MachineConfigs, ManifestWorks for hub-managed spokes), rendered from the Modules,',
    'NodeFeatureRules and inventory of the repository. Argo CD or Flux',
    'applies each `<cluster>/` folder; each one builds with `kubectl kustomize <cluster>`.',
    '',
    'Do not edit these files: change the inputs and render again. `render.lock` records the tool',
    'version, the source commit and a digest of every input and output file.',
    '',
    'To reproduce, from the repository root:',
    '',
    '```sh',
    command,
    '```',
    '',
    '## Clusters',
    '',
  ];
  if (clusters.length === 0) lines.push('None.');
  else {
    lines.push('| Cluster | Objects |', '|---|---:|');
    for (const c of clusters) lines.push(`| [${c.name}](${c.name}/README.md) | ${c.objects} |`);
  }
  return lines.join('\n') + '\n';
}
