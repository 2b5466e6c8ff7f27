/**
 * `check` (SPEC §7): the tree a render would write against the tree on disk. Pure: the
 * caller reads the disk.
 */
import { RENDER_LOCK_FILE } from '../output/render-lock.js';
import { compareText } from '../base/compare-text.js';

export type StaleReason = 'changed' | 'missing' | 'not rendered any more';

export interface StaleFile {
  readonly path: string;
  readonly reason: StaleReason;
}

/**
 * render.lock without its source-commit line: committing the rendered tree changes the
 * commit, which must not make the tree stale.
 */
function lockWithoutCommit(text: string): string {
  return text.replace(/^source-commit: .*$/m, 'source-commit: (ignored)');
}

/** Files that differ; `owned` lists what the tree on disk says kmm-render wrote. */
export function compareTrees(expected: ReadonlyMap<string, string>, onDisk: ReadonlyMap<string, string>, owned: ReadonlySet<string>): StaleFile[] {
  const stale: StaleFile[] = [];
  for (const [path, text] of expected) {
    const disk = onDisk.get(path);
    if (disk === undefined) stale.push({ path, reason: 'missing' });
    else if (path === RENDER_LOCK_FILE ? lockWithoutCommit(disk) !== lockWithoutCommit(text) : disk !== text) stale.push({ path, reason: 'changed' });
  }
  for (const path of onDisk.keys()) {
    if (!expected.has(path) && owned.has(path)) stale.push({ path, reason: 'not rendered any more' });
  }
  return stale.sort((a, b) => compareText(a.path, b.path));
}
