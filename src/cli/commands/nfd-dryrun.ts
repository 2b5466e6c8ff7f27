/** `kmm-render nfd dryrun` (SPEC §1, §3.8). I/O edge. */
import { readFileSync } from 'node:fs';
import type { InputFile } from '../../load/repo-snapshot.js';
import { runDryrun, type DryrunReport } from '../../nfd-dryrun.js';
import { loadAssets } from '../../package/assets.js';
import { EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { printDiagnostics, type OutputFormat } from '../report.js';

export interface DryrunOptions {
  rules: string[];
  features?: string;
  clusterConfig?: string;
  format: OutputFormat;
}

function readInput(path: string): InputFile {
  try {
    // Diagnostics name the file as given on the command line.
    return { path, text: readFileSync(path, "utf8") };
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function formatText(report: DryrunReport): string {
  const lines: string[] = [];
  const kv = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ');
  for (const r of report.rules) {
    const state = r.error ? `error: ${r.error}` : r.matched ? 'matched' : 'no match';
    lines.push(`${r.object} / ${r.rule}: ${state}`);
    if (Object.keys(r.labels).length) lines.push(`    labels: ${kv(r.labels)}`);
    if (Object.keys(r.vars).length) lines.push(`    vars: ${kv(r.vars)}`);
  }
  lines.push('', 'node:');
  for (const [k, v] of Object.entries(report.node.labels)) lines.push(`  label ${k}=${v}`);
  for (const [k, v] of Object.entries(report.node.annotations)) lines.push(`  annotation ${k}=${v}`);
  for (const [k, v] of Object.entries(report.node.extendedResources)) lines.push(`  extended resource ${k}=${v}`);
  for (const t of report.node.taints) lines.push(`  taint ${t.key}=${t.value}:${t.effect}`);
  return lines.join('\n') + '\n';
}

export function runNfdDryrun(o: DryrunOptions): number {
  if (o.rules.length === 0) throw new UsageError('nfd dryrun needs at least one --rules FILE');
  if (!o.features) throw new UsageError('nfd dryrun needs --features FILE (a NodeFeature of one node)');
  const { diagnostics, report } = runDryrun(
    {
      rules: o.rules.map(readInput),
      features: readInput(o.features),
      ...(o.clusterConfig ? { clusterConfig: readInput(o.clusterConfig) } : {}),
    },
    loadAssets().validators,
  );
  printDiagnostics(diagnostics, 'text');
  if (!report) return EXIT_INPUT_ERRORS;
  process.stdout.write(o.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatText(report));
  return EXIT_OK;
}
