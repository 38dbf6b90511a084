// Acceptance: the flash crash produces a liquidation cascade under default parameters (liquidations,
// induced liquidations, price amplification) and a calm day leaves no bad debt, in a small world; the
// full-size default run through the CLI is in test/cli/cascade.test.ts.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../../sim/engine.js';
import type { RunStats } from '../../sim/perp/statistics.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';

const SEEDS = 20;

describe('the flash crash in a small world', () => {
  let results: RunResult[] = [];
  let stats: RunStats[] = [];
  beforeAll(() => {
    results = runSeeds(smallScenario('flash-crash', [], 500, 900), SEEDS, 100);
    stats = results.map((r) => r.stats as RunStats);
  });
  const majority = (pred: (s: RunStats) => boolean) => stats.filter(pred).length > SEEDS / 2;

  it('liquidates accounts in most seeds and on average', () => {
    console.log(`flash-crash: mean liquidations ${mean(stats.map((s) => s.liquidations)).toFixed(1)}`);
    expect(mean(stats.map((s) => s.liquidations))).toBeGreaterThan(0);
    expect(majority((s) => s.liquidations > 0)).toBe(true);
  });

  it('has induced liquidations (liquidatable at the venue price but not at the index) in most seeds', () => {
    console.log(`flash-crash: mean induced liquidations ${mean(stats.map((s) => s.induced_liquidations)).toFixed(1)}`);
    expect(mean(stats.map((s) => s.induced_liquidations))).toBeGreaterThan(0);
    expect(majority((s) => s.induced_liquidations > 0)).toBe(true);
  });

  it('amplifies the index drawdown in the venue or oracle price in most seeds', () => {
    console.log(`flash-crash: mean amplification ${mean(stats.map((s) => s.amplification)).toFixed(4)}`);
    expect(mean(stats.map((s) => s.amplification))).toBeGreaterThan(1);
    expect(majority((s) => s.amplification > 1)).toBe(true);
  });

  it('concentrates liquidations after the crash starts at step 600', () => {
    const before = mean(results.map((r) => r.timeline.liquidations.slice(0, 600).reduce((a, b) => a + b, 0)));
    const after = mean(results.map((r) => r.timeline.liquidations.slice(600, 720).reduce((a, b) => a + b, 0)));
    expect(after).toBeGreaterThan(5 * before);
  });
});

describe('a calm day in a small world', () => {
  it('leaves no bad debt in any of 20 seeds', () => {
    const results = runSeeds(smallScenario('calm', [], 500, 900), SEEDS, 100);
    expect(results.map((r) => r.stats.bad_debt_usd)).toEqual(new Array(SEEDS).fill(0));
    expect(results.every((r) => r.stats.insolvent === 0)).toBe(true);
  });
});
