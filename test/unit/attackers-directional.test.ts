// Directional tests of the oracle manipulator on the mango scenario (issue 8, README "Attacks"), 20
// seeds each: the attack pays and the venue loses with no defence; each defence stops it, for the
// reason given in the test name. Figures were measured (printed below) before they were asserted.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../sim/engine.js';
import { attackSummary, runAttackScenario } from '../helpers/attack-helpers.js';

const SEEDS = 20;
const runMango = (sets: string[]): RunResult[] => runAttackScenario('mango', sets, SEEDS);

const summary = (label: string, runs: RunResult[]) => attackSummary('mango', label, runs);

describe('the oracle manipulator on mango (20 seeds)', () => {
  const base = summary('no defence', runMango([]));

  it('profits in every seed and the venue loses money when the oracle reads the thin pool alone and unrealized profit is withdrawable', () => {
    expect(base.p).toBe(1);
    expect(base.profit).toBeGreaterThan(20_000_000);
    expect(base.loss).toBeGreaterThan(base.profit);
  });

  it('stops paying when the oracle reads the median of the index, the mark and the pool (the manipulated source is outvoted) and the venue loses nothing', () => {
    const s = summary('median oracle', runMango(['oracle.aggregation=median']));
    expect(s.p).toBeLessThan(0.05);
    expect(s.profit).toBeLessThan(0);
    expect(s.loss).toBe(0);
  });

  it('stops paying without withdrawal of unrealized profit (the pumped gain stays on the venue, marked back down when the pool returns)', () => {
    const s = summary('no unrealized withdrawal', runMango(['protocol.withdrawUnrealizedProfit=false']));
    expect(s.p).toBeLessThan(0.05);
    expect(s.profit).toBeLessThan(0);
  });

  it('earns less with a longer pool TWAP (the oracle sees the 30-step pump diluted by the window) and stops at 240 steps', () => {
    const profits = [60, 120, 240].map(
      (n) => summary(`TWAP ${n}`, runMango(['oracle.smoothing=twap', `oracle.smoothingSteps=${n}`])).profit,
    );
    expect(profits[0]).toBeLessThan(base.profit);
    expect(profits[1]).toBeLessThan(profits[0]);
    expect(profits[2]).toBeLessThan(profits[1]);
    expect(profits[2]).toBeLessThan(0);
  });

  it('earns less under a tighter open-interest cap (the self-matched position counts in open interest and the gain scales with its size) and stops at 10M USD per side', () => {
    const caps = [20_000_000, 10_000_000].map((c) =>
      summary(`OI cap ${c}`, runMango([`breakers.openInterest.maxPerSideUsd=${c}`])),
    );
    expect(caps[0].profit).toBeLessThan(base.profit);
    expect(caps[1].profit).toBeLessThan(caps[0].profit);
    expect(caps[1].p).toBeLessThan(0.05);
  });

  it('is not stopped by a price band that halts trading only (a withdrawal is not a trade) but is when the band halts withdrawals too', () => {
    const band = summary('band', runMango(['breakers.priceBand.enabled=true']));
    const halt = summary(
      'band halting withdrawals',
      runMango(['breakers.priceBand.enabled=true', 'breakers.priceBand.haltWithdrawals=true']),
    );
    expect(band.p).toBe(1);
    expect(halt.p).toBeLessThan(0.05);
  });
});
