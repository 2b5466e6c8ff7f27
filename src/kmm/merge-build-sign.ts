/** Merging container-level and mapping-level build and sign sections (SPEC §4.2). */
import type { Build, BuildArg, Sign } from '../model/kmm.js';
import { compareText } from '../base/compare-text.js';

/**
 * Build args merged by name: the mapping's value wins; names only the mapping has are
 * appended; the result is sorted by name so that the output does not depend on list order.
 */
export function mergeBuildArgs(container: readonly BuildArg[] = [], mapping: readonly BuildArg[] = []): BuildArg[] {
  const byName = new Map<string, string>();
  for (const a of container) byName.set(a.name, a.value);
  for (const a of mapping) byName.set(a.name, a.value);
  return [...byName.entries()].map(([name, value]) => ({ name, value })).sort((a, b) => compareText(a.name, b.name));
}

/** The build for one mapping: one level if only one sets it, else the merge of both. */
export function mergeBuild(container: Build | undefined, mapping: Build | undefined): Build | undefined {
  if (!container) return mapping && { ...mapping, buildArgs: mergeBuildArgs([], mapping.buildArgs) };
  if (!mapping) return { ...container, buildArgs: mergeBuildArgs(container.buildArgs, []) };
  const merged: Build = { ...container };
  if (mapping.dockerfileConfigMap?.name) merged.dockerfileConfigMap = mapping.dockerfileConfigMap;
  merged.buildArgs = mergeBuildArgs(container.buildArgs, mapping.buildArgs);
  merged.secrets = [...(container.secrets ?? []), ...(mapping.secrets ?? [])];
  return merged;
}

/** The sign section for one mapping: one level if only one sets it, else the merge of both. */
export function mergeSign(container: Sign | undefined, mapping: Sign | undefined): Sign | undefined {
  if (!container) return mapping;
  if (!mapping) return container;
  const merged: Sign = { ...container };
  if (mapping.unsignedImage) merged.unsignedImage = mapping.unsignedImage;
  if (mapping.keySecret?.name) merged.keySecret = mapping.keySecret;
  if (mapping.certSecret?.name) merged.certSecret = mapping.certSecret;
  merged.filesToSign = [...(container.filesToSign ?? []), ...(mapping.filesToSign ?? [])];
  return merged;
}
