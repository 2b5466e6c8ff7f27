/**
 * `gitops argocd` (SPEC §8): a Config Management Plugin that renders one cluster per
 * Application, an ApplicationSet with a cluster generator, and the plugin-free variant (one
 * Application per rendered cluster folder). Pure: objects in, objects out.
 */
import type { Stage } from '../plan/emitted-kinds.js';

export interface GitSource {
  readonly repoURL: string;
  readonly revision: string;
  /** The repository folder (where kmm-render.yaml lives) relative to the git root; "." for the root. */
  readonly path: string;
  /** The output folder relative to `path`. */
  readonly out: string;
}

export interface ClusterStages {
  readonly cluster: string;
  readonly stages: readonly Stage[];
}

const PLUGIN_NAME = 'kmm-render';
const PLUGIN_VERSION = 'v1';
/** The label Argo CD cluster Secrets need for the ApplicationSet to pick them. */
const CLUSTER_SECRET_LABEL = 'kmm-render.io/managed';

const join = (...parts: string[]) => parts.filter((p) => p !== '' && p !== '.').join('/') || '.';

/**
 * The generate script: renders the cluster named by the Application's CLUSTER env, and
 * fails instead of printing an empty stream (with pruning, an empty stream deletes
 * everything).
 */
const GENERATE_SCRIPT = [
  'set -eu',
  'out=$(kmm-render render --stdout --cluster "$ARGOCD_ENV_CLUSTER")',
  'if [ -z "$out" ]; then',
  '  echo "kmm-render: cluster $ARGOCD_ENV_CLUSTER rendered no objects; refusing to print an empty stream" >&2',
  '  exit 1',
  'fi',
  "printf '%s\\n' \"$out\"",
  '',
].join('\n');

export function configManagementPlugin(): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ConfigManagementPlugin',
    metadata: { name: PLUGIN_NAME },
    spec: { version: PLUGIN_VERSION, generate: { command: ['sh', '-c'], args: [GENERATE_SCRIPT] } },
  };
}

const syncPolicy = { automated: { prune: true, selfHeal: true } };

export function applicationSet(src: GitSource, namespace = 'argocd'): object {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'ApplicationSet',
    metadata: { name: 'kmm-render', namespace },
    spec: {
      goTemplate: true,
      goTemplateOptions: ['missingkey=error'],
      // Argo CD cluster Secrets labelled kmm-render.io/managed=true, named like the cluster folders.
      generators: [{ clusters: { selector: { matchLabels: { [CLUSTER_SECRET_LABEL]: 'true' } } } }],
      template: {
        metadata: { name: 'kmm-{{.name}}' },
        spec: {
          project: 'default',
          source: {
            repoURL: src.repoURL,
            targetRevision: src.revision,
            path: src.path,
            plugin: { name: `${PLUGIN_NAME}-${PLUGIN_VERSION}`, env: [{ name: 'CLUSTER', value: '{{.name}}' }] },
          },
          destination: { server: '{{.server}}' },
          syncPolicy,
        },
      },
    },
  };
}

/** The plugin-free variant: one Application per rendered cluster folder. */
export function folderApplications(src: GitSource, clusters: readonly ClusterStages[], namespace = 'argocd'): object[] {
  return clusters.map((c) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `kmm-${c.cluster}`, namespace },
    spec: {
      project: 'default',
      source: { repoURL: src.repoURL, targetRevision: src.revision, path: join(src.path, src.out, c.cluster) },
      destination: { name: c.cluster },
      syncPolicy,
    },
  }));
}

export { join as joinRepoPath };
