// The statistics of one scenario x parameter cell, computed from its runs' statistics: the metric
// columns of cells.csv in order, each with how it is computed. Reads numbers in run order; never a
// run's world or timeline, never a file.
import { expectedShortfall, mean, quantile, sortedCopy, wilsonInterval } from './stats.js';

/** What a cell statistic sees: run counts and the ok runs' values of each run statistic, in replicate order. */
export interface CellSample {
  runs: number;
  errors: number;
  /** Values of a run statistic over the ok runs. */
  values(stat: string): readonly number[];
  /** The same values sorted ascending (computed once per statistic). */
  sorted(stat: string): readonly number[];
}

/** One metric column of cells.csv. */
export interface CellMetric {
  name: string;
  /** The run statistic it summarizes (the column is left out when a sweep's runs do not report it). */
  stat: string | null;
  /** Unit and meaning, for docs/reference/outputs.md (`cascade reference`). */
  doc: string;
  compute(sample: CellSample): number;
}

type Measure = 'mean' | 'p50' | 'p95' | 'p99' | 'es99';

const MEASURE_DOC: Record<Measure, string> = {
  mean: 'mean',
  p50: 'median',
  p95: '95th percentile',
  p99: '99th percentile',
  es99: 'expected shortfall at 99% (mean of the worst 1% of runs)',
};

/**
 * Summaries of run statistics: column `<stem>_<measure>[_<unit>]` for each measure. `headline` adds
 * to a measure's description the label the sweep table and report give that column (reports/headline.ts).
 */
const SUMMARIES: {
  stat: string;
  stem: string;
  unit: string;
  what: string;
  measures: Measure[];
  headline?: Partial<Record<Measure, string>>;
}[] = [
  {
    stat: 'bad_debt_usd',
    stem: 'bad_debt',
    unit: 'usd',
    what: 'bad debt before the insurance fund pays (what the fund is drawn on; see uncovered_bad_debt_* for what it could not cover), USD',
    measures: ['mean', 'p50', 'p95', 'p99', 'es99'],
  },
  {
    stat: 'uncovered_bad_debt_usd',
    stem: 'uncovered_bad_debt',
    unit: 'usd',
    what: 'uncovered bad debt: bad debt left after the insurance fund paid (a run with any is insolvent), USD',
    measures: ['mean', 'p95', 'p99', 'es99'],
    headline: {
      mean: 'the headline "uncovered mean" of the sweep table and report',
      p95: 'VaR95, the headline value at risk of the sweep table, report and check',
    },
  },
  {
    stat: 'insurance_drawdown_pct',
    stem: 'insurance_drawdown',
    unit: 'pct',
    what: 'insurance fund drawdown, % of its peak',
    measures: ['mean', 'p50', 'p95', 'p99'],
  },
  {
    stat: 'liquidations',
    stem: 'liquidations',
    unit: '',
    what: 'liquidations per run',
    measures: ['mean', 'p50', 'p95', 'p99'],
  },
  {
    stat: 'liquidated_notional_usd',
    stem: 'liquidated_notional',
    unit: 'usd',
    what: 'liquidated notional per run, USD',
    measures: ['mean', 'p95'],
    headline: { p95: 'LaR95, the headline liquidations at risk of the sweep table, report and check' },
  },
  {
    stat: 'induced_liquidations',
    stem: 'induced_liquidations',
    unit: '',
    what: 'induced liquidations per run (liquidatable at the venue/oracle price, not at the index)',
    measures: ['mean', 'p50', 'p95', 'p99'],
  },
  {
    stat: 'amplification',
    stem: 'amplification',
    unit: '',
    what: 'price amplification (venue or oracle drawdown over index drawdown), ratio',
    measures: ['mean', 'p50', 'p95', 'p99'],
  },
  {
    stat: 'cascade_waves',
    stem: 'cascade_waves',
    unit: '',
    what: 'cascade waves per run',
    measures: ['mean', 'p50', 'p95', 'p99'],
  },
  {
    stat: 'longest_wave_steps',
    stem: 'longest_wave',
    unit: 'steps',
    what: 'longest cascade wave, steps',
    measures: ['p50', 'p95', 'p99'],
  },
  {
    stat: 'max_oracle_deviation_pct',
    stem: 'max_oracle_deviation',
    unit: 'pct',
    what: 'largest oracle deviation from the index, %',
    measures: ['p50', 'p95'],
  },
  {
    stat: 'socialized_loss_usd',
    stem: 'socialized_loss',
    unit: 'usd',
    what: 'socialized loss, USD',
    measures: ['mean', 'p99'],
  },
  {
    stat: 'honest_trader_pnl_usd',
    stem: 'honest_trader_pnl',
    unit: 'usd',
    what: 'honest traders\u2019 PnL, USD',
    measures: ['mean'],
  },
  {
    stat: 'protocol_fees_usd',
    stem: 'protocol_fees',
    unit: 'usd',
    what: 'protocol fee revenue, USD',
    measures: ['mean'],
  },
  {
    stat: 'breaker_trips',
    stem: 'breaker_trips',
    unit: '',
    what: 'circuit-breaker trips per run',
    measures: ['mean'],
  },
  {
    stat: 'halted_steps',
    stem: 'halted',
    unit: 'steps',
    what: 'steps with trading halted (breaker, guardian or stale oracle)',
    measures: ['mean', 'p95'],
  },
  {
    stat: 'oracle_stale_steps',
    stem: 'oracle_stale',
    unit: 'steps',
    what: 'steps with a stale oracle price',
    measures: ['mean'],
  },
  {
    stat: 'withdrawals_refused_usd',
    stem: 'withdrawals_refused',
    unit: 'usd',
    what: 'withdrawals refused by the rate limit, USD',
    measures: ['mean'],
  },
  {
    stat: 'alert_lead_steps',
    stem: 'alert_lead',
    unit: 'steps',
    what: 'steps from the first monitoring alert to the first uncovered bad debt (0 when either is absent)',
    measures: ['p50'],
  },
  {
    stat: 'attack_profit_usd',
    stem: 'attack_profit',
    unit: 'usd',
    what: 'attacker profit, USD',
    measures: ['mean', 'p50', 'p95'],
  },
];

function measure(m: Measure, stat: string): (s: CellSample) => number {
  switch (m) {
    case 'mean':
      return (s) => mean(s.values(stat));
    case 'p50':
      return (s) => quantile(s.sorted(stat) as number[], 0.5);
    case 'p95':
      return (s) => quantile(s.sorted(stat) as number[], 0.95);
    case 'p99':
      return (s) => quantile(s.sorted(stat) as number[], 0.99);
    case 'es99':
      return (s) => expectedShortfall(s.sorted(stat), 0.99);
  }
}

function proportion(stat: string, hit: (x: number) => boolean, part: 'p' | 'lo' | 'hi'): (s: CellSample) => number {
  return (s) => {
    const v = s.values(stat);
    let k = 0;
    for (const x of v) if (hit(x)) k++;
    return wilsonInterval(k, v.length)[part];
  };
}

/** Share of the runs meeting `given` (on statistic `over`) in which statistic `stat` is positive; 0 when none meet it. */
function conditionalShare(stat: string, over: string, given: (x: number) => boolean): (s: CellSample) => number {
  return (s) => {
    const hits = s.values(stat);
    const cond = s.values(over);
    let n = 0;
    let k = 0;
    for (let r = 0; r < cond.length; r++) {
      if (!given(cond[r])) continue;
      n++;
      if (hits[r] > 0) k++;
    }
    return n > 0 ? k / n : 0;
  };
}

const ALL_METRICS: CellMetric[] = [
  { name: 'runs', stat: null, doc: 'runs in the cell (count)', compute: (s) => s.runs },
  {
    name: 'errors',
    stat: null,
    doc: 'runs that ended with status=error (count); statistics below use the other runs',
    compute: (s) => s.errors,
  },
  {
    name: 'p_insolvent',
    stat: 'insolvent',
    doc: 'share of runs that ended insolvent (uncovered bad debt > 0: the insurance fund could not cover it), fraction; a headline of the sweep table and report, with its 95% Wilson interval',
    compute: proportion('insolvent', (x) => x > 0, 'p'),
  },
  {
    name: 'p_insolvent_lo',
    stat: 'insolvent',
    doc: 'lower end of the 95% Wilson interval of p_insolvent, fraction',
    compute: proportion('insolvent', (x) => x > 0, 'lo'),
  },
  {
    name: 'p_insolvent_hi',
    stat: 'insolvent',
    doc: 'upper end of the 95% Wilson interval of p_insolvent, fraction',
    compute: proportion('insolvent', (x) => x > 0, 'hi'),
  },
  ...SUMMARIES.flatMap((s) =>
    s.measures.map((m) => ({
      name: `${s.stem}_${m}${s.unit ? `_${s.unit}` : ''}`,
      stat: s.stat,
      doc: `${MEASURE_DOC[m]} of ${s.what}${s.headline?.[m] ? `; ${s.headline[m]}` : ''}`,
      compute: measure(m, s.stat),
    })),
  ),
  {
    name: 'detection_rate',
    stat: 'detected',
    doc: 'share of the insolvent runs in which a monitoring alert came at or before the first uncovered bad debt, fraction (0 when no run was insolvent)',
    compute: conditionalShare('detected', 'insolvent', (x) => x > 0),
  },
  {
    name: 'false_alarm_rate',
    stat: 'false_alarm',
    doc: 'share of the runs without any bad debt (before the insurance fund) in which a monitoring alert fired, fraction (0 when every run had bad debt)',
    compute: conditionalShare('false_alarm', 'bad_debt_usd', (x) => x === 0),
  },
  {
    name: 'p_attack_profitable',
    stat: 'attack_profit_usd',
    doc: 'share of runs in which the attacker made a profit, fraction',
    compute: proportion('attack_profit_usd', (x) => x > 0, 'p'),
  },
];

/** The metric columns of cells.csv for runs that report `statKeys`, in column order. */
export function cellMetrics(statKeys: readonly string[]): CellMetric[] {
  return ALL_METRICS.filter((m) => m.stat === null || statKeys.includes(m.stat));
}

/**
 * Computes a cell's metrics from its runs' statistics. `columns[k]` holds statistic `statKeys[k]`
 * for the cell's ok runs, in replicate order.
 */
export function computeCell(
  metrics: readonly CellMetric[],
  statKeys: readonly string[],
  runs: number,
  errors: number,
  columns: readonly (readonly number[])[],
): number[] {
  const sortedCache = new Map<string, number[]>();
  const values = (stat: string): readonly number[] => {
    const k = statKeys.indexOf(stat);
    if (k < 0) throw new Error(`cell statistic needs run statistic '${stat}', which the runs do not report`);
    return columns[k];
  };
  const sample: CellSample = {
    runs,
    errors,
    values,
    sorted(stat) {
      let s = sortedCache.get(stat);
      if (!s) sortedCache.set(stat, (s = sortedCopy(values(stat))));
      return s;
    },
  };
  return metrics.map((m) => m.compute(sample));
}
