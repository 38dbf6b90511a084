// Regression checks of `cascade check` on hand-built results: runs paired by replicate, the exact
// McNemar test on insolvency and the paired bootstrap on bad debt with their tolerances, and cells,
// columns, replicates and runs that one side lacks reported rather than ignored.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGRESSION_OPTIONS,
  evaluateErrors,
  evaluateRegressions,
  type Check,
  type RegressionOptions,
  type RegressionSide,
} from '../../reports/check-eval.js';
import { cellKey, type ResultCell } from '../../sim/sweep/results.js';
import type { GridValue } from '../../scenarios/sweep-load.js';
import { UserError } from '../../sim/core/errors.js';

interface CellData {
  scenario: string;
  params: Record<string, GridValue>;
  insolvent: number[];
  badDebt: number[];
  ok?: number[];
  seeds?: number[];
}

/** A results side with the given cells (every cell the same number of replicates). */
function side(cells: CellData[], opts: { columns?: string[] } = {}): RegressionSide {
  const replicates = cells[0].insolvent.length;
  const total = cells.length * replicates;
  const seeds = new Float64Array(total);
  const ok = new Uint8Array(total);
  const insolvent = new Float64Array(total);
  const badDebt = new Float64Array(total);
  const resultCells: ResultCell[] = cells.map((c, index) => {
    for (let r = 0; r < replicates; r++) {
      const i = index * replicates + r;
      seeds[i] = c.seeds?.[r] ?? 1000 + r;
      ok[i] = c.ok?.[r] ?? 1;
      insolvent[i] = c.insolvent[r];
      badDebt[i] = c.badDebt[r];
    }
    return { index, scenario: c.scenario, params: c.params, key: cellKey(c.scenario, c.params), metrics: new Map() };
  });
  const all = new Map([
    ['insolvent', insolvent],
    ['bad_debt_usd', badDebt],
  ]);
  const columns = new Map([...all].filter(([k]) => (opts.columns ?? [...all.keys()]).includes(k)));
  return { cells: resultCells, runs: { replicates, seeds, ok, columns }, dir: 'base' };
}

const n = 20;
const zeros = (): number[] => Array.from({ length: n }, () => 0);
/** Insolvent in the first k replicates. */
const firstK = (k: number): number[] => Array.from({ length: n }, (_, r) => (r < k ? 1 : 0));
/** Bad debt: 1000 USD times (r + 1) in the first k replicates, 0 elsewhere. */
const debt = (k: number, scale = 1000): number[] => Array.from({ length: n }, (_, r) => (r < k ? scale * (r + 1) : 0));
const mmr = (v: number): Record<string, GridValue> => ({ 'protocol.maintenanceMarginRate': v });

function run(cur: RegressionSide, base: RegressionSide, opts: Partial<RegressionOptions> = {}): Check[] {
  return evaluateRegressions(cur, base, { ...DEFAULT_REGRESSION_OPTIONS, ...opts });
}

const byMetric = (checks: Check[], metric: string): Check[] => checks.filter((c) => c.metric === metric);

describe('identical runs', () => {
  it('pass every regression check with p = 1 and no change', () => {
    const data = [{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(4), badDebt: debt(6) }];
    const checks = run(side(data), side(data));
    expect(checks.map((c) => `${c.metric} ${c.verdict}`)).toEqual([
      'p_insolvent pass',
      'bad_debt_mean_usd pass',
      'bad_debt_p95_usd pass',
      'bad_debt_p99_usd pass',
    ]);
    for (const c of checks) {
      expect(c.value).toBe(c.baseline);
      expect(c.kind).toBe('regression');
    }
    expect(checks[0].p_value).toBe(1);
  });
});

describe('the insolvency check', () => {
  it('fails when 6 more runs are insolvent now (exact p = 1/64 < 0.05) and names the cell', () => {
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(2), badDebt: zeros() }]);
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(8), badDebt: zeros() }]);
    const [c] = byMetric(run(cur, base), 'p_insolvent');
    expect(c).toMatchObject({
      scenario: 'crash',
      cell: { 'protocol.maintenanceMarginRate': 0.02 },
      value: 0.4,
      baseline: 0.1,
      p_value: 1 / 64,
      verdict: 'fail',
    });
    expect(c.message).toMatch(/6 newly insolvent, 0 newly solvent/);
  });

  it('passes 4 more insolvent runs (p = 1/16) at alpha 0.05 but fails them at alpha 0.1', () => {
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(2), badDebt: zeros() }]);
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(6), badDebt: zeros() }]);
    expect(byMetric(run(cur, base), 'p_insolvent')[0]).toMatchObject({ p_value: 0.0625, verdict: 'pass' });
    expect(byMetric(run(cur, base, { alpha: 0.1 }), 'p_insolvent')[0].verdict).toBe('fail');
  });

  it('passes a significant rise within --tolerance-p', () => {
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(2), badDebt: zeros() }]);
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(8), badDebt: zeros() }]);
    expect(byMetric(run(cur, base, { toleranceP: 0.35 }), 'p_insolvent')[0].verdict).toBe('pass');
    expect(byMetric(run(cur, base, { toleranceP: 0.25 }), 'p_insolvent')[0].verdict).toBe('fail');
  });

  it('passes an improvement', () => {
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(10), badDebt: zeros() }]);
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(1), badDebt: zeros() }]);
    expect(byMetric(run(cur, base), 'p_insolvent')[0]).toMatchObject({ p_value: 1, verdict: 'pass' });
  });
});

describe('the bad-debt checks', () => {
  const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: debt(10) }]);

  it('fail when every run has twice the bad debt', () => {
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: debt(10, 2000) }]);
    const checks = run(cur, base);
    for (const m of ['bad_debt_mean_usd', 'bad_debt_p95_usd', 'bad_debt_p99_usd'])
      expect(byMetric(checks, m)[0].verdict).toBe('fail');
    expect(byMetric(checks, 'bad_debt_mean_usd')[0]).toMatchObject({ value: 5500, baseline: 2750 });
  });

  it('pass a 3% rise under the default 5% relative tolerance, and fail it with no tolerance', () => {
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: debt(10, 1030) }]);
    expect(run(cur, base).every((c) => c.verdict === 'pass')).toBe(true);
    const strict = run(cur, base, { toleranceRel: 0 });
    expect(byMetric(strict, 'bad_debt_mean_usd')[0].verdict).toBe('fail');
  });

  it('pass a rise within --tolerance-usd', () => {
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: debt(10, 1200) }]);
    expect(byMetric(run(cur, base), 'bad_debt_mean_usd')[0].verdict).toBe('fail');
    expect(byMetric(run(cur, base, { toleranceUsd: 5000 }), 'bad_debt_mean_usd')[0].verdict).toBe('pass');
  });

  it('give the same p-values on every evaluation (seeded bootstrap)', () => {
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: debt(12, 1010) }]);
    expect(run(cur, base)).toEqual(run(cur, base));
  });
});

describe('pairing', () => {
  it('matches cells by scenario and grid values, not by position', () => {
    const a = { scenario: 'crash', params: mmr(0.02), insolvent: firstK(2), badDebt: zeros() };
    const b = { scenario: 'crash', params: mmr(0.04), insolvent: firstK(9), badDebt: zeros() };
    const checks = run(side([a, b]), side([b, a]));
    expect(checks.filter((c) => c.verdict !== 'pass')).toEqual([]);
  });

  it('compares on the common replicates when the replicate counts differ, and says so', () => {
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(2), badDebt: zeros() }]);
    const cur20 = { scenario: 'crash', params: mmr(0.02), insolvent: firstK(2), badDebt: zeros() };
    const cur = side([
      { ...cur20, insolvent: [...cur20.insolvent, 1, 1, 1, 1, 1], badDebt: [...zeros(), 0, 0, 0, 0, 0] },
    ]);
    const checks = run(cur, base);
    expect(byMetric(checks, 'p_insolvent')[0]).toMatchObject({ value: 0.1, verdict: 'pass' });
    expect(byMetric(checks, 'replicates')[0]).toMatchObject({ kind: 'missing', verdict: 'info', scenario: '' });
    expect(byMetric(checks, 'replicates')[0].message).toMatch(/25 replicates per cell now, 20 in the baseline/);
  });

  it('leaves out pairs with a failed run on either side, and says how many', () => {
    const ok = Array.from({ length: n }, (_, r) => (r < 3 ? 0 : 1));
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(3), badDebt: zeros() }]);
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: firstK(3), badDebt: zeros(), ok }]);
    const [c] = byMetric(run(cur, base), 'p_insolvent');
    expect(c).toMatchObject({ value: 0, baseline: 0, verdict: 'pass' });
    expect(c.message).toMatch(/17 paired runs \(3 excluded/);
  });

  it('refuses runs whose seeds differ (another base seed): no paired test is valid', () => {
    const base = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: zeros() }]);
    const seeds = Array.from({ length: n }, (_, r) => 5000 + r);
    const cur = side([{ scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: zeros(), seeds }]);
    expect(() => run(cur, base)).toThrow(UserError);
    expect(() => run(cur, base)).toThrow(/not paired.*seed 5000 now and 1000 in the baseline/);
  });
});

describe('what one side lacks', () => {
  const a = { scenario: 'crash', params: mmr(0.02), insolvent: zeros(), badDebt: zeros() };
  const b = { scenario: 'crash', params: mmr(0.04), insolvent: zeros(), badDebt: zeros() };
  const c = { scenario: 'crash', params: mmr(0.03), insolvent: zeros(), badDebt: zeros() };

  it('a baseline cell missing now fails, a new cell is info', () => {
    const checks = run(side([a, c]), side([a, b]));
    const missing = checks.filter((x) => x.kind === 'missing');
    expect(missing.map((x) => `${x.cell['protocol.maintenanceMarginRate']} ${x.metric} ${x.verdict}`)).toEqual([
      '0.04 cell fail',
      '0.03 cell info',
    ]);
    expect(missing[0].message).toMatch(/in the baseline but not in the current results/);
  });

  it('with --allow-missing a baseline cell missing now is info', () => {
    const checks = run(side([a, c]), side([a, b]), { allowMissing: true });
    expect(checks.filter((x) => x.verdict === 'fail')).toEqual([]);
    expect(checks.filter((x) => x.kind === 'missing').map((x) => x.verdict)).toEqual(['info', 'info']);
  });

  it('a run column missing now fails; missing in the baseline it is info; its checks are left out', () => {
    const noDebt = run(side([a], { columns: ['insolvent'] }), side([a]));
    expect(byMetric(noDebt, 'bad_debt_usd')[0]).toMatchObject({ kind: 'missing', verdict: 'fail', scenario: '' });
    expect(byMetric(noDebt, 'bad_debt_mean_usd')).toEqual([]);
    const oldBase = run(side([a]), side([a], { columns: ['bad_debt_usd'] }));
    expect(byMetric(oldBase, 'insolvent')[0]).toMatchObject({ kind: 'missing', verdict: 'info' });
    expect(byMetric(oldBase, 'p_insolvent')).toEqual([]);
  });

  it('failed runs of the current results fail their cell', () => {
    const ok = Array.from({ length: n }, (_, r) => (r === 0 ? 0 : 1));
    const cur = side([a, { ...b, ok }]);
    const checks = evaluateErrors(cur.cells, cur.runs);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ kind: 'missing', metric: 'errors', value: 1, verdict: 'fail' });
  });
});
