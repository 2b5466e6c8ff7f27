/** Reading an input file as text (UTF-8), through base/decode-text.ts's fast path for ASCII. I/O edge. */
import { readFileSync } from 'node:fs';
import { decodeText } from '../base/decode-text.js';

/** The text of the file at `path`, as `readFileSync(path, 'utf8')` gives it. */
export function readTextFile(path: string): string {
  return decodeText(readFileSync(path));
}
