/**
 * The report page's own style and script, inlined into the page (no network, no CDN). The
 * tables carry everything; the script only adds the filters, so the page reads the same
 * without it and to a screen reader.
 */

export const PAGE_STYLE = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --bad: #a40e26; --warn: #7d4e00; --ok: #116329; --head: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub, .target, .none { color: var(--muted); margin: 4px 0; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; margin: 12px 0; padding: 0; }
.counts div { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.counts dt { color: var(--muted); font-size: 12px; }
.counts dd { margin: 0; font-size: 22px; font-weight: 600; }
.counts .bad dd { color: var(--bad); }
.counts .warn dd { color: var(--warn); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
/* Under a heading that says the same, a table's caption is for screen readers only. */
.block caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.bad { color: var(--bad); font-weight: 600; }
.warn { color: var(--warn); }
.ok { color: var(--ok); }
#filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; position: sticky; top: 0; background: #fff; padding: 10px 0; border-bottom: 1px solid var(--line); }
#filters .filter { display: flex; flex-direction: column; }
#filters label { font-size: 12px; color: var(--muted); }
#filters select { font: inherit; padding: 3px; min-width: 160px; }
#filter-status { color: var(--muted); }
[hidden] { display: none !important; }
/* A fleet of fifty clusters is a long page: the browser lays out a cluster's section when it comes into view. */
section.cluster { content-visibility: auto; contain-intrinsic-size: auto 1400px; }
`;

/** Filters: every filterable row says its cluster, Module and problems in data attributes. */
export const PAGE_SCRIPT = `
(function () {
  var form = document.getElementById('filters');
  var cluster = document.getElementById('filter-cluster');
  var module = document.getElementById('filter-module');
  var problem = document.getElementById('filter-problem');
  var status = document.getElementById('filter-status');
  function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
  function has(list, value) { return (' ' + (list || '') + ' ').indexOf(' ' + value + ' ') >= 0; }
  function apply() {
    var c = cluster.value, m = module.value, p = problem.value, rows = 0;
    document.querySelectorAll('#fleet tbody tr').forEach(function (tr) {
      tr.hidden = (c && tr.dataset.cluster !== c) || (m && !has(tr.dataset.modules, m)) || (p && !has(tr.dataset.problems, p));
    });
    document.querySelectorAll('section.cluster').forEach(function (s) {
      var visible = 0;
      s.querySelectorAll('tbody tr[data-module]').forEach(function (tr) {
        tr.hidden = (m && tr.dataset.module !== m) || (p && !has(tr.dataset.problems, p));
        if (!tr.hidden) visible++;
      });
      s.querySelectorAll('.block').forEach(function (b) {
        var shown = b.querySelectorAll('tbody tr:not([hidden])').length;
        b.hidden = Boolean(m || p) && shown === 0;
      });
      s.hidden = (c && s.dataset.cluster !== c) || (Boolean(m || p) && visible === 0);
      if (!s.hidden) rows += visible;
    });
    var clusters = document.querySelectorAll('section.cluster:not([hidden])').length;
    status.textContent = num(clusters) + (clusters === 1 ? ' cluster, ' : ' clusters, ') + num(rows) + (rows === 1 ? ' row' : ' rows') + ' shown';
  }
  [cluster, module, problem].forEach(function (s) { s.addEventListener('change', apply); });
  // Nothing is filtered yet: the page already says what it shows, and no row is touched.
  form.hidden = false;
})();
`;
