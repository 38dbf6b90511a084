// How the sweep report shows cells.csv columns: which metrics get heatmaps by default (the headline
// after the insurance fund, reports/headline.ts) and the title of any other, the display unit of a
// column, grid values in their parameter's unit (the config's naming convention), a heatmap's colour
// domain and the P(insolvent) cell with its interval. Pure functions of text; no files, no SVG.
import { columnLabel, HEADLINE_COLUMNS } from '../headline.js';
import type { Cell } from './page.js';
import { unitOf } from './report-run.js';
import { formatValue, niceTicks, type Unit } from './ticks.js';

export interface HeatmapMetric {
  metric: string;
  title: string;
  unit: Unit;
  attack?: boolean;
}

/** The default heatmaps: the headline (after the insurance fund), then the attack maps. */
export const HEATMAP_METRICS: HeatmapMetric[] = [
  ...HEADLINE_COLUMNS.map((h) => ({ metric: h.column, title: h.title, unit: cellUnit(h.column) })),
  // Only for sweeps with attackers (some cell with a non-zero mean attack profit): README "Attacks".
  { metric: 'p_attack_profitable', title: 'P(attack profitable)', unit: 'fraction', attack: true },
  { metric: 'attack_profit_mean_usd', title: 'Mean attack profit (USD)', unit: 'usd', attack: true },
];

/** A heatmap of any cells.csv column: its name, with its headline label or "before the insurance fund". */
export function heatmapMetric(metric: string): HeatmapMetric {
  const known = HEATMAP_METRICS.find((h) => h.metric === metric);
  if (known) return { ...known, attack: false };
  const label = columnLabel(metric);
  return { metric, title: label === null ? metric : `${metric} (${label})`, unit: cellUnit(metric) };
}

/**
 * A grid value as an axis shows it, in the parameter's unit read from its name (the config's
 * naming convention: `...Usd`, `...Rate` / `...Share` / `...Fraction`, `...Pct`, `...Steps`): $15M,
 * 0.5%, 30 steps; any other number in a compact form (15M, 0.25); text as it is.
 */
export function gridValueText(path: string, text: string): string {
  const x = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(x)) return text;
  const name = path.split('.').pop() ?? path;
  if (/Usd$/.test(name)) return formatValue(x, 'usd');
  if (/(Rate|Share|Fraction)$/.test(name)) return `${trimNumber(x * 100)}%`;
  if (/Pct$/.test(name)) return `${trimNumber(x)}%`;
  if (/Steps$/.test(name)) return `${compactNumber(x)} steps`;
  return compactNumber(x);
}

/** Up to 4 significant digits, without binary noise (0.005 * 100 -> "0.5"). */
function trimNumber(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** 15000000 -> "15M", 2500 -> "2.5k", 0.25 -> "0.25". */
function compactNumber(x: number): string {
  const a = Math.abs(x);
  for (const [s, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const)
    if (a >= s) return `${trimNumber(x / s)}${suffix}`;
  return trimNumber(x);
}

/** Display unit of a cells.csv column. */
export function cellUnit(name: string): Unit {
  if (name === 'runs' || name === 'errors' || /^(liquidations|induced_liquidations|cascade_waves)_/.test(name))
    return 'count';
  return unitOf(name);
}

export function numberCell(textValue: string, unit: Unit): Cell {
  const v = textValue === '' ? NaN : Number(textValue);
  return { text: formatValue(v, unit === 'steps' ? 'count' : unit), sort: textValue, title: textValue };
}

/** Distinct values of a column in first-appearance order. */
export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * A heatmap's colour domain over one scenario's values: from 0 (or below, for a losing attack's
 * negative profit) to a round number at or above the largest value; [0, 1] when all are 0 or absent.
 */
export function colourDomain(texts: readonly string[], unit: Unit): [number, number] {
  const vals = texts.filter((t) => t !== '').map(Number);
  const top = vals.length ? Math.max(...vals) : 0;
  const d1 = top > 0 ? niceTicks(0, unit === 'fraction' ? Math.min(1, top) : top, 4).max : 1;
  const bottom = vals.length ? Math.min(...vals) : 0;
  const d0 = bottom < 0 ? niceTicks(bottom, Math.max(top, 0), 4).min : 0;
  return [d0, d1];
}

/** `p [lo, hi]` of P(insolvent), sorting on p. */
export function insolvencyCell(p: string, lo: string, hi: string): Cell {
  if (p === '') return { text: '\u2013', sort: '' };
  const f = (t: string) => formatValue(Number(t), 'fraction');
  return { text: `${f(p)} [${f(lo)}, ${f(hi)}]`, sort: p, title: `${p} [${lo}, ${hi}]` };
}
