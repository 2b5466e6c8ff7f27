/**
 * The `diff` report (SPEC §7) as markdown for pull-request comments, as stable JSON, or as
 * plain text. Markdown is one comment (at most 65,536 characters: summary and impact always
 * whole, object diffs cut at object boundaries with every fence closed) or, with
 * `--comment-parts`, as many comments as it takes: part 1 the summary and the impact, the
 * rest the object diffs, each part within the limit and saying "part i of N".
 */
import type { FleetDiff, Impact, ObjectChange } from './diff-fleet.js';

/** GitHub's limit on a comment. */
export const MARKDOWN_LIMIT = 65_536;

/**
 * What a part leaves free for the poster's hidden marker line (`kmm-render comment`), so
 * that a posted part is still within the limit.
 */
export const MARKER_ROOM = 256;

export interface DiffSides {
  readonly base: { ref: string; commit: string };
  readonly head: { ref: string; commit?: string };
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const short = (sha?: string) => (sha ? sha.slice(0, 12) : 'working tree');
/** Comment limits count characters; UTF-8 bytes are never fewer, so parts are measured in them. */
const sizeOf = (text: string) => Buffer.byteLength(text, 'utf8');
const objectRef = (o: { kind: string; namespace?: string; name: string }) => `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name}`;

/**
 * Impact lines in words a reviewer acts on, most consequential first: what is deleted, what
 * cannot apply, what reboots, what builds and signs, which nodes lose a module.
 */
function impactLines(i: Impact): string[] {
  const lines: string[] = [];
  for (const d of i.deleted) lines.push(`Delete: ${objectRef(d)} in ${d.cluster} is no longer rendered; the GitOps tool prunes it from the cluster.`);
  for (const b of i.blocked) {
    lines.push(`Cannot apply: ${objectRef(b)} in ${b.cluster} changes ${b.fields.join(', ')}, which the API server does not allow on an existing object; the sync fails there until the object is deleted.`);
  }
  for (const r of i.reboots) lines.push(`Reboot: MachineConfig ${r.machineConfig} ${r.change} in ${r.cluster}: the ${plural(r.nodes, 'node')} of pool ${r.pool} will reboot.`);
  for (const b of i.builds) lines.push(`Build: ${b.module} for kernel ${b.kernel} in ${b.cluster} builds ${b.image}.`);
  for (const s of i.signing) lines.push(`Signing: ${s.module} for kernel ${s.kernel} in ${s.cluster} signs ${s.image}.`);
  for (const l of i.lost) lines.push(`Loses ${l.module} in ${l.cluster}: ${l.nodes.join(', ')}.`);
  for (const u of i.newlyUnmapped) lines.push(`No mapping: ${u.module} has no image for kernel ${u.kernel} in ${u.cluster}; ${plural(u.nodes.length, 'node')} left without it (${u.nodes.join(', ')}).`);
  for (const g of i.gained) lines.push(`Gains ${g.module} in ${g.cluster}: ${g.nodes.join(', ')}.`);
  for (const c of i.imageChanges) lines.push(`Image: ${c.module} on kernel ${c.kernel} in ${c.cluster}: ${c.from} → ${c.to}.`);
  for (const r of i.reloads) lines.push(`Reload: ${r.module} on kernel ${r.kernel} in ${r.cluster} is unloaded and loaded again on its ${plural(r.nodes, 'node')}, one node at a time (the DaemonSet's rolling update).`);
  return lines;
}

function objectTitle(o: ObjectChange): string {
  return `${objectRef(o)} (${o.change})`;
}

/** A code fence longer than any backtick run in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

function title(sides: DiffSides): string {
  return `## kmm-render diff: ${short(sides.base.commit)} → ${short(sides.head.commit)}`;
}

/** The summary table and the impact list, as markdown lines. */
function summaryAndImpact(d: FleetDiff): { summary: string[]; impact: string[] } {
  const summary = ['| Cluster | Added | Changed | Removed |', '|---|---:|---:|---:|'];
  for (const s of d.summary) if (s.added + s.changed + s.removed > 0) summary.push(`| ${s.cluster} | ${s.added} | ${s.changed} | ${s.removed} |`);
  const impact = impactLines(d.impact);
  return { summary, impact: impact.length ? impact.map((l) => `- ${l}`) : ['- Nothing operational: no deletion, reboot, build, signing or node coverage change.'] };
}

function objectBlock(o: ObjectChange, diff = o.diff): string {
  const f = fence(diff);
  return `<details><summary>${objectTitle(o)}</summary>\n\n${f}diff\n${diff.endsWith('\n') ? diff : diff + '\n'}${f}\n\n</details>\n\n`;
}

/** One comment: summary and impact whole, then as many object diffs as fit. */
export function formatMarkdown(d: FleetDiff, sides: DiffSides): string {
  const head: string[] = [title(sides), ''];
  if (d.objects.length === 0) return head.concat('No change to the rendered objects.', '').join('\n');
  const { summary, impact } = summaryAndImpact(d);
  head.push(...summary, '', '### Impact', '', ...impact, '', '### Objects', '');
  let text = head.join('\n') + '\n';
  const blocks: string[] = [];
  let cluster = '';
  for (const o of d.objects) {
    let block = '';
    if (o.cluster !== cluster) {
      cluster = o.cluster;
      block += `#### ${cluster}\n\n`;
    }
    blocks.push(block + objectBlock(o));
  }
  const reserve = 200;
  let shown = 0;
  for (const b of blocks) {
    if (text.length + b.length > MARKDOWN_LIMIT - reserve) break;
    text += b;
    shown++;
  }
  if (shown < blocks.length) {
    text += `_${plural(blocks.length - shown, 'object diff')} of ${blocks.length} left out to fit a comment; run \`kmm-render diff\` locally for all of them._\n`;
  }
  return text;
}

/** A piece of a part: its text, and the heading a new part repeats when the piece continues a section. */
interface Piece {
  readonly text: string;
  readonly section: string;
}

/** The room a part's own heading and closing line may take (digits of N included). */
const PART_FRAME = 400;

/** One object's diff block, cut at a line when the whole would not fit in a part. */
function fittingObjectBlock(o: ObjectChange, room: number): string {
  const whole = objectBlock(o);
  if (sizeOf(whole) <= room) return whole;
  const note = (n: number) => `\n… ${plural(n, 'more line')} of this diff left out to fit a comment; run \`kmm-render diff\` locally for all of it.\n`;
  const lines = o.diff.split('\n');
  let lo = 0;
  let hi = lines.length;
  // The longest prefix of lines whose block, with the note, fits.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const block = objectBlock(o, lines.slice(0, mid).join('\n') + note(lines.length - mid));
    if (sizeOf(block) <= room) lo = mid;
    else hi = mid - 1;
  }
  return objectBlock(o, lines.slice(0, lo).join('\n') + note(lines.length - lo));
}

/**
 * An impact line within `room` bytes: a line naming thousands of nodes is cut after the last
 * name that fits, saying so (`--format json` has every one).
 */
function fittingLine(line: string, room: number): string {
  if (sizeOf(line) + 1 <= room) return line + '\n';
  const note = ' … (cut to fit a comment; `kmm-render diff --format json` lists every node)';
  let cut = line.slice(0, room - sizeOf(note) - 8);
  while (sizeOf(cut) + sizeOf(note) + 1 > room) cut = cut.slice(0, -64);
  const comma = cut.lastIndexOf(', ');
  return (comma > 0 ? cut.slice(0, comma) : cut) + note + '\n';
}

/** Packs pieces into bodies of at most `room` bytes, repeating a continued section's heading. */
function pack(pieces: readonly Piece[], room: number): Piece[][] {
  const parts: Piece[][] = [];
  let current: Piece[] = [];
  let size = 0;
  let section = '';
  for (const p of pieces) {
    const heading = p.section !== section ? '' : p.section;
    const extra = sizeOf(p.text);
    if (current.length > 0 && size + extra > room) {
      parts.push(current);
      current = [];
      size = 0;
      // A part that starts inside a section says which one it continues.
      if (heading) {
        current.push({ text: `${heading} (continued)\n\n`, section: p.section });
        size += sizeOf(current[0]!.text);
      }
    }
    current.push(p);
    size += extra;
    section = p.section;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/**
 * The comment parts (`diff --comment-parts`): part 1 holds the summary and the impact,
 * parts 2…N the object diffs cut at object boundaries (an object larger than a comment is
 * cut at a line, saying so). Each part is at most `MARKDOWN_LIMIT - MARKER_ROOM` UTF-8 bytes
 * and says "part i of N". A change that fits one comment is one part.
 */
export function formatMarkdownParts(d: FleetDiff, sides: DiffSides): string[] {
  const limit = MARKDOWN_LIMIT - MARKER_ROOM;
  const single = formatMarkdown(d, sides);
  if (d.objects.length === 0 || (sizeOf(single) <= limit && !single.includes('left out to fit a comment'))) return [single];
  const room = limit - PART_FRAME;
  const { summary, impact } = summaryAndImpact(d);
  const summaryText = summary.join('\n') + '\n\n';
  // Any impact line fits after the summary in part 1, or after the heading of a later part.
  const lineRoom = room - Math.max(sizeOf(summaryText) + sizeOf('### Impact\n\n'), sizeOf('### Impact (continued)\n\n'));
  const first: Piece[] = [
    { text: summaryText, section: '' },
    { text: '### Impact\n\n', section: '### Impact' },
    ...impact.map((line) => ({ text: fittingLine(line, lineRoom), section: '### Impact' })),
  ];
  const objects: Piece[] = [];
  let cluster = '';
  for (const o of d.objects) {
    const section = `#### ${o.cluster}`;
    if (o.cluster !== cluster) {
      cluster = o.cluster;
      objects.push({ text: `${section}\n\n`, section });
    }
    objects.push({ text: fittingObjectBlock(o, room - sizeOf(`${section} (continued)\n\n`)), section });
  }
  const impactBodies = pack(first, room);
  const bodies = [...impactBodies, ...pack(objects, room)];
  const n = bodies.length;
  const impactParts = impactBodies.length;
  return bodies.map((pieces, i) => {
    const heading = `${title(sides)} (part ${i + 1} of ${n})\n\n`;
    const body = pieces.map((p) => p.text).join('');
    const closing =
      i === impactParts - 1
        ? `\n_The object diffs follow in ${n - impactParts === 1 ? `part ${n}` : `parts ${impactParts + 1}–${n}`} (${plural(d.objects.length, 'object')})._\n`
        : i < n - 1
          ? `\n_Continued in part ${i + 2} of ${n}._\n`
          : '';
    return heading + (i === impactParts ? '### Objects\n\n' : '') + body + closing;
  });
}

export function formatText(d: FleetDiff, sides: DiffSides): string {
  const lines = [`kmm-render diff ${short(sides.base.commit)} → ${short(sides.head.commit)}`];
  if (d.objects.length === 0) return lines.concat('no change', '').join('\n');
  for (const s of d.summary) if (s.added + s.changed + s.removed > 0) lines.push(`${s.cluster}: ${s.added} added, ${s.changed} changed, ${s.removed} removed`);
  lines.push('', 'impact:', ...impactLines(d.impact).map((l) => `  ${l}`), '');
  for (const o of d.objects) lines.push(`--- ${o.cluster}: ${objectTitle(o)}`, o.diff);
  return lines.join('\n') + '\n';
}

/** Stable JSON: fixed key order, everything sorted (docs/review.md documents the shape). */
export function formatJson(d: FleetDiff, sides: DiffSides): string {
  return JSON.stringify({ base: sides.base, head: { ref: sides.head.ref, commit: sides.head.commit ?? null }, changed: d.objects.length > 0, summary: d.summary, impact: d.impact, objects: d.objects }, null, 2) + '\n';
}
