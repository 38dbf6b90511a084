// The headline figures of a sweep, as risk teams read them, and the short labels the terminal table,
// the check table and the HTML report give their cells.csv columns: P(insolvent) with its Wilson
// interval, uncovered bad debt (what the insurance fund could not pay), VaR95 (95th percentile of
// uncovered bad debt, as Gauntlet defines it) and LaR95 (95th percentile of liquidated notional).
// The bad_debt_* columns are measured before the insurance fund pays; their labels say so. Names and
// labels only: no numbers, no files.

/** VaR95: the cells.csv column of the 95th-percentile uncovered (insolvent) bad debt, USD. */
export const VAR95_COLUMN = 'uncovered_bad_debt_p95_usd';
/** LaR95: the cells.csv column of the 95th-percentile liquidated notional, USD. */
export const LAR95_COLUMN = 'liquidated_notional_p95_usd';
/** Mean uncovered bad debt (after the insurance fund), USD. */
export const UNCOVERED_MEAN_COLUMN = 'uncovered_bad_debt_mean_usd';

/** The headline columns in the order they are shown, with their short labels. */
export const HEADLINE_COLUMNS: readonly { column: string; label: string; title: string }[] = [
  { column: 'p_insolvent', label: 'P(insolvent)', title: 'P(insolvent) (uncovered bad debt > 0)' },
  {
    column: UNCOVERED_MEAN_COLUMN,
    label: 'uncovered mean',
    title: 'Uncovered bad debt mean, after the insurance fund (USD)',
  },
  { column: VAR95_COLUMN, label: 'VaR95', title: 'VaR95: uncovered bad debt, 95th percentile (USD)' },
  { column: LAR95_COLUMN, label: 'LaR95', title: 'LaR95: liquidated notional, 95th percentile (USD)' },
];

/**
 * A short label for a cells.csv column where one helps the reader: VaR95 / LaR95 for the headline
 * columns, "before the insurance fund" for bad_debt_*; null for any other column.
 */
export function columnLabel(column: string): string | null {
  const headline = HEADLINE_COLUMNS.find((h) => h.column === column);
  if (headline && headline.label !== column) return headline.label;
  if (column === 'p_insolvent_hi') return 'P(insolvent), upper 95%';
  if (column === 'p_insolvent_lo') return 'P(insolvent), lower 95%';
  if (column.startsWith('bad_debt_')) return 'before the insurance fund';
  return null;
}

/** `column (label)`, or the column alone when it has no label. */
export function labelledColumn(column: string): string {
  const label = columnLabel(column);
  return label === null ? column : `${column} (${label})`;
}

/**
 * The key printed under the terminal table of a sweep whose runs report `statKeys`: which cells.csv
 * column each headline label is, in the words of the runs' family (a lending pool's loss is measured
 * against its reserves, a perp venue's against its insurance fund).
 */
export function headlineKey(statKeys: readonly string[]): readonly string[] {
  if (statKeys.includes('protocols_insolvent')) return CONTAGION_HEADLINE_KEY;
  if (statKeys.includes('peg_max_deviation')) return CDP_HEADLINE_KEY;
  return statKeys.includes('reserves_end_usd') ? LENDING_HEADLINE_KEY : HEADLINE_KEY;
}

/** A contagion world's (sim/contagion/statistics.ts): the headline columns are every protocol's, summed. */
const CONTAGION_HEADLINE_KEY = [
  'P(insolvent): share of runs in which any protocol of the world (perp venue, lending pool) is insolvent by its own measure, 95% Wilson interval; uncovered mean = uncovered_bad_debt_mean_usd, summed over the protocols',
  `VaR95 = ${VAR95_COLUMN}, LaR95 = ${LAR95_COLUMN} (95th percentiles of the protocols' sums); per-protocol figures are the perp_* and lending_* columns of runs.csv`,
];

const CDP_HEADLINE_KEY = [
  "P(insolvent): share of runs whose bad debt went beyond the Vow's surplus (debt auctions minted governance tokens, or system debt is left uncovered), 95% Wilson interval; uncovered mean = uncovered_bad_debt_mean_usd",
  "pre-fund mean = bad_debt_mean_usd: debt the settled auctions did not recover (due less raised), before the Vow's surplus absorbs it",
];

const LENDING_HEADLINE_KEY = [
  "P(insolvent): share of runs with bad debt (written off or latent) beyond the pool's reserves, 95% Wilson interval; uncovered mean = uncovered_bad_debt_mean_usd (the suppliers' loss)",
  `VaR95 = ${VAR95_COLUMN}, LaR95 = ${LAR95_COLUMN} (95th percentiles); pre-fund mean = bad_debt_mean_usd, debt written off (Aave deficit, Compound shortfall) before the reserves`,
];

/** The key printed under the terminal table: which cells.csv column each headline label is. */
export const HEADLINE_KEY = [
  'P(insolvent): share of runs with bad debt the insurance fund could not cover, 95% Wilson interval; uncovered mean = uncovered_bad_debt_mean_usd (after the fund)',
  `VaR95 = ${VAR95_COLUMN}, LaR95 = ${LAR95_COLUMN} (95th percentiles); pre-fund mean = bad_debt_mean_usd, bad debt before the insurance fund pays`,
];
