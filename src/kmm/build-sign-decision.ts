/**
 * Deciding the build and signing for one Module × kernel (SPEC §5.3, §5.4, §5.8): nothing
 * when the final image is known to exist; else a BuildConfig (with DTK_AUTO resolved from
 * the nodes' RHCOS) writing the final or the intermediate unsigned image, and a signing Job
 * reading the intermediate or the prebuilt unsigned image.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { DocPath } from '../diagnostics/locate.js';
import { at } from '../load/object-ref.js';
import { containerPath, type ConfigMapObject, type ModuleObject } from '../model/kmm.js';
import type { DriverToolkitStream, NodeInfo } from '../model/fleet-model.js';
import { intermediateImageName, parseRhcosVersion } from './image-reference.js';
import type { ModuleLoaderData } from './module-loader-data.js';
import { unsafeDockerfileValue } from './sign-dockerfile.js';
import { compareText } from '../base/compare-text.js';

export interface BuildSignInputs {
  readonly data: ModuleLoaderData;
  readonly module: ModuleObject;
  readonly nodes: readonly NodeInfo[];
  readonly configMaps: readonly ConfigMapObject[];
  /** Namespace of the build's ConfigMap (the Module's; the hub operator namespace for hubs). */
  readonly configMapNamespace: string;
  /** Driver Toolkit streams to look RHCOS versions up in, first hit wins. */
  readonly driverToolkits: readonly (DriverToolkitStream | undefined)[];
  /** Whether the cluster's distribution has a Driver Toolkit at all (its Target). @default true */
  readonly hasDriverToolkit?: boolean;
  readonly knownImages: ReadonlyMap<string, string>;
  readonly clusterName: string;
}

export interface BuildDecision {
  readonly dockerfile: string;
  readonly outputImage: string;
  readonly buildArgs: { name: string; value: string }[];
  readonly secrets: string[];
  readonly nodeSelector: Record<string, string>;
  /** Pushing the image: the mapping's (else the container's) registryTLS, as KMM (Kaniko builds). */
  readonly push: RegistryAccess;
  /** Pulling the base image: build.baseImageRegistryTLS (Kaniko builds). */
  readonly pull: RegistryAccess;
  /** build.kanikoParams.tag: the Kaniko image tag KMM uses instead of its builder's. */
  readonly kanikoTag?: string;
}

/** Registry TLS relaxations of one side of the signing build (Kaniko's flags). */
export interface RegistryAccess {
  readonly insecure: boolean;
  readonly skipTlsVerify: boolean;
}

export interface SignDecision {
  readonly unsignedImage: string;
  readonly signedImage: string;
  readonly filesToSign: string[];
  readonly keySecret: string;
  readonly certSecret: string;
  /** Pushing the signed image: the mapping's (else the container's) registryTLS, as KMM. */
  readonly push: RegistryAccess;
  /** Pulling the unsigned image: sign.unsignedImageRegistryTLS. */
  readonly pull: RegistryAccess;
  /** The Module's spec.selector: KMM runs the signing Job there, not on build.selector. */
  readonly nodeSelector: Record<string, string>;
}

const byName = (a: { name: string }, b: { name: string }) => compareText(a.name, b.name);

/** Where the containerImage of the matched mapping is written (mapping, else container level). */
function imagePathOf(data: ModuleLoaderData, mappingPath: DocPath, container: DocPath): DocPath {
  return data.imageFromMapping ? [...mappingPath, 'containerImage'] : [...container, 'containerImage'];
}

/** Resolves DTK_AUTO: the Driver Toolkit image for the RHCOS of the nodes running the kernel. */
export function resolveDriverToolkit(
  nodes: readonly NodeInfo[],
  streams: readonly (DriverToolkitStream | undefined)[],
): { image: string } | { versions: string[]; available: string[] } {
  const versions = [...new Set(nodes.map((n) => parseRhcosVersion(n.osImage)).filter((v): v is string => v !== undefined))].sort();
  for (const v of versions) {
    for (const s of streams) {
      const image = s?.tags.get(v);
      if (image) return { image };
    }
  }
  const available = [...new Set(streams.flatMap((s) => [...(s?.tags.keys() ?? [])]))].sort();
  return { versions, available };
}

/** Decides the build and signing of one Module × kernel. */
export function decideBuildAndSign(i: BuildSignInputs): { build?: BuildDecision; sign?: SignDecision; known: boolean; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { data, module } = i;
  if (i.knownImages.has(data.containerImage)) return { known: true, diagnostics };
  if (!data.build && !data.sign) return { known: false, diagnostics };
  const container = containerPath(module);
  const mappingPath: DocPath = [...container, 'kernelMappings', data.mappingIndex];
  const selector = data.build?.selector && Object.keys(data.build.selector).length > 0 ? data.build.selector : module.spec.selector;
  const nodeNames = i.nodes.map((n) => n.name).join(', ');

  let build: BuildDecision | undefined;
  if (data.build) {
    const cmName = data.build.dockerfileConfigMap?.name ?? '';
    const cm = i.configMaps.find((c) => c.name === cmName && c.namespace === i.configMapNamespace);
    const dockerfile = cm?.data.dockerfile;
    if (dockerfile === undefined) {
      diagnostics.push(diagnostic('DOCKERFILE_CONFIGMAP_MISSING', at(module.ref, mappingPath), `ConfigMap ${i.configMapNamespace}/${cmName} with a "dockerfile" key is not in the scope of cluster ${i.clusterName}`));
    } else {
      const args = new Map((data.build.buildArgs ?? []).map((a) => [a.name, a.value]));
      args.set('KERNEL_VERSION', data.kernel);
      args.set('KERNEL_FULL_VERSION', data.kernel);
      args.set('MOD_NAME', module.name);
      args.set('MOD_NAMESPACE', module.namespace);
      if (dockerfile.includes('DTK_AUTO') && i.hasDriverToolkit === false) {
        diagnostics.push(
          diagnostic(
            'DTK_UNAVAILABLE',
            at(module.ref, mappingPath),
            `Module ${module.namespace}/${module.name}, kernel ${data.kernel} in cluster ${i.clusterName}: the Dockerfile uses DTK_AUTO, but this cluster's distribution has no Driver Toolkit (it is OpenShift's); give the builder image with kernel headers as a build argument or in the Dockerfile`,
          ),
        );
      } else if (dockerfile.includes('DTK_AUTO')) {
        const dtk = resolveDriverToolkit(i.nodes, i.driverToolkits);
        if ('image' in dtk) args.set('DTK_AUTO', dtk.image);
        else {
          diagnostics.push(
            diagnostic(
              'DTK_UNRESOLVED',
              at(module.ref, mappingPath),
              `Module ${module.namespace}/${module.name}, kernel ${data.kernel} in cluster ${i.clusterName}: the Dockerfile uses DTK_AUTO, but no openshift/driver-toolkit tag matches the RHCOS of nodes ${nodeNames} (their versions: ${dtk.versions.join(', ') || 'none in osImage'}; tags available: ${dtk.available.join(', ') || 'none (no driver-toolkit ImageStream in the inventory)'})`,
            ),
          );
        }
      }
      build = {
        dockerfile,
        outputImage: data.sign ? intermediateImageName(data.containerImage, module.namespace, module.name) : data.containerImage,
        buildArgs: [...args].map(([name, value]) => ({ name, value })).sort(byName),
        // Container and mapping secrets concatenated (SPEC §4.2); one volume per Secret.
        secrets: [...new Set((data.build.secrets ?? []).map((s) => s.name ?? '').filter((s) => s !== ''))],
        nodeSelector: { ...selector },
        push: { insecure: data.registryTLS?.insecure === true, skipTlsVerify: data.registryTLS?.insecureSkipTLSVerify === true },
        pull: { insecure: data.build.baseImageRegistryTLS?.insecure === true, skipTlsVerify: data.build.baseImageRegistryTLS?.insecureSkipTLSVerify === true },
        ...(data.build.kanikoParams?.tag ? { kanikoTag: data.build.kanikoParams.tag } : {}),
      };
    }
  }

  let sign: SignDecision | undefined;
  if (data.sign) {
    const unsigned = data.build ? intermediateImageName(data.containerImage, module.namespace, module.name) : data.sign.unsignedImage;
    if (!unsigned) {
      diagnostics.push(diagnostic('SIGN_UNSIGNED_IMAGE_MISSING', at(module.ref, mappingPath), `Module ${module.namespace}/${module.name}, kernel ${data.kernel}: sign without build needs sign.unsignedImage, the prebuilt image to sign`));
    } else {
      // The unsigned image and the files go into the signing Dockerfile as they are.
      const signPath: DocPath = data.signFromMapping ? [...mappingPath, 'sign'] : [...container, 'sign'];
      const unsafe = [
        { value: unsigned, path: data.build ? imagePathOf(data, mappingPath, container) : [...signPath, 'unsignedImage'], what: 'the unsigned image' },
        ...(data.sign.filesToSign ?? []).map((f, i) => ({ value: f, path: [...signPath, 'filesToSign', i], what: `the file to sign ${JSON.stringify(f)}` })),
      ].flatMap((v) => {
        const why = unsafeDockerfileValue(v.value);
        return why ? [diagnostic('SIGN_VALUE_UNSAFE', at(module.ref, v.path), `Module ${module.namespace}/${module.name}, kernel ${data.kernel}: ${v.what} cannot go into the signing Dockerfile: ${why}`)] : [];
      });
      for (const d of unsafe) diagnostics.push(d);
      const pull = data.sign.unsignedImageRegistryTLS;
      if (unsafe.length === 0) {
        sign = {
          unsignedImage: unsigned,
          signedImage: data.containerImage,
          filesToSign: [...(data.sign.filesToSign ?? [])],
          keySecret: data.sign.keySecret?.name ?? '',
          certSecret: data.sign.certSecret?.name ?? '',
          push: { insecure: data.registryTLS?.insecure === true, skipTlsVerify: data.registryTLS?.insecureSkipTLSVerify === true },
          pull: { insecure: pull?.insecure === true, skipTlsVerify: pull?.insecureSkipTLSVerify === true },
          nodeSelector: { ...module.spec.selector },
        };
      }
    }
  }
  return { ...(build ? { build } : {}), ...(sign ? { sign } : {}), known: false, diagnostics };
}
