/** `kmm-render preflight` (SPEC §1). I/O edge. */
import { resolve } from 'node:path';
import { compile } from '../../compile.js';
import { trimKernelVersion } from '../../kmm/kernel-variables.js';
import { runPreflight, type PreflightReport } from '../../preflight/preflight.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { loadAssets } from '../../package/assets.js';
import { EXIT_DIFFERENCE, EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { printDiagnostics, type OutputFormat } from '../report.js';

export interface PreflightOptions {
  repo: string;
  kernel?: string;
  clusters: string[];
  format: OutputFormat;
}

function formatText(r: PreflightReport): string {
  const lines = [`preflight for kernel ${r.kernel}`, ''];
  for (const row of r.rows) {
    if (!row.mapping) {
      lines.push(`✗ ${row.cluster}  ${row.module}: no kernel mapping matches — its nodes would be left without the module`);
    } else {
      const how = row.mapping.literal !== undefined ? `literal #${row.mapping.index}` : `regexp #${row.mapping.index} ${row.mapping.regexp}`;
      const steps = [row.build ? 'build' : '', row.sign ? 'sign' : ''].filter(Boolean).join(' + ') || 'prebuilt';
      lines.push(`✓ ${row.cluster}  ${row.module}: ${how} → ${row.image} (${steps})`);
      if (row.driverToolkit !== 'not used') lines.push(`    DTK_AUTO: ${row.driverToolkit}`);
    }
    for (const p of row.problems) lines.push(`    ${p}`);
  }
  lines.push('', r.uncovered.length ? `${r.uncovered.length} Module(s) without a mapping for ${r.kernel}: ${r.uncovered.join(', ')}` : `every Module has a mapping for ${r.kernel}`);
  return lines.join('\n') + '\n';
}

export function runPreflightCommand(o: PreflightOptions): number {
  if (!o.kernel) throw new UsageError('preflight needs --kernel VERSION');
  const repo = resolve(o.repo);
  const result = compile(readRepo(repo, undefined, readReaderSettings(repo)), loadAssets());
  printDiagnostics(result.diagnostics.filter((d) => d.severity === 'error'), 'text');
  if (!result.ok || !result.model) return EXIT_INPUT_ERRORS;
  const known = result.model.clusters.map((c) => c.settings.name);
  const unknown = o.clusters.filter((c) => !known.includes(c));
  if (unknown.length) throw new UsageError(`no cluster named ${unknown.join(', ')} (clusters: ${known.join(', ') || 'none'})`);
  const report = runPreflight(result.model, trimKernelVersion(o.kernel), o.clusters);
  process.stdout.write(o.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatText(report));
  return report.uncovered.length > 0 ? EXIT_DIFFERENCE : EXIT_OK;
}
