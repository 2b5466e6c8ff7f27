/**
 * render.lock (SPEC §6): provenance of an output tree — tool version, source commit, the
 * command that reproduces it, and a digest of every input and output file. No wall-clock
 * time. It is also the list of files kmm-render owns, which pruning relies on.
 */
import { compareText } from '../base/compare-text.js';

export const RENDER_LOCK_FILE = 'render.lock';
const HEADER = '# kmm-render render.lock: provenance of this folder, written by kmm-render. Do not edit.';

/** Provenance of one render. */
export interface RenderLock {
  readonly tool: string;
  /** The source commit, or undefined when the repo was not read from a git work tree. */
  readonly commit?: string;
  readonly command: string;
  /** path → sha256 hex */
  readonly inputs: ReadonlyMap<string, string>;
  /** path (relative to the output folder) → sha256 hex; render.lock itself is not listed. */
  readonly outputs: ReadonlyMap<string, string>;
}

const byKey = (a: [string, string], b: [string, string]) => compareText(a[0], b[0]);

/** Writes render.lock text. Paths are written JSON-quoted when they hold spaces or quotes. */
export function formatRenderLock(lock: RenderLock): string {
  const quote = (p: string) => (/^[\x21-\x7e]+$/.test(p) && !p.includes('"') ? p : JSON.stringify(p));
  const lines = [
    HEADER,
    'format: 1',
    `tool: ${lock.tool}`,
    `source-commit: ${lock.commit ?? 'none (not rendered from a git work tree)'}`,
    `command: ${lock.command}`,
  ];
  for (const [p, d] of [...lock.inputs].sort(byKey)) lines.push(`input sha256:${d} ${quote(p)}`);
  for (const [p, d] of [...lock.outputs].sort(byKey)) lines.push(`output sha256:${d} ${quote(p)}`);
  return lines.join('\n') + '\n';
}

/** Reads the output entries of a render.lock (the files a previous render owns). */
export function parseRenderLockOutputs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^output sha256:([0-9a-f]{64}) (.+)$/.exec(line);
    if (!m) continue;
    const raw = m[2]!;
    let p = raw;
    if (raw.startsWith('"')) {
      try {
        p = JSON.parse(raw) as string;
      } catch {
        continue;
      }
    }
    out.set(p, m[1]!);
  }
  return out;
}
