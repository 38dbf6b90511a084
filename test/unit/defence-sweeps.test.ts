// The built-in sweeps that show the oracle and circuit-breaker defences plan what their files say:
// the scenarios, the grid, and the sweep-wide settings in every cell.
import { describe, expect, it } from 'vitest';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';
import { buildPlan } from '../../sim/sweep/sweep-plan.js';

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

describe('the built-in sweep oracle-defences', () => {
  it('plans labelled entries of flash-crash, v-crash and oracle-stall, each with its scenario baseline first', () => {
    const p = plan('oracle-defences');
    const labels = p.meta.scenarios.map((s) => s.label);
    expect(labels).toHaveLength(17);
    expect(p.cells).toHaveLength(17);
    for (const name of ['flash-crash', 'v-crash', 'oracle-stall']) {
      const entries = p.meta.scenarios.filter((s) => s.name === name).map((s) => s.label);
      expect(entries[0]).toBe(name);
      expect(entries.slice(1).every((l) => l.startsWith(`${name}.`))).toBe(true);
    }
  });

  it('switches on only the named defence in an entry: confidence-aware margin over a noisy median', () => {
    const p = plan('oracle-defences');
    const at = (label: string) => p.cells[p.meta.scenarios.findIndex((s) => s.label === label)].config;
    const base = at('flash-crash.median-noisy');
    const conf = at('flash-crash.median-noisy-conf-2');
    expect(base.oracle.confidenceK).toBe(0);
    expect(conf.oracle).toEqual({ ...base.oracle, confidenceK: 2 });
    expect(conf.breakers).toEqual(base.breakers);
  });
});

describe('the built-in sweep margin-models', () => {
  it('plans flash-crash and vol-regime-crash, each flat first, then tiers, sqrt, volatility and volatility with the GARCH forecast', () => {
    const p = plan('margin-models');
    const kinds = ['tiers', 'sqrt', 'volatility', 'volatility-garch'];
    expect(p.meta.scenarios.map((s) => s.label)).toEqual(
      ['flash-crash', 'vol-regime-crash'].flatMap((n) => [n, ...kinds.map((k) => `${n}.${k}`)]),
    );
    expect(p.cells).toHaveLength(10);
    expect(p.cells.map((c) => c.config.protocol.marginModel.kind)).toEqual(
      Array(2).fill(['flat', 'tiers', 'sqrt', 'volatility', 'volatility']).flat(),
    );
    expect(p.cells.map((c) => c.config.protocol.marginModel.volatility.forecast)).toEqual(
      Array(2).fill(['none', 'none', 'none', 'none', 'garch']).flat(),
    );
  });
});

describe('the built-in sweep thin-market', () => {
  it("plans thin-market-crash x ALT's initial margin {10%, 20%, 33%, 50%} x ALT's open-interest cap {none, 8M, 4M, 2M}, with ALT's statistics and isolated margin in every cell", () => {
    const p = plan('thin-market');
    expect(p.meta.grid.map((a) => [a.path, a.values])).toEqual([
      ['markets.ALT.protocol.initialMarginRate', [0.1, 0.2, 0.33, 0.5]],
      ['markets.ALT.breakers.openInterest.maxPerSideUsd', [0, 8_000_000, 4_000_000, 2_000_000]],
    ]);
    expect(p.cells).toHaveLength(16);
    for (const c of p.cells) {
      expect(c.config.metrics.market).toBe('ALT');
      expect(c.config.multiMarket.crossMarginShare).toBe(0);
      expect(c.config.markets.ALT.breakers).toMatchObject({ openInterest: { capInitialBook: true } });
    }
  });
});

describe('the built-in sweep loss-resolution', () => {
  it('plans flash-crash and oracle-stall, each socialized loss first, then ADL by ranking, the backstop vault, and the vault with ADL', () => {
    const p = plan('loss-resolution');
    const entries = ['adl-bitmex', 'adl-hyperliquid', 'adl-random', 'backstop', 'backstop-adl'];
    expect(p.meta.scenarios.map((s) => s.label)).toEqual(
      ['flash-crash', 'oracle-stall'].flatMap((n) => [n, ...entries.map((e) => `${n}.${e}`)]),
    );
    expect(p.cells.map((c) => c.config.protocol.lossResolution)).toEqual(
      Array(2).fill(['socialize', 'adl', 'adl', 'adl', 'socialize', 'adl']).flat(),
    );
    expect(p.cells.map((c) => c.config.protocol.adl.ranking)).toEqual(
      Array(2).fill(['bitmex', 'bitmex', 'hyperliquid', 'random', 'bitmex', 'bitmex']).flat(),
    );
    expect(p.cells.map((c) => c.config.protocol.backstop.enabled)).toEqual(
      Array(2).fill([false, false, false, false, true, true]).flat(),
    );
  });
});
