// `cascade compare A B`: two results directories side by side, for a person (not a gate). For each
// scenario x cell present in both, the headline statistics of A and of B from cells.csv, B - A, and
// a two-sided paired test on the runs the two share (same replicate, same seed, both ok): exact
// McNemar on insolvency, paired bootstrap on the others. Cells only in one side are listed as such.
// Pure: takes read results, returns data and text; never reads a file, never decides an exit code.
import type { GridValue } from '../scenarios/sweep-load.js';
import type { ResultCell, ResultRuns } from '../sim/sweep/results.js';
import { describeCell, num, round12 } from './check-eval.js';
import { binomialHalfUpperTail, mcnemarExact, pairedBootstrap, type BootStatistic } from './paired-tests.js';

/** The runs.csv columns the comparison's paired tests read (pass them to readResults). */
export const COMPARE_RUN_COLUMNS = ['insolvent', 'uncovered_bad_debt_usd', 'liquidated_notional_usd', 'liquidations'];

/** A headline statistic: its cells.csv column, how a person reads it, and the run statistic the paired test resamples. */
interface Headline {
  metric: string;
  label: string;
  unit: 'probability' | 'usd' | 'count';
  run: string;
  stat: BootStatistic | null;
}

/** The headline statistics compared, in table order. */
const HEADLINES: readonly Headline[] = [
  { metric: 'p_insolvent', label: 'P(insolvent) [95% CI]', unit: 'probability', run: 'insolvent', stat: null },
  {
    metric: 'uncovered_bad_debt_mean_usd',
    label: 'uncovered bad debt mean',
    unit: 'usd',
    run: 'uncovered_bad_debt_usd',
    stat: { kind: 'mean' },
  },
  {
    metric: 'uncovered_bad_debt_p95_usd',
    label: 'VaR95 (uncovered bad debt p95)',
    unit: 'usd',
    run: 'uncovered_bad_debt_usd',
    stat: { kind: 'quantile', p: 0.95 },
  },
  {
    metric: 'liquidated_notional_p95_usd',
    label: 'LaR95 (liquidated notional p95)',
    unit: 'usd',
    run: 'liquidated_notional_usd',
    stat: { kind: 'quantile', p: 0.95 },
  },
  {
    metric: 'liquidations_mean',
    label: 'liquidations mean',
    unit: 'count',
    run: 'liquidations',
    stat: { kind: 'mean' },
  },
];

/**
 * What the paired test says of B against A: `b_higher` / `b_lower` (p < alpha, two-sided),
 * `no_difference` (p >= alpha), `identical` (every pair of runs has the same value on both sides),
 * `not_paired` (no runs to pair: different seeds, no common ok replicate, or the runs.csv column is missing).
 */
export type CompareVerdict = 'b_higher' | 'b_lower' | 'no_difference' | 'identical' | 'not_paired';

/** One headline statistic of one cell, on both sides. */
export interface MetricComparison {
  /** The cells.csv column (`p_insolvent`, `uncovered_bad_debt_mean_usd`, ...). */
  metric: string;
  /** How the table names it. */
  label: string;
  /** The value in A's cells.csv (all of A's replicates); null when A has no value. */
  a: number | null;
  /** The value in B's cells.csv; null when B has no value. */
  b: number | null;
  /** b - a; null when either is missing. */
  diff: number | null;
  /** For P(insolvent): the 95% Wilson interval of each side, [lo, hi]; null otherwise. */
  aInterval: [number, number] | null;
  bInterval: [number, number] | null;
  /** Two-sided p-value of "B differs from A" on the paired runs; null when not paired. */
  p_value: number | null;
  /** The test that gave the p-value. */
  test: 'mcnemar' | 'paired-bootstrap' | null;
  verdict: CompareVerdict;
}

/** One scenario x cell present in both directories. */
export interface CellComparison {
  scenario: string;
  cell: Record<string, GridValue>;
  /** Runs paired by replicate (same seed, ok on both sides). */
  pairs: number;
  /** Why there are fewer pairs than common replicates, or '' (seeds differ, runs failed). */
  note: string;
  metrics: MetricComparison[];
}

/** One side of a comparison: a results directory as sim/sweep/results.ts reads it. */
export interface CompareSide {
  /** How the output names the directory. */
  dir: string;
  /** The sweep's name. */
  name: string;
  cells: readonly ResultCell[];
  runs: ResultRuns;
}

export interface Comparison {
  a: { dir: string; name: string; replicates: number; cells: number };
  b: { dir: string; name: string; replicates: number; cells: number };
  /** Significance level of the verdicts. */
  alpha: number;
  /** Cells in both, in A's order. */
  cells: CellComparison[];
  /** Cells only in A, only in B (scenario and grid values). */
  onlyA: { scenario: string; cell: Record<string, GridValue> }[];
  onlyB: { scenario: string; cell: Record<string, GridValue> }[];
}

export interface CompareOptions {
  /** Significance level of the two-sided tests. Default 0.05. */
  alpha?: number;
  /** Paired bootstrap resamples. Default 1000. */
  resamples?: number;
}

/** Two-sided exact McNemar p-value: twice the smaller binomial tail of the discordant pairs, at most 1. */
function mcnemarTwoSided(worse: number, better: number): number {
  const n = worse + better;
  if (n === 0) return 1;
  return Math.min(1, 2 * binomialHalfUpperTail(Math.max(worse, better), n));
}

/** Two-sided bootstrap p-value of "the difference is not 0": twice the smaller share at or beyond 0. */
function bootstrapTwoSided(sorted: Float64Array): number {
  let atMost = 0;
  let atLeast = 0;
  for (const d of sorted) {
    if (d <= 0) atMost++;
    if (d >= 0) atLeast++;
  }
  return Math.min(1, (2 * (1 + Math.min(atMost, atLeast))) / (sorted.length + 1));
}

function finite(x: number | undefined): number | null {
  return x !== undefined && Number.isFinite(x) ? round12(x) : null;
}

function verdictOf(p: number, diff: number, alpha: number): CompareVerdict {
  if (p >= alpha) return 'no_difference';
  return diff > 0 ? 'b_higher' : 'b_lower';
}

/** Compares A and B cell by cell (matched by scenario label and grid values) and run by run (paired by replicate). */
export function compareResults(a: CompareSide, b: CompareSide, opts: CompareOptions = {}): Comparison {
  const alpha = opts.alpha ?? 0.05;
  const resamples = opts.resamples ?? 1000;
  const ra = a.runs.replicates;
  const rb = b.runs.replicates;
  const common = Math.min(ra, rb);
  const byKey = new Map(b.cells.map((c) => [c.key, c]));
  const cells: CellComparison[] = [];
  for (const ca of a.cells) {
    const cb = byKey.get(ca.key);
    if (!cb) continue;
    const pairs: [number, number][] = [];
    let seedMismatch = false;
    let failed = 0;
    for (let r = 0; r < common; r++) {
      const i = ca.index * ra + r;
      const j = cb.index * rb + r;
      if (a.runs.seeds[i] !== b.runs.seeds[j]) seedMismatch = true;
      else if (a.runs.ok[i] && b.runs.ok[j]) pairs.push([i, j]);
      else failed++;
    }
    // Runs with different seeds do not share their random numbers: no pair of the cell is valid.
    if (seedMismatch) pairs.length = 0;
    const notes: string[] = [];
    if (seedMismatch) notes.push('not paired: the runs have different seeds (different base seed or scenario name)');
    else if (failed) notes.push(`${failed} replicate(s) excluded: a run failed on one side`);
    if (ra !== rb) notes.push(`${ra} replicates in A, ${rb} in B: paired on the ${common} common ones`);

    // The resampled differences of each run column, one bootstrap per column (its statistics share the resamples).
    const boot = new Map<string, Float64Array[]>();
    const sideValues = (col: string): [number[], number[]] | null => {
      const va = a.runs.columns.get(col);
      const vb = b.runs.columns.get(col);
      if (!va || !vb || pairs.length === 0) return null;
      return [pairs.map(([i]) => va[i]), pairs.map(([, j]) => vb[j])];
    };
    const metrics = HEADLINES.map((h): MetricComparison => {
      const av = finite(ca.metrics.get(h.metric));
      const bv = finite(cb.metrics.get(h.metric));
      const interval = (c: ResultCell): [number, number] | null => {
        if (h.metric !== 'p_insolvent') return null;
        const lo = finite(c.metrics.get('p_insolvent_lo'));
        const hi = finite(c.metrics.get('p_insolvent_hi'));
        return lo === null || hi === null ? null : [lo, hi];
      };
      const base = {
        metric: h.metric,
        label: h.label,
        a: av,
        b: bv,
        diff: av === null || bv === null ? null : round12(bv - av),
        aInterval: interval(ca),
        bInterval: interval(cb),
      };
      const values = sideValues(h.run);
      if (!values) return { ...base, p_value: null, test: null, verdict: 'not_paired' };
      const [xa, xb] = values;
      const same = xa.every((x, k) => x === xb[k] || (Number.isNaN(x) && Number.isNaN(xb[k])));
      if (h.stat === null) {
        const t = mcnemarExact(xb, xa);
        const p = mcnemarTwoSided(t.worse, t.better);
        return {
          ...base,
          p_value: round12(p),
          test: 'mcnemar',
          verdict: same ? 'identical' : verdictOf(p, t.worse - t.better, alpha),
        };
      }
      let diffs = boot.get(h.run);
      if (!diffs) {
        const stats = HEADLINES.filter((o) => o.run === h.run && o.stat).map((o) => o.stat!);
        diffs = pairedBootstrap(xb, xa, stats, { resamples, seed: `cascade-compare|${ca.key}|${h.run}` });
        boot.set(h.run, diffs);
      }
      const k = HEADLINES.filter((o) => o.run === h.run && o.stat).indexOf(h);
      const p = bootstrapTwoSided(diffs[k]);
      const median = diffs[k][Math.floor(diffs[k].length / 2)];
      return {
        ...base,
        p_value: round12(p),
        test: 'paired-bootstrap',
        verdict: same ? 'identical' : verdictOf(p, median, alpha),
      };
    });
    cells.push({ scenario: ca.scenario, cell: ca.params, pairs: pairs.length, note: notes.join('; '), metrics });
  }
  const keysA = new Set(a.cells.map((c) => c.key));
  const side = (s: CompareSide) => ({ dir: s.dir, name: s.name, replicates: s.runs.replicates, cells: s.cells.length });
  return {
    a: side(a),
    b: side(b),
    alpha,
    cells,
    onlyA: a.cells.filter((c) => !byKey.has(c.key)).map((c) => ({ scenario: c.scenario, cell: c.params })),
    onlyB: b.cells.filter((c) => !keysA.has(c.key)).map((c) => ({ scenario: c.scenario, cell: c.params })),
  };
}

const UNIT_OF = new Map(HEADLINES.map((h) => [h.metric, h.unit]));

function usd(x: number): string {
  const a = Math.abs(x);
  const sign = x < 0 ? '-' : '';
  if (a >= 1e9) return `${sign}$${(a / 1e9).toFixed(2)}B`;
  if (a >= 1e6) return `${sign}$${(a / 1e6).toFixed(2)}M`;
  if (a >= 1e3) return `${sign}$${(a / 1e3).toFixed(1)}k`;
  return `${sign}$${a.toFixed(0)}`;
}

function valueText(m: MetricComparison, x: number | null, interval: [number, number] | null): string {
  if (x === null) return '-';
  const unit = UNIT_OF.get(m.metric);
  if (unit === 'probability')
    return interval ? `${x.toFixed(2)} [${interval[0].toFixed(2)}, ${interval[1].toFixed(2)}]` : x.toFixed(2);
  if (unit === 'usd') return usd(x);
  return x.toFixed(1);
}

function diffText(m: MetricComparison): string {
  if (m.diff === null) return '-';
  const unit = UNIT_OF.get(m.metric);
  const text = unit === 'probability' ? m.diff.toFixed(2) : unit === 'usd' ? usd(m.diff) : m.diff.toFixed(1);
  return m.diff > 0 ? `+${text}` : text;
}

const VERDICT_TEXT: Record<CompareVerdict, string> = {
  b_higher: 'B higher',
  b_lower: 'B lower',
  no_difference: 'no significant difference',
  identical: 'equal in every pair',
  not_paired: 'not paired',
};

/** The comparison as aligned text: a block per common cell, then the cells only one side has. */
export function compareTable(c: Comparison): string {
  const head = ['', 'A', 'B', 'B - A', 'p', 'verdict'];
  const rows = c.cells.flatMap((cell) =>
    cell.metrics.map((m) => [
      `  ${m.label}`,
      valueText(m, m.a, m.aInterval),
      valueText(m, m.b, m.bInterval),
      diffText(m),
      m.p_value === null ? '-' : num(m.p_value),
      VERDICT_TEXT[m.verdict],
    ]),
  );
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k].length)));
  const fmt = (r: string[]): string =>
    r
      .map((s, k) => (k === 0 || k === r.length - 1 ? s.padEnd(widths[k]) : s.padStart(widths[k])))
      .join('  ')
      .trimEnd();
  const out = [
    `A: ${c.a.dir} (sweep ${c.a.name}, ${c.a.cells} cells x ${c.a.replicates} replicates)`,
    `B: ${c.b.dir} (sweep ${c.b.name}, ${c.b.cells} cells x ${c.b.replicates} replicates)`,
    `p: two-sided paired test on the runs both share (exact McNemar for P(insolvent), paired bootstrap otherwise); verdicts at alpha ${num(c.alpha)}`,
    '',
  ];
  if (c.cells.length === 0) out.push('no cell is in both A and B: nothing to compare side by side', '');
  else out.push(fmt(head));
  let r = 0;
  for (const cell of c.cells) {
    out.push(
      `${describeCell(cell.scenario, cell.cell)}: ${cell.pairs} paired runs${cell.note ? ` (${cell.note})` : ''}`,
    );
    for (let k = 0; k < cell.metrics.length; k++) out.push(fmt(rows[r++]));
  }
  if (c.cells.length > 0) out.push('');
  for (const [label, list] of [
    ['only in A', c.onlyA],
    ['only in B', c.onlyB],
  ] as const)
    for (const cell of list) out.push(`${label}: ${describeCell(cell.scenario, cell.cell)}`);
  return out.join('\n').trimEnd() + '\n';
}

/** The comparison as JSON (format cascade-compare/1). */
export function compareJson(c: Comparison): string {
  return JSON.stringify({ format: 'cascade-compare/1', ...c }, null, 2) + '\n';
}
