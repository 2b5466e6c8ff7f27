/** The BuildConfig and signing Job of one Module × kernel, as planned objects (SPEC §5.3, §5.4). */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { decideBuildAndSign } from '../kmm/build-sign-decision.js';
import type { ModuleLoaderData } from '../kmm/module-loader-data.js';
import type { ModuleObject } from '../model/kmm.js';
import type { ClusterModel, NodeInfo, RenderSettings } from '../model/fleet-model.js';
import type { PlannedObject } from './fleet-plan.js';
import { hashedName, makeObjectName } from './names.js';
import { targetOf, type Target } from '../targets/target.js';

/**
 * The version of the signing Job's rendered layout, part of its name's hash: a Job is
 * immutable, so a kmm-render release that renders the same inputs into a different pod must
 * give the Job a new name, or applying it fails. test/sign-job-layout.test.ts fails when the
 * rendered Job changes and this does not.
 */
export const SIGN_JOB_LAYOUT = 2;

/** What the planner of an in-cluster build gets: the Module, the kernel and the decided build. */
interface ImageBuildInput {
  readonly module: ModuleObject;
  readonly kernel: string;
  readonly build: NonNullable<ReturnType<typeof decideBuildAndSign>['build']>;
  readonly pushSecret: string | undefined;
  readonly nodes: readonly NodeInfo[];
}

/**
 * What of the KMM 2.x fields a Job's name hash covers, only when set (so that names of Modules
 * without them do not change): the pods' tolerations, and the rebuild generation.
 */
function kmm2Content(module: ModuleObject): Record<string, unknown> {
  const { tolerations, imageRebuildTriggerGeneration } = module.spec;
  return { ...(tolerations?.length ? { tolerations } : {}), ...(imageRebuildTriggerGeneration !== undefined ? { rebuild: imageRebuildTriggerGeneration } : {}) };
}

/** The name part of imageRebuildTriggerGeneration, when set. */
function rebuildSuffix(module: ModuleObject): string[] {
  const generation = module.spec.imageRebuildTriggerGeneration;
  return generation === undefined ? [] : [`gen-${generation}`];
}

/** The objects that build an image, per target kind of build (targets/target.ts). */
const IMAGE_BUILDS: { readonly [K in Target['imageBuild']]: (i: ImageBuildInput) => PlannedObject[] } = {
  'build-config': ({ module, kernel, build, pushSecret, nodes }) => [{
    type: 'build-config',
    // A new imageRebuildTriggerGeneration is a new BuildConfig: its ConfigChange trigger builds.
    name: makeObjectName([module.name, kernel, ...rebuildSuffix(module)], `${module.namespace}/${module.name}/${kernel}${rebuildSuffix(module).map((s) => `/${s}`).join('')}`),
    namespace: module.namespace,
    module,
    kernel,
    dockerfile: build.dockerfile,
    outputImage: build.outputImage,
    buildArgs: build.buildArgs,
    secrets: build.secrets,
    ...(pushSecret ? { pushSecret } : {}),
    nodeSelector: build.nodeSelector,
    nodes,
  }],
  'kaniko-job': ({ module, kernel, build, pushSecret, nodes }) => {
    // Jobs are immutable: the name carries a hash of everything the Job and its Dockerfile
    // ConfigMap hold, so a changed build is a new Job (and pruning removes the old one).
    const content = JSON.stringify({ layout: BUILD_JOB_LAYOUT, ...build, pushSecret: pushSecret ?? null, ...kmm2Content(module) });
    const name = hashedName(makeObjectName([module.name, kernel, 'build'], `${module.namespace}/${module.name}/${kernel}/build`), content);
    return [
      { type: 'build-dockerfile', name, namespace: module.namespace, module, kernel, dockerfile: build.dockerfile },
      {
        type: 'build-job',
        name,
        namespace: module.namespace,
        module,
        kernel,
        dockerfileConfigMap: name,
        outputImage: build.outputImage,
        buildArgs: build.buildArgs,
        secrets: build.secrets,
        ...(pushSecret ? { pushSecret } : {}),
        push: build.push,
        pull: build.pull,
        ...(build.kanikoTag ? { kanikoTag: build.kanikoTag } : {}),
        nodeSelector: build.nodeSelector,
        nodes,
      },
    ];
  },
};

/** The version of the Kaniko build Job's rendered layout, part of its name's hash (as SIGN_JOB_LAYOUT). */
const BUILD_JOB_LAYOUT = 1;

/** Where an in-cluster build or signing runs and what it may read. */
export interface BuildContext {
  readonly configMapNamespace: string;
  readonly driverToolkits: Parameters<typeof decideBuildAndSign>[0]['driverToolkits'];
}

/**
 * The BuildConfig and signing Job of one Module × kernel, if any; reports whether the image
 * is built or signed for the coverage table.
 */
export function planBuildSignObjects(
  module: ModuleObject,
  data: ModuleLoaderData,
  nodes: readonly NodeInfo[],
  cluster: ClusterModel,
  ctx: BuildContext,
  settings: RenderSettings,
): { objects: PlannedObject[]; build: boolean; sign: boolean; diagnostics: Diagnostic[] } {
  const r = decideBuildAndSign({
    data,
    module,
    nodes,
    configMaps: cluster.configMaps,
    configMapNamespace: ctx.configMapNamespace,
    driverToolkits: ctx.driverToolkits,
    hasDriverToolkit: targetOf(cluster.settings).driverToolkit,
    knownImages: cluster.knownImages,
    clusterName: cluster.settings.name,
  });
  const objects: PlannedObject[] = [];
  const pushSecret = module.spec.imageRepoSecret?.name;
  const target = targetOf(cluster.settings);
  if (r.build) for (const o of IMAGE_BUILDS[target.imageBuild]({ module, kernel: data.kernel, build: r.build, pushSecret, nodes })) objects.push(o);
  if (r.sign) {
    // Where the platform provides one (OpenShift), the Kaniko pod trusts the cluster's CA bundle too.
    const trustedCA = target.trustedCABundle;
    // Jobs are immutable: the name carries a hash of everything the Job does (SPEC §5.4).
    const content = JSON.stringify({ layout: SIGN_JOB_LAYOUT, ...r.sign, pushSecret: pushSecret ?? null, signer: settings.signerImage, builder: settings.builderImage, trustedCA, ...kmm2Content(module) });
    objects.push({
      type: 'sign-job',
      name: hashedName(makeObjectName([module.name, data.kernel, 'sign'], `${module.namespace}/${module.name}/${data.kernel}/sign`), content),
      namespace: module.namespace,
      module,
      kernel: data.kernel,
      ...r.sign,
      ...(pushSecret ? { pullSecret: pushSecret } : {}),
      trustedCA,
      nodes,
    });
  }
  return { objects, build: r.build !== undefined, sign: r.sign !== undefined, diagnostics: r.diagnostics };
}

