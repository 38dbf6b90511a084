// Margin models (issue 7): Hyperliquid tiers with the maintenance deduction, Drift's sqrt size
// premium and volatility-scaled margin. Rules on hand-built worlds, acceptance 1 (the liquidation
// price equals Hyperliquid's closed form across tiers), the liquidation heap against a brute-force
// scan under every model, and the volatility model's direction over 20 seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Config } from '../../sim/config/index.js';
import {
  garchHorizonVariance,
  garchNext,
  sqrtRate,
  tieredMaintenanceUsd,
  tierTable,
  VolatilityTracker,
} from '../../sim/perp/margin-model.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';
import {
  LIQUIDATOR,
  T0,
  bookAccount,
  cashEvent,
  replayAgainstScan,
  fundingEvent,
  liquidateEvent,
  priceEvent,
  setPrice,
  tradeEvent,
  venueWorld,
} from '../helpers/venue-world.js';
import { propertyRuns } from '../helpers/property-runs.js';

type Model = Config['protocol']['marginModel'];

/** Maker, liquidator and `traders` traders at 3000 under margin model `model`, the maker and liquidator funded deep. */
function world(traders: number, model: Partial<Model>, protocol: Partial<Config['protocol']> = {}, depth = 1e15) {
  return venueWorld({
    traders,
    marginModel: model,
    protocol,
    depthUsdPerPct: depth,
    makerUsd: 1e12,
    liquidatorUsd: 1e9,
  });
}

/** ETH tiers with bounds scaled by 1e-4: 25x up to 10,000 USD, 15x above. */
const ETH_SMALL: Partial<Model> = {
  kind: 'tiers',
  tiers: { ...DEFAULT_CONFIG.protocol.marginModel.tiers, boundScale: 1e-4 },
};
/** A custom three-tier table: 40x to 10k, 20x to 50k, 10x above. */
const THREE_TIERS: Partial<Model> = {
  kind: 'tiers',
  tiers: {
    preset: 'custom',
    boundScale: 1,
    maxLeverage1: 40,
    lowerBound2Usd: 10_000,
    maxLeverage2: 20,
    lowerBound3Usd: 50_000,
    maxLeverage3: 10,
  },
};

describe('Hyperliquid leverage tiers', () => {
  it('derives maintenance rates 1/(2 maxLev) and a deduction that keeps maintenance continuous at each bound', () => {
    const t = tierTable(DEFAULT_CONFIG.protocol.marginModel.tiers);
    expect(t.map((x) => x.maxLeverage)).toEqual([25, 15]);
    expect(t[1].mmr).toBeCloseTo(1 / 30, 15);
    expect(t[1].dedUsd).toBeCloseTo(100_000_000 * (1 / 30 - 1 / 50), 6);
    const at = 100_000_000;
    expect(tieredMaintenanceUsd(t, at)).toBeCloseTo(at / 50, 6);
    expect(tieredMaintenanceUsd(t, at * 2)).toBeCloseTo(2 * at * (1 / 30) - t[1].dedUsd, 6);
  });

  it("puts the simulator's liquidation price on Hyperliquid's closed form to 1e-9 relative, for longs and shorts in every tier", () => {
    const cases: { model: Partial<Model>; size: number; collateral: number }[] = [
      { model: ETH_SMALL, size: 2, collateral: 400 }, // 6k notional: tier 1
      { model: ETH_SMALL, size: -2, collateral: 400 },
      { model: ETH_SMALL, size: 10, collateral: 3000 }, // 30k: tier 2
      { model: ETH_SMALL, size: -10, collateral: 3000 },
      { model: THREE_TIERS, size: 2, collateral: 300 },
      { model: THREE_TIERS, size: -8, collateral: 1500 }, // 24k: tier 2
      { model: THREE_TIERS, size: 30, collateral: 12_000 }, // 90k: tier 3
      { model: THREE_TIERS, size: -30, collateral: 12_000 },
    ];
    let worst = 0;
    for (const c of cases) {
      const w = world(1, c.model);
      w.venue.deposit(T0, c.collateral);
      w.venue.openGenesisPosition(T0, c.size, 3000);
      const P = 3000;
      setPrice(w, P);
      const tiers = tierTable((c.model.tiers ?? DEFAULT_CONFIG.protocol.marginModel.tiers) as Model['tiers']);
      const n = Math.abs(c.size) * P;
      const tier = tiers.filter((t) => n > t.lowerBoundUsd || t.lowerBoundUsd === 0).pop()!;
      const side = Math.sign(c.size);
      const marginAvail = w.venue.equity(T0) - (n * tier.mmr - tier.dedUsd);
      const closedForm = P - (side * marginAvail) / Math.abs(c.size) / (1 - tier.mmr * side);
      // The flip price, by bisection on the oracle price with the venue's own test.
      let lo = side > 0 ? closedForm * 0.9 : closedForm * 1.1; // liquidatable end
      let hi = P; // safe end
      for (let k = 0; k < 200; k++) {
        const mid = (lo + hi) / 2;
        setPrice(w, mid);
        if (w.venue.isLiquidatable(T0)) lo = mid;
        else hi = mid;
      }
      // The flip lies within the position's tier, where the closed form applies.
      expect(Math.abs(c.size) * hi > tier.lowerBoundUsd).toBe(true);
      const err = Math.abs(hi - closedForm) / closedForm;
      worst = Math.max(worst, err);
      expect(err).toBeLessThan(1e-9);
      // The heap agrees: just past the price it flags the account, just before it does not.
      setPrice(w, closedForm * (1 + side * 1e-7));
      w.venue.refreshLiquidatable(1);
      expect(w.venue.flagged).toEqual([]);
      setPrice(w, closedForm * (1 - side * 1e-7));
      w.venue.refreshLiquidatable(2);
      expect(w.venue.flagged).toEqual([T0]);
    }
    console.log(`tiers: worst relative error of the liquidation price vs the HL closed form ${worst.toExponential(2)}`);
  });

  it('asks initial margin of 1/maxLeverage of the tier the position lands in', () => {
    const w = world(1, ETH_SMALL, { takerFeeRate: 0 });
    // 5 units at 3000 = 15k notional, tier 2 (15x): needs 1,000 USD.
    w.venue.deposit(T0, 990);
    expect(w.venue.apply({ kind: 'trade', account: T0, size: 5, depositUsd: 0 })).toEqual({
      ok: false,
      reason: 'initial-margin',
    });
    w.venue.deposit(T0, 11);
    expect(w.venue.apply({ kind: 'trade', account: T0, size: 5, depositUsd: 0 })).toEqual({ ok: true });
  });

  it('restores initial margin with one partial liquidation', () => {
    const w = world(1, ETH_SMALL, { minLiquidationNotionalUsd: 0 });
    w.venue.deposit(T0, 1500);
    w.venue.openGenesisPosition(T0, 10, 3000);
    setPrice(w, 2900);
    expect(w.venue.isLiquidatable(T0)).toBe(true);
    expect(w.venue.apply({ kind: 'liquidate', liquidator: LIQUIDATOR, account: T0, worstPriceUsd: 0 })).toEqual({
      ok: true,
    });
    const q = w.accounts.size[T0];
    expect(q).toBeGreaterThan(0);
    expect(w.venue.equity(T0)).toBeGreaterThanOrEqual(w.venue.initialRate(q, 2900) * q * 2900 * (1 - 1e-12));
    expect(w.venue.isLiquidatable(T0)).toBe(false);
  });
});

describe("Drift's sqrt size premium", () => {
  it('keeps the base rate for small positions and adds factor * sqrt(|size|) beyond 0.8 base', () => {
    expect(sqrtRate(0.03, 0.0005, 1)).toBe(0.03);
    expect(sqrtRate(0.03, 0.0005, 10_000)).toBeCloseTo(0.024 + 0.05, 12);
  });

  it('liquidates a whale earlier than a small account of the same leverage', () => {
    const w = world(2, { kind: 'sqrt', sqrtImfFactor: 0.001 });
    w.venue.deposit(T0, 0.1 * 3000);
    w.venue.openGenesisPosition(T0, 1, 3000);
    w.venue.deposit(T0 + 1, 0.1 * 3000 * 2500);
    w.venue.openGenesisPosition(T0 + 1, 2500, 3000);
    setPrice(w, 2800);
    expect(w.venue.isLiquidatable(T0)).toBe(false);
    expect(w.venue.isLiquidatable(T0 + 1)).toBe(true);
  });
});

describe('volatility-scaled margin (a modeling choice)', () => {
  it('stays at the base rate in calm and rises to z sigma sqrt(horizon) when volatility arrives, initial margin alike', () => {
    const w = world(0, { kind: 'volatility' });
    for (let s = 0; s < 100; s++) setPrice(w, 3000 * (1 + 0.0001 * (s % 2)));
    expect(w.venue.volRate).toBe(0.03);
    let p = 3000;
    for (let s = 0; s < 200; s++) setPrice(w, (p *= s % 2 ? 1.01 : 1 / 1.01));
    // Returns of about 1% a step: sigma near 0.01, 3 * 0.01 * sqrt(60) = 0.23.
    expect(w.venue.volRate).toBeGreaterThan(0.2);
    expect(w.venue.volRate).toBeLessThan(0.24);
    expect(w.venue.initialRate(1, p)).toBeCloseTo((w.venue.volRate * 0.05) / 0.03, 12);
  });
});

describe('predictive volatility margin: GARCH(1,1) forecast (a modeling choice)', () => {
  const VOL = DEFAULT_CONFIG.protocol.marginModel.volatility;

  it('one GARCH step is omega + alpha r^2 + beta sigma2 with omega = (1 - alpha - beta) V, and the horizon sums the h-step forecasts', () => {
    // 0.05 * 2e-4 + 0.1 * 0.02^2 + 0.85 * 1e-4 = 1e-5 + 4e-5 + 8.5e-5
    expect(garchNext(1e-4, 0.02, 0.1, 0.85, 2e-4)).toBeCloseTo(1.35e-4, 18);
    // 3 * 2e-4 + (1.35e-4 - 2e-4) * (1 + 0.95 + 0.95^2)
    expect(garchHorizonVariance(1.35e-4, 3, 0.95, 2e-4)).toBeCloseTo(4.145875e-4, 18);
  });

  it('the tracker runs the recursion on step log returns, targeting the running mean of squared returns (sample) or the EWMA', () => {
    const t = new VolatilityTracker({ ...VOL, forecast: 'garch', garchTarget: 'sample' }, 100);
    let p = 100;
    for (const r of [0.01, -0.02, 0.03]) t.observe((p *= Math.exp(r)));
    // V: 1e-4, 2.5e-4, 4.6667e-4; sigma2: 1.5e-5, 6.525e-5, then 0.05 * 4.6667e-4 + 0.1 * 9e-4 + 0.85 * 6.525e-5.
    expect(t.sampleVariance).toBeCloseTo(14e-4 / 3, 15);
    expect(t.garchVariance).toBeCloseTo(0.05 * (14e-4 / 3) + 9e-5 + 0.85 * 6.525e-5, 15);
    expect(t.garchVariance).toBeCloseTo(1.68795833e-4, 12);

    const e = new VolatilityTracker({ ...VOL, forecast: 'garch', garchTarget: 'ewma' }, 100);
    const d = Math.pow(0.5, 1 / VOL.ewmaHalfLifeSteps);
    e.observe(100 * Math.exp(0.01));
    const ewma = (1 - d) * 1e-4;
    expect(e.variance).toBeCloseTo(ewma, 18);
    expect(e.garchVariance).toBeCloseTo(0.05 * ewma + 0.1 * 1e-4, 18);
    // The margin covers the larger of the EWMA's and the forecast's horizon variance.
    const h = VOL.horizonSteps;
    const forecast = garchHorizonVariance(e.garchVariance, h, 0.95, ewma);
    expect(forecast).toBeGreaterThan(ewma * h);
    expect(e.horizonVolatility()).toBeCloseTo(Math.sqrt(forecast), 15);
    expect(e.ewmaHorizonVolatility()).toBeCloseTo(Math.sqrt(ewma * h), 15);
  });

  it("forecast 'none' leaves the rate on the EWMA alone", () => {
    const t = new VolatilityTracker(VOL, 100);
    let p = 100;
    for (const r of [0.01, -0.02, 0.03, 0.05]) t.observe((p *= Math.exp(r)));
    expect(t.garchVariance).toBe(0);
    expect(t.maintenanceRate(0.03)).toBe(t.ewmaMaintenanceRate(0.03));
  });
});

describe('the liquidation heap under every margin model', () => {
  const account = bookAccount(1500, 4500, 20_000);
  const event = fc.oneof(priceEvent(1000, 5000), fundingEvent, tradeEvent, cashEvent('withdraw'), liquidateEvent);
  const models: [string, Partial<Model>][] = [
    ['tiers', THREE_TIERS],
    ['sqrt', { kind: 'sqrt', sqrtImfFactor: 0.003 }],
    [
      'volatility',
      {
        kind: 'volatility',
        volatility: { ...DEFAULT_CONFIG.protocol.marginModel.volatility, z: 3, horizonSteps: 60, ewmaHalfLifeSteps: 3 },
      },
    ],
    [
      'volatility+garch',
      {
        kind: 'volatility',
        volatility: { ...DEFAULT_CONFIG.protocol.marginModel.volatility, ewmaHalfLifeSteps: 3, forecast: 'garch' },
      },
    ],
  ];
  it.each(models)(
    'flags exactly the accounts a brute-force isLiquidatable scan finds, after every refresh (%s)',
    (_, model) => {
      fc.assert(
        fc.property(
          fc.array(account, { minLength: 1, maxLength: 30 }),
          fc.array(event, { minLength: 1, maxLength: 50 }),
          fc.constantFrom<'partial' | 'full'>('partial', 'full'),
          (book, events, liquidationMode) => {
            const w = world(
              book.length,
              model,
              {
                liquidationMode,
                insuranceFundUsd: 1e4,
                funding: { ...DEFAULT_CONFIG.protocol.funding, intervalSteps: 1 },
              },
              1e6,
            );
            replayAgainstScan(w, book, events);
          },
        ),
        { seed: 7, numRuns: propertyRuns(250) },
      );
    },
  );
});

describe('margin models over 20 seeds (small world)', () => {
  it('volatility-scaled margin lowers bad debt on vol-regime-crash, because margin rises with the volatility before the crash and deleverages the book', () => {
    const base = runSeeds(smallScenario('vol-regime-crash'), 20).map((r) => r.stats);
    const vol = runSeeds(smallScenario('vol-regime-crash', ['protocol.marginModel.kind=volatility']), 20).map(
      (r) => r.stats,
    );
    const off = mean(base.map((s) => s.bad_debt_usd));
    const on = mean(vol.map((s) => s.bad_debt_usd));
    console.log(`vol-regime-crash: volatility margin: mean bad_debt_usd ${off.toFixed(0)} -> ${on.toFixed(0)}`);
    expect(on).toBeLessThan(0.85 * off);
    expect(mean(vol.map((s) => s.margin_rate_max))).toBeGreaterThan(0.03);
  });

  it('a steep second tier (25x, then 5x above 10,000 USD) lowers bad debt on flash-crash, because notional above the bound carries 10% maintenance (less the deduction) and 20% initial margin instead of 2% and 4%', () => {
    const custom = (bound: number) => [
      'protocol.marginModel.kind=tiers',
      'protocol.marginModel.tiers.preset=custom',
      'protocol.marginModel.tiers.maxLeverage1=25',
      'protocol.marginModel.tiers.maxLeverage2=5',
      `protocol.marginModel.tiers.lowerBound2Usd=${bound}`,
    ];
    // The same table with the second tier out of reach: only the tier's effect differs.
    const one = runSeeds(smallScenario('flash-crash', custom(1e12)), 20).map((r) => r.stats.bad_debt_usd);
    const two = runSeeds(smallScenario('flash-crash', custom(10_000)), 20).map((r) => r.stats.bad_debt_usd);
    console.log(
      `flash-crash: second tier at 10k USD: mean bad_debt_usd ${mean(one).toFixed(0)} -> ${mean(two).toFixed(0)}`,
    );
    expect(mean(two)).toBeLessThan(0.9 * mean(one));
    expect(two.filter((b, k) => b < one[k]).length).toBeGreaterThanOrEqual(15);
  });

  it('the GARCH forecast moves margin past 1.5x base before the EWMA does on vol-regime-crash (it weighs the last return 0.1 against the EWMA 0.023), and lowers bad debt', () => {
    const vol = ['protocol.marginModel.kind=volatility'];
    const ewma = runSeeds(smallScenario('vol-regime-crash', vol), 20).map((r) => r.stats);
    const garch = runSeeds(
      smallScenario('vol-regime-crash', [...vol, 'protocol.marginModel.volatility.forecast=garch']),
      20,
    ).map((r) => r.stats);
    const lead = mean(garch.map((s) => s.margin_lead_steps));
    const off = mean(ewma.map((s) => s.bad_debt_usd));
    const on = mean(garch.map((s) => s.bad_debt_usd));
    console.log(
      `vol-regime-crash: GARCH forecast: mean margin_lead_steps ${lead.toFixed(1)}, mean bad_debt_usd ${off.toFixed(0)} -> ${on.toFixed(0)}`,
    );
    // The EWMA alone is its own reference: no lead.
    expect(ewma.every((s) => s.margin_lead_steps === 0)).toBe(true);
    expect(garch.every((s) => s.margin_lead_steps >= 0)).toBe(true);
    expect(garch.filter((s) => s.margin_lead_steps > 0).length).toBeGreaterThanOrEqual(12);
    expect(lead).toBeGreaterThan(5);
    expect(on).toBeLessThan(0.9 * off);
  });
});
