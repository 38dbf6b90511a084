// Insurance fund inflows and claim cap, the backstop vault and auto-deleveraging (issue 7, "Backstop,
// insurance and loss resolution"): rules on hand-built venues (fee share arithmetic, the claim cap, the
// vault's trigger at 2/3 of maintenance and takeover at the oracle price, its capacity and unwind, the
// ADL ranking of each kind, fills at the bankruptcy price), properties (ADL leaves no bad debt and
// conserves value), and directions over 20 seeds of the small flash-crash world.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AccountKind, AccountStore, type AccountKindCode } from '../../sim/core/accounts.js';
import { ConfigSchema, DEFAULT_CONFIG, type Config } from '../../sim/config/index.js';
import { ConservationCheck, runSimulation, type ResolvedScenario } from '../../sim/engine.js';
import { Market } from '../../sim/market/market.js';
import { computeRunStats, createTimeline, type RunEnd } from '../../sim/perp/statistics.js';
import { PerpVenue } from '../../sim/perp/perp-venue.js';
import { Stream, streamFor } from '../../sim/core/rng.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';
import { propertyRuns } from '../helpers/property-runs.js';

const MAKER = 0;
const LIQUIDATOR = 1;
const T0 = 2;

interface World {
  venue: PerpVenue;
  market: Market;
  accounts: AccountStore;
  /** The backstop vault's account, or -1. */
  vault: number;
}

type Protocol = Omit<Partial<Config['protocol']>, 'insurance' | 'backstop' | 'adl'> & {
  insurance?: Partial<Config['protocol']['insurance']>;
  backstop?: Partial<Config['protocol']['backstop']>;
  adl?: Partial<Config['protocol']['adl']>;
};

/**
 * Maker (0), liquidator (1), `traders` traders and, when `protocol.backstop.enabled`, the vault last, at
 * 3000 on a book deep enough to fill at the price (impact about 1e-9). Full liquidations unless overridden.
 */
function world(traders: number, protocol: Protocol = {}): World {
  const kinds: AccountKindCode[] = [AccountKind.maker, AccountKind.liquidator];
  for (let k = 0; k < traders; k++) kinds.push(AccountKind.trader);
  const d = DEFAULT_CONFIG.protocol;
  const cfg: Config['protocol'] = {
    ...d,
    liquidationMode: 'full',
    ...protocol,
    insurance: { ...d.insurance, ...protocol.insurance },
    backstop: { ...d.backstop, ...protocol.backstop },
    adl: { ...d.adl, ...protocol.adl },
  };
  if (cfg.backstop.enabled) kinds.push(AccountKind.backstop);
  const accounts = new AccountStore(kinds);
  const market = new Market(
    { ...DEFAULT_CONFIG.market, initialPriceUsd: 3000, depthUsdPerPct: 1e15 },
    60,
    compileShocks([], new Map(), 100, 60, 'test'),
    streamFor(1, 'market.path'),
    streamFor(1, 'market.jumps'),
  );
  const venue = new PerpVenue(cfg, 60, accounts, market, MAKER, 3000);
  venue.deposit(MAKER, 1e9);
  venue.deposit(LIQUIDATOR, 1e7);
  const vault = cfg.backstop.enabled ? kinds.length - 1 : -1;
  if (vault >= 0) {
    venue.setBackstop(vault);
    venue.deposit(vault, cfg.backstop.capitalUsd);
  }
  return { venue, market, accounts, vault };
}

function setPrice(w: World, priceUsd: number): void {
  w.market.indexPriceUsd = priceUsd;
  w.venue.setPrices(priceUsd, priceUsd);
}

function liquidate(w: World, account: number, worstPriceUsd = w.accounts.size[account] > 0 ? 0 : Infinity) {
  return w.venue.apply({ kind: 'liquidate', liquidator: LIQUIDATOR, account, worstPriceUsd });
}

/** Funds trader `i` and opens its position of `size` at `entryUsd` against the makers. */
function open(w: World, i: number, size: number, entryUsd: number, collateralUsd: number): void {
  w.venue.deposit(i, collateralUsd);
  w.venue.openGenesisPosition(i, size, entryUsd);
}

/** Throws unless value is conserved (with the full ledger recomputation). */
function expectConserved(w: World): void {
  expect(() => new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(0, w.venue, true)).not.toThrow();
}

describe('insurance fund inflows and claim cap', () => {
  it('pays tradingFeeShare of every trading fee into the fund and keeps the rest as revenue', () => {
    const w = world(1, { takerFeeRate: 0.001, insuranceFundUsd: 1000, insurance: { tradingFeeShare: 0.4 } });
    w.venue.apply({ kind: 'trade', account: T0, size: 2, depositUsd: 10_000 });
    // Fee 0.001 x 2 x 3000 = 6 USD: 2.4 to the fund.
    expect(w.venue.totals.tradingFeesUsd).toBeCloseTo(6, 6);
    expect(w.venue.totals.tradingFeesToInsuranceUsd).toBeCloseTo(2.4, 6);
    expect(w.venue.insuranceFundUsd).toBeCloseTo(1002.4, 6);
    expectConserved(w);
  });

  it("adds the fund's share of the liquidation fee (1 - liquidatorFeeShare) and of the liquidator's closing fee", () => {
    const w = world(1, { takerFeeRate: 0.001, insuranceFundUsd: 1000, insurance: { tradingFeeShare: 0.4 } });
    // At 2800: equity 80 below maintenance 84.
    open(w, T0, 1, 3000, 280);
    setPrice(w, 2800);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    // Liquidation fee 0.015 x 2800 = 42, half to the fund; the liquidator's sale pays 2.8 of taker fee, 40% to the fund.
    expect(w.venue.totals.liquidationFeesToInsuranceUsd).toBeCloseTo(21, 6);
    expect(w.venue.insuranceFundUsd).toBeCloseTo(1000 + 21 + 1.12, 6);
    expectConserved(w);
  });

  it('caps the cumulative claims of the market at claimCapUsd and leaves the excess uncovered', () => {
    const w = world(2, { insuranceFundUsd: 1000, socializeLosses: false, insurance: { claimCapUsd: 50 } });
    open(w, T0, 1, 3000, 200);
    open(w, T0 + 1, 1, 3000, 200);
    setPrice(w, 2700);
    // Each shortfall: -100 of equity less the liquidator's 0.0075 x 2700 = 120.25 USD.
    liquidate(w, T0);
    expect(w.venue.totals.badDebtUsd).toBeCloseTo(120.25, 9);
    expect(w.venue.totals.insuranceClaimsUsd).toBeCloseTo(50, 9);
    expect(w.venue.insuranceFundUsd).toBeCloseTo(950, 9);
    expect(w.venue.totals.uncoveredBadDebtUsd).toBeCloseTo(70.25, 9);
    liquidate(w, T0 + 1);
    expect(w.venue.insuranceFundUsd).toBeCloseTo(950, 9);
    expect(w.venue.totals.uncoveredBadDebtUsd).toBeCloseTo(70.25 + 120.25, 9);
    w.venue.endStep();
    expectConserved(w);
  });

  it('counts latent bad debt beyond what the claim cap still allows as uncovered, even with the fund still full', () => {
    const tl = createTimeline(1);
    tl.insurance_fund_usd[0] = 1000;
    tl.index_price_usd[0] = tl.mark_price_usd[0] = tl.oracle_price_usd[0] = 3000;
    const zero = Object.fromEntries(
      [
        'realizedBadDebtUsd',
        'realizedUncoveredUsd',
        'socializedLossUsd',
        'honestTraderPnlUsd',
        'protocolFeesUsd',
        'liquidations',
        'liquidatedNotionalUsd',
        'inducedLiquidations',
        'refusedActions',
        'oracleStaleSteps',
        'breakerTrips',
        'haltedSteps',
        'withdrawalsRefusedUsd',
        'alertSteps',
        'governanceChanges',
        'governanceRefused',
        'guardianPauses',
        'marginRateMax',
        'marginRebuilds',
        'marginLeadSteps',
        'backstopCapitalUsd',
        'backstopEquityEndUsd',
        'backstopTakeovers',
        'adlEvents',
        'adlNotionalUsd',
        'adlResolved',
        'insuranceFeeInflowUsd',
      ].map((k) => [k, 0]),
    ) as Omit<RunEnd, 'initialInsuranceUsd' | 'latentBadDebtUsd' | 'firstAlertStep'>;
    const end: RunEnd = { ...zero, initialInsuranceUsd: 1000, latentBadDebtUsd: 100, firstAlertStep: -1 };
    const m = DEFAULT_CONFIG.metrics;
    expect(computeRunStats(tl, end, m).uncovered_bad_debt_usd).toBe(0);
    expect(computeRunStats(tl, { ...end, insuranceClaimRoomUsd: 30 }, m).uncovered_bad_debt_usd).toBe(70);
  });
});

describe('the backstop vault', () => {
  /** Two longs of 10 at 3000; at 2900 maintenance is 870 and 2/3 of it 580: equity 700 and 400. */
  function twoLongs(backstop: Partial<Config['protocol']['backstop']>): World {
    const w = world(2, { backstop: { enabled: true, capitalUsd: 100_000, unwindFractionPerStep: 0, ...backstop } });
    open(w, T0, 10, 3000, 1700);
    open(w, T0 + 1, 10, 3000, 1400);
    setPrice(w, 2900);
    w.venue.refreshLiquidatable(1);
    return w;
  }

  it('takes over a position below 2/3 of maintenance at the oracle price, keeps its equity, and leaves one above it to the book', () => {
    const w = twoLongs({});
    expect([...w.venue.flagged].sort()).toEqual([T0, T0 + 1]);
    w.venue.runBackstop();
    const { accounts: a, vault: v } = w;
    expect(a.size[T0]).toBe(10);
    expect(a.size[T0 + 1]).toBe(0);
    expect(a.cash[T0 + 1]).toBe(0);
    expect(a.size[v]).toBe(10);
    expect(a.cost[v]).toBeCloseTo(29_000, 9);
    expect(a.cash[v]).toBeCloseTo(100_000 + 400, 9);
    expect(w.venue.backstopEquityUsd()).toBeCloseTo(100_400, 9);
    expect(w.venue.totals.backstopTakeovers).toBe(1);
    expect(w.venue.totals.liquidations).toBe(1);
    expect(w.venue.totals.badDebtUsd).toBe(0);
    expectConserved(w);
  });

  it('takes over a position whose book liquidation was refused for slippage, above the trigger', () => {
    const w = twoLongs({});
    expect(liquidate(w, T0, Infinity)).toEqual({ ok: false, reason: 'liquidator-slippage' });
    w.venue.runBackstop();
    expect(w.accounts.size[T0]).toBe(0);
    expect(w.accounts.size[w.vault]).toBe(20);
    expect(w.venue.totals.backstopTakeovers).toBe(2);
  });

  it('refuses a takeover its equity would not cover at initial margin, and is never liquidatable', () => {
    // After the takeover: 1000 + 400 of equity against 5% of 29,000 = 1450.
    const w = twoLongs({ capitalUsd: 1000 });
    w.venue.runBackstop();
    expect(w.accounts.size[T0 + 1]).toBe(10);
    expect(w.venue.totals.backstopRefused).toBe(1);
    expect(w.venue.isLiquidatable(w.vault)).toBe(false);
  });

  it('sells unwindFractionPerStep of its inventory into the book each step, paying the taker fee', () => {
    const w = twoLongs({ unwindFractionPerStep: 0.25 });
    w.venue.runBackstop();
    expect(w.accounts.size[w.vault]).toBeCloseTo(7.5, 9);
    w.venue.runBackstop();
    expect(w.accounts.size[w.vault]).toBeCloseTo(7.5 * 0.75, 9);
    // Two sales at 2900: 4.375 units of 0.0005 taker fee.
    expect(w.venue.totals.tradingFeesUsd).toBeCloseTo(0.0005 * 4.375 * 2900, 6);
    expect(w.accounts.totals.traderLong).toBe(10);
    expectConserved(w);
  });
});

describe('auto-deleveraging', () => {
  /**
   * A bankrupt long of 1 from 3000 with 200 of collateral (bankruptcy price 2800) and three shorts, at 2700
   * with an empty fund. Shorts: T0+1 -1 from 3000 with 200 (equity 500, leverage 5.4, PnL 10%), T0+2 -2
   * from 2800 with 600 (equity 800, leverage 6.75, PnL 3.6%), T0+3 -1 from 2650 with 2000 (equity 1950,
   * leverage 1.38, PnL -1.9%).
   */
  function bankrupt(
    ranking: Config['protocol']['adl']['ranking'],
    fund = 0,
    first = { entryUsd: 3000, usd: 200 },
  ): World {
    const w = world(4, { insuranceFundUsd: fund, lossResolution: 'adl', adl: { ranking } });
    open(w, T0, 1, 3000, 200);
    open(w, T0 + 1, -1, first.entryUsd, first.usd);
    open(w, T0 + 2, -2, 2800, 600);
    open(w, T0 + 3, -1, 2650, 2000);
    setPrice(w, 2700);
    return w;
  }

  it('ranks BitMEX style: PnL% x leverage in profit, PnL% / leverage at a loss (0.54, 0.24, -0.014)', () => {
    const w = bankrupt('bitmex');
    expect(w.venue.adlScore(T0 + 1, 'bitmex')).toBeCloseTo(0.1 * 5.4, 9);
    expect(w.venue.adlScore(T0 + 2, 'bitmex')).toBeCloseTo((200 / 5600) * 6.75, 9);
    expect(w.venue.adlScore(T0 + 3, 'bitmex')).toBeCloseTo(-50 / 2650 / (2700 / 1950), 9);
    expect(w.venue.adlOrder(T0, 1)).toEqual([T0 + 1, T0 + 2, T0 + 3]);
  });

  it('ranks Hyperliquid style: entry / oracle for shorts x notional / equity (6.0, 7.0, 1.36)', () => {
    const w = bankrupt('hyperliquid');
    expect(w.venue.adlScore(T0 + 1, 'hyperliquid')).toBeCloseTo((3000 / 2700) * 5.4, 9);
    expect(w.venue.adlScore(T0 + 2, 'hyperliquid')).toBeCloseTo((2800 / 2700) * 6.75, 9);
    expect(w.venue.adlOrder(T0, 1)).toEqual([T0 + 2, T0 + 1, T0 + 3]);
    // The makers hold the long side here; for a bankrupt short they are a counterparty like any account.
    // (T0, bankrupt, has no equity to give up.)
    expect(w.venue.adlOrder(T0 + 1, -1)).toEqual([MAKER]);
  });

  it('ranks dYdX style: the opposite accounts in index order from a seeded random start', () => {
    const starts = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const w = bankrupt('random');
      w.venue.adlStream = streamFor(seed, 'adl');
      const order = w.venue.adlOrder(T0, 1);
      const k = order.indexOf(T0 + 1);
      expect([...order.slice(k), ...order.slice(0, k)]).toEqual([T0 + 1, T0 + 2, T0 + 3]);
      starts.add(order[0]);
    }
    expect(starts.size).toBe(3);
  });

  it('closes the bankrupt position at its bankruptcy price against the first-ranked account: no bad debt, no fee', () => {
    const w = bankrupt('bitmex');
    let draws = 0;
    const stream = streamFor(1, 'adl');
    w.venue.adlStream = Object.assign(Object.create(Stream.prototype) as Stream, {
      int: (n: number) => (draws++, stream.int(n)),
    });
    expect(liquidate(w, T0)).toEqual({ ok: true });
    const a = w.accounts;
    expect(a.size[T0]).toBe(0);
    expect(a.cash[T0]).toBeCloseTo(0, 9);
    // T0+1 bought back its short at 2800 (not 2700): 200 realized on 200 of collateral.
    expect(a.size[T0 + 1]).toBe(0);
    expect(a.cash[T0 + 1]).toBeCloseTo(400, 9);
    expect(a.size[T0 + 2]).toBe(-2);
    const t = w.venue.totals;
    expect([t.badDebtUsd, t.uncoveredBadDebtUsd, t.liquidationFeesToLiquidatorsUsd]).toEqual([0, 0, 0]);
    expect([t.adlResolved, t.adlEvents, t.liquidations]).toEqual([1, 1, 1]);
    expect(t.adlNotionalUsd).toBeCloseTo(2800, 9);
    // Only the random ranking draws.
    expect(draws).toBe(0);
    expectConserved(w);
  });

  it('cuts a counterparty fill so its equity stays non-negative, and moves on to the next', () => {
    // T0+1 short 1 from 2720 with no collateral: 20 of equity at 135x, ranked first; at 100 USD per unit
    // above the oracle it can take 0.2 unit.
    const w = bankrupt('bitmex', 0, { entryUsd: 2720, usd: 0 });
    expect(w.venue.adlOrder(T0, 1)).toEqual([T0 + 1, T0 + 2, T0 + 3]);
    liquidate(w, T0);
    expect(w.accounts.size[T0 + 1]).toBeCloseTo(-0.8, 6);
    expect(w.venue.equity(T0 + 1)).toBeGreaterThanOrEqual(0);
    expect(w.venue.equity(T0 + 1)).toBeCloseTo(0, 4);
    expect(w.accounts.size[T0 + 2]).toBeCloseTo(-1.2, 6);
    expect(w.venue.totals.adlEvents).toBe(2);
    expect(w.venue.totals.badDebtUsd).toBe(0);
    expectConserved(w);
  });

  it('leaves the liquidation to the book while the fund covers the shortfall', () => {
    const w = bankrupt('bitmex', 1000);
    liquidate(w, T0);
    expect(w.venue.totals.adlResolved).toBe(0);
    expect(w.venue.totals.badDebtUsd).toBeCloseTo(100 + 0.0075 * 2700, 9);
    expect(w.venue.insuranceFundUsd).toBeCloseTo(1000 - 100 - 0.0075 * 2700, 9);
  });

  it('property: ADL of a random book at a random price leaves no bad debt unless every opposite account was emptied or taken to zero equity, never makes an equity negative, and conserves value', () => {
    const short = fc.record({
      size: fc.integer({ min: 1, max: 500 }).map((n) => -n / 100),
      entryUsd: fc.double({ min: 2000, max: 4000, noNaN: true }),
      collateralUsd: fc.double({ min: 0, max: 3000, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(short, { minLength: 1, maxLength: 6 }),
        fc.double({ min: 2000, max: 2990, noNaN: true }),
        fc.constantFrom('bitmex' as const, 'hyperliquid' as const, 'random' as const),
        fc.integer({ min: 0, max: 1000 }),
        (shorts, price, ranking, seed) => {
          const w = world(1 + shorts.length, { insuranceFundUsd: 0, lossResolution: 'adl', adl: { ranking } });
          w.venue.adlStream = streamFor(seed, 'adl');
          open(w, T0, 1, 3000, 100);
          shorts.forEach((s, k) => open(w, T0 + 1 + k, s.size, s.entryUsd, s.collateralUsd));
          setPrice(w, price);
          const before = shorts.map((_, k) => w.venue.equity(T0 + 1 + k));
          if (liquidate(w, T0).ok) {
            expect(w.accounts.size[T0]).toBe(0);
            const exhausted = [MAKER, ...shorts.map((_, k) => T0 + 1 + k)].every(
              (j) => w.accounts.size[j] >= 0 || w.venue.equity(j) <= 1e-6,
            );
            if (!exhausted) expect(w.venue.totals.badDebtUsd).toBe(0);
            shorts.forEach((_, k) => {
              if (before[k] >= 0) expect(w.venue.equity(T0 + 1 + k)).toBeGreaterThanOrEqual(-1e-9);
            });
          }
          w.venue.endStep();
          expectConserved(w);
        },
      ),
      { numRuns: propertyRuns(200), seed: 7 },
    );
  });
});

describe('value conservation with the fee share, claim cap, vault and ADL', () => {
  it('property: random small crashes under every resolution, with or without the vault, conserve value at every step (full ledger check) and yield finite statistics', () => {
    let adl = 0;
    let takeovers = 0;
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 0, max: 0xffffffff }),
          traders: fc.integer({ min: 30, max: 120 }),
          crashPct: fc.double({ min: -0.5, max: -0.1, noNaN: true }),
          outage: fc.double({ min: 0, max: 1, noNaN: true }),
          lossResolution: fc.constantFrom('socialize' as const, 'adl' as const, 'none' as const),
          ranking: fc.constantFrom('bitmex' as const, 'hyperliquid' as const, 'random' as const),
          backstop: fc.boolean(),
          vaultUsd: fc.double({ min: 0, max: 100_000, noNaN: true }),
          tradingFeeShare: fc.double({ min: 0, max: 1, noNaN: true }),
          claimCapUsd: fc.oneof(fc.constant(0), fc.double({ min: 1, max: 5_000, noNaN: true })),
          liquidationMode: fc.constantFrom('partial' as const, 'full' as const),
        }),
        (p) => {
          const k = p.traders / 10_000;
          const config = ConfigSchema.parse({
            run: { steps: 120 },
            market: { depthUsdPerPct: 15_000_000 * k },
            protocol: {
              liquidationMode: p.liquidationMode,
              insuranceFundUsd: 1_000_000 * k,
              lossResolution: p.lossResolution,
              adl: { ranking: p.ranking },
              insurance: { tradingFeeShare: p.tradingFeeShare, claimCapUsd: p.claimCapUsd },
              backstop: { enabled: p.backstop, capitalUsd: p.vaultUsd },
            },
            agents: {
              traders: { count: p.traders, arrivalsPerStep: 3 * k },
              liquidators: { capitalUsd: 2_000_000 * k },
              arbitrageurs: { capitalUsd: 3_000_000 * k },
              marketMakers: { capitalUsd: 50_000_000 * k },
            },
            invariants: { fullCheckEverySteps: 1 },
          });
          const scenario: ResolvedScenario = {
            name: 'property',
            description: 'a crash with a liquidator outage',
            source: 'property',
            shocks: [
              { kind: 'priceDrift', step: 20, steps: 5, pct: p.crashPct },
              { kind: 'depthDrain', step: 20, steps: 60, factor: 0.3 },
              { kind: 'liquidatorOutage', step: 20, steps: 30, share: p.outage },
            ],
            series: [],
          };
          const r = runSimulation({ scenario, config, seed: p.seed });
          for (const [key, value] of Object.entries(r.stats)) expect(Number.isFinite(value), key).toBe(true);
          if (p.lossResolution !== 'adl') expect(r.stats.adl_events).toBe(0);
          if (!p.backstop) expect(r.stats.backstop_takeovers).toBe(0);
          adl += r.stats.adl_resolved_positions;
          takeovers += r.stats.backstop_takeovers;
        },
      ),
      { seed: 11, numRuns: propertyRuns(40) },
    );
    // The generated crashes exercised both mechanisms.
    expect(adl).toBeGreaterThan(0);
    expect(takeovers).toBeGreaterThan(0);
  });

  it('leaves a default run unchanged by the new keys at their defaults, and socializeLosses: false still means none', () => {
    const spec = smallScenario('flash-crash', [], 200, 700);
    const base = runSimulation({ ...spec, seed: 3 });
    const explicit = runSimulation({
      ...smallScenario(
        'flash-crash',
        ['protocol.lossResolution=socialize', 'protocol.insurance.tradingFeeShare=0'],
        200,
        700,
      ),
      seed: 3,
    });
    expect(explicit.stats).toEqual(base.stats);
    const legacy = runSimulation({
      ...smallScenario('flash-crash', ['protocol.socializeLosses=false'], 200, 700),
      seed: 3,
    });
    const none = runSimulation({
      ...smallScenario('flash-crash', ['protocol.lossResolution=none'], 200, 700),
      seed: 3,
    });
    expect(none.stats).toEqual(legacy.stats);
    expect(none.stats.socialized_loss_usd).toBe(0);
  });
});

describe('loss resolution in the small flash-crash world, seeds 100..119', () => {
  const SEEDS = 20;
  const stat = (rs: { stats: Record<string, number> }[], k: string) => rs.map((r) => r.stats[k]);

  it('ADL leaves zero uncovered bad debt where socialized loss leaves some (once the fund cannot cover a bankruptcy, it is closed at its bankruptcy price against opposite positions, so no loss is left over)', () => {
    const socialized = runSeeds(smallScenario('flash-crash'), SEEDS);
    const uncovered = stat(socialized, 'uncovered_bad_debt_usd');
    expect(uncovered.filter((u) => u > 0).length).toBeGreaterThanOrEqual(15);
    for (const ranking of ['bitmex', 'hyperliquid', 'random']) {
      const adl = runSeeds(
        smallScenario('flash-crash', ['protocol.lossResolution=adl', `protocol.adl.ranking=${ranking}`]),
        SEEDS,
      );
      expect(stat(adl, 'uncovered_bad_debt_usd')).toEqual(Array(SEEDS).fill(0));
      expect(stat(adl, 'socialized_loss_usd')).toEqual(Array(SEEDS).fill(0));
      expect(mean(stat(adl, 'adl_resolved_positions'))).toBeGreaterThan(0);
      // What bad debt there is, the fund paid: never more than its initial 50,000 plus inflows.
      for (const r of adl)
        expect(r.stats.bad_debt_usd).toBeLessThanOrEqual(50_000 + r.stats.insurance_fee_inflow_usd + 1e-6);
    }
  });

  it('a backstop vault lowers bad debt with the liquidators out (it takes positions over at the oracle price before their equity is gone), and its LPs carry the loss of unwinding into the crash', () => {
    const out = ['agents.liquidators.count=0'];
    const vault = ['protocol.backstop.enabled=true', 'protocol.backstop.capitalUsd=250000'];
    const without = runSeeds(smallScenario('flash-crash', out), SEEDS);
    const withVault = runSeeds(smallScenario('flash-crash', [...out, ...vault]), SEEDS);
    const a = stat(without, 'bad_debt_usd');
    const b = stat(withVault, 'bad_debt_usd');
    expect(mean(b)).toBeLessThan(mean(a) / 2);
    // Measured: 25,302 -> 3,511 USD of mean bad debt, lower in 18 of 20 seeds.
    expect(b.filter((x, k) => x < a[k]).length).toBeGreaterThanOrEqual(16);
    expect(mean(stat(withVault, 'backstop_takeovers'))).toBeGreaterThan(0);
    expect(mean(stat(withVault, 'backstop_pnl_usd'))).toBeLessThan(0);
  });

  it('a backstop vault lowers bad debt with the liquidators at work too (it takes over, every step and without a liquidator capacity, the positions below 2/3 of maintenance the liquidators have not reached)', () => {
    const vault = ['protocol.backstop.enabled=true', 'protocol.backstop.capitalUsd=250000'];
    const a = stat(runSeeds(smallScenario('flash-crash'), SEEDS), 'bad_debt_usd');
    const withVault = runSeeds(smallScenario('flash-crash', vault), SEEDS);
    const b = stat(withVault, 'bad_debt_usd');
    // Measured: 74,482 -> 2,870 USD of mean bad debt, lower in all 20 seeds; the vault lost 72,794 USD on average.
    expect(mean(b)).toBeLessThan(mean(a) / 4);
    expect(b.filter((x, k) => x < a[k]).length).toBeGreaterThanOrEqual(18);
    expect(stat(withVault, 'uncovered_bad_debt_usd')).toEqual(Array(SEEDS).fill(0));
  });
});
