/**
 * Bytes to text as UTF-8, faster for the common case: ASCII bytes (every inventory kubectl
 * prints) make the same string decoded as Latin-1, which is a copy, while UTF-8 decoding
 * validates every byte. `isAscii` checks the bytes first, so anything else is decoded as
 * UTF-8, byte order mark and all.
 */
import { isAscii } from 'node:buffer';

/** `bytes` decoded as UTF-8 (what `readFileSync(path, 'utf8')` gives). */
export function decodeText(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
