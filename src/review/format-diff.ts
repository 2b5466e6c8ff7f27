/**
 * The `diff` report (SPEC §7) as markdown for a pull-request comment (at most 65,536
 * characters: summary and impact always whole, object diffs cut at object boundaries with
 * every fence closed), as stable JSON, or as plain text.
 */
import type { FleetDiff, Impact, ObjectChange } from './diff-fleet.js';

/** GitHub's limit on a comment. */
export const MARKDOWN_LIMIT = 65_536;

export interface DiffSides {
  readonly base: { ref: string; commit: string };
  readonly head: { ref: string; commit?: string };
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const short = (sha?: string) => (sha ? sha.slice(0, 12) : 'working tree');

/** Impact lines in words a reviewer acts on. */
function impactLines(i: Impact): string[] {
  const lines: string[] = [];
  for (const b of i.blocked) {
    lines.push(`Cannot apply: ${b.kind} ${b.namespace ? b.namespace + '/' : ''}${b.name} in ${b.cluster} changes ${b.fields.join(', ')}, which the API server does not allow on an existing object; the sync fails there until the object is deleted.`);
  }
  for (const r of i.reboots) lines.push(`Reboot: MachineConfig ${r.machineConfig} ${r.change} in ${r.cluster}: the ${plural(r.nodes, 'node')} of pool ${r.pool} will reboot.`);
  for (const b of i.builds) lines.push(`Build: ${b.module} for kernel ${b.kernel} in ${b.cluster} builds ${b.image}.`);
  for (const s of i.signing) lines.push(`Signing: ${s.module} for kernel ${s.kernel} in ${s.cluster} signs ${s.image}.`);
  for (const g of i.gained) lines.push(`Gains ${g.module} in ${g.cluster}: ${g.nodes.join(', ')}.`);
  for (const l of i.lost) lines.push(`Loses ${l.module} in ${l.cluster}: ${l.nodes.join(', ')}.`);
  for (const u of i.newlyUnmapped) lines.push(`No mapping: ${u.module} has no image for kernel ${u.kernel} in ${u.cluster}; ${plural(u.nodes.length, 'node')} left without it (${u.nodes.join(', ')}).`);
  for (const c of i.imageChanges) lines.push(`Image: ${c.module} on kernel ${c.kernel} in ${c.cluster}: ${c.from} → ${c.to}.`);
  for (const r of i.reloads) lines.push(`Reload: ${r.module} on kernel ${r.kernel} in ${r.cluster} is unloaded and loaded again on its ${plural(r.nodes, 'node')}, one node at a time (the DaemonSet's rolling update).`);
  return lines;
}

function objectTitle(o: ObjectChange): string {
  return `${o.kind} ${o.namespace ? o.namespace + '/' : ''}${o.name} (${o.change})`;
}

/** A code fence longer than any backtick run in the text, so the text cannot close it. */
function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function formatMarkdown(d: FleetDiff, sides: DiffSides): string {
  const head: string[] = [`## kmm-render diff: ${short(sides.base.commit)} → ${short(sides.head.commit)}`, ''];
  if (d.objects.length === 0) return head.concat('No change to the rendered objects.', '').join('\n');
  head.push('| Cluster | Added | Changed | Removed |', '|---|---:|---:|---:|');
  for (const s of d.summary) if (s.added + s.changed + s.removed > 0) head.push(`| ${s.cluster} | ${s.added} | ${s.changed} | ${s.removed} |`);
  head.push('', '### Impact', '');
  const impact = impactLines(d.impact);
  head.push(...(impact.length ? impact.map((l) => `- ${l}`) : ['- Nothing operational: no reboot, build, signing or node coverage change.']), '', '### Objects', '');
  let text = head.join('\n') + '\n';
  const blocks: string[] = [];
  let cluster = '';
  for (const o of d.objects) {
    let block = '';
    if (o.cluster !== cluster) {
      cluster = o.cluster;
      block += `#### ${cluster}\n\n`;
    }
    const f = fence(o.diff);
    block += `<details><summary>${objectTitle(o)}</summary>\n\n${f}diff\n${o.diff.endsWith('\n') ? o.diff : o.diff + '\n'}${f}\n\n</details>\n\n`;
    blocks.push(block);
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
