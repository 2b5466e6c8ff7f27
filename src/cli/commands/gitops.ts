/** `kmm-render gitops argocd|flux` (SPEC §1, §8). I/O edge: reads the repo and its git remote. */
import { relative, resolve } from 'node:path';
import { simpleGit } from 'simple-git';
import { compile } from '../../compile.js';
import { applicationSet, configManagementPlugin, folderApplications, type ClusterStages, type GitSource } from '../../gitops/argocd.js';
import { fluxObjects } from '../../gitops/flux.js';
import { toCanonicalYaml } from '../../render/canonical-yaml.js';
import { STAGES } from '../../plan/emitted-kinds.js';
import { readReaderSettings, readRepo } from '../../repo/read-repo.js';
import { loadAssets } from '../../package/assets.js';
import { EXIT_INPUT_ERRORS, EXIT_OK, UsageError } from '../exit-codes.js';
import { printDiagnostics } from '../report.js';
import { resolveOutDir } from './render.js';

export interface GitopsOptions {
  repo: string;
  target?: string;
  repoUrl?: string;
  revision?: string;
  pluginFree: boolean;
  kubeconfigSecrets: boolean;
}

async function gitSource(repo: string, o: GitopsOptions): Promise<GitSource> {
  const git = simpleGit(repo);
  let top = repo;
  let url = o.repoUrl;
  try {
    top = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
    url ??= (await git.raw(['remote', 'get-url', 'origin'])).trim();
  } catch {
    // not a git repository, or no origin: --repo-url is then required
  }
  if (!url) throw new UsageError('give --repo-url URL (the repository has no origin remote)');
  const path = relative(top, repo).split('\\').join('/') || '.';
  const out = relative(repo, resolveOutDir(repo, undefined)).split('\\').join('/');
  return { repoURL: url, revision: o.revision ?? 'main', path, out };
}

export async function runGitops(o: GitopsOptions): Promise<number> {
  if (o.target !== 'argocd' && o.target !== 'flux') throw new UsageError('usage: kmm-render gitops argocd|flux [--repo-url URL] [--revision REV]');
  const repo = resolve(o.repo);
  const result = compile(readRepo(repo, resolveOutDir(repo, undefined), readReaderSettings(repo)), loadAssets());
  printDiagnostics(result.diagnostics.filter((d) => d.severity === 'error'), 'text');
  if (!result.ok || !result.clusters) return EXIT_INPUT_ERRORS;
  const clusters: ClusterStages[] = result.clusters.map((c) => ({ cluster: c.plan.cluster.name, stages: STAGES.filter((s) => c.objects.some((x) => x.stage === s)) }));
  const src = await gitSource(repo, o);
  const docs =
    o.target === 'argocd'
      ? o.pluginFree
        ? folderApplications(src, clusters)
        : [configManagementPlugin(), applicationSet(src)]
      : fluxObjects(src, clusters, { kubeconfigSecrets: o.kubeconfigSecrets });
  process.stdout.write(docs.map((d) => toCanonicalYaml(d)).join('---\n'));
  return EXIT_OK;
}
