// The liquidation hunter (issue 8, README "Attacks"): the keep-liquidation rule, closed accounting, and
// directional results over 20 seeds on its scenario (liquidation-hunt). Measured (printed) before asserted.
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { runSimulation, type RunResult } from '../../sim/engine.js';
import { mean } from '../helpers/small-world.js';
import { LIQUIDATOR, seedBook, setPrice, T0, venueWorld } from '../helpers/venue-world.js';

const HUNT = loadScenario('liquidation-hunt');

function runHunt(sets: string[]): RunResult[] {
  const config = resolveConfig(HUNT.scenario.source, HUNT.params, sets);
  const out: RunResult[] = [];
  for (let seed = 100; seed < 120; seed++) out.push(runSimulation({ scenario: HUNT.scenario, config, seed }));
  return out;
}

function summary(label: string, runs: RunResult[]): { p: number; profit: number; traders: number; venue: number } {
  const profits = runs.map((r) => r.stats.attack_profit_usd);
  const p = profits.filter((x) => x > 0).length / runs.length;
  const profit = mean(profits);
  const traders = mean(runs.map((r) => r.stats.honest_trader_pnl_usd));
  const venue = mean(runs.map((r) => r.stats.protocol_loss_usd));
  console.log(
    `liquidation hunter ${label}: P(attack profitable) ${p}, mean attack_profit_usd ${profit.toFixed(0)}, mean honest_trader_pnl_usd ${traders.toFixed(0)}, mean protocol_loss_usd ${venue.toFixed(0)}`,
  );
  return { p, profit, traders, venue };
}

describe('a liquidation that keeps the position', () => {
  it('nets the taken-over position against the liquidator own at the oracle price and sells nothing into the book', () => {
    const w = venueWorld({ depthUsdPerPct: 1e6 });
    seedBook(w, [{ size: 10, entryUsd: 3000, collateralUsd: 2000 }]);
    w.venue.apply({ kind: 'trade', account: LIQUIDATOR, size: -20, depositUsd: 0 });
    setPrice(w, 2850);
    w.venue.refreshLiquidatable(1);
    expect(w.venue.flagged).toEqual([T0]);
    const mark = w.market.markPriceUsd;
    const close = w.venue.closeSizeFor(T0);
    const out = w.venue.apply({ kind: 'liquidate', liquidator: LIQUIDATOR, account: T0, worstPriceUsd: 0, keep: true });
    expect(out.ok).toBe(true);
    expect(w.market.markPriceUsd).toBe(mark);
    expect(w.accounts.size[LIQUIDATOR]).toBeCloseTo(-20 + close, 9);
  });
});

describe('the liquidation hunter on liquidation-hunt (20 seeds)', () => {
  const runs = runHunt([]);
  const base = summary('oracle = venue mark', runs);

  it('profits when the oracle reads the venue mark alone, at the expense of the liquidated traders and of the venue (the push takes some longs past bankruptcy)', () => {
    expect(base.p).toBeGreaterThanOrEqual(0.95);
    expect(base.profit).toBeGreaterThan(100_000);
    expect(base.traders).toBeLessThan(-base.profit);
    expect(base.venue).toBeGreaterThan(0);
  });

  it('keeps its accounting closed: profit = counterparties + venue losses within the conservation tolerance', () => {
    for (const r of runs.slice(0, 5)) {
      const a = r.attack!;
      expect(Math.abs(a.profitUsd - (a.counterpartyLossUsd + a.lpLossUsd + a.venueLossUsd))).toBeLessThan(1);
    }
  });

  it('stops paying when the oracle weighs the mark at 0.5 (the push moves the oracle half as far and misses the cluster)', () => {
    const s = summary('venueWeight 0.5', runHunt(['oracle.venueWeight=0.5']));
    expect(s.p).toBeLessThan(0.05);
    expect(s.traders).toBeGreaterThan(base.traders);
  });

  it('stops paying under a 4M USD liquidation throughput cap (fewer takeovers cover its short, the rest is bought back through the thinned book)', () => {
    const s = summary('liquidation cap 4M', runHunt(['breakers.maxLiquidationNotionalPerStepUsd=4000000']));
    expect(s.p).toBeLessThan(0.05);
  });
});
