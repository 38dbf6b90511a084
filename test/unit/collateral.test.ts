// Multi-asset collateral (issue 7): haircuts in the margin test, the genesis gross-up, collateral sold
// before a shortfall becomes bad debt, holders re-checked as collateral prices move, the depeg shock,
// config errors, and the directional test: haircuts lower insolvency when the venue token crashes
// with the market.
import { describe, expect, it } from 'vitest';
import { CollateralBook, collateralAssets, type CollateralAssetSpec } from '../../sim/perp/collateral.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { ConservationCheck, runSimulation } from '../../sim/engine.js';
import { UserError } from '../../sim/core/errors.js';
import { streamFor } from '../../sim/core/rng.js';
import { postGenesisCollateral } from '../../sim/perp/world.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';
import { liquidate, setPrice, T0, trade, venueWorld } from '../helpers/venue-world.js';

const cfg = ConfigSchema.parse({ collateral: { enabled: true } }).collateral;

/** A venue with one trader holding 1,000 USD of margin posted by the default shares, grossed up for haircuts. */
function world(protocol: NonNullable<Parameters<typeof venueWorld>[0]>['protocol'] = {}) {
  // Full liquidations: the position closes at once, so a loss beyond the cash reaches shortfall resolution.
  const w = venueWorld({ traders: 1, priceUsd: 100, protocol: { liquidationMode: 'full', ...protocol } });
  const assets = collateralAssets(cfg);
  const book = new CollateralBook(
    assets,
    w.accounts.count,
    60,
    assets.map((_, a) => streamFor(1, `c${a}`)),
  );
  w.venue.deposit(T0, 1000);
  postGenesisCollateral(w.venue, book, [T0]);
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

/** A venue with one trader holding 1,000 USD of margin posted into the assets of `assets`. */
function worldOf(assets: CollateralAssetSpec[]) {
  const w = venueWorld({ traders: 1, priceUsd: 100, protocol: { liquidationMode: 'full' } });
  const book = new CollateralBook(
    assets,
    w.accounts.count,
    60,
    assets.map((a) => streamFor(1, `collateral.${a.name}`)),
  );
  w.venue.deposit(T0, 1000);
  postGenesisCollateral(w.venue, book, [T0]);
  w.venue.setCollateral(book);
  return { ...w, book };
}

const asset = (name: string, share: number, haircut: number, more: Partial<CollateralAssetSpec> = {}) => ({
  name,
  share,
  haircut,
  initialPriceUsd: 1,
  annualVolatility: 0,
  indexBeta: 0,
  ...more,
});

describe('the list of collateral assets', () => {
  it("is the config's three sections, in book order, with their roles and the venue token's stress beta", () => {
    const assets = collateralAssets(cfg);
    expect(assets.map((a) => a.name)).toEqual(['stablecoin', 'volatile', 'venueToken']);
    expect(assets.map((a) => a.role)).toEqual(['stablecoin', undefined, 'venueToken']);
    expect(assets.map((a) => a.stressBeta)).toEqual([undefined, undefined, cfg.venueToken.stressBeta]);
    expect(assets.map((a) => a.haircut)).toEqual([
      cfg.stablecoin.haircut,
      cfg.volatile.haircut,
      cfg.venueToken.haircut,
    ]);
  });

  it('runs a book of four assets: genesis gross-up, haircuts, a shock on the fourth, stress on the reflexive ones, sale in list order', () => {
    const assets = [
      asset('usdc', 0.4, 0),
      asset('eth', 0.2, 0.2, { indexBeta: 1 }),
      asset('token', 0.1, 0.5, { stressBeta: 5, role: 'venueToken' }),
      asset('lst', 0.2, 0.1, { initialPriceUsd: 2 }),
    ];
    const w = worldOf(assets);
    const grossUp = 1 / (1 - (0.2 * 0.2 + 0.1 * 0.5 + 0.2 * 0.1));
    expect(w.venue.equity(T0)).toBeCloseTo(1000, 9);
    expect(w.book.marketValue(T0)).toBeCloseTo(1000 * grossUp * 0.9, 9);
    expect(w.accounts.cash[T0]).toBeCloseTo(1000 * grossUp * 0.1, 9);
    expect(w.book.balances[3][T0]).toBeCloseTo((0.2 * 1000 * grossUp) / 2, 9);
    expect(w.book.indexOfRole('venueToken')).toBe(2);
    expect(w.book.indexOfRole('stablecoin')).toBe(-1);
    // The index falls 10%, the fourth asset has a -20% shock, 10% of open interest was liquidated.
    w.book.advance(Math.log(0.9), [0, 0, 0, Math.log(0.8)], 0.1);
    expect(w.book.prices[0]).toBe(1);
    expect(w.book.prices[1]).toBeCloseTo(0.9, 12);
    expect(w.book.prices[2]).toBeCloseTo(Math.exp(-0.5), 12);
    expect(w.book.prices[3]).toBeCloseTo(1.6, 12);
    expect(w.book.revaluationUsd).toBeCloseTo(w.book.totalMarketValue() - 1000 * grossUp * 0.9, 9);
    new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(1, w.venue, true);
    // A shortfall takes the first asset first and leaves the last untouched (the venue credits what it raises).
    const usdc = w.book.balances[0][T0];
    expect(w.book.seize(T0, usdc / 2)).toBeCloseTo(usdc / 2, 9);
    expect(w.book.balances[0][T0]).toBeCloseTo(usdc / 2, 9);
    expect(w.book.balances[3][T0]).toBeCloseTo((0.2 * 1000 * grossUp) / 2, 9);
  });

  it('runs a book of two assets and liquidates a holder through it', () => {
    const w = worldOf([asset('usdc', 0.6, 0), asset('eth', 0.4, 0.25, { indexBeta: 1 })]);
    expect(w.venue.equity(T0)).toBeCloseTo(1000, 9);
    expect(w.book.marketValue(T0)).toBeCloseTo(1000 / (1 - 0.4 * 0.25), 9);
    expect(trade(w, T0, 150).ok).toBe(true);
    // At 98 the loss of 300 leaves about 700 against a maintenance margin of 441; the second asset's fall
    // to a tenth (the index -90%, beta 1) takes 300 more.
    setPrice(w, 98);
    w.venue.refreshLiquidatable(1);
    expect(w.venue.flagged).toEqual([]);
    w.book.advance(Math.log(0.1), [0, 0], 0);
    w.venue.refreshLiquidatable(2);
    expect(w.venue.flagged).toEqual([T0]);
    setPrice(w, 95);
    expect(liquidate(w, T0).ok).toBe(true);
    expect(w.book.seizedUsd).toBeGreaterThan(0);
    new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(1, w.venue, true);
  });

  it('refuses a book whose streams do not match its assets', () => {
    expect(() => new CollateralBook([asset('a', 0.5, 0)], 2, 60, [])).toThrow(/1 assets but 0 streams/);
  });

  it('lays the shock schedule out with a stride of the list length and names an unknown asset', () => {
    const names = ['usdc', 'eth', 'stablecoin', 'lst'];
    const s = compileShocks(
      [{ kind: 'collateralPrice', asset: 'stablecoin', step: 2, steps: 2, pct: -0.1 }],
      new Map(),
      5,
      60,
      'four.yaml',
      undefined,
      names,
    );
    expect(s.collateralAssets).toEqual(names);
    expect(s.collateralLogReturn.length).toBe(4 * 5);
    const moved = [...s.collateralLogReturn.keys()].filter((i) => s.collateralLogReturn[i] !== 0);
    expect(moved).toEqual([4 * 2 + 2, 4 * 3 + 2]);
    expect(() =>
      compileShocks(
        [{ kind: 'collateralPrice', asset: 'volatile', step: 0, steps: 1, pct: -0.1 }],
        new Map(),
        5,
        60,
        'two.yaml',
        undefined,
        ['usdc', 'eth'],
      ),
    ).toThrow(/shocks\[0\]\.asset: unknown collateral asset 'volatile'/);
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
