/**
 * `npm run bench`: generates synthetic fleets and measures `kmm-render render` on them as a
 * user runs it (a fresh process), printing one JSON line per measurement with wall time
 * (median, min, max over the runs) and peak RSS from the OS.
 *
 *   npm run bench                 small and medium, 5 runs each
 *   npm run bench -- large        one preset
 *   BENCH_RUNS=3 npm run bench
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateFleet, PRESETS } from './generate-fleet.js';
import { measureRuleEvaluation } from './rule-eval.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORK = join(ROOT, '.bench');
const runs = Number(process.env.BENCH_RUNS ?? 5);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(args: string[], label: string, extra: Record<string, unknown> = {}): void {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const rusage = join(WORK, 'rusage.json');
    rmSync(rusage, { force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', join(ROOT, 'dist', 'bench', 'report-rusage.js'), ...args], {
      env: { ...process.env, KMM_BENCH_RUSAGE: rusage },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
    times.push(ms);
    rss = Math.max(rss, (JSON.parse(readFileSync(rusage, 'utf8')) as { maxRssKiB: number }).maxRssKiB);
  }
  const line = {
    bench: label,
    runs,
    medianMs: Math.round(median(times)),
    minMs: Math.round(Math.min(...times)),
    maxMs: Math.round(Math.max(...times)),
    peakRssMiB: Math.round(rss / 1024),
    ...extra,
  };
  process.stdout.write(JSON.stringify(line) + '\n');
}

function writeFleet(name: string): { repo: string; files: number; bytes: number; nodes: number } {
  const shape = PRESETS[name]!;
  const repo = join(WORK, name, 'repo');
  const stamp = join(WORK, name, 'shape.json');
  const files = generateFleet(shape);
  let bytes = 0;
  for (const text of files.values()) bytes += text.length;
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== JSON.stringify(shape)) {
    rmSync(join(WORK, name), { recursive: true, force: true });
    for (const [p, text] of files) {
      mkdirSync(dirname(join(repo, p)), { recursive: true });
      writeFileSync(join(repo, p), text);
    }
    writeFileSync(stamp, JSON.stringify(shape));
  }
  return { repo, files: files.size, bytes, nodes: shape.clusters * shape.nodesPerCluster };
}

const bin = join(ROOT, 'bin', 'kmm-render.js');
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : ['small', 'medium'];
mkdirSync(WORK, { recursive: true });
process.stdout.write(JSON.stringify({ bench: 'nfd rule evaluation (medium rule set, per node, one core)', ...measureRuleEvaluation() }) + '\n');
measure(['-e', '0'], 'node -e 0');
measure([bin, '--version'], 'kmm-render --version');
for (const name of chosen) {
  if (!PRESETS[name]) throw new Error(`no preset ${name} (presets: ${Object.keys(PRESETS).join(', ')})`);
  const fleet = writeFleet(name);
  const out = join(WORK, name, 'rendered');
  measure([bin, 'render', '--repo', fleet.repo, '--out', out], `render ${name}`, {
    shape: PRESETS[name],
    nodes: fleet.nodes,
    inputFiles: fleet.files,
    inputMiB: Math.round((fleet.bytes / 1048576) * 10) / 10,
  });
}
