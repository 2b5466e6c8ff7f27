/** The command line: argument parsing, dispatch, exit codes (SPEC §1). I/O edge. */
import { parseArgs } from 'node:util';
import { toolVersion } from '../package/package-info.js';
import type { RenderOptions } from './commands/render.js';
import { EXIT_USAGE, UsageError } from './exit-codes.js';
import { DEFAULT_MAX_DIAGNOSTICS, setMaxDiagnostics, type OutputFormat } from './report.js';
import { OperationalError } from '../base/operational-error.js';

const USAGE = `Usage: kmm-render <command> [options]

Commands:
  render [--out DIR] [--cluster NAME]... [--stdout]   compile the repo and write the output tree
  validate                                           compile in memory and print diagnostics only
  check [--out DIR]                                  is the rendered tree up to date? (exit 3 when stale)
  diff --base REF [--head REF] [--format markdown|json|text] [--ignore-path PTR]... [--ignore-object KIND/NAME]...
       [--comment-parts DIR]                         what a change does to each cluster (exit 3 when it changes something);
                                                     --comment-parts: markdown as DIR/part-1.md … part-N.md, one comment each
  report [--format html|json] [--out FILE] [--cluster NAME]...
                                                     the fleet coverage page: Modules x kernels, uncovered nodes, reboots, builds
  comment github|gitlab --parts DIR [--marker NAME] [--pull-request N]
                                                     post diff --comment-parts to the pull request, editing earlier runs' comments
  hook install [--fix] [--force]                     a git pre-commit hook that runs check (or renders)
  inventory pull --cluster NAME [--kubeconfig FILE] [--context CTX] [--allow-exec-plugin] [--upstream] [--all-features]
                                                     a live cluster's Nodes, NodeFeatures, pools, DTK stream
  gitops argocd [--plugin-free] | gitops flux [--kubeconfig-secrets] [--repo-url URL] [--revision REV]
                                                     the Argo CD plugin and ApplicationSet, or the Flux objects
  nfd dryrun --rules FILE... --features FILE [--cluster-config FILE]
                                                     evaluate NodeFeatureRules against one node's features
  explain --cluster NAME --node NODE [--module NS/NAME]
                                                     why a node does or does not get each Module
  preflight --kernel VERSION [--cluster NAME]...     would every Module have an image for this kernel?
                                                     (exit 3 when some Module would have none)

Common options:
  --repo DIR        the input repository (default: the current directory)
  --format FMT      text (default) or json
  --strict          every warning is an error
  --pin-digests     (render) reference images by the digests ImageDigests list
  --jobs N          (render, check, diff, validate) worker threads for clusters (default: the number of CPUs)
  --cache-dir DIR   (render, check, diff, validate) the unit cache (default: $KMM_RENDER_CACHE, else
                    $XDG_CACHE_HOME/kmm-render, else ~/.cache/kmm-render); --no-cache: none
  --max-diagnostics N|all
                    text output shows the first N diagnostics (default 50), then one line
                    per code for the rest; all: every one (JSON always has every one)
  --debug           print the stack of internal errors
  --version, --help
`;

const OPTIONS = {
  repo: { type: 'string' },
  out: { type: 'string' },
  cluster: { type: 'string', multiple: true },
  stdout: { type: 'boolean' },
  strict: { type: 'boolean' },
  format: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  rules: { type: 'string', multiple: true },
  features: { type: 'string' },
  'cluster-config': { type: 'string' },
  node: { type: 'string' },
  module: { type: 'string' },
  kernel: { type: 'string' },
  'pin-digests': { type: 'boolean' },
  fix: { type: 'boolean' },
  'repo-url': { type: 'string' },
  revision: { type: 'string' },
  'plugin-free': { type: 'boolean' },
  'kubeconfig-secrets': { type: 'boolean' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  'allow-exec-plugin': { type: 'boolean' },
  base: { type: 'string' },
  head: { type: 'string' },
  'ignore-path': { type: 'string', multiple: true },
  'ignore-object': { type: 'string', multiple: true },
  force: { type: 'boolean' },
  jobs: { type: 'string' },
  'cache-dir': { type: 'string' },
  'no-cache': { type: 'boolean' },
  upstream: { type: 'boolean' },
  'all-features': { type: 'boolean' },
  'max-diagnostics': { type: 'string' },
  'comment-parts': { type: 'string' },
  parts: { type: 'string' },
  marker: { type: 'string' },
  'pull-request': { type: 'string' },
} as const;

/**
 * Every command, with the subcommands it takes when it takes one. Usage, docs/review.md's CI
 * files and the dispatch below are checked against it (test/review-ci.test.ts, cli.test.ts).
 */
export const COMMANDS: Readonly<Record<string, { readonly subcommands: readonly string[]; readonly usage: string }>> = {
  render: { subcommands: [], usage: 'render [--out DIR] [--cluster NAME]... [--stdout]' },
  validate: { subcommands: [], usage: 'validate' },
  check: { subcommands: [], usage: 'check [--out DIR]' },
  diff: { subcommands: [], usage: 'diff --base REF [--head REF] [--format markdown|json|text] [--comment-parts DIR]' },
  report: { subcommands: [], usage: 'report [--format html|json] [--out FILE] [--cluster NAME]...' },
  comment: { subcommands: ['github', 'gitlab'], usage: 'comment github|gitlab --parts DIR [--marker NAME] [--pull-request N]' },
  hook: { subcommands: ['install'], usage: 'hook install [--fix] [--force]' },
  inventory: { subcommands: ['pull'], usage: 'inventory pull --cluster NAME [--kubeconfig FILE] [--context CTX]' },
  gitops: { subcommands: ['argocd', 'flux'], usage: 'gitops argocd|flux' },
  nfd: { subcommands: ['dryrun'], usage: 'nfd dryrun --rules FILE... --features FILE [--cluster-config FILE]' },
  explain: { subcommands: [], usage: 'explain --cluster NAME --node NODE [--module NS/NAME]' },
  preflight: { subcommands: [], usage: 'preflight --kernel VERSION [--cluster NAME]...' },
};

/** The arguments as the CLI reads them; throws (a usage error) on an option it does not know. */
export function parseCommandLine(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(value)) throw new UsageError(`--jobs must be a whole number from 1, not ${value}`);
  return Number(value);
}

function parseMaxDiagnostics(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_DIAGNOSTICS;
  if (value === 'all') return Number.POSITIVE_INFINITY;
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value)) throw new UsageError(`--max-diagnostics must be a whole number or all, not ${value}`);
  return Number(value);
}

function parseFormat(value: string | undefined): OutputFormat {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new UsageError(`--format must be text or json, not ${value}`);
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.version) {
      process.stdout.write(`kmm-render ${toolVersion()}\n`);
      return 0;
    }
    setMaxDiagnostics(parseMaxDiagnostics(values['max-diagnostics']));
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      process.stdout.write(USAGE);
      return command === undefined && !values.help ? EXIT_USAGE : 0;
    }
    if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command ${command}`);
    // Subcommands and stray arguments are checked here, from the table, for every command.
    const { subcommands, usage } = COMMANDS[command]!;
    if (subcommands.length > 0 ? rest.length !== 1 || !subcommands.includes(rest[0]!) : rest.length > 0) {
      throw new UsageError(subcommands.length > 0 ? `usage: kmm-render ${usage}` : `unexpected argument ${rest[0]}`);
    }
    if (command === 'diff') {
      const { runDiff } = await import('./commands/diff.js');
      return await runDiff({
        repo: values.repo ?? process.cwd(),
        ...(values.base !== undefined ? { base: values.base } : {}),
        ...(values.head !== undefined ? { head: values.head } : {}),
        format: values.format ?? 'markdown',
        ignorePaths: values['ignore-path'] ?? [],
        ignoreObjects: values['ignore-object'] ?? [],
        ...(values.jobs !== undefined ? { jobs: parseJobs(values.jobs)! } : {}),
        ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}),
        noCache: values['no-cache'] ?? false,
        ...(values['comment-parts'] !== undefined ? { commentParts: values['comment-parts'] } : {}),
      });
    }
    if (command === 'report') {
      const { runReport } = await import('./commands/report.js');
      return runReport({
        repo: values.repo ?? process.cwd(),
        format: values.format ?? 'html',
        ...(values.out !== undefined ? { out: values.out } : {}),
        clusters: values.cluster ?? [],
        strict: values.strict ?? false,
        pinDigests: values['pin-digests'] ?? false,
      });
    }
    const format = parseFormat(values.format);
    if (command === 'nfd') {
      const { runNfdDryrun } = await import('./commands/nfd-dryrun.js');
      return runNfdDryrun({
        rules: values.rules ?? [],
        ...(values.features ? { features: values.features } : {}),
        ...(values['cluster-config'] ? { clusterConfig: values['cluster-config'] } : {}),
        format,
      });
    }
    if (command === 'inventory') {
      const { runInventoryPull } = await import('./commands/inventory-pull.js');
      return await runInventoryPull({
        repo: values.repo ?? process.cwd(),
        ...(values.cluster?.[0] ? { cluster: values.cluster[0] } : {}),
        ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
        ...(values.context ? { context: values.context } : {}),
        allowExec: values['allow-exec-plugin'] ?? false,
        upstream: values.upstream ?? false,
        allFeatures: values['all-features'] ?? false,
      });
    }
    if (command === 'gitops') {
      const { runGitops } = await import('./commands/gitops.js');
      return await runGitops({
        repo: values.repo ?? process.cwd(),
        target: rest[0]!,
        ...(values['repo-url'] ? { repoUrl: values['repo-url'] } : {}),
        ...(values.revision ? { revision: values.revision } : {}),
        pluginFree: values['plugin-free'] ?? false,
        kubeconfigSecrets: values['kubeconfig-secrets'] ?? false,
      });
    }
    if (command === 'comment') {
      const { runComment } = await import('./commands/comment.js');
      return await runComment({
        forge: rest[0],
        parts: values.parts,
        ...(values.marker !== undefined ? { marker: values.marker } : {}),
        ...(values['pull-request'] !== undefined ? { pullRequest: values['pull-request'] } : {}),
      });
    }
    if (command === 'hook') {
      const { runHookInstall } = await import('./commands/hook.js');
      return await runHookInstall({ repo: values.repo ?? process.cwd(), fix: values.fix ?? false, force: values.force ?? false });
    }
    if (command === 'preflight') {
      const { runPreflightCommand } = await import('./commands/preflight.js');
      return runPreflightCommand({ repo: values.repo ?? process.cwd(), ...(values.kernel ? { kernel: values.kernel } : {}), clusters: values.cluster ?? [], format });
    }
    if (command === 'explain') {
      const { runExplain } = await import('./commands/explain.js');
      return runExplain({
        repo: values.repo ?? process.cwd(),
        ...(values.cluster?.[0] ? { cluster: values.cluster[0] } : {}),
        ...(values.node ? { node: values.node } : {}),
        ...(values.module ? { module: values.module } : {}),
        format,
      });
    }
    const options: RenderOptions = {
      repo: values.repo ?? process.cwd(),
      ...(values.out ? { out: values.out } : {}),
      clusters: values.cluster ?? [],
      strict: values.strict ?? false,
      stdout: values.stdout ?? false,
      pinDigests: values['pin-digests'] ?? false,
      format,
      ...(values.jobs !== undefined ? { jobs: parseJobs(values.jobs)! } : {}),
      ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}),
      noCache: values['no-cache'] ?? false,
    };
    if (command === 'check') {
      const { runCheck } = await import('./commands/check.js');
      return await runCheck(options);
    }
    if (command !== 'render' && command !== 'validate') throw new Error(`command ${command} is in COMMANDS but not dispatched`);
    // Loaded on demand so that --version and --help do not pay for the compiler.
    const commands = await import('./commands/render.js');
    return command === 'render' ? await commands.runRender(options) : await commands.runValidate(options);
  } catch (e) {
    if (e instanceof OperationalError && !(e instanceof UsageError)) {
      process.stderr.write(`kmm-render: ${e.message}\n`);
      return EXIT_USAGE;
    }
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`kmm-render: ${(e as Error).message}\n${(e as { code?: string }).code ? 'Try kmm-render --help.\n' : ''}`);
      return EXIT_USAGE;
    }
    process.stderr.write(`kmm-render: internal error (this is a bug, please report it): ${(e as Error).message}\n`);
    if (debug) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT_USAGE;
  }
}
