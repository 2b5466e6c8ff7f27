/**
 * `npm run conformance`: runs every oracle program of conformance/ (Go, with the upstream
 * projects as module dependencies) against this checkout's build, prints one table of
 * cases, agreements, allowlisted and unexplained differences, writes the full reports to
 * conformance/last-run.json, and fails when an oracle disagrees or cannot run.
 *
 *   node dist/scripts/conformance.js [--seed N] [--scale X] [--only k8s,nfd,kmm]
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAllowlistCitations } from '../conformance/allowlist.js';
import { PACKAGE_ROOT } from '../src/package/package-info.js';

/** The oracle programs, each a Go module under conformance/. */
const ORACLES = ['k8s', 'nfd', 'kmm'] as const;

interface OracleReport {
  oracle: string;
  cases: number;
  agreed: number;
  allowlisted: Record<string, number>;
  disagreed: number;
  examples: unknown[] | null;
}

const { values } = parseArgs({
  options: { seed: { type: 'string' }, scale: { type: 'string' }, only: { type: 'string' } },
});
const only = values.only ? values.only.split(',') : [...ORACLES];
const failures: string[] = [];

failures.push(...checkAllowlistCitations(PACKAGE_ROOT));

// One program at a time: compiling them is CPU-bound (run at once on 2 cores, a cold run
// took 310 s instead of 290 s) and their output stays in order.
const reports: OracleReport[] = [];
for (const program of ORACLES.filter((o) => only.includes(o))) {
  const r = await runOracle(program);
  if ('failure' in r) failures.push(r.failure);
  else reports.push(...r.reports);
}

printTable(reports);
writeFileSync(join(PACKAGE_ROOT, 'conformance', 'last-run.json'), JSON.stringify(reports, null, 2) + '\n');
for (const r of reports) if (r.disagreed > 0) failures.push(`${r.oracle}: ${r.disagreed} unexplained difference(s); the first are in conformance/last-run.json`);
for (const f of failures) process.stderr.write(`FAIL ${f}\n`);
process.exitCode = failures.length > 0 ? 1 : 0;

function printTable(rs: readonly OracleReport[]): void {
  const rows = rs.map((r) => [
    r.oracle,
    String(r.cases),
    String(r.agreed),
    Object.entries(r.allowlisted)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, n]) => `${id} ${n}`)
      .join(', ') || '0',
    String(r.disagreed),
  ]);
  const header = ['oracle', 'cases', 'agreed', 'allowlisted', 'disagreed'];
  process.stdout.write(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n`);
  for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
}

/** Runs one oracle program (`go run .` in its folder); its stderr passes through. */
function runOracle(program: string): Promise<{ reports: OracleReport[] } | { failure: string }> {
  const args = ['run', '.', '-root', PACKAGE_ROOT];
  if (values.seed) args.push('-seed', values.seed);
  if (values.scale) args.push('-scale', values.scale);
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn('go', args, { cwd: join(PACKAGE_ROOT, 'conformance', program), stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', (e: NodeJS.ErrnoException) =>
      resolve({ failure: `conformance/${program}: ${e.message}${e.code === 'ENOENT' ? ' (Go 1.26+ is needed: https://go.dev/dl)' : ''}` }),
    );
    child.on('close', (code) => {
      if (code !== 0) return resolve({ failure: `conformance/${program}: exit ${code}` });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const lines = stdout.split('\n').filter((l) => l.trim() !== '');
      process.stderr.write(`conformance/${program}: ${lines.length} oracle(s) in ${seconds.toFixed(1)} s\n`);
      resolve({ reports: lines.map((l) => JSON.parse(l) as OracleReport) });
    });
  });
}
