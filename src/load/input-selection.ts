/**
 * Which paths of a repository are inputs (SPEC §2.1), decided in one place for every reader:
 * `render` and `validate` (the working tree, repo/read-repo.ts) and `diff` (a revision,
 * git/read-revision.ts) list what they find and ask this. Pure.
 *
 * An input is a `.yaml`, `.yml` or `.json` file outside `.git/`, `node_modules/`, the output
 * folder and any folder or file whose name starts with a dot, and not matched — itself or
 * one of its folders — by an `exclude` glob of kmm-render.yaml (picomatch, dot files
 * included). A symbolic link is read as the file it points at when that is inside the
 * repository (SYMLINK_OUTSIDE_REPO otherwise); a link to a folder is not followed.
 */
import picomatch from 'picomatch';
import type { ReaderSettings } from './render-settings-peek.js';

const INPUT_NAME = /\.(ya?ml|json)$/;

/** Decides input paths for one read. */
export interface InputSelection {
  /** True when the repo-relative POSIX `path` of a file (or a link) is an input. */
  readonly isInput: (path: string) => boolean;
  /** True when nothing under the folder `path` can be an input (a reader need not list it). */
  readonly skipsFolder: (path: string) => boolean;
}

/** The selection of a read with these settings and this output folder (repo-relative, if inside). */
export function makeInputSelection(settings: Pick<ReaderSettings, 'exclude'>, outRel: string | undefined): InputSelection {
  const excluded = settings.exclude.length > 0 ? picomatch([...settings.exclude], { dot: true }) : () => false;
  const skipsFolder = (folder: string): boolean => {
    const segments = folder.split('/');
    if (segments.some((s) => s.startsWith('.') || s === 'node_modules')) return true;
    if (outRel !== undefined && (folder === outRel || folder.startsWith(outRel + '/'))) return true;
    // A glob that names a folder excludes what is in it.
    for (let i = 1; i <= segments.length; i++) if (excluded(segments.slice(0, i).join('/'))) return true;
    return false;
  };
  const isInput = (path: string): boolean => {
    if (!INPUT_NAME.test(path)) return false;
    const slash = path.lastIndexOf('/');
    const name = path.slice(slash + 1);
    if (name.startsWith('.') || excluded(path)) return false;
    return slash === -1 || !skipsFolder(path.slice(0, slash));
  };
  return { isInput, skipsFolder };
}

/**
 * Where a symbolic link at `linkPath` with the text `target` points, repo-relative, or
 * undefined when that is outside the repository (an absolute target, or one that climbs out).
 */
export function resolveLinkTarget(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/')) return undefined;
  const parts = linkPath.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}
