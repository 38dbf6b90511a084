// Line and bar charts over a numeric x axis as inline SVG text: a title, a legend, axes with
// round-number ticks and labelled units, shaded bands (cascade waves) and vertical event markers
// (shocks, breaker trips, alerts). Every series carries its numbers in `data-values` (the exact CSV
// text when given), so a test can compare the drawing with the files. Knows nothing of runs.
import { attrs, esc, px } from './svg.js';
import { clock, niceTicks, tickLabels, timeTicks, type Unit } from './ticks.js';

interface SeriesBase {
  /** Legend text. */
  name: string;
  /** One value per x; NaN leaves a gap. */
  values: readonly number[];
  /** The values' exact source text (a CSV column), written to `data-values`; default: the numbers. */
  text?: readonly string[];
  /** Source column name, written to `data-column`. */
  column?: string;
  color: string;
}

export interface LineSeries extends SeriesBase {
  kind: 'line';
  /** SVG stroke-dasharray, e.g. '6 3'; solid when absent. */
  dash?: string;
  width?: number;
}

export interface BarSeries extends SeriesBase {
  kind: 'bar';
}

export type Series = LineSeries | BarSeries;

/** A shaded x interval (inclusive ends, in x units). */
export interface Band {
  from: number;
  to: number;
  /** Hover text. */
  label: string;
}

/** A vertical line at x with a short label. */
export interface Marker {
  x: number;
  label: string;
  kind: 'shock' | 'breaker' | 'alert' | 'governance';
}

export interface ChartSpec {
  /** Unique id of the chart in the page (also its `data-chart`). */
  id: string;
  title: string;
  /** x of each value, ascending. */
  x: readonly number[];
  xLabel: string;
  xUnit: Unit;
  /** Show only this x range (default: all). */
  xRange?: [number, number];
  yLabel: string;
  yUnit: Unit;
  /** Start the y axis at zero (bars always do). */
  yFromZero?: boolean;
  series: Series[];
  bands?: Band[];
  bandName?: string;
  markers?: Marker[];
  width?: number;
  height?: number;
}

const MARKER_STYLE: Record<Marker['kind'], { color: string; dash: string; name: string }> = {
  shock: { color: '#000000', dash: '4 3', name: 'shock' },
  breaker: { color: '#CC79A7', dash: '1 2', name: 'circuit breaker / pause' },
  alert: { color: '#E69F00', dash: '8 2 1 2', name: 'monitoring alert' },
  governance: { color: '#009E73', dash: '6 2', name: 'governance' },
};

const BAND_FILL = '#7f7f7f';
const BAND_OPACITY = 0.18;

/** Index range [i0, i1] of the x values inside [lo, hi]. */
function visibleRange(x: readonly number[], lo: number, hi: number): [number, number] {
  let i0 = 0;
  while (i0 < x.length - 1 && x[i0] < lo) i0++;
  let i1 = x.length - 1;
  while (i1 > i0 && x[i1] > hi) i1--;
  return [i0, i1];
}

function legendItem(x: number, y: number, swatch: string, name: string): { svg: string; width: number } {
  const width = 30 + name.length * 6.6 + 18;
  return {
    svg: `<g class="legend-item" transform="translate(${px(x)},${px(y)})">${swatch}<text x="28" y="4">${esc(name)}</text></g>`,
    width,
  };
}

/** The chart as an `<svg>` element (no namespace attribute: it is inline HTML). */
export function chartSvg(spec: ChartSpec): string {
  const W = spec.width ?? 1120;
  const xs = spec.x;
  const [xlo, xhi] = spec.xRange ?? [xs[0] ?? 0, xs[xs.length - 1] ?? 1];
  const m = { left: 78, right: 24, top: 60, bottom: 50 };
  const pw = W - m.left - m.right;
  const X = (v: number) => m.left + ((v - xlo) / (xhi - xlo || 1)) * pw;
  // Event markers: one per kind and x (simultaneous events share a label), their labels in up to
  // four rows of a strip above the plot so that they never cover the data. A label that finds no
  // free room is left off (the line stays, and its hover title names it).
  const groups = new Map<string, Marker[]>();
  for (const mk of spec.markers ?? []) {
    if (mk.x < xlo || mk.x > xhi) continue;
    const key = `${mk.kind}@${mk.x}`;
    groups.set(key, [...(groups.get(key) ?? []), mk]);
  }
  const placed = [...groups.values()]
    .sort((a, b) => a[0].x - b[0].x)
    .map((g) => ({ kind: g[0].kind, x: g[0].x, label: g.map((mk) => mk.label).join(', '), row: -1, right: false }));
  const rowEnds: number[] = [];
  const ROW = 14;
  const MAX_ROWS = 4;
  placed.forEach((p) => {
    const at = X(p.x);
    const w = p.label.length * 6.3 + 8;
    p.right = at + w > W - 4;
    const [a, z] = p.right ? [at - w, at] : [at, at + w];
    let row = rowEnds.findIndex((end) => end < a);
    if (row < 0 && rowEnds.length < MAX_ROWS) row = rowEnds.length;
    if (row < 0) return;
    rowEnds[row] = z;
    p.row = row;
  });
  m.top += rowEnds.length * ROW;
  const H = (spec.height ?? 300) + rowEnds.length * ROW;
  const ph = H - m.top - m.bottom;
  const [i0, i1] = visibleRange(xs, xlo, xhi);
  const hours = spec.xUnit === 'hours';
  const xScale = (hours ? timeTicks : niceTicks)(xlo, xhi, Math.max(4, Math.round(pw / 90)));
  // Ticks inside the data range only: the x axis spans exactly the data.
  const xTicks = xScale.ticks.filter((t) => t >= xlo - 1e-9 && t <= xhi + 1e-9);

  let lo = Infinity;
  let hi = -Infinity;
  for (const s of spec.series)
    for (let i = i0; i <= i1; i++) {
      const v = s.values[i];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  const fromZero = spec.yFromZero || spec.series.some((s) => s.kind === 'bar');
  if (fromZero) lo = Math.min(0, lo);
  if (!Number.isFinite(lo)) [lo, hi] = [0, 1];
  const yScale = niceTicks(lo, hi, Math.max(3, Math.round(ph / 50)));
  const Y = (v: number) => m.top + ph - ((v - yScale.min) / (yScale.max - yScale.min || 1)) * ph;
  const yLabels = tickLabels(yScale.ticks, yScale.step, spec.yUnit);
  const xLabels = hours ? xTicks.map(clock) : tickLabels(xTicks, xScale.step, spec.xUnit);

  const parts: string[] = [];
  parts.push(`<title>${esc(spec.title)}</title>`);
  parts.push(`<text class="chart-title" x="${m.left}" y="20">${esc(spec.title)}</text>`);
  parts.push(
    `<defs><clipPath id="${esc(spec.id)}-clip"><rect${attrs({ x: m.left, y: m.top, width: pw, height: ph })}/></clipPath></defs>`,
  );

  // Legend: series, then bands and marker kinds that occur.
  const legend: string[] = [];
  let lx = m.left;
  const ly = 42;
  const addLegend = (swatch: string, name: string) => {
    const item = legendItem(lx, ly, swatch, name);
    legend.push(item.svg);
    lx += item.width;
  };
  for (const s of spec.series) {
    const swatch =
      s.kind === 'bar'
        ? `<rect x="0" y="-6" width="22" height="10" fill="${s.color}"/>`
        : `<line x1="0" y1="0" x2="22" y2="0" stroke="${s.color}" stroke-width="${s.width ?? 2}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`;
    addLegend(swatch, s.name);
  }
  if (spec.bands && spec.bands.length > 0)
    addLegend(
      `<rect x="0" y="-7" width="22" height="12" fill="${BAND_FILL}" fill-opacity="${BAND_OPACITY * 1.5}"/>`,
      spec.bandName ?? 'band',
    );
  for (const kind of ['shock', 'breaker', 'alert', 'governance'] as const)
    if (placed.some((p) => p.kind === kind)) {
      const st = MARKER_STYLE[kind];
      addLegend(
        `<line x1="11" y1="-8" x2="11" y2="7" stroke="${st.color}" stroke-width="1.5" stroke-dasharray="${st.dash}"/>`,
        st.name,
      );
    }
  parts.push(`<g class="legend">${legend.join('')}</g>`);

  // Bands behind everything.
  const bands = (spec.bands ?? [])
    .filter((b) => b.to >= xlo && b.from <= xhi)
    .map((b) => {
      const half = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 0;
      const a = X(Math.max(xlo, b.from - half));
      const z = X(Math.min(xhi, b.to + half));
      return `<rect class="band"${attrs({ x: px(a), y: m.top, width: px(Math.max(1, z - a)), height: ph, 'data-from': b.from, 'data-to': b.to })} fill="${BAND_FILL}" fill-opacity="${BAND_OPACITY}"><title>${esc(b.label)}</title></rect>`;
    });
  parts.push(`<g class="bands">${bands.join('')}</g>`);

  // Grid and axes.
  const grid: string[] = [];
  yScale.ticks.forEach((t, k) => {
    const y = px(Y(t));
    grid.push(`<line class="grid" x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}"/>`);
    grid.push(
      `<text class="tick" x="${m.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(yLabels[k])}</text>`,
    );
  });
  xTicks.forEach((t, k) => {
    const x = px(X(t));
    grid.push(`<line class="tick-mark" x1="${x}" x2="${x}" y1="${m.top + ph}" y2="${m.top + ph + 5}"/>`);
    grid.push(`<text class="tick" x="${x}" y="${m.top + ph + 18}" text-anchor="middle">${esc(xLabels[k])}</text>`);
  });
  parts.push(`<g class="axes">${grid.join('')}`);
  parts.push(`<line class="axis" x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}"/>`);
  parts.push(`<line class="axis" x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}"/>`);
  parts.push(
    `<text class="axis-label x-label" x="${px(m.left + pw / 2)}" y="${H - 8}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text class="axis-label y-label" transform="translate(16,${px(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text></g>`,
  );

  // Series.
  const dx = xs.length > 1 ? ((xs[1] - xs[0]) / (xhi - xlo || 1)) * pw : pw;
  const series = spec.series.map((s, k) => {
    const data = attrs({
      'data-series': s.name,
      'data-column': s.column,
      'data-values': (s.text ?? s.values.map(String)).join(' '),
    });
    if (s.kind === 'bar') {
      const w = Math.max(1, dx * 0.85);
      const rects: string[] = [];
      for (let i = i0; i <= i1; i++) {
        const v = s.values[i];
        if (!Number.isFinite(v) || v === 0) continue;
        const y = Y(Math.max(0, v));
        const h = Math.abs(Y(v) - Y(0));
        rects.push(
          `<rect class="bar"${attrs({ x: px(X(xs[i]) - w / 2), y: px(v >= 0 ? y : Y(0)), width: px(w), height: px(Math.max(0.5, h)), 'data-i': i, 'data-value': s.text ? s.text[i] : v })}/>`,
        );
      }
      return `<g class="series bar-series" fill="${s.color}"${data}>${rects.join('')}</g>`;
    }
    // Lines: one polyline per run of finite values.
    const runs: string[] = [];
    let pts: string[] = [];
    for (let i = i0; i <= i1; i++) {
      const v = s.values[i];
      if (Number.isFinite(v)) pts.push(`${px(X(xs[i]))},${px(Y(v))}`);
      else if (pts.length) {
        runs.push(pts.join(' '));
        pts = [];
      }
    }
    if (pts.length) runs.push(pts.join(' '));
    const stroke = attrs({
      stroke: s.color,
      'stroke-width': s.width ?? 2,
      'stroke-dasharray': s.dash,
    });
    return `<g class="series line-series" fill="none" data-order="${k}"${data}${stroke} stroke-linejoin="round">${runs.map((p) => `<polyline points="${p}"/>`).join('')}</g>`;
  });
  parts.push(`<g class="plot" clip-path="url(#${esc(spec.id)}-clip)">${series.join('')}</g>`);

  // Markers on top of the data, their labels in the strip above the plot.
  const stripTop = m.top - rowEnds.length * ROW;
  const markers = placed.map((p) => {
    const st = MARKER_STYLE[p.kind];
    const x = X(p.x);
    const ty = stripTop + 10 + Math.max(0, p.row) * ROW;
    const text =
      p.row < 0
        ? ''
        : `<text class="marker-label" x="${px(p.right ? x - 3 : x + 3)}" y="${ty}" text-anchor="${p.right ? 'end' : 'start'}">${esc(p.label)}</text>`;
    return `<g class="marker"${attrs({ 'data-kind': p.kind, 'data-x': p.x, 'data-label': p.label })}><title>${esc(`${st.name}: ${p.label}`)}</title><line x1="${px(x)}" x2="${px(x)}" y1="${p.row < 0 ? m.top : ty + 3}" y2="${m.top + ph}" stroke="${st.color}" stroke-width="1.5" stroke-dasharray="${st.dash}"/>${text}</g>`;
  });
  parts.push(`<g class="markers">${markers.join('')}</g>`);

  // The hover read-out (filled in by the page script).
  parts.push(
    `<line class="hair" x1="0" x2="0" y1="${m.top}" y2="${m.top + ph}" visibility="hidden"/><text class="readout" x="${W - m.right}" y="20" text-anchor="end"></text>`,
  );
  const root = attrs({
    class: 'chart time-chart',
    id: spec.id,
    'data-chart': spec.id,
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': spec.title,
    'data-plot': `${m.left} ${m.top} ${pw} ${ph}`,
    'data-x': `${xlo} ${xhi}`,
    'data-i': `${i0} ${i1}`,
    'data-xs': xs.map((v) => String(Number(v.toPrecision(8)))).join(' '),
    'data-x-unit': spec.xUnit,
    'data-y-unit': spec.yUnit,
  });
  return `<svg${root}>${parts.join('')}</svg>`;
}
