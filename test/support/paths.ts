/** Paths of the checkout, from the compiled test files (dist/test/...). */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const BIN = join(ROOT, 'bin', 'kmm-render.js');
/** ../shared beside the checkout, which tests use when it is there and skip cleanly otherwise. */
export const SHARED = join(ROOT, '..', 'shared');
