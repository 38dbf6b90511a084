// The HTML shell of a report: one self-contained page (inline CSS, inline SVG, a small inline
// script for sortable tables and chart read-outs), and the table and section builders the run
// and sweep reports share. No external resource of any kind: the page opens from disk offline.
import { attrs, esc } from './svg.js';

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; margin: 0;
  color: #1a1a1a; background: #fff; line-height: 1.4; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 24px 48px; }
header.report { border-bottom: 2px solid #1a1a1a; padding-bottom: 8px; margin-bottom: 12px; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid #bbb; padding-bottom: 2px; }
h3 { font-size: 16px; margin: 18px 0 6px; }
p.lead { margin: 4px 0 8px; color: #333; }
p.note { font-size: 13px; color: #444; margin: 4px 0 10px; max-width: 900px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; font-size: 13px; margin: 6px 0; }
dl.meta dt { color: #555; }
dl.meta dd { margin: 0; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
nav.toc { font-size: 13px; margin: 8px 0; }
nav.toc a { margin-right: 14px; }
.figures { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
.figure { border: 1px solid #bbb; border-radius: 4px; padding: 6px 10px; min-width: 150px; }
.figure .k { font-size: 12px; color: #555; }
.figure .v { font-size: 20px; font-weight: 600; }
.figure.bad { border: 2px solid #000; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 18px; align-items: flex-start; }
.scroll { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; font-size: 12.5px; margin: 6px 0 14px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: right; white-space: nowrap; }
th { background: #f0f0f0; font-weight: 600; position: sticky; top: 0; }
td.text, th.text { text-align: left; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " \\25B2"; font-size: 9px; }
table.sortable th[aria-sort="descending"]::after { content: " \\25BC"; font-size: 9px; }
td.pass { font-weight: 600; }
td.fail { font-weight: 700; background: #f6d7c3; }
svg { display: block; max-width: 100%; height: auto; overflow: visible; }
svg text { font-family: inherit; fill: #1a1a1a; }
svg .chart-title { font-size: 15px; font-weight: 600; }
svg .chart-title.small { font-size: 12.5px; }
svg .subtitle { font-size: 11.5px; fill: #444; }
svg .tick { font-size: 11px; fill: #333; font-variant-numeric: tabular-nums; }
svg .axis-label { font-size: 12px; fill: #1a1a1a; }
svg .legend-item text { font-size: 12px; dominant-baseline: middle; }
svg .grid { stroke: #e2e2e2; stroke-width: 1; }
svg .axis, svg .tick-mark { stroke: #333; stroke-width: 1; }
svg .marker-label { font-size: 11px; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .hm-text { font-size: 12.5px; font-weight: 600; font-variant-numeric: tabular-nums; }
svg .hm-cell { stroke: #fff; stroke-width: 1; }
svg .readout { font-size: 11.5px; fill: #333; font-variant-numeric: tabular-nums; }
svg .hair { stroke: #555; stroke-width: 1; }
@media print {
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  svg, table, .figure { break-inside: avoid; }
  .readout, .hair { display: none; }
  th { position: static; }
}
`;

// Plain ES5-style browser code (no modules, no network): sortable tables and a hover read-out
// of every series' value at the pointer on the time charts.
const SCRIPT = `
(function () {
  'use strict';
  function cellKey(row, col) {
    var c = row.cells[col];
    if (!c) return '';
    var s = c.getAttribute('data-sort');
    return s !== null ? s : c.textContent.trim();
  }
  function sortBy(table, col, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    var numeric = rows.every(function (r) { var k = cellKey(r, col); return k === '' || !isNaN(Number(k)); });
    rows.sort(function (a, b) {
      var x = cellKey(a, col), y = cellKey(b, col), d;
      if (numeric) {
        var nx = x === '' ? -Infinity : Number(x), ny = y === '' ? -Infinity : Number(y);
        d = nx < ny ? -1 : nx > ny ? 1 : 0;
      } else d = x.localeCompare(y);
      return asc ? d : -d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, col) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sortBy(table, col, th); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(table, col, th); }
      });
    });
  });
  function fmt(v, unit) {
    if (!isFinite(v)) return '-';
    var a = Math.abs(v);
    if (unit === 'usd') {
      if (a >= 1e9) return '$' + (v / 1e9).toFixed(2) + 'B';
      if (a >= 1e6) return '$' + (v / 1e6).toFixed(2) + 'M';
      if (a >= 1e4) return '$' + (v / 1e3).toFixed(1) + 'k';
      return '$' + v.toFixed(a >= 100 ? 0 : 2);
    }
    if (unit === 'count') return String(Math.round(v * 10) / 10);
    if (unit === 'pct') return v.toPrecision(3) + '%';
    return String(Number(v.toPrecision(4)));
  }
  Array.prototype.forEach.call(document.querySelectorAll('svg.time-chart'), function (svg) {
    var plot = svg.getAttribute('data-plot').split(' ').map(Number);
    var xr = svg.getAttribute('data-x').split(' ').map(Number);
    var ir = svg.getAttribute('data-i').split(' ').map(Number);
    var xs = svg.getAttribute('data-xs').split(' ').map(Number);
    var unit = svg.getAttribute('data-y-unit');
    var series = Array.prototype.map.call(svg.querySelectorAll('.series'), function (g) {
      return { name: g.getAttribute('data-series'), values: g.getAttribute('data-values').split(' ').map(Number) };
    });
    var hair = svg.querySelector('.hair');
    var out = svg.querySelector('.readout');
    function hide() { hair.setAttribute('visibility', 'hidden'); out.textContent = ''; }
    svg.addEventListener('mousemove', function (e) {
      var m = svg.getScreenCTM();
      if (!m) return;
      var pt = svg.createSVGPoint();
      pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(m.inverse());
      if (p.x < plot[0] || p.x > plot[0] + plot[2]) { hide(); return; }
      var xv = xr[0] + ((p.x - plot[0]) / plot[2]) * (xr[1] - xr[0]);
      var lo = ir[0], hi = ir[1];
      while (hi - lo > 1) { var mid = (lo + hi) >> 1; if (xs[mid] <= xv) lo = mid; else hi = mid; }
      var i = Math.abs(xs[hi] - xv) < Math.abs(xs[lo] - xv) ? hi : lo;
      var x = plot[0] + ((xs[i] - xr[0]) / (xr[1] - xr[0] || 1)) * plot[2];
      hair.setAttribute('x1', x); hair.setAttribute('x2', x); hair.setAttribute('visibility', 'visible');
      var mins = Math.round(xs[i] * 60);
      var t = Math.floor(mins / 60) + ':' + ('0' + (mins % 60)).slice(-2);
      out.textContent = t + ' (step ' + i + '): ' + series.map(function (s) {
        return s.name + ' ' + fmt(s.values[i], unit);
      }).join(' \\u00b7 ');
    });
    svg.addEventListener('mouseleave', hide);
  });
})();
`;

/** A table cell: its text, an optional sort key and class. */
export interface Cell {
  text: string;
  sort?: string | number;
  cls?: string;
  title?: string;
}

/** A table; `sortable` adds click-to-sort on the header cells. */
export function tableHtml(
  headers: readonly (string | { text: string; title?: string; cls?: string })[],
  rows: readonly (readonly (Cell | string)[])[],
  opts: { sortable?: boolean; cls?: string; id?: string } = {},
): string {
  const th = headers
    .map((h) => (typeof h === 'string' ? { text: h } : h))
    .map((h) => `<th${attrs({ title: h.title, class: h.cls })}>${esc(h.text)}</th>`)
    .join('');
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c) => (typeof c === 'string' ? { text: c } : c))
          .map((c) => `<td${attrs({ class: c.cls, 'data-sort': c.sort, title: c.title })}>${esc(c.text)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const cls = [opts.sortable ? 'sortable' : '', opts.cls ?? ''].filter(Boolean).join(' ') || undefined;
  return `<div class="scroll"><table${attrs({ class: cls, id: opts.id })}><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A definition list of label/value pairs. */
export function metaList(items: readonly [string, string][]): string {
  return `<dl class="meta">${items.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
}

/** A headline figure: a label over its value, outlined when `bad`. */
export function figureHtml(label: string, value: string, bad = false): string {
  return `<div class="figure${bad ? ' bad' : ''}"><div class="k">${esc(label)}</div><div class="v">${esc(value)}</div></div>`;
}

/** A section id safe for an anchor. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}

/** The whole page. `body` is trusted HTML built by the report modules. */
export function pageHtml(title: string, kind: 'run' | 'sweep', body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // An empty icon, so that the browser does not look for /favicon.ico.
    '<link rel="icon" href="data:,">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    `<body data-report="${kind}">`,
    `<main>${body}</main>`,
    `<script>${SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
