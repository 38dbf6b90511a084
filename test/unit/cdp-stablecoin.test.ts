// The CDP stablecoin's clearing price (sim/lending/stablecoin.ts): exact figures for the demand
// curve, forced buy-backs, new supply and the arbitrageurs' finite capital.
import { describe, expect, it } from 'vitest';
import { clearingPriceUsd, clearStep, type StablecoinMarketParams } from '../../sim/lending/stablecoin.js';

const P: StablecoinMarketParams = {
  elasticity: 2,
  arbitrageCapitalUsdPerStep: 1_000_000,
  minPriceUsd: 0.01,
  maxPriceUsd: 10,
};

describe('the stablecoin clearing price', () => {
  it('is $1 when the demand at the peg equals the supply and nobody buys back', () => {
    expect(clearingPriceUsd(P, 100e6, 100e6, 0)).toBeCloseTo(1, 12);
  });

  it('rises to sqrt(100 / 90) when vault owners buy back 10M of a 100M supply (elasticity 2)', () => {
    expect(clearingPriceUsd(P, 100e6, 100e6, 10e6)).toBeCloseTo(Math.sqrt(100 / 90), 12);
  });

  it('falls to sqrt(80 / 100) when the demand at the peg drops to 80M', () => {
    expect(clearingPriceUsd(P, 100e6, 80e6, 0)).toBeCloseTo(Math.sqrt(0.8), 12);
  });

  it('falls when vault owners sell newly drawn coins (negative net buying)', () => {
    expect(clearingPriceUsd(P, 100e6, 100e6, -25e6)).toBeCloseTo(Math.sqrt(100 / 125), 12);
  });

  it('is the highest price when the buy-backs take every coin, and the lowest when nobody holds any', () => {
    expect(clearingPriceUsd(P, 100e6, 100e6, 100e6)).toBe(10);
    expect(clearingPriceUsd(P, 100e6, 0, 0)).toBe(0.01);
  });
});

describe('a step with arbitrageurs', () => {
  it('brings the price back to $1 when their capital covers the gap (5M of buy-backs, 10M of capital)', () => {
    const c = clearStep({ ...P, arbitrageCapitalUsdPerStep: 10e6 }, 100e6, 100e6, 5e6);
    expect(c.arbitrageUnits).toBeCloseTo(5e6, 6);
    expect(c.priceUsd).toBeCloseTo(1, 12);
  });

  it('closes only part of the gap with finite capital: 1M sold against 10M of buy-backs leaves sqrt(100 / 91)', () => {
    const c = clearStep(P, 100e6, 100e6, 10e6);
    expect(c.arbitrageUnits).toBeCloseTo(1e6, 6);
    expect(c.priceUsd).toBeCloseTo(Math.sqrt(100 / 91), 12);
  });

  it('buys below the peg with its capital at the raw price: 1M USD at sqrt(0.8) buys 1M / sqrt(0.8) coins', () => {
    const raw = Math.sqrt(0.8);
    const c = clearStep(P, 100e6, 80e6, 0);
    expect(c.arbitrageUnits).toBeCloseTo(-1e6 / raw, 6);
    expect(c.priceUsd).toBeCloseTo(Math.sqrt(80e6 / (100e6 - 1e6 / raw)), 12);
  });

  it('does nothing at the peg', () => {
    expect(clearStep(P, 100e6, 100e6, 0)).toEqual({ priceUsd: 1, arbitrageUnits: 0 });
  });
});
