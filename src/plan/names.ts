/**
 * Deterministic object names (SPEC §5): DNS-1123 labels of at most 63 characters that keep
 * the module name and kernel readable, shortened with a hash when too long or colliding.
 */
import { createHash } from 'node:crypto';

export const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

/** Lower-cases and replaces every character outside [a-z0-9-] with "-" (SPEC §5). */
export function sanitizeNamePart(part: string): string {
  return part.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}

/** The first 8 hex characters of the SHA-256 of `text`. */
function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, HASH_LENGTH);
}

function trimDashes(s: string): string {
  return s.replace(/^-+/, '').replace(/-+$/, '');
}

/** `readable` cut to fit with "-<hash of identity>" appended. */
export function hashedName(readable: string, identity: string): string {
  const head = trimDashes(readable.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1));
  return `${head ? head + '-' : ''}${shortHash(identity)}`;
}

/**
 * A DNS-1123 label from name parts. `identity` is the full, unambiguous form the hash is
 * taken of when the readable form is too long.
 */
export function makeObjectName(parts: readonly string[], identity: string): string {
  const readable = trimDashes(parts.map(sanitizeNamePart).join('-'));
  if (readable.length > 0 && readable.length <= MAX_NAME_LENGTH) return readable;
  return hashedName(readable, identity);
}
