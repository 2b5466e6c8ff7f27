/**
 * The hidden line that makes a posted comment findable again: `kmm-render comment` puts it
 * first in every part it posts and edits only comments that carry it, so a re-run of the
 * review edits its own comments instead of adding new ones.
 */

/** A marker's name: what tells two review jobs of one pull request apart (`--marker`). */
export const DEFAULT_MARKER = 'kmm-render';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** True when `name` can be a marker name (letters, digits, `.`, `_`, `-`; at most 63). */
export function isMarkerName(name: string): boolean {
  return NAME.test(name);
}

/** The marker line of part `part` (from 1). */
export function markerLine(name: string, part: number): string {
  return `<!-- kmm-render-comment name=${name} part=${part} -->`;
}

/** The part number a comment body's marker gives for `name`, or undefined when it has none. */
export function markedPart(body: string, name: string): number | undefined {
  const m = /^<!-- kmm-render-comment name=([A-Za-z0-9._-]+) part=([1-9][0-9]{0,5}) -->(?:\r?\n|$)/.exec(body);
  return m && m[1] === name ? Number(m[2]) : undefined;
}

/** A part's body as posted: the marker line, then the part. */
export function markedBody(name: string, part: number, text: string): string {
  return `${markerLine(name, part)}\n${text}`;
}
