// Multi-asset collateral (issue 7): haircuts in the margin test, the genesis gross-up, collateral sold
// before a shortfall becomes bad debt, holders re-checked as collateral prices move, the depeg shock,
// config errors, and the directional test: haircuts lower insolvency when the venue token crashes
// with the market.
import { describe, expect, it } from 'vitest';
import { CollateralBook } from '../../sim/perp/collateral.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { ConservationCheck, runSimulation } from '../../sim/engine.js';
import { UserError } from '../../sim/core/errors.js';
import { streamFor } from '../../sim/core/rng.js';
import { postGenesisCollateral } from '../../sim/perp/world.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';
import { liquidate, setPrice, T0, trade, venueWorld } from '../helpers/venue-world.js';

const cfg = ConfigSchema.parse({ collateral: { enabled: true } }).collateral;

/** A venue with one trader holding 1,000 USD of margin posted by the default shares, grossed up for haircuts. */
function world(protocol: NonNullable<Parameters<typeof venueWorld>[0]>['protocol'] = {}) {
  // Full liquidations: the position closes at once, so a loss beyond the cash reaches shortfall resolution.
  const w = venueWorld({ traders: 1, priceUsd: 100, protocol: { liquidationMode: 'full', ...protocol } });
  const book = new CollateralBook(
    cfg,
    w.accounts.count,
    60,
    [0, 1, 2].map((a) => streamFor(1, `c${a}`)),
  );
  w.venue.deposit(T0, 1000);
  postGenesisCollateral(w.venue, book, [T0], cfg);
  w.venue.setCollateral(book);
  return { ...w, book };
}

describe('collateral rules', () => {
  it('grosses genesis margin up so that its haircut-adjusted value equals the cash posted before', () => {
    const w = world();
    // Shares 0.5 / 0.3 / 0.2 at haircuts 0 / 0.17 / 0.5: 14.1% of the value is haircut.
    const grossUp = 1 / (1 - (0.3 * 0.17 + 0.2 * 0.5));
    expect(w.venue.equity(T0)).toBeCloseTo(1000, 9);
    expect(w.book.marketValue(T0)).toBeCloseTo(1000 * grossUp, 9);
    expect(w.accounts.cash[T0]).toBeCloseTo(0, 9);
    expect(w.venue.equityAtMarket(T0)).toBeCloseTo(1000 * grossUp, 9);
  });

  it('counts each balance at price x (1 - haircut): a 50% fall of the venue token lowers equity by half its haircut value', () => {
    const w = world();
    const tokenUnits = w.book.balances[2][T0];
    const before = w.venue.equity(T0);
    w.book.prices[2] *= 0.5;
    expect(before - w.venue.equity(T0)).toBeCloseTo(tokenUnits * 0.5 * (1 - 0.5), 9);
  });

  it('re-checks a holder each step: a collateral price fall alone makes it liquidatable', () => {
    const w = world();
    expect(trade(w, T0, 150).ok).toBe(true); // 15,000 notional: 3% maintenance is 450 against ~1,000.
    w.venue.refreshLiquidatable(1);
    expect(w.venue.flagged).toEqual([]);
    // The stablecoin depegs to 0.5 and the other two lose 90%: about 320 of margin is left.
    w.book.prices[0] *= 0.5;
    w.book.prices[1] *= 0.1;
    w.book.prices[2] *= 0.1;
    w.venue.refreshLiquidatable(2);
    expect(w.venue.flagged).toEqual([T0]);
  });

  it('sells collateral at the market price to cover a shortfall before anything is bad debt, stablecoin first', () => {
    const w = world();
    expect(trade(w, T0, 150).ok).toBe(true);
    const stable = w.book.balances[0][T0];
    setPrice(w, 95); // loss 750 on 0 cash: covered by the collateral
    expect(liquidate(w, T0).ok).toBe(true);
    expect(w.venue.totals.badDebtUsd).toBe(0);
    expect(w.book.seizedUsd).toBeGreaterThan(750);
    expect(w.book.balances[0][T0]).toBeLessThan(stable);
    expect(w.book.balances[2][T0]).toBeGreaterThan(0);
    new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(1, w.venue, true);
  });

  it('auto-deleverages only what the collateral does not cover: the bankruptcy price counts the collateral sold at market', () => {
    const w = world({ lossResolution: 'adl', insuranceFundUsd: 0 });
    expect(trade(w, T0, 150).ok).toBe(true);
    const worth = w.venue.equityAtMarket(T0);
    const makerBefore = w.venue.equity(0);
    setPrice(w, 80); // loss 3,000 against ~1,164 of collateral at market
    const makerAtPrice = w.venue.equity(0);
    expect(liquidate(w, T0).ok).toBe(true);
    expect(w.venue.totals.adlResolved).toBe(1);
    expect(w.book.marketValue(T0)).toBeCloseTo(0, 6);
    // The counterparty (the makers' book) gives up the loss beyond the collateral, not the whole loss.
    const given = makerAtPrice - w.venue.equity(0);
    expect(given).toBeGreaterThan(3000 - worth - 50);
    expect(given).toBeLessThan(3000 - worth + 50);
    expect(makerBefore).toBeGreaterThan(0);
    new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(1, w.venue, true);
  });

  it('books bad debt only beyond the market value of all collateral', () => {
    const w = world();
    expect(trade(w, T0, 150).ok).toBe(true);
    const worth = w.venue.equityAtMarket(T0);
    setPrice(w, 80); // loss 3,000 against ~1,164 of collateral at market
    expect(liquidate(w, T0).ok).toBe(true);
    expect(w.venue.totals.badDebtUsd).toBeGreaterThan(3000 - worth - 100);
    expect(w.book.marketValue(T0)).toBeCloseTo(0, 6);
    new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(1, w.venue, true);
  });
});

describe('collateral in runs (small world)', () => {
  it('depegs the stablecoin to 0.92 in token-crash and books its holders revaluation without breaking conservation', () => {
    const r = runSimulation({ ...smallScenario('token-crash', [], 200, 520), seed: 5 });
    expect(r.timeline.stablecoin_price_usd[339]).toBeCloseTo(0.92, 6);
    expect(r.timeline.stablecoin_price_usd[519]).toBeCloseTo(0.92 * 1.087, 6);
    expect(r.timeline.venue_token_price_usd[400]).toBeLessThan(0.3);
    expect(r.stats.collateral_seized_usd).toBeGreaterThan(0);
  });

  it('refuses a collateralPrice shock when collateral is off, naming the shock', () => {
    const spec = smallScenario('token-crash', ['collateral.enabled=false'], 50, 400);
    expect(() => runSimulation({ ...spec, seed: 1 })).toThrow(UserError);
    expect(() => runSimulation({ ...spec, seed: 1 })).toThrow(/shocks\[2\]\.kind/);
  });

  it('refuses shares summing above 1', () => {
    const r = ConfigSchema.safeParse({ collateral: { enabled: true, stablecoin: { share: 0.9 } } });
    expect(r.success).toBe(false);
  });

  it('haircuts lower insolvency when the venue token crashes with the market (20 seeds): traders must post more token value per dollar of margin, so the crash leaves more behind each position', () => {
    const run = (h: number) =>
      // A fund of 125k (2.5x the small world's scaled default) so that the comparison is not insolvent either way.
      runSeeds(
        smallScenario(
          'token-crash',
          [`collateral.venueToken.haircut=${h}`, 'protocol.insuranceFundUsd=125000'],
          500,
          600,
        ),
        20,
      ).map((r) => r.stats);
    const none = run(0);
    const half = run(0.5);
    const p = (s: typeof none) => mean(s.map((x) => x.insolvent));
    const debt = (s: typeof none) => mean(s.map((x) => x.uncovered_bad_debt_usd));
    console.log(
      `token-crash: venue-token haircut 0 -> 0.5: P(insolvent) ${p(none).toFixed(2)} -> ${p(half).toFixed(2)}, mean uncovered bad debt ${debt(none).toFixed(0)} -> ${debt(half).toFixed(0)}, mean bad debt ${mean(none.map((x) => x.bad_debt_usd)).toFixed(0)} -> ${mean(half.map((x) => x.bad_debt_usd)).toFixed(0)}`,
    );
    expect(debt(half)).toBeLessThan(debt(none));
    expect(p(half)).toBeLessThan(p(none));
  });
});
