/** The default namespace of NFD label keys (SPEC §3.6). */

export const FEATURE_LABEL_PREFIX = 'feature.node.kubernetes.io/';

/** Prefixes an unprefixed key with feature.node.kubernetes.io/. */
export function prefixLabelKey(key: string): string {
  return key.includes('/') ? key : FEATURE_LABEL_PREFIX + key;
}
