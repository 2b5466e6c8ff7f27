/**
 * `gitops flux` (SPEC §8): a GitRepository and, per cluster, one Kustomization per stage
 * folder that exists (machine config → builds → signing → loaders), each depending on the
 * previous one and waiting for its objects to be ready. Pure.
 */
import { STAGE_FACTS } from '../plan/emitted-kinds.js';
import { joinRepoPath, type ClusterStages, type GitSource } from './argocd.js';

export function fluxObjects(src: GitSource, clusters: readonly ClusterStages[], options: { namespace?: string; kubeconfigSecrets?: boolean } = {}): object[] {
  const namespace = options.namespace ?? 'flux-system';
  const out: object[] = [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'kmm-render', namespace },
      spec: { interval: '1m', url: src.repoURL, ref: /^[0-9a-f]{40}$/.test(src.revision) ? { commit: src.revision } : { branch: src.revision } },
    },
  ];
  for (const c of clusters) {
    let previous: string | undefined;
    for (const stage of c.stages) {
      const name = `kmm-${c.cluster}-${STAGE_FACTS[stage].name}`;
      out.push({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name, namespace },
        spec: {
          interval: '10m',
          path: `./${joinRepoPath(src.path, src.out, c.cluster, stage)}`,
          prune: true,
          wait: true,
          timeout: STAGE_FACTS[stage].timeout,
          sourceRef: { kind: 'GitRepository', name: 'kmm-render' },
          ...(previous ? { dependsOn: [{ name: previous }] } : {}),
          ...(options.kubeconfigSecrets ? { kubeConfig: { secretRef: { name: `kubeconfig-${c.cluster}` } } } : {}),
        },
      });
      previous = name;
    }
  }
  return out;
}
