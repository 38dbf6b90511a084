// The statistics of `cascade compare` on hand-built results: cells matched by key, B - A from
// cells.csv, the two-sided exact McNemar p of insolvency on paired runs, the paired bootstrap's
// verdicts, and no pairing at all when the seeds differ.
import { describe, expect, it } from 'vitest';
import { compareResults, compareTable, type CompareSide } from '../../reports/compare.js';
import type { ResultCell } from '../../sim/sweep/results.js';
import { cellKey } from '../../sim/sweep/results.js';

/** One side of one cell (scenario 'crash', fee 0.01) with the given run values and cells.csv metrics. */
function side(
  dir: string,
  runs: { insolvent: number[]; debt: number[]; seeds?: number[] },
  metrics: Record<string, number>,
  fee = 0.01,
): CompareSide {
  const n = runs.insolvent.length;
  const params = { 'protocol.liquidationFeeRate': fee };
  const cell: ResultCell = {
    index: 0,
    scenario: 'crash',
    params,
    key: cellKey('crash', params),
    metrics: new Map(Object.entries(metrics)),
  };
  return {
    dir,
    name: 'small',
    cells: [cell],
    runs: {
      replicates: n,
      seeds: Float64Array.from(runs.seeds ?? runs.insolvent.map((_, r) => 100 + r)),
      ok: new Uint8Array(n).fill(1),
      columns: new Map([
        ['insolvent', Float64Array.from(runs.insolvent)],
        ['uncovered_bad_debt_usd', Float64Array.from(runs.debt)],
        ['liquidations', Float64Array.from(runs.insolvent.map(() => 3))],
      ]),
    },
  };
}

const zeros = (n: number) => Array.from({ length: n }, () => 0);

describe('compareResults', () => {
  it('gives the two-sided exact McNemar p of insolvency: 6 runs insolvent in B only of 10 is p = 2 / 2^6, 5 is p = 2 / 2^5 and not significant at 0.05', () => {
    const a = side('A', { insolvent: zeros(10), debt: zeros(10) }, { p_insolvent: 0 });
    const six = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0];
    const b = side('B', { insolvent: six, debt: six.map((x) => x * 1000) }, { p_insolvent: 0.6 });
    const m = compareResults(a, b).cells[0].metrics[0];
    expect(m).toMatchObject({ metric: 'p_insolvent', a: 0, b: 0.6, diff: 0.6, test: 'mcnemar', verdict: 'b_higher' });
    expect(m.p_value).toBe(0.03125);
    const five = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
    const b5 = side('B', { insolvent: five, debt: zeros(10) }, { p_insolvent: 0.5 });
    expect(compareResults(a, b5).cells[0].metrics[0]).toMatchObject({ p_value: 0.0625, verdict: 'no_difference' });
  });

  it('calls a bad-debt mean that is higher in B on every pair higher, and lower the other way round', () => {
    const debtA = [10, 20, 30, 40, 50, 60, 70, 80];
    const debtB = debtA.map((x) => x + 500);
    const a = side('A', { insolvent: zeros(8), debt: debtA }, { uncovered_bad_debt_mean_usd: 45 });
    const b = side('B', { insolvent: zeros(8), debt: debtB }, { uncovered_bad_debt_mean_usd: 545 });
    const up = compareResults(a, b).cells[0].metrics.find((x) => x.metric === 'uncovered_bad_debt_mean_usd')!;
    expect(up).toMatchObject({ diff: 500, test: 'paired-bootstrap', verdict: 'b_higher' });
    expect(up.p_value).toBeLessThan(0.01);
    const down = compareResults(b, a).cells[0].metrics.find((x) => x.metric === 'uncovered_bad_debt_mean_usd')!;
    expect(down).toMatchObject({ diff: -500, verdict: 'b_lower' });
  });

  it('pairs nothing when the seeds differ, and leaves out the statistics whose run column is missing', () => {
    const a = side('A', { insolvent: zeros(4), debt: zeros(4) }, { p_insolvent: 0 });
    const b = side('B', { insolvent: zeros(4), debt: zeros(4), seeds: [1, 2, 3, 4] }, { p_insolvent: 0 });
    const cell = compareResults(a, b).cells[0];
    expect(cell.pairs).toBe(0);
    expect(cell.note).toContain('different seeds');
    expect(cell.metrics.every((m) => m.verdict === 'not_paired' && m.p_value === null)).toBe(true);
    const lar = compareResults(a, a).cells[0].metrics.find((m) => m.metric === 'liquidated_notional_p95_usd')!;
    expect(lar).toMatchObject({ a: null, b: null, diff: null, verdict: 'not_paired' });
  });

  it('lists cells by side when their grid values differ, and the table says so', () => {
    const a = side('A', { insolvent: zeros(2), debt: zeros(2) }, {}, 0.01);
    const b = side('B', { insolvent: zeros(2), debt: zeros(2) }, {}, 0.02);
    const c = compareResults(a, b);
    expect(c.cells).toEqual([]);
    expect(c.onlyA).toEqual([{ scenario: 'crash', cell: { 'protocol.liquidationFeeRate': 0.01 } }]);
    expect(c.onlyB).toEqual([{ scenario: 'crash', cell: { 'protocol.liquidationFeeRate': 0.02 } }]);
    const text = compareTable(c);
    expect(text).toContain('no cell is in both A and B');
    expect(text).toContain('only in A: crash (protocol.liquidationFeeRate=0.01)');
    expect(text).toContain('only in B: crash (protocol.liquidationFeeRate=0.02)');
  });
});
