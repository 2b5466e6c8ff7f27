/**
 * `npm run bench`: generates synthetic fleets (generate-fleet.ts) and measures kmm-render as
 * a user runs it — a fresh process each time — printing one JSON line per measurement: wall
 * time (median, min, max over the runs) and peak RSS from the OS (getrusage of the process,
 * worker threads included). For the medium fleet it also measures, in the same run, what the
 * issue's budgets compare against: `kubectl kustomize` over the ten rendered cluster folders,
 * a warm (cached) render, a re-render after one cluster's Module changed, and `diff` of two
 * commits that differ in one Module.
 *
 *   npm run bench                       every preset, 5 runs each
 *   npm run bench -- small medium       some presets
 *   BENCH_RUNS=3 npm run bench
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateFleet, PRESETS } from './generate-fleet.js';
import { measurePipelineRuleEvaluation, measureRuleEvaluation } from './rule-eval.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Scratch space for the generated fleets, outputs and caches: $BENCH_DIR, else the system's
// temporary folder. (On the project machine, creating files under /work costs ~1 ms each, 20×
// the same disk elsewhere; a benchmark that writes 574 output files per render would measure
// that instead of kmm-render. BENCHMARKS.md.)
const WORK = process.env.BENCH_DIR ?? join(tmpdir(), 'kmm-render-bench');
const runs = Number(process.env.BENCH_RUNS ?? 5);
const bin = join(ROOT, 'bin', 'kmm-render.js');

interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  peakRssMiB: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function print(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

/** Runs `node args` `runs` times; `before(i)` prepares each run. */
function measure(label: string, args: string[], extra: Record<string, unknown> = {}, before?: (i: number) => void, okStatuses = [0, 1]): Timing {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    before?.(i);
    const rusage = join(WORK, 'rusage.json');
    rmSync(rusage, { force: true });
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', join(ROOT, 'dist', 'bench', 'report-rusage.js'), ...args], {
      env: { ...process.env, KMM_BENCH_RUSAGE: rusage },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (!okStatuses.includes(r.status ?? -1)) throw new Error(`${label} failed (${r.status}): ${r.stderr}`);
    times.push(ms);
    rss = Math.max(rss, (JSON.parse(readFileSync(rusage, 'utf8')) as { maxRssKiB: number }).maxRssKiB);
  }
  const timing = { medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), maxMs: Math.round(Math.max(...times)), peakRssMiB: Math.round(rss / 1024) };
  print({ bench: label, runs, ...timing, ...extra });
  return timing;
}

/** Times a command that is not node (kubectl). */
function measureCommand(label: string, run: () => void, extra: Record<string, unknown> = {}): Timing {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const timing = { medianMs: Math.round(median(times)), minMs: Math.round(Math.min(...times)), maxMs: Math.round(Math.max(...times)), peakRssMiB: 0 };
  print({ bench: label, runs, medianMs: timing.medianMs, minMs: timing.minMs, maxMs: timing.maxMs, ...extra });
  return timing;
}

function writeFleet(name: string): { repo: string; files: number; bytes: number; nodes: number } {
  const shape = PRESETS[name]!;
  const repo = join(WORK, name, 'repo');
  const stamp = join(WORK, name, 'fleet.sha256');
  const files = generateFleet(shape);
  let bytes = 0;
  // The fleet on disk is reused only while it is exactly what the generator makes now (a
  // stamp of the shape alone once kept a fleet from an older generator).
  const digest = createHash('sha256');
  for (const [p, text] of files) {
    bytes += text.length;
    digest.update(`${p}\n${text.length}\n`).update(text);
  }
  const fingerprint = digest.digest('hex');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== fingerprint) {
    rmSync(join(WORK, name), { recursive: true, force: true });
    for (const [p, text] of files) {
      mkdirSync(dirname(join(repo, p)), { recursive: true });
      writeFileSync(join(repo, p), text);
    }
    writeFileSync(stamp, fingerprint);
  }
  return { repo, files: files.size, bytes, nodes: shape.clusters * shape.nodesPerCluster };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
}

/** The medium fleet's extra measurements: kustomize, warm render, re-render, diff. */
function mediumExtras(repo: string, cold: Timing): void {
  const out = join(WORK, 'medium', 'rendered');
  const kustomize = measureCommand('kubectl kustomize, the ten medium cluster folders one after another', () => {
    for (let c = 0; c < 10; c++) {
      const r = spawnSync('kubectl', ['kustomize', join(out, `cluster-${String(c).padStart(3, '0')}`)], { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (r.status !== 0) throw new Error(`kubectl kustomize: ${r.stderr}`);
    }
  });
  mediumKustomizeMs = kustomize.medianMs;
  print({ bench: 'budget: medium cold render vs kubectl kustomize', renderMs: cold.medianMs, kustomizeMs: kustomize.medianMs, ratio: ratio(cold.medianMs, kustomize.medianMs), budget: 1 });

  const cache = join(WORK, 'medium', 'cache');
  rmSync(cache, { recursive: true, force: true });
  spawnSync(process.execPath, [bin, 'render', '--repo', repo, '--out', out, '--cache-dir', cache]);
  const warm = measure('render medium, warm cache (nothing changed)', [bin, 'render', '--repo', repo, '--out', out, '--cache-dir', cache]);
  print({ bench: 'budget: medium warm render vs kubectl kustomize', renderMs: warm.medianMs, kustomizeMs: kustomize.medianMs, ratio: ratio(warm.medianMs, kustomize.medianMs), budget: 1 });

  // One Module in cluster-003's folder changes before each run: one cluster is recomputed.
  const extra = join(repo, 'clusters', 'cluster-003', 'bench-extra-module.yaml');
  const module = readFileSync(join(repo, 'modules', 'module-1.yaml'), 'utf8').replace('accel-driver-1', 'bench-extra');
  const rerender = measure('re-render medium after one Module of one cluster changed (cache)', [bin, 'render', '--repo', repo, '--out', out, '--cache-dir', cache], {}, (i) =>
    writeFileSync(extra, module.replace(/1\.0-/g, `1.${i + 1}-`)),
  );
  rmSync(extra, { force: true });
  print({ bench: 'budget: re-render after one Module changed vs cold render', rerenderMs: rerender.medianMs, coldMs: cold.medianMs, ratio: ratio(rerender.medianMs, cold.medianMs), budget: 0.25 });

  // Two commits that differ in one Module, diffed cold (no cache): fleet-wide and cluster-scoped.
  // Inside the fleet's folder, so that it goes with the fleet when the generator changes.
  const gitRepo = join(WORK, 'medium', 'git');
  if (!existsSync(join(gitRepo, '.git'))) {
    rmSync(gitRepo, { recursive: true, force: true });
    spawnSync('cp', ['-r', repo, gitRepo]);
    git(gitRepo, 'init', '-q');
    git(gitRepo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'add', '-A');
    git(gitRepo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'base');
    const fleetWide = join(gitRepo, 'modules', 'module-0.yaml');
    writeFileSync(fleetWide, readFileSync(fleetWide, 'utf8').replace(/1\.0-/g, '2.0-'));
    git(gitRepo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qam', 'fleet-wide module');
    writeFileSync(join(gitRepo, 'clusters', 'cluster-003', 'bench-extra-module.yaml'), module);
    git(gitRepo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'add', '-A');
    git(gitRepo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', 'commit', '-qm', 'cluster-scoped module');
  }
  const fleetDiff = measure('diff medium, one fleet-wide Module changed (no cache)', [bin, 'diff', '--repo', gitRepo, '--base', 'HEAD~2', '--head', 'HEAD~1', '--no-cache'], {}, undefined, [3]);
  const clusterDiff = measure('diff medium, one Module in one cluster added (no cache)', [bin, 'diff', '--repo', gitRepo, '--base', 'HEAD~1', '--head', 'HEAD', '--no-cache'], {}, undefined, [3]);
  print({ bench: 'budget: diff (fleet-wide Module) vs cold render', diffMs: fleetDiff.medianMs, renderMs: cold.medianMs, ratio: ratio(fleetDiff.medianMs, cold.medianMs), budget: 2 });
  print({ bench: 'budget: diff (one cluster\'s Module) vs cold render', diffMs: clusterDiff.medianMs, renderMs: cold.medianMs, ratio: ratio(clusterDiff.medianMs, cold.medianMs), budget: 2 });
}

/**
 * Issue 16: the coverage page of the large fleet (50 × 2,000 nodes, compact form): how long
 * `report` takes, how big the page is (budget 2 MB) and how long Debian's Chromium takes to
 * load and lay it out (budget 1 s), from navigation start to the load event, plus the first
 * full layout the filters' first run forces. Skipped, saying so, without Chromium.
 */
async function reportExtras(repo: string): Promise<void> {
  const page = join(WORK, 'large', 'report.html');
  const report = measure('report large (fleet coverage page, --format html)', [bin, 'report', '--repo', repo, '--out', page]);
  const bytes = readFileSync(page).length;
  print({ bench: 'budget (issue 16): large fleet coverage page size', bytes, MiB: Math.round((bytes / 1048576) * 100) / 100, budgetBytes: 2_000_000, reportMs: report.medianMs });
  const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    print({ bench: 'budget (issue 16): Chromium renders the large page', skipped: `no Chromium at ${chromiumPath}` });
    return;
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
  const times: number[] = [];
  const filterTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const tab = await context.newPage();
    const start = process.hrtime.bigint();
    await tab.goto(pathToFileURL(page).href, { waitUntil: 'load' });
    // The page's height: a layout of every section (those out of view at their estimated size).
    await tab.evaluate(() => document.documentElement.scrollHeight);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    // One filter change over every row of the fleet, and the layout after it.
    const filterStart = process.hrtime.bigint();
    await tab.selectOption('#filter-problem', 'uncovered');
    await tab.evaluate(() => document.documentElement.scrollHeight);
    filterTimes.push(Number(process.hrtime.bigint() - filterStart) / 1e6);
    await context.close();
  }
  await browser.close();
  const stats = (t: number[]) => ({ medianMs: Math.round(median(t)), minMs: Math.round(Math.min(...t)), maxMs: Math.round(Math.max(...t)) });
  print({ bench: 'budget (issue 16): Chromium loads and lays out the large page', runs, ...stats(times), budgetMs: 1000 });
  print({ bench: 'the large page: one filter change (problem: nodes left without a module) and its layout', runs, ...stats(filterTimes) });
}

/** `kubectl kustomize` of the medium output folders, when this run measured it (issue 17's ratios). */
let mediumKustomizeMs: number | undefined;

/** The clean medium fleet's cold render, when this run measured it. */
let cleanMedium: { repo: string; cold: Timing } | undefined;

function measureCleanMedium(): { repo: string; cold: Timing } {
  const repo = writeFleet('medium').repo;
  return { repo, cold: measure('render medium (cold: --no-cache)', [bin, 'render', '--repo', repo, '--out', join(WORK, 'medium', 'rendered'), '--no-cache']) };
}

/**
 * The error path (issue 13): the medium fleet with every node's NodeFeature broken against
 * the clean one, for render and validate: time ratio (budget 1.5) and peak RSS (1 GiB).
 */
function errorPathExtras(brokenRepo: string, brokenRender: Timing): void {
  const clean = cleanMedium ?? measureCleanMedium();
  // Both cold: a warm validate of the clean fleet is a cache lookup, not the same work.
  const cleanValidate = measure('validate medium (cold: --no-cache)', [bin, 'validate', '--repo', clean.repo, '--no-cache']);
  const brokenValidate = measure('validate medium-broken (cold: --no-cache)', [bin, 'validate', '--repo', brokenRepo, '--no-cache'], {}, undefined, [1]);
  const out = spawnSync(process.execPath, [bin, 'validate', '--repo', brokenRepo], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const all = spawnSync(process.execPath, [bin, 'validate', '--repo', brokenRepo, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const diagnostics = (JSON.parse(all.stdout || all.stderr) as unknown[]).length;
  for (const [what, broken, cleanRun] of [['render', brokenRender, clean.cold], ['validate', brokenValidate, cleanValidate]] as const) {
    print({
      bench: `budget: error path (every node broken) ${what} vs clean ${what}`,
      brokenMs: broken.medianMs,
      cleanMs: cleanRun.medianMs,
      ratio: ratio(broken.medianMs, cleanRun.medianMs),
      budget: 1.5,
      peakRssMiB: broken.peakRssMiB,
      memoryBudgetMiB: 1024,
      diagnostics,
      linesPrinted: out.stderr.split('\n').length - 1,
    });
  }
}

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(PRESETS);
for (const name of chosen) if (!PRESETS[name]) throw new Error(`no preset ${name} (presets: ${Object.keys(PRESETS).join(', ')})`);
mkdirSync(WORK, { recursive: true });
const evals = measureRuleEvaluation();
print({ bench: 'nfd rule evaluation (medium rule set, every node from scratch, one core)', ...evals, budget: 1_000_000 });
for (const compact of [false, true]) {
  // Context for the budget line above, not the budget itself: in the pipeline the rules run
  // once per distinct feature set, and the upstream form also pays for reading every node's
  // NodeFeature (~400 elements) into its key.
  print({ bench: 'node labels in the pipeline (one medium cluster: NodeFeatures read, rules once per distinct readable feature set, one core)', ...measurePipelineRuleEvaluation(compact) });
}
const node = measure('node -e 0', ['-e', '0']);
const version = measure('kmm-render --version', [bin, '--version']);
print({ bench: 'budget: --version vs node -e 0', ratio: ratio(version.medianMs, node.medianMs), budget: 2 });
// Issue 17: what every commit pays — the bundled example fleet, fresh process, no cache.
const example = measure('render example fleet (fresh process, --no-cache)', [bin, 'render', '--repo', join(ROOT, 'fixtures', 'example-fleet', 'repo'), '--out', join(WORK, 'example', 'rendered'), '--no-cache']);
print({ bench: 'target (issue 17): example fleet render vs node -e 0', ratio: ratio(example.medianMs, node.medianMs), target: 2.5 });
for (const name of chosen) {
  const fleet = writeFleet(name);
  const out = join(WORK, name, 'rendered');
  const cold = measure(`render ${name} (cold: --no-cache)`, [bin, 'render', '--repo', fleet.repo, '--out', out, '--no-cache'], {
    shape: PRESETS[name],
    nodes: fleet.nodes,
    inputFiles: fleet.files,
    inputMiB: Math.round((fleet.bytes / 1048576) * 10) / 10,
  });
  if (name === 'small') print({ bench: 'budget: small render vs node -e 0', ratio: ratio(cold.medianMs, node.medianMs), budget: 5 });
  if (name === 'small-realistic') print({ bench: 'target (issue 17): small-realistic render vs node -e 0', ratio: ratio(cold.medianMs, node.medianMs), target: 3 });
  if (name === 'medium-compact' && mediumKustomizeMs !== undefined) {
    print({ bench: 'target (issue 17): medium cold render, compact form, vs kubectl kustomize', renderMs: cold.medianMs, kustomizeMs: mediumKustomizeMs, ratio: ratio(cold.medianMs, mediumKustomizeMs), target: 0.5 });
  }
  if (name === 'medium') {
    cleanMedium = { repo: fleet.repo, cold };
    mediumExtras(fleet.repo, cold);
  }
  if (name === 'medium-broken') errorPathExtras(fleet.repo, cold);
  if (name === 'large') await reportExtras(fleet.repo);
}
