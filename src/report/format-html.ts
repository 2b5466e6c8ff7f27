/**
 * The coverage report as one self-contained HTML page: semantic tables with captions and
 * header cells (readable without the script and by a screen reader), the style and the
 * filter script inline, no network. Deterministic bytes for the same report. Pure.
 */
import type { ClusterReport, FleetReport, UncoveredGroup } from './fleet-report.js';
import { UNCOVERED_REASONS } from './fleet-report.js';
import { PAGE_SCRIPT, PAGE_STYLE } from './page-assets.js';
import { compareText } from '../base/compare-text.js';

/** How many node names a group lists before it says how many more there are. */
export const NODE_NAMES_SHOWN = 50;

/** The problems the filter offers, each a token in the rows' `data-problems`. */
export const PROBLEMS: readonly { readonly token: string; readonly label: string }[] = [
  { token: 'uncovered', label: 'Nodes left without a module' },
  ...UNCOVERED_REASONS.map((r) => ({ token: r.reason, label: `— ${r.label}` })),
  { token: 'reboot', label: 'Pools that reboot' },
  { token: 'build', label: 'Builds and signing' },
];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string | number) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** 12,345: the same on every machine (no locale). */
const num = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const plural = (n: number, one: string, many = one + 's') => `${num(n)} ${n === 1 ? one : many}`;
const idOf = (cluster: string) => `cluster-${cluster.replace(/[^A-Za-z0-9_-]/g, '_')}`;

function attrs(a: Record<string, string>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
}

function table(caption: string, head: readonly (string | { text: string; numeric: true })[], rows: readonly string[]): string {
  const th = head.map((h) => (typeof h === 'string' ? `<th scope="col">${esc(h)}</th>` : `<th scope="col" class="n">${esc(h.text)}</th>`)).join('');
  return `<table data-filterable><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function block(title: string, body: string): string {
  return `<div class="block"><h3>${esc(title)}</h3>\n${body}\n</div>`;
}

function nodeList(nodes: readonly string[]): string {
  const shown = nodes.slice(0, NODE_NAMES_SHOWN).map((n) => `<code>${esc(n)}</code>`).join(', ');
  return nodes.length > NODE_NAMES_SHOWN ? `${shown} and ${num(nodes.length - NODE_NAMES_SHOWN)} more` : shown;
}

function uncoveredRow(u: UncoveredGroup): string {
  const label = UNCOVERED_REASONS.find((r) => r.reason === u.reason)!.label;
  const cls = u.reason === 'selector' ? 'warn' : 'bad';
  return `<tr${attrs({ 'data-module': u.module ?? '', 'data-problems': `uncovered ${u.reason}` })}><td>${u.module ? esc(u.module) : '—'}</td><td><code>${esc(u.kernel)}</code></td><td class="${cls}">${esc(label)}</td><td>${esc(u.detail)}</td><td class="n">${num(u.nodes.length)}</td><td>${nodeList(u.nodes)}</td></tr>`;
}

function clusterSection(c: ClusterReport): string {
  const parts: string[] = [`<section class="cluster"${attrs({ id: idOf(c.name), 'data-cluster': c.name, 'aria-labelledby': `${idOf(c.name)}-h` })}>`];
  parts.push(`<h2 id="${esc(idOf(c.name))}-h">Cluster ${esc(c.name)}</h2>`, `<p class="target">${esc(plural(c.nodeCount, 'node'))} in the inventory. ${esc(c.target)}</p>`);

  const coverage = c.coverage.map((r) => {
    const steps = [r.build ? 'build' : '', r.sign ? 'sign' : ''].filter(Boolean).join(' + ') || '—';
    const problems = [r.image ? '' : 'uncovered no-mapping', r.build || r.sign ? 'build' : ''].filter(Boolean).join(' ');
    return `<tr${attrs({ 'data-module': r.module, 'data-problems': problems })}><th scope="row">${esc(r.module)}</th><td><code>${esc(r.kernel)}</code></td><td class="n">${num(r.nodes)}</td><td>${r.image ? `<code>${esc(r.image)}</code>` : '<span class="bad">no mapping</span>'}</td><td>${r.image ? steps : '—'}</td></tr>`;
  });
  parts.push(block('Modules × kernels', coverage.length ? table(`Modules × kernels in ${c.name}`, ['Module', 'Kernel', { text: 'Nodes', numeric: true }, 'Image', 'In cluster'], coverage) : '<p class="none">No Module targets any node of this cluster.</p>'));

  parts.push(
    block(
      'Nodes left without a module',
      c.uncovered.length
        ? table(`Nodes left without a module in ${c.name}`, ['Module', 'Kernel', 'Reason', 'Why', { text: 'Nodes', numeric: true }, 'Node names'], c.uncovered.map(uncoveredRow))
        : '<p class="none">None: every node gets a module.</p>',
    ),
  );

  const reboots = c.reboots.map((r) => `<tr${attrs({ 'data-module': '', 'data-problems': 'reboot' })}><th scope="row">${esc(r.pool)}</th><td><code>${esc(r.machineConfig)}</code></td><td class="n">${num(r.nodes)}</td></tr>`);
  parts.push(block('MachineConfig pools a change reboots', reboots.length ? table(`MachineConfig pools that reboot when these MachineConfigs are applied or changed, in ${c.name}`, ['Pool', 'MachineConfig', { text: 'Nodes that reboot', numeric: true }], reboots) : '<p class="none">None: no MachineConfig is rendered for this cluster.</p>'));

  const builds = c.builds.map((b) => `<tr${attrs({ 'data-module': b.module, 'data-problems': 'build' })}><th scope="row">${esc(b.module)}</th><td><code>${esc(b.kernel)}</code></td><td>${b.build ? `<code>${esc(b.build)}</code>` : '—'}</td><td>${b.sign ? `<code>${esc(b.sign)}</code>` : '—'}</td></tr>`);
  parts.push(block('Builds and signing per kernel', builds.length ? table(`Builds and signing per kernel in ${c.name}`, ['Module', 'Kernel', 'Builds', 'Signs'], builds) : '<p class="none">None: every image is pulled as it is.</p>'));

  if (c.spokes.length) {
    const spokes = c.spokes.map((s) => `<tr${attrs({ 'data-module': s.module, 'data-problems': '' })}><th scope="row">${esc(s.spoke)}</th><td>${esc(s.module)}</td><td>${s.kernels.map((k) => `<code>${esc(k)}</code>`).join(', ')}</td></tr>`);
    parts.push(block("The hub's spokes", table(`Spokes of the hub ${c.name}`, ['Spoke', 'Module', 'Kernels'], spokes)));
  }
  parts.push('</section>');
  return parts.join('\n');
}

function fleetTable(r: FleetReport): string {
  const rows = r.clusters.map((c) => {
    const problems = [c.uncoveredNodes ? 'uncovered' : '', ...new Set(c.uncovered.map((u) => u.reason)), c.reboots.length ? 'reboot' : '', c.builds.length ? 'build' : ''].filter(Boolean).join(' ');
    const served = c.coverage.filter((x) => x.image).length;
    return `<tr${attrs({ 'data-cluster': c.name, 'data-modules': c.modules.join(' '), 'data-problems': problems })}><th scope="row"><a href="#${esc(idOf(c.name))}">${esc(c.name)}</a></th><td class="n">${num(c.nodeCount)}</td><td class="n">${num(served)}</td><td class="n${c.uncoveredNodes ? ' bad' : ''}">${num(c.uncoveredNodes)}</td><td class="n">${num(c.reboots.length)}</td><td class="n">${num(c.builds.filter((b) => b.build).length)}</td><td class="n">${num(c.builds.filter((b) => b.sign).length)}</td></tr>`;
  });
  const n = (text: string) => ({ text, numeric: true as const });
  return table('Clusters', ['Cluster', n('Nodes'), n('Modules × kernels served'), n('Nodes left without a module'), n('Pools that reboot'), n('Builds'), n('Signing')], rows).replace('<table data-filterable>', '<table id="fleet">');
}

function summary(r: FleetReport): string {
  const s = r.summary;
  const item = (label: string, value: number, key: string, tone = '') => `<div${tone ? ` class="${tone}"` : ''}><dt>${esc(label)}</dt><dd data-count="${key}">${num(value)}</dd></div>`;
  return [
    '<dl class="counts">',
    item('Clusters', s.clusters, 'clusters'),
    item('Nodes', s.nodes, 'nodes'),
    item('Modules', s.modules, 'modules'),
    item('Kernels', s.kernels, 'kernels'),
    item('Modules × kernels served', s.servedPairs, 'served'),
    item('Modules × kernels without a mapping', s.unmappedPairs, 'unmapped', s.unmappedPairs ? 'bad' : ''),
    item('Nodes left without a module', s.uncoveredNodes, 'uncovered', s.uncoveredNodes ? 'bad' : ''),
    item('Pools that reboot on a change', s.rebootingPools, 'reboot-pools', s.rebootingPools ? 'warn' : ''),
    item('Nodes in those pools', s.rebootingNodes, 'reboot-nodes', s.rebootingNodes ? 'warn' : ''),
    item('Builds', s.builds, 'builds'),
    item('Signing Jobs', s.signing, 'signing'),
    '</dl>',
  ].join('\n');
}

/** The filter status of the unfiltered page, as the script words it (one row per Module, node group, pool, build, spoke). */
function shownText(r: FleetReport): string {
  const rows = r.clusters.reduce((n, c) => n + c.coverage.length + c.uncovered.length + c.reboots.length + c.builds.length + c.spokes.length, 0);
  return `${plural(r.clusters.length, 'cluster')}, ${plural(rows, 'row')} shown`;
}

function filters(r: FleetReport): string {
  const option = (value: string, label: string) => `<option value="${esc(value)}">${esc(label)}</option>`;
  const modules = [...new Set(r.clusters.flatMap((c) => c.modules))].sort(compareText);
  return [
    '<form id="filters" hidden aria-label="Filters">',
    `<div class="filter"><label for="filter-cluster">Cluster</label><select id="filter-cluster">${option('', 'All clusters')}${r.clusters.map((c) => option(c.name, c.name)).join('')}</select></div>`,
    `<div class="filter"><label for="filter-module">Module</label><select id="filter-module">${option('', 'All Modules')}${modules.map((m) => option(m, m)).join('')}</select></div>`,
    `<div class="filter"><label for="filter-problem">Problem</label><select id="filter-problem">${option('', 'Everything')}${PROBLEMS.map((p) => option(p.token, p.label)).join('')}</select></div>`,
    `<output id="filter-status" aria-live="polite">${esc(shownText(r))}</output>`,
    '</form>',
  ].join('\n');
}

export interface PageFacts {
  readonly toolVersion: string;
  readonly commit?: string;
}

/** The page. */
export function formatReportHtml(r: FleetReport, facts: PageFacts): string {
  const from = facts.commit ? ` from commit <code>${esc(facts.commit.slice(0, 12))}</code>` : ' from the working tree';
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>kmm-render fleet coverage</title>',
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    '<h1>Fleet coverage</h1>',
    `<p class="sub">Rendered by kmm-render ${esc(facts.toolVersion)}${from}: which Modules run on which kernels, which nodes are left without a module and why, which pools reboot and which builds run.</p>`,
    '</header>',
    '<main>',
    '<section aria-labelledby="summary-h">',
    '<h2 id="summary-h">Fleet summary</h2>',
    summary(r),
    fleetTable(r),
    '</section>',
    filters(r),
    ...r.clusters.map(clusterSection),
    '</main>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
