/** Image references: tags, digests, KMM's intermediate unsigned image (SPEC §5.4, §5.8). */

/** An image reference split into repository, tag and digest. */
export interface ImageReference {
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits `repo[:tag][@digest]`; a `:` before the last `/` is a registry port, not a tag. */
export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const name = at >= 0 ? image.slice(0, at) : image;
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    ...(hasTag ? { tag: name.slice(colon + 1) } : {}),
    ...(digest ? { digest } : {}),
  };
}

/**
 * The image a build writes and the signing Job reads when a mapping both builds and signs:
 * `_<namespace>_<module>_kmm_unsigned` appended to the tag, or that (without the leading
 * `_`) as the tag when there is none. A digest is dropped: the intermediate image is a new
 * image. (KMM looks for any ":" in the name, which mangles registry ports and digests.)
 */
export function intermediateImageName(image: string, namespace: string, module: string): string {
  const ref = parseImageReference(image);
  const suffix = `${namespace}_${module}_kmm_unsigned`;
  return ref.tag !== undefined ? `${ref.repository}:${ref.tag}_${suffix}` : `${ref.repository}:${suffix}`;
}

/** `repository@digest`: the reference pinned to a known digest (SPEC §5.8). */
export function pinnedImage(image: string, digest: string): string {
  return `${parseImageReference(image).repository}@${digest}`;
}

/**
 * The RHCOS version of a node: the first match of `\d+\.\d+\.\d+-\d` in its osImage
 * ("Red Hat Enterprise Linux CoreOS 411.86.202210072320-0 (Ootpa)" → "411.86.202210072320-0").
 */
export function parseRhcosVersion(osImage: string | undefined): string | undefined {
  return osImage ? /\d+\.\d+\.\d+-\d/.exec(osImage)?.[0] : undefined;
}
