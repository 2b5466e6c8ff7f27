/**
 * Kubernetes name and label syntax, as k8s.io/apimachinery's util/validation checks it
 * (IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue); `conformance/`
 * compares these with apimachinery on generated strings.
 */
import { BoundedMemo } from '../base/bounded-memo.js';

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a DNS-1123 label (cluster folder names, namespaces, object names we make): at most 63. */
export function isDns1123Label(name: string): boolean {
  return name.length <= 63 && DNS1123_LABEL.test(name);
}

/** True for a DNS-1123 subdomain (most object names): at most 253, dot-separated labels. */
export function isDns1123Subdomain(name: string): boolean {
  return name.length <= 253 && DNS1123_SUBDOMAIN.test(name);
}

/** True for a valid label value: empty, or at most 63 characters, alphanumerics with -_. inside. */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && VALUE.test(value);
}

/** Remembered: the same rule label keys come back for every node. */
const knownKeys = new BoundedMemo<string, boolean>(4096);

/** True for a valid label key: optional DNS-1123 subdomain prefix and a name of at most 63. */
export function isLabelKey(key: string): boolean {
  return knownKeys.get(key, checkLabelKey);
}

function checkLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}
