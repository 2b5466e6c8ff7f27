/**
 * conformance/allowlist.json: the one reviewed list of deliberate differences between
 * kmm-render and the implementations the oracles run. Each entry must cite where our
 * documentation says so; this checks that the citation holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AllowEntry {
  readonly id: string;
  readonly oracle: string;
  readonly what: string;
  readonly why: string;
  /** `docs/file.md (Section: detail; other)`: each part is text of the file. */
  readonly cites: string;
}

export function readAllowlist(root: string): AllowEntry[] {
  return JSON.parse(readFileSync(join(root, 'conformance', 'allowlist.json'), 'utf8')) as AllowEntry[];
}

/** The problems of the allowlist's citations: a file that does not exist, a part it lacks. */
export function checkAllowlistCitations(root: string): string[] {
  const out: string[] = [];
  for (const e of readAllowlist(root)) {
    const m = /^(\S+)(?: \((.+)\))?$/.exec(e.cites);
    let text: string;
    try {
      text = readFileSync(join(root, m?.[1] ?? ''), 'utf8');
    } catch {
      out.push(`allowlist ${e.id}: cites ${e.cites}, which is not a file of the repository`);
      continue;
    }
    for (const part of (m?.[2] ?? '').split(/[:;] /).filter(Boolean)) {
      if (!text.includes(part.trim())) out.push(`allowlist ${e.id}: ${m![1]} has no "${part.trim()}"`);
    }
  }
  return out;
}
