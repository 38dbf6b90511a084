// The cells table a sweep prints: the headline after the insurance fund (P(insolvent) with its
// Wilson interval, uncovered mean, VaR95, LaR95) comes before the pre-fund bad debt, USD in k/M/B,
// a cell with no ok run prints dashes, and the key names the cells.csv column behind each label.
import { describe, expect, it } from 'vitest';
import { cellMetrics } from '../../reports/cell-stats.js';
import { cellsTable } from '../../reports/cells-table.js';
import type { CellRow } from '../../reports/sweep-output.js';
import { RUN_STAT_KEYS } from '../../sim/engine.js';
import type { PlanMeta } from '../../sim/sweep/sweep-plan.js';

const META: PlanMeta = {
  sweep_hash: '0',
  name: 'fund',
  cascade_version: 'test',
  scenarios: [{ label: 'flash-crash', name: 'flash-crash' }],
  grid: [{ path: 'protocol.insuranceFundUsd', values: [0, 15_000_000] }],
  replicates: 20,
  seed: 1,
  cells: 2,
  total_runs: 40,
  stat_keys: [...RUN_STAT_KEYS],
};
const NAMES = cellMetrics(META.stat_keys).map((m) => m.name);

function row(cellIndex: number, fund: number, values: Record<string, number>): CellRow {
  return { cellIndex, scenario: 'flash-crash', values: [fund], metrics: NAMES.map((n) => values[n] ?? NaN) };
}

describe('the cells table', () => {
  const table = cellsTable(META, [
    row(0, 0, {
      runs: 20,
      errors: 0,
      p_insolvent: 0.35,
      p_insolvent_lo: 0.18,
      p_insolvent_hi: 0.57,
      uncovered_bad_debt_mean_usd: 1_234_567,
      uncovered_bad_debt_p95_usd: 4_500_000,
      liquidated_notional_p95_usd: 2_300_000_000,
      bad_debt_mean_usd: 1_234_567,
      liquidations_mean: 41.6,
    }),
    row(1, 15_000_000, { runs: 20, errors: 0, p_insolvent: 0, p_insolvent_lo: 0, p_insolvent_hi: 0.16 }),
  ]);
  const lines = table.split('\n');

  it('titles the sweep with its size', () => {
    expect(lines[0]).toBe('sweep fund: 1 scenario(s) x 2 cell(s) x 20 replicates = 40 runs');
  });

  it('puts the headline after the fund before the pre-fund bad debt', () => {
    const header = lines[2];
    const at = (h: string) => header.indexOf(h);
    expect(at('insuranceFundUsd')).toBeGreaterThan(0);
    expect(at('P(insolvent) [95% CI]')).toBeLessThan(at('uncovered mean'));
    expect(at('uncovered mean')).toBeLessThan(at('VaR95'));
    expect(at('VaR95')).toBeLessThan(at('LaR95'));
    expect(at('LaR95')).toBeLessThan(at('pre-fund mean'));
  });

  it('formats the figures: the interval, USD in k/M/B, counts, and dashes where a cell has no value', () => {
    const cells = (line: string) => line.trim().split(/\s{2,}/);
    const first = cells(lines[3]);
    expect(first.slice(0, 6)).toEqual(['flash-crash', '0', '20', '0', '0.35 [0.18, 0.57]', '$1.23M']);
    expect(first[6]).toBe('$4.50M');
    expect(first[7]).toBe('$2.30B');
    expect(first[8]).toBe('$1.23M');
    const second = cells(lines[4]);
    expect(second.slice(0, 6)).toEqual(['flash-crash', '15000000', '20', '0', '0.00 [0.00, 0.16]', '-']);
  });

  it('ends with the key naming the cells.csv columns behind the labels', () => {
    expect(table).toContain('VaR95 = uncovered_bad_debt_p95_usd, LaR95 = liquidated_notional_p95_usd');
    expect(table).toContain('pre-fund mean = bad_debt_mean_usd');
  });
});
