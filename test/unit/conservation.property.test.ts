// Acceptance (property): over random risk parameters, world sizes and shock lists, a run never
// breaks value conservation (checked inside every step; a violation throws InvariantError), never
// produces a NaN or infinite statistic or timeline value, and never leaves a trader with negative
// collateral (the full ledger check, which throws on it, runs at every step here).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Shock } from '../../scenarios/schema.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { AccountKind, AccountStore } from '../../sim/core/accounts.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { ConservationCheck, runSimulation, type ResolvedScenario } from '../../sim/engine.js';
import { InvariantError } from '../../sim/core/errors.js';
import { Market } from '../../sim/market/market.js';
import { TIMELINE_COLUMNS } from '../../sim/perp/statistics.js';
import { PerpVenue } from '../../sim/perp/perp-venue.js';
import { streamFor } from '../../sim/core/rng.js';
import { propertyRuns } from '../helpers/property-runs.js';

/** Shocks of every kind except replay, starting at a step within a horizon of `steps`. */
function shockArb(steps: number): fc.Arbitrary<Shock> {
  const step = fc.integer({ min: 0, max: steps - 1 });
  const length = fc.integer({ min: 1, max: 120 });
  return fc.oneof(
    fc.record({
      kind: fc.constant('priceJump' as const),
      step,
      pct: fc.double({ min: -0.6, max: 0.6, noNaN: true, minExcluded: true, maxExcluded: true }),
    }),
    fc.record({
      kind: fc.constant('priceDrift' as const),
      step,
      steps: length,
      pct: fc.double({ min: -0.6, max: 0.6, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('volatility' as const),
      step,
      steps: length,
      multiplier: fc.double({ min: 0, max: 8, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('depthDrain' as const),
      step,
      steps: length,
      factor: fc.double({ min: 0.05, max: 3, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('oracleFreeze' as const), step, steps: length }),
    fc.record({
      kind: fc.constant('liquidatorOutage' as const),
      step,
      steps: length,
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  );
}

/** A market-wide crash the case is built around: a jump down of 4-30%, or a drift down of 10-50% over 5-60 steps. */
const crashArb = (steps: number): fc.Arbitrary<Shock> =>
  fc.oneof(
    fc.record({
      kind: fc.constant('priceJump' as const),
      step: fc.integer({ min: 1, max: Math.max(1, Math.floor(steps / 2)) }),
      pct: fc.double({ min: -0.3, max: -0.04, noNaN: true }),
    }),
    fc.record({
      kind: fc.constant('priceDrift' as const),
      step: fc.integer({ min: 1, max: Math.max(1, Math.floor(steps / 2)) }),
      steps: fc.integer({ min: 5, max: 60 }),
      pct: fc.double({ min: -0.5, max: -0.1, noNaN: true }),
    }),
  );

/** Log-uniform in [min, max]: thin books are as likely as deep ones. */
const logUniform = (min: number, max: number) =>
  fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((x) => Math.exp(x));

// Three cases in four are stressed (a crash, a book as thin as 1/500 of the default, margins as
// low as 0.5%), so that most cases liquidate, many leave bad debt and some reach the fund, ADL and
// socialized loss; the fourth draws from the whole range, calm worlds included.
const world = fc
  .record({
    traders: fc.integer({ min: 20, max: 150 }),
    steps: fc.integer({ min: 50, max: 200 }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
    stressed: fc.constantFrom(true, true, true, false),
    mmr: fc.double({ min: 0.005, max: 0.2, noNaN: true }),
    imrOverMmr: fc.double({ min: 1, max: 4, noNaN: true }),
    liquidationFeeRate: fc.double({ min: 0, max: 0.05, noNaN: true }),
    liquidationMode: fc.constantFrom('partial', 'full'),
    socializeLosses: fc.boolean(),
    insuranceFundUsd: fc.oneof(fc.constant(0), logUniform(1, 1e6)),
    depthUsdPerPct: logUniform(3e4, 2e7),
    annualVolatility: fc.double({ min: 0, max: 3, noNaN: true }),
    leverageMedian: fc.double({ min: 1, max: 20, noNaN: true }),
    liquidatorCapitalUsd: logUniform(5e4, 5e6),
  })
  .map((p) =>
    p.stressed
      ? {
          ...p,
          mmr: Math.min(p.mmr, 0.03),
          imrOverMmr: Math.min(p.imrOverMmr, 1.6),
          leverageMedian: Math.max(p.leverageMedian, 4),
          liquidationFeeRate: Math.max(p.liquidationFeeRate, 0.005),
        }
      : p,
  )
  .chain((p) =>
    fc.record({
      p: fc.constant(p),
      shocks: fc
        .tuple(
          fc.array(shockArb(p.steps), { maxLength: 6 }),
          p.stressed ? crashArb(p.steps).map((c) => [c]) : fc.constant([]),
        )
        .map(([random, crash]) => [...crash, ...random]),
    }),
  );

describe('value conservation over random worlds', () => {
  it('never throws and yields only finite statistics and timeline values, with the full ledger check at every step', () => {
    const reached = { cases: 0, liquidating: 0, badDebt: 0, fundUsed: 0, lossSocialized: 0, liquidations: 0 };
    fc.assert(
      fc.property(world, ({ p, shocks }) => {
        const k = p.traders / 10_000;
        const config = ConfigSchema.parse({
          run: { steps: p.steps },
          market: { depthUsdPerPct: p.depthUsdPerPct, annualVolatility: p.annualVolatility },
          protocol: {
            maintenanceMarginRate: p.mmr,
            initialMarginRate: Math.min(1, p.mmr * p.imrOverMmr),
            liquidationFeeRate: p.liquidationFeeRate,
            liquidationMode: p.liquidationMode,
            socializeLosses: p.socializeLosses,
            insuranceFundUsd: p.insuranceFundUsd,
          },
          agents: {
            traders: { count: p.traders, arrivalsPerStep: 3 * k, leverageMedian: p.leverageMedian },
            liquidators: { capitalUsd: p.liquidatorCapitalUsd },
            arbitrageurs: { capitalUsd: 3_000_000 * k },
            marketMakers: { capitalUsd: 50_000_000 * k },
          },
          invariants: { fullCheckEverySteps: 1 },
        });
        const scenario: ResolvedScenario = {
          name: 'property',
          description: 'random shocks',
          source: 'property',
          shocks,
          series: [],
        };
        const result = runSimulation({ scenario, config, seed: p.seed });
        for (const [key, value] of Object.entries(result.stats)) {
          if (!Number.isFinite(value)) throw new Error(`stat ${key} is ${value}`);
        }
        for (const column of TIMELINE_COLUMNS) {
          const values = result.timeline[column];
          expect(values.length).toBe(p.steps);
          for (let t = 0; t < values.length; t++) {
            if (!Number.isFinite(values[t])) throw new Error(`timeline ${column}[${t}] is ${values[t]}`);
          }
        }
        const st = result.stats;
        reached.cases++;
        reached.liquidations += st.liquidations;
        if (st.liquidations > 0) reached.liquidating++;
        console.log(
          p.stressed,
          p.mmr.toFixed(3),
          p.leverageMedian.toFixed(1),
          st.liquidations,
          st.bad_debt_usd.toFixed(0),
          st.refused_actions,
          JSON.stringify(shocks.map((x) => [x.kind, x.step, (x as { pct?: number }).pct?.toFixed(2)])),
        );
        if (st.bad_debt_usd > 0) reached.badDebt++;
        if (st.insurance_fund_min_usd < p.insuranceFundUsd) reached.fundUsed++;
        if (st.socialized_loss_usd > 0 || st.adl_events > 0) reached.lossSocialized++;
      }),
      { seed: 42, numRuns: propertyRuns(100) },
    );
    // The generated worlds reach the region where things break: most cases liquidate, many leave bad
    // debt, and the fund and loss socialization are exercised too. At the default 100 cases (seed 42):
    // 66 cases liquidate (1,881 liquidations; the generator before issue 13 drew 22 in all), 58 leave
    // bad debt, 26 draw on the fund and 21 socialize a loss or auto-deleverage.
    expect(reached.liquidating).toBeGreaterThan(0.5 * reached.cases);
    expect(reached.badDebt).toBeGreaterThan(0.25 * reached.cases);
    expect(reached.fundUsed).toBeGreaterThan(0.1 * reached.cases);
    expect(reached.lossSocialized).toBeGreaterThan(0.1 * reached.cases);
  });
});

describe('the conservation check the property relies on', () => {
  /** A maker (0) and a trader (1) with a position, balanced against their deposits. */
  function venue(): PerpVenue {
    const accounts = new AccountStore([AccountKind.maker, AccountKind.trader]);
    const schedule = compileShocks([], new Map(), 10, 60, 'test');
    const market = new Market(DEFAULT_CONFIG.market, 60, schedule, streamFor(1, 'a'), streamFor(1, 'b'));
    const v = new PerpVenue(DEFAULT_CONFIG.protocol, 60, accounts, market, 0, 3000);
    v.deposit(0, 1e6);
    v.deposit(1, 500);
    v.openGenesisPosition(1, 1, 3000);
    return v;
  }
  const check = new ConservationCheck(DEFAULT_CONFIG.invariants, 99);

  it('passes on a balanced ledger', () => {
    expect(() => check.check(3, venue(), true)).not.toThrow();
  });

  it('throws an InvariantError with step and seed when value appears from nowhere', () => {
    const v = venue();
    v.accounts.addCash(1, 1);
    expect(() => check.check(3, v, false)).toThrow(InvariantError);
    expect(() => check.check(3, v, false)).toThrow(/step 3 \(seed 99\): value not conserved/);
  });

  it('throws on a trader with negative collateral in the full check, even when the totals balance', () => {
    const v = venue();
    v.accounts.addCash(1, -600);
    v.accounts.addCash(0, 600);
    expect(() => check.check(3, v, false)).not.toThrow();
    expect(() => check.check(3, v, true)).toThrow(/account 1 has negative collateral/);
  });
});
