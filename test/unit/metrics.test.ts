// Run statistics on hand-computed arrays: drawdowns, cascade waves, and computeRunStats'
// amplification, insurance figures and insolvency flag on a hand-built timeline.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../sim/config/index.js';
import {
  cascadeWaves,
  computeRunStats,
  createTimeline,
  maxDrawdown,
  RUN_STAT_KEYS,
  type RunEnd,
} from '../../sim/perp/statistics.js';

describe('maxDrawdown', () => {
  it('is zero for an empty series', () => {
    expect(maxDrawdown([])).toBe(0);
  });

  it('is zero for a series that never falls', () => {
    expect(maxDrawdown([100, 100, 101, 150])).toBe(0);
  });

  it('is the largest fall from a running peak, as a fraction of that peak', () => {
    // Falls: 100 -> 80 is 20%; 120 -> 60 is 50%; 120 -> 90 after it is smaller.
    expect(maxDrawdown([100, 80, 120, 60, 90])).toBeCloseTo(0.5, 12);
  });

  it('measures a fall from an earlier peak even after a partial recovery', () => {
    expect(maxDrawdown(Float64Array.from([200, 150, 190, 100, 180]))).toBeCloseTo(0.5, 12);
  });

  it('is zero for a single value', () => {
    expect(maxDrawdown([42])).toBe(0);
  });
});

describe('cascadeWaves', () => {
  it('finds no wave in an empty series', () => {
    expect(cascadeWaves([], 2)).toEqual({ waves: 0, longest: 0 });
  });

  it('finds no wave when no step has liquidations', () => {
    expect(cascadeWaves([0, 0, 0, 0], 2)).toEqual({ waves: 0, longest: 0 });
  });

  it('counts one wave of a single liquidation step with length 1', () => {
    expect(cascadeWaves([0, 0, 3, 0, 0], 2)).toEqual({ waves: 1, longest: 1 });
  });

  it('joins runs separated by at most gapSteps quiet steps into one wave', () => {
    // Liquidations at steps 2 and 4: one quiet step between them.
    expect(cascadeWaves([0, 0, 3, 0, 1], 2)).toEqual({ waves: 1, longest: 3 });
  });

  it('splits runs separated by more than gapSteps quiet steps into separate waves', () => {
    // Steps 1-2, then 6 after three quiet steps, then 8-9 after one quiet step.
    const liq = [0, 1, 1, 0, 0, 0, 1, 0, 2, 5];
    expect(cascadeWaves(liq, 2)).toEqual({ waves: 2, longest: 4 });
    expect(cascadeWaves(liq, 3)).toEqual({ waves: 1, longest: 9 });
    expect(cascadeWaves(liq, 0)).toEqual({ waves: 3, longest: 2 });
  });

  it('measures the longest wave when it is the first one', () => {
    expect(cascadeWaves([1, 1, 1, 1, 0, 0, 0, 0, 1], 1)).toEqual({ waves: 2, longest: 4 });
  });
});

describe('computeRunStats', () => {
  /** Index falls 20%, mark 40%, oracle 30%; the fund falls from 1,000 to 500 and ends at 600. */
  function timeline() {
    const tl = createTimeline(4);
    tl.index_price_usd.set([100, 90, 80, 90]);
    tl.mark_price_usd.set([100, 85, 60, 90]);
    tl.oracle_price_usd.set([100, 90, 70, 90]);
    tl.insurance_fund_usd.set([1000, 900, 500, 600]);
    tl.liquidations.set([0, 2, 1, 0]);
    return tl;
  }
  const end: RunEnd = {
    initialInsuranceUsd: 1000,
    realizedBadDebtUsd: 400,
    realizedUncoveredUsd: 0,
    latentBadDebtUsd: 0,
    socializedLossUsd: 0,
    honestTraderPnlUsd: -1234,
    protocolFeesUsd: 55,
    liquidations: 3,
    liquidatedNotionalUsd: 9000,
    inducedLiquidations: 1,
    refusedActions: 7,
    oracleStaleSteps: 0,
    breakerTrips: 0,
    haltedSteps: 0,
    withdrawalsRefusedUsd: 0,
    firstAlertStep: -1,
    alertSteps: 0,
    governanceChanges: 0,
    governanceRefused: 0,
    guardianPauses: 0,
    marginRateMax: 0.03,
    marginRebuilds: 0,
    marginLeadSteps: 0,
    collateralSeizedUsd: 0,
    backstopCapitalUsd: 0,
    backstopEquityEndUsd: 0,
    backstopTakeovers: 0,
    adlEvents: 0,
    adlNotionalUsd: 0,
    adlResolved: 0,
    insuranceFeeInflowUsd: 0,
  };
  const metrics = DEFAULT_CONFIG.metrics;

  it('computes amplification as the larger of mark and oracle drawdown over the index drawdown', () => {
    const s = computeRunStats(timeline(), end, metrics);
    expect(s.index_drawdown_pct).toBeCloseTo(20, 9);
    expect(s.mark_drawdown_pct).toBeCloseTo(40, 9);
    expect(s.oracle_drawdown_pct).toBeCloseTo(30, 9);
    expect(s.amplification).toBeCloseTo(2, 9);
  });

  it('reports the insurance fund minimum, end and drawdown from the timeline', () => {
    const s = computeRunStats(timeline(), end, metrics);
    expect(s.insurance_fund_min_usd).toBe(500);
    expect(s.insurance_fund_end_usd).toBe(600);
    expect(s.insurance_drawdown_pct).toBeCloseTo(50, 9);
  });

  it('reports the largest oracle deviation from the index', () => {
    // |70 - 80| / 80 at step 2.
    expect(computeRunStats(timeline(), end, metrics).max_oracle_deviation_pct).toBeCloseTo(12.5, 9);
  });

  it('counts cascade waves from the timeline', () => {
    const s = computeRunStats(timeline(), end, metrics);
    expect(s.cascade_waves).toBe(1);
    expect(s.longest_wave_steps).toBe(2);
  });

  it('is not insolvent when all bad debt was covered and the fund covers the latent debt', () => {
    const s = computeRunStats(timeline(), { ...end, latentBadDebtUsd: 600 }, metrics);
    expect(s.insolvent).toBe(0);
    expect(s.uncovered_bad_debt_usd).toBe(0);
    expect(s.bad_debt_usd).toBe(1000);
  });

  it('is insolvent when latent bad debt at the end exceeds the fund left', () => {
    const s = computeRunStats(timeline(), { ...end, latentBadDebtUsd: 700 }, metrics);
    expect(s.insolvent).toBe(1);
    expect(s.uncovered_bad_debt_usd).toBeCloseTo(100, 9);
    expect(s.latent_bad_debt_usd).toBe(700);
    expect(s.bad_debt_usd).toBe(1100);
  });

  it('is insolvent when some realized bad debt was not covered', () => {
    const s = computeRunStats(timeline(), { ...end, realizedUncoveredUsd: 25 }, metrics);
    expect(s.insolvent).toBe(1);
    expect(s.uncovered_bad_debt_usd).toBe(25);
  });

  it('passes the end-of-run counts through and fills every statistic', () => {
    const s = computeRunStats(timeline(), end, metrics);
    expect(Object.keys(s).sort()).toEqual([...RUN_STAT_KEYS].sort());
    expect(s.liquidations).toBe(3);
    expect(s.liquidated_notional_usd).toBe(9000);
    expect(s.induced_liquidations).toBe(1);
    expect(s.honest_trader_pnl_usd).toBe(-1234);
    expect(s.protocol_fees_usd).toBe(55);
    expect(s.refused_actions).toBe(7);
  });

  it('measures the fund drawdown from its initial value when the fund only falls', () => {
    const tl = timeline();
    tl.insurance_fund_usd.set([800, 700, 400, 400]);
    const s = computeRunStats(tl, end, metrics);
    expect(s.insurance_fund_min_usd).toBe(400);
    expect(s.insurance_drawdown_pct).toBeCloseTo(60, 9);
  });
});
