// The lending kernel's interest arithmetic (sim/lending/rates.ts): utilization, the kinked borrow
// curve on both sides of the kink, the supply rate and the per-step growth factor, with exact figures.
import { describe, expect, it } from 'vitest';
import { borrowRatePerYear, stepGrowthFactor, supplyRatePerYear, utilization } from '../../sim/lending/rates.js';
import { YEAR_SECONDS, type RateModel } from '../../sim/lending/types.js';

const curve: RateModel = { baseRatePerYear: 0.01, slope1PerYear: 0.04, slope2PerYear: 0.6, optimalUtilization: 0.8 };

describe('utilization', () => {
  it('is debt over cash plus debt', () => {
    expect(utilization(25, 75)).toBeCloseTo(0.75, 12);
  });

  it('is 0 for an empty reserve', () => {
    expect(utilization(0, 0)).toBe(0);
  });

  it('is 1 when all the cash is lent', () => {
    expect(utilization(0, 10)).toBe(1);
  });
});

describe('the kinked borrow rate', () => {
  it('is the base rate at 0% utilization', () => {
    expect(borrowRatePerYear(curve, 0)).toBeCloseTo(0.01, 12);
  });

  it('rises along slope 1 below the kink', () => {
    // 0.01 + 0.04 x 0.4 / 0.8
    expect(borrowRatePerYear(curve, 0.4)).toBeCloseTo(0.03, 12);
  });

  it('is base plus slope 1 at the kink', () => {
    expect(borrowRatePerYear(curve, 0.8)).toBeCloseTo(0.05, 12);
  });

  it('rises along slope 2 above the kink', () => {
    // 0.01 + 0.04 + 0.6 x 0.1 / 0.2
    expect(borrowRatePerYear(curve, 0.9)).toBeCloseTo(0.35, 12);
  });

  it('is base plus both slopes at 100% utilization', () => {
    expect(borrowRatePerYear(curve, 1)).toBeCloseTo(0.65, 12);
  });
});

describe('the supply rate', () => {
  it('is the borrow rate times utilization times one minus the reserve factor', () => {
    // 0.35 x 0.9 x 0.9
    expect(supplyRatePerYear(curve, 0.9, 0.1)).toBeCloseTo(0.2835, 12);
  });
});

describe('the per-step growth factor', () => {
  it('is one plus the rate times the step as a share of a year', () => {
    expect(stepGrowthFactor(0.1, 3600)).toBeCloseTo(1 + (0.1 * 3600) / YEAR_SECONDS, 15);
    expect(stepGrowthFactor(0.1, YEAR_SECONDS / 100)).toBeCloseTo(1.001, 15);
  });
});
