// The cells table a sweep prints on the terminal: one line per scenario x parameter cell with the
// headline statistics (reports/headline.ts: P(insolvent), uncovered bad debt, VaR95, LaR95, all
// after the insurance fund pays), then context, compact and aligned, and a key naming the cells.csv
// column behind each label. Reads cell rows; the full set of columns is in cells.csv.
import type { PlanMeta } from '../sim/sweep/sweep-plan.js';
import { cellMetrics } from './cell-stats.js';
import { headlineKey, LAR95_COLUMN, UNCOVERED_MEAN_COLUMN, VAR95_COLUMN } from './headline.js';
import type { CellRow } from './sweep-output.js';

const usd = (x: number): string => {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a >= 1e9) return `$${(x / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `$${(x / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `$${(x / 1e3).toFixed(1)}k`;
  return `$${x.toFixed(0)}`;
};
const fixed = (digits: number) => (x: number) => (Number.isFinite(x) ? x.toFixed(digits) : '-');
const pct = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(0)}%` : '-');

/**
 * The columns after P(insolvent): cells.csv metric, header and format. The headline first (after
 * the insurance fund), then the pre-fund bad debt and the fund's drawdown that explain it, then the
 * cascade.
 */
const HEADLINE: [metric: string, header: string, format: (x: number) => string][] = [
  ['runs', 'runs', fixed(0)],
  ['errors', 'err', fixed(0)],
  [UNCOVERED_MEAN_COLUMN, 'uncovered mean', usd],
  [VAR95_COLUMN, 'VaR95', usd],
  [LAR95_COLUMN, 'LaR95', usd],
  ['bad_debt_mean_usd', 'pre-fund mean', usd],
  ['insurance_drawdown_p95_pct', 'fund dd p95', pct],
  ['liquidations_mean', 'liqs', fixed(0)],
  ['induced_liquidations_mean', 'induced', fixed(1)],
  ['amplification_p50', 'ampl p50', fixed(2)],
  ['cascade_waves_p50', 'waves p50', fixed(1)],
];

function paramHeaders(meta: PlanMeta): string[] {
  const last = meta.grid.map((a) => a.path.split('.').pop() ?? a.path);
  return meta.grid.map((a, i) => (last.filter((l) => l === last[i]).length > 1 ? a.path : last[i]));
}

/** Aligned text: a title line, a header and one line per cell. */
export function cellsTable(meta: PlanMeta, rows: readonly CellRow[]): string {
  const names = cellMetrics(meta.stat_keys).map((m) => m.name);
  const metric = (row: CellRow, name: string): number => {
    const k = names.indexOf(name);
    return k < 0 ? NaN : row.metrics[k];
  };
  const headline = HEADLINE.filter(([m]) => names.includes(m));
  const [counts, rest] = [headline.slice(0, 2), headline.slice(2)];
  const header = ['scenario', ...paramHeaders(meta), ...counts.map(([, h]) => h)];
  if (names.includes('p_insolvent')) header.push('P(insolvent) [95% CI]');
  header.push(...rest.map(([, h]) => h));
  const lines = rows.map((row) => {
    const cells = [row.scenario, ...row.values.map(String), ...counts.map(([m, , f]) => f(metric(row, m)))];
    if (names.includes('p_insolvent')) {
      const p = metric(row, 'p_insolvent');
      cells.push(
        Number.isFinite(p)
          ? `${p.toFixed(2)} [${metric(row, 'p_insolvent_lo').toFixed(2)}, ${metric(row, 'p_insolvent_hi').toFixed(2)}]`
          : '-',
      );
    }
    cells.push(...rest.map(([m, , f]) => f(metric(row, m))));
    return cells;
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  // Scenario and parameters read left to right; the numbers line up on the right.
  const leftCols = 1 + meta.grid.length;
  const fmt = (cells: string[]): string =>
    cells
      .map((s, c) => (c < leftCols ? s.padEnd(widths[c]) : s.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const runs = meta.cells * meta.replicates;
  const title = `sweep ${meta.name}: ${meta.scenarios.length} scenario(s) x ${meta.cells / meta.scenarios.length} cell(s) x ${meta.replicates} replicates = ${runs} runs`;
  return (
    [title, '', fmt(header), ...lines.map(fmt), '', ...headlineKey(meta.stat_keys).map((k) => `  ${k}`)].join('\n') +
    '\n'
  );
}
