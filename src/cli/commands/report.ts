/**
 * `kmm-render report [--format html|json] [--out FILE] [--cluster NAME]...`: the fleet
 * coverage page from the same compile as `render` (docs/report.md). I/O edge.
 */
import { resolve } from 'node:path';
import { compile } from '../../compile.js';
import { writeFileAtomically } from '../../disk/write-file-atomically.js';
import { loadAssets } from '../../package/assets.js';
import { toolVersion } from '../../package/package-info.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { buildFleetReport } from '../../report/fleet-report.js';
import { formatReportHtml } from '../../report/format-html.js';
import { EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { countSummary, printDiagnostics } from '../report.js';

export interface ReportOptions {
  repo: string;
  format: string;
  out?: string;
  clusters: string[];
  strict: boolean;
  pinDigests: boolean;
}

export function runReport(o: ReportOptions): number {
  if (o.format !== 'html' && o.format !== 'json') throw new UsageError(`--format must be html or json for report, not ${o.format}`);
  const repo = resolve(o.repo);
  const snapshot = readRepo(repo, undefined, readReaderSettings(repo));
  const result = compile(snapshot, loadAssets(), { ...(o.clusters.length ? { clusters: o.clusters } : {}), strict: o.strict, pinDigests: o.pinDigests });
  printDiagnostics(result.diagnostics, 'text');
  if (!result.ok || !result.model || !result.clusters) {
    process.stderr.write(`kmm-render: ${countSummary(result.diagnostics)}; no report\n`);
    return EXIT_INPUT_ERRORS;
  }
  const known = new Set(result.model.clusters.map((c) => c.settings.name));
  for (const name of o.clusters) if (!known.has(name)) throw new UsageError(`no cluster named ${name} (clusters: ${[...known].join(', ') || 'none'})`);
  const report = buildFleetReport(result.model.clusters, result.clusters);
  const text = o.format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatReportHtml(report, { toolVersion: toolVersion(), ...(snapshot.commit ? { commit: snapshot.commit } : {}) });
  if (o.out === undefined) process.stdout.write(text);
  else {
    writeFileAtomically(resolve(o.out), text);
    process.stderr.write(`kmm-render: wrote the report of ${report.summary.clusters} cluster(s), ${report.summary.nodes} node(s) to ${o.out}\n`);
  }
  return EXIT_OK;
}
