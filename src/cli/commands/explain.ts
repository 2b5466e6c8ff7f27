/** `kmm-render explain` (SPEC §1). I/O edge. */
import { resolve } from 'node:path';
import { compile } from '../../compile.js';
import { explainNode, type NodeExplanation } from '../../explain/explain-node.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { loadAssets } from '../../package/assets.js';
import { EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { printDiagnostics, type OutputFormat } from '../report.js';

export interface ExplainOptions {
  repo: string;
  cluster?: string;
  node?: string;
  module?: string;
  format: OutputFormat;
}

function formatText(e: NodeExplanation): string {
  const lines = [
    `node ${e.node} in cluster ${e.cluster}`,
    `  kernel ${e.kernel}${e.kernel !== e.kernelVersion ? ` (reported ${e.kernelVersion})` : ''}${e.osImage ? `, ${e.osImage}` : ''}`,
    `  MachineConfigPool: ${e.pool ?? 'none'}`,
    '',
    'labels:',
    ...e.labels.map((l) => `  ${l.key}=${l.value}    ← ${l.origin}`),
    '',
    'taints:',
    ...(e.taints.length ? e.taints.map((t) => `  ${t.key}${t.value ? '=' + t.value : ''}:${t.effect}`) : ['  none']),
    '',
    'modules:',
  ];
  for (const m of e.modules) {
    lines.push(`  ${m.module} (${m.source}): ${m.selected ? 'selected' : 'not selected'}`);
    lines.push(`    ${m.reason}`);
    if (m.mapping) lines.push(`    mapping #${m.mapping.index}: ${m.mapping.literal !== undefined ? `literal ${m.mapping.literal}` : `regexp ${m.mapping.regexp}`}`);
    if (m.image) lines.push(`    image ${m.image}`);
    for (const o of m.objects) lines.push(`    served by ${o}`);
  }
  if (e.modules.length === 0) lines.push('  none in scope');
  return lines.join('\n') + '\n';
}

export function runExplain(o: ExplainOptions): number {
  if (!o.cluster || !o.node) throw new UsageError('explain needs --cluster NAME and --node NODE');
  const repo = resolve(o.repo);
  const snapshot = readRepo(repo, undefined, readReaderSettings(repo));
  const result = compile(snapshot, loadAssets(), { clusters: [o.cluster] });
  printDiagnostics(result.diagnostics.filter((d) => d.severity === 'error'), 'text');
  if (!result.ok || !result.model || !result.clusters) return EXIT_INPUT_ERRORS;
  const cluster = result.model.clusters.find((c) => c.settings.name === o.cluster);
  if (!cluster) throw new UsageError(`no cluster named ${o.cluster} (clusters: ${result.model.clusters.map((c) => c.settings.name).join(', ') || 'none'})`);
  if (o.module && !cluster.modules.some((m) => `${m.namespace}/${m.name}` === o.module)) {
    throw new UsageError(`no Module ${o.module} in the scope of cluster ${o.cluster}`);
  }
  const explanation = explainNode(cluster, result.clusters[0]!, o.node, o.module);
  if (!explanation) throw new UsageError(`no node named ${o.node} in cluster ${o.cluster}`);
  process.stdout.write(o.format === 'json' ? JSON.stringify(explanation, null, 2) + '\n' : formatText(explanation));
  return EXIT_OK;
}
