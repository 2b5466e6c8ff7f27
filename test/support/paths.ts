/** Paths of the checkout, from the compiled test files (dist/test/...). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'fixtures');
export const BIN = join(ROOT, 'bin', 'kmm-render.js');
/**
 * ../shared beside the checkout (support/requirements.ts: skipped locally without it, a
 * failure under CI=true). KMM_RENDER_SHARED points elsewhere, for the test of that.
 */
export const SHARED = process.env.KMM_RENDER_SHARED ?? join(ROOT, '..', 'shared');

// Child processes of the tests never read or fill the user's own unit cache.
if (!process.env.KMM_RENDER_CACHE) process.env.KMM_RENDER_CACHE = mkdtempSync(join(tmpdir(), 'kmm-render-test-cache-'));
