// The built-in sweeps that show the oracle and circuit-breaker defences plan what their files say:
// the scenarios, the grid, and the sweep-wide settings in every cell.
import { describe, expect, it } from 'vitest';
import { cellMetricNames } from '../reports/sweep-output.js';
import { loadSweep } from '../scenarios/sweep-load.js';
import { RUN_STAT_KEYS } from '../sim/metrics.js';
import { buildPlan } from '../sim/sweep-plan.js';

const METRICS = cellMetricNames(RUN_STAT_KEYS);
const plan = (name: string) => buildPlan(loadSweep(name, METRICS), '1', RUN_STAT_KEYS);

describe('the built-in sweep oracle-tradeoff', () => {
  it('plans flash-crash and oracle-stall x TWAP window {1, 5, 15, 30} x deviation threshold {0.001, 0.005, 0.02}', () => {
    const p = plan('oracle-tradeoff');
    expect(p.meta.scenarios.map((s) => s.label)).toEqual(['flash-crash', 'oracle-stall']);
    expect(p.meta.grid).toEqual([
      { path: 'oracle.smoothingSteps', values: [1, 5, 15, 30] },
      { path: 'oracle.deviationThreshold', values: [0.001, 0.005, 0.02] },
    ]);
    expect(p.cells).toHaveLength(24);
  });

  it('smooths with a TWAP in every cell, over the window of the cell', () => {
    const p = plan('oracle-tradeoff');
    expect(p.cells.every((c) => c.config.oracle.smoothing === 'twap')).toBe(true);
    expect(p.cells.slice(0, 12).map((c) => c.config.oracle.smoothingSteps)).toEqual([
      1, 1, 1, 5, 5, 5, 15, 15, 15, 30, 30, 30,
    ]);
  });
});

describe('the built-in sweep breakers', () => {
  it('plans flash-crash and v-crash x price band x open-interest cap x liquidation cap, each on and off', () => {
    const p = plan('breakers');
    expect(p.meta.scenarios.map((s) => s.label)).toEqual(['flash-crash', 'v-crash']);
    expect(p.meta.grid.map((a) => [a.path, a.values])).toEqual([
      ['breakers.priceBand.enabled', [false, true]],
      ['breakers.openInterest.maxPerSideUsd', [0, 10_000_000]],
      ['breakers.maxLiquidationNotionalPerStepUsd', [0, 400_000]],
    ]);
    expect(p.cells).toHaveLength(16);
  });

  it('halts liquidations as well as trading in every cell where the price band is on', () => {
    const p = plan('breakers');
    const banded = p.cells.filter((c) => c.config.breakers.priceBand.enabled);
    expect(banded).toHaveLength(8);
    expect(banded.every((c) => c.config.breakers.priceBand.haltLiquidations)).toBe(true);
  });
});
