/** Kubernetes label key and value syntax (apimachinery validation). */

const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True for a valid label value: at most 63 characters, alphanumerics with -_. inside. */
export function isLabelValue(value: string): boolean {
  return value === 'true' || (value.length <= 63 && VALUE.test(value));
}

const knownKeys = new Map<string, boolean>();

/** True for a valid label key: optional DNS-1123 subdomain prefix and a name of at most 63. */
export function isLabelKey(key: string): boolean {
  let valid = knownKeys.get(key);
  if (valid === undefined) {
    valid = checkLabelKey(key);
    // Remembered (bounded): the same rule label keys come back for every node.
    if (knownKeys.size < 4096) knownKeys.set(key, valid);
  }
  return valid;
}

function checkLabelKey(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && NAME.test(name);
}
