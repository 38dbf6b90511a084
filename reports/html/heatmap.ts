// A heatmap of one cells.csv metric over two grid parameters as inline SVG: one rectangle per
// cell, coloured on the viridis ramp, with the value written in it and the exact cells.csv text in
// `data-value` and the hover title; a colour legend with ticks; cells over a risk budget outlined.
// Knows nothing of files.
import { attrs, esc, inkOn, px, ramp } from './svg.js';
import { formatValue, niceTicks, tickLabels, type Unit } from './ticks.js';

export interface HeatCell {
  /** The cell's x and y parameter values, as cells.csv writes them ('' when the axis is absent). */
  x: string;
  y: string;
  /** The metric's exact cells.csv text ('' when the cell has no ok run). */
  text: string;
  /** Outlined as over a risk budget, with this explanation. */
  overBudget?: string;
  /** Extra hover lines (the cell's other parameters, runs). */
  note?: string;
}

export interface HeatmapSpec {
  id: string;
  title: string;
  scenario: string;
  metric: string;
  unit: Unit;
  /** Axis names (grid paths) or null for a one-row / one-column map. */
  xPath: string | null;
  yPath: string | null;
  /** Axis values in display order (x left to right, y bottom to top), as cells.csv writes them. */
  xValues: readonly string[];
  yValues: readonly string[];
  /** The axis values as the ticks show them, in the parameter's unit ($15M, 0.5%); default the values themselves. */
  xLabels?: readonly string[];
  yLabels?: readonly string[];
  cells: readonly HeatCell[];
  /** Colour domain of this map (the report gives each scenario its own, shown by the legend). */
  domain: [number, number];
  /** Remaining grid parameters held fixed for this map, e.g. "protocol.liquidationMode = full". */
  fixed?: string;
}

/** The heatmap as an `<svg>` element. */
export function heatmapSvg(spec: HeatmapSpec): string {
  const cw = Math.max(64, Math.min(110, 560 / Math.max(1, spec.xValues.length)));
  const ch = Math.max(34, Math.min(54, 300 / Math.max(1, spec.yValues.length)));
  const gw = cw * spec.xValues.length;
  const gh = ch * spec.yValues.length;
  // The colour legend is at least 90 px tall; a shorter grid (one row) leaves room above it for the legend.
  const lh = Math.max(gh, 90);
  const m = { left: 96, top: (spec.fixed ? 56 : 40) + (spec.yPath ? 18 : 0) + (lh - gh), right: 110, bottom: 56 };
  const W = Math.max(m.left + gw + m.right, 380);
  const H = m.top + gh + m.bottom;
  const [d0, d1] = spec.domain;
  const t = (v: number) => (d1 > d0 ? (v - d0) / (d1 - d0) : 0.5);
  const parts: string[] = [`<title>${esc(spec.title)}</title>`];
  parts.push(`<text class="chart-title" x="8" y="20">${esc(spec.title)}</text>`);
  if (spec.fixed) parts.push(`<text class="subtitle" x="8" y="38">${esc(spec.fixed)}</text>`);

  const rects: string[] = [];
  for (const c of spec.cells) {
    const xi = spec.xValues.indexOf(c.x);
    const yi = spec.yValues.indexOf(c.y);
    if (xi < 0 || yi < 0) continue;
    const x = m.left + xi * cw;
    const y = m.top + gh - (yi + 1) * ch;
    const v = c.text === '' ? NaN : Number(c.text);
    const fill = Number.isFinite(v) ? ramp(t(v)) : '#d9d9d9';
    const ink = Number.isFinite(v) ? inkOn(fill) : '#000000';
    const shown = Number.isFinite(v) ? formatValue(v, spec.unit) : 'no runs';
    const where = [spec.xPath ? `${spec.xPath} = ${c.x}` : null, spec.yPath ? `${spec.yPath} = ${c.y}` : null].filter(
      (s): s is string => s !== null,
    );
    const hover = [
      `${spec.scenario}${where.length ? `, ${where.join(', ')}` : ''}`,
      `${spec.metric} = ${c.text === '' ? '(empty: no ok run)' : c.text}`,
      ...(c.note ? [c.note] : []),
      ...(c.overBudget ? [`over budget: ${c.overBudget}`] : []),
    ].join('\n');
    rects.push(
      `<g class="hm-cell-group"><title>${esc(hover)}</title><rect class="hm-cell"${attrs({
        x: px(x),
        y: px(y),
        width: px(cw),
        height: px(ch),
        fill,
        'data-scenario': spec.scenario,
        'data-metric': spec.metric,
        'data-x': c.x,
        'data-y': c.y,
        'data-value': c.text,
        'data-over-budget': c.overBudget ? 'true' : undefined,
      })}/>` +
        (c.overBudget
          ? `<rect class="hm-over"${attrs({ x: px(x + 2.5), y: px(y + 2.5), width: px(cw - 5), height: px(ch - 5) })} fill="none" stroke="${ink}" stroke-width="2.5" stroke-dasharray="5 3"/>`
          : '') +
        `<text class="hm-text" x="${px(x + cw / 2)}" y="${px(y + ch / 2)}" style="fill:${ink}" text-anchor="middle" dominant-baseline="central">${esc(shown)}${c.overBudget ? ' \u2717' : ''}</text></g>`,
    );
  }
  parts.push(`<g class="cells">${rects.join('')}</g>`);

  // Axes: the parameter values along the grid, the parameter path as the axis label.
  const axis: string[] = [];
  spec.xValues.forEach((v, i) =>
    axis.push(
      `<text class="tick" x="${px(m.left + (i + 0.5) * cw)}" y="${m.top + gh + 16}" text-anchor="middle"${attrs({ 'data-value': v })}>${esc(spec.xLabels?.[i] ?? v)}</text>`,
    ),
  );
  spec.yValues.forEach((v, i) =>
    axis.push(
      `<text class="tick" x="${m.left - 8}" y="${px(m.top + gh - (i + 0.5) * ch)}" text-anchor="end" dominant-baseline="central"${attrs({ 'data-value': v })}>${esc(spec.yLabels?.[i] ?? v)}</text>`,
    ),
  );
  axis.push(
    `<text class="axis-label x-label" x="${px(m.left + gw / 2)}" y="${m.top + gh + 38}" text-anchor="middle">${esc(spec.xPath ?? 'the scenario\u2019s one cell (no grid)')}</text>`,
  );
  // The y parameter's name sits above its values, horizontally: a rotated label would not fit a short grid.
  if (spec.yPath)
    axis.push(
      `<text class="axis-label y-label" x="${m.left - 8}" y="${m.top - 8}" text-anchor="start">\u2191 ${esc(spec.yPath)}</text>`,
    );
  parts.push(`<g class="axes">${axis.join('')}</g>`);

  // Colour legend: a vertical ramp with round-number ticks.
  const lx = m.left + gw + 24;
  const ly = m.top + gh - lh;
  const legend: string[] = [];
  const stops = 24;
  for (let k = 0; k < stops; k++)
    legend.push(
      `<rect x="${lx}" y="${px(ly + (lh * (stops - 1 - k)) / stops)}" width="14" height="${px(lh / stops + 0.6)}" fill="${ramp(k / (stops - 1))}"/>`,
    );
  const scale = niceTicks(d0, d1 > d0 ? d1 : d0 + 1, 4);
  const ticks = scale.ticks.filter((v) => v >= d0 - 1e-12 && v <= (d1 > d0 ? d1 : d0) + 1e-12);
  const labels = tickLabels(ticks, scale.step, spec.unit === 'fraction' ? 'plain' : spec.unit);
  ticks.forEach((v, k) => {
    const y = px(ly + lh - t(v) * lh);
    legend.push(`<line x1="${lx + 14}" x2="${lx + 18}" y1="${y}" y2="${y}" class="tick-mark"/>`);
    legend.push(`<text class="tick" x="${lx + 21}" y="${y}" dominant-baseline="central">${esc(labels[k])}</text>`);
  });
  legend.push(
    `<rect x="${lx}" y="${px(ly)}" width="14" height="${px(lh)}" fill="none" stroke="#555" stroke-width="0.5"/>`,
  );
  parts.push(`<g class="color-legend"${attrs({ 'data-domain': `${d0} ${d1}` })}>${legend.join('')}</g>`);

  const root = attrs({
    class: 'chart heatmap',
    id: spec.id,
    'data-chart': spec.id,
    'data-scenario': spec.scenario,
    'data-metric': spec.metric,
    'data-x-path': spec.xPath ?? '',
    'data-y-path': spec.yPath ?? '',
    viewBox: `0 0 ${px(W)} ${px(H)}`,
    width: px(W),
    height: px(H),
    role: 'img',
    'aria-label': spec.title,
  });
  return `<svg${root}>${parts.join('')}</svg>`;
}
