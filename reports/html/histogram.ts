// Histograms as small inline SVG charts: bins at round-number edges (shared by the charts that
// should compare), one bar per bin with its count in `data-count` and hover title, an optional
// marker line (a quantile), axis labels with units. Knows nothing of files.
import { attrs, esc, px } from './svg.js';
import { formatValue, niceTicks, tickLabels, type Unit } from './ticks.js';

/** Round-number bin edges covering [lo, hi] with about `count` bins. */
export function binEdges(lo: number, hi: number, count = 12): number[] {
  const s = niceTicks(lo, hi, count);
  return s.ticks;
}

/**
 * Counts of `values` per bin [e_k, e_k+1); the last bin also holds its upper edge. Values outside
 * the edges or not finite are not counted.
 */
export function binCounts(values: readonly number[], edges: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  const last = edges.length - 1;
  for (const v of values) {
    if (!Number.isFinite(v) || v < edges[0] || v > edges[last]) continue;
    let k = 0;
    while (k < last - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return counts;
}

export interface HistogramSpec {
  id: string;
  /** Title lines (one per grid parameter, say). */
  title: string | string[];
  subtitle?: string;
  edges: readonly number[];
  counts: readonly number[];
  xLabel: string;
  xUnit: Unit;
  yLabel: string;
  /** Shared y maximum (counts), so histograms side by side compare. */
  yMax: number;
  color: string;
  /** A dashed vertical line (a quantile); its label is the hover title, so name it in the subtitle too. */
  marker?: { x: number; label: string };
  /** Extra data attributes on the root (scenario, cell). */
  data?: Record<string, string>;
  width?: number;
  height?: number;
}

export function histogramSvg(spec: HistogramSpec): string {
  const lines = typeof spec.title === 'string' ? [spec.title] : spec.title;
  const W = spec.width ?? 340;
  const head = 6 + lines.length * 15 + (spec.subtitle ? 15 : 0);
  const H = (spec.height ?? 170) + head;
  const m = { left: 46, right: 14, top: head + 8, bottom: 42 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const e = spec.edges;
  const X = (v: number) => m.left + ((v - e[0]) / (e[e.length - 1] - e[0] || 1)) * pw;
  const yScale = niceTicks(0, Math.max(1, spec.yMax), 3);
  const yTicks = yScale.ticks.filter((t) => Number.isInteger(t));
  const Y = (v: number) => m.top + ph - (v / yScale.max) * ph;
  const parts: string[] = [`<title>${esc(lines.join(', '))}</title>`];
  lines.forEach((l, k) => parts.push(`<text class="chart-title small" x="4" y="${16 + k * 15}">${esc(l)}</text>`));
  if (spec.subtitle)
    parts.push(`<text class="subtitle" x="4" y="${16 + lines.length * 15}">${esc(spec.subtitle)}</text>`);
  const yLabels = tickLabels(yTicks, Math.max(1, yScale.step), 'count');
  yTicks.forEach((t, k) => {
    const y = px(Y(t));
    parts.push(`<line class="grid" x1="${m.left}" x2="${m.left + pw}" y1="${y}" y2="${y}"/>`);
    parts.push(
      `<text class="tick" x="${m.left - 4}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(yLabels[k])}</text>`,
    );
  });
  const bars = spec.counts.map((c, k) => {
    const x0 = X(e[k]);
    const x1 = X(e[k + 1]);
    const hover = `${formatValue(e[k], spec.xUnit)} to ${formatValue(e[k + 1], spec.xUnit)}: ${c} run${c === 1 ? '' : 's'}`;
    return `<rect class="hist-bar"${attrs({ x: px(x0 + 0.5), y: px(Y(c)), width: px(Math.max(0.5, x1 - x0 - 1)), height: px(Y(0) - Y(c)), 'data-lo': e[k], 'data-hi': e[k + 1], 'data-count': c })}><title>${esc(hover)}</title></rect>`;
  });
  parts.push(`<g class="bars" fill="${spec.color}">${bars.join('')}</g>`);
  // x ticks: at most five labels along the edges.
  const every = Math.ceil((e.length - 1) / 4);
  const xt = e.filter((_, k) => k % every === 0);
  const step = (e[1] - e[0]) * every;
  const xLabels = tickLabels(xt, step, spec.xUnit);
  xt.forEach((t, k) => {
    const x = px(X(t));
    parts.push(`<line class="tick-mark" x1="${x}" x2="${x}" y1="${m.top + ph}" y2="${m.top + ph + 4}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${m.top + ph + 15}" text-anchor="middle">${esc(xLabels[k])}</text>`);
  });
  parts.push(`<line class="axis" x1="${m.left}" x2="${m.left + pw}" y1="${m.top + ph}" y2="${m.top + ph}"/>`);
  parts.push(`<line class="axis" x1="${m.left}" x2="${m.left}" y1="${m.top}" y2="${m.top + ph}"/>`);
  if (spec.marker && Number.isFinite(spec.marker.x)) {
    const x = px(Math.min(m.left + pw, Math.max(m.left, X(spec.marker.x))));
    parts.push(
      `<g class="marker" data-x="${spec.marker.x}"><title>${esc(spec.marker.label)}</title><line x1="${x}" x2="${x}" y1="${m.top - 4}" y2="${m.top + ph}" stroke="#000" stroke-width="1.5" stroke-dasharray="4 3"/></g>`,
    );
  }
  parts.push(
    `<text class="axis-label x-label" x="${px(m.left + pw / 2)}" y="${H - 6}" text-anchor="middle">${esc(spec.xLabel)}</text>`,
  );
  parts.push(
    `<text class="axis-label y-label" transform="translate(11,${px(m.top + ph / 2)}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`,
  );
  const root = attrs({
    class: 'chart histogram',
    id: spec.id,
    'data-chart': spec.id,
    'data-edges': e.join(' '),
    'data-counts': spec.counts.join(' '),
    ...Object.fromEntries(Object.entries(spec.data ?? {}).map(([k, v]) => [`data-${k}`, v])),
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': lines.join(', '),
  });
  return `<svg${root}>${parts.join('')}</svg>`;
}
