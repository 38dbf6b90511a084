// The perpetual-futures venue on hand-built small worlds: margin checks, the liquidation scan,
// liquidation fees, loss resolution (insurance fund, socialization), deficits carried in the cost
// basis, position accounting, and the liquidation heap against a brute-force scan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type Config } from '../../sim/config/index.js';
import { positionAfter } from '../../sim/perp/perp-venue.js';
import {
  LIQUIDATOR,
  MAKER,
  T0,
  bookAccount,
  cashEvent,
  replayAgainstScan,
  fundingEvent,
  liquidate,
  liquidateEvent,
  priceEvent,
  setPrice,
  tradeEvent,
  venueWorld as world,
  type VenueWorld as World,
} from '../helpers/venue-world.js';
import { propertyRuns } from '../helpers/property-runs.js';

describe('margin checks', () => {
  it('refuses to open a position below initial margin and records the refusal instead of throwing', () => {
    const w = world();
    w.venue.deposit(T0, 100);
    // 1 unit at 3000 needs 5% = 150 USD of equity after the fee.
    const out = w.venue.apply({ kind: 'trade', account: T0, size: 1, depositUsd: 0 });
    expect(out).toEqual({ ok: false, reason: 'initial-margin' });
    expect(w.accounts.size[T0]).toBe(0);
    expect(w.accounts.cash[T0]).toBe(100);
    expect(w.venue.counters.refused).toBe(1);
    expect(w.venue.totals.refusals['initial-margin']).toBe(1);
  });

  it('accepts the same position when equity after the fee covers initial margin', () => {
    const w = world();
    w.venue.deposit(T0, 152);
    const out = w.venue.apply({ kind: 'trade', account: T0, size: 1, depositUsd: 0 });
    expect(out).toEqual({ ok: true });
    expect(w.accounts.size[T0]).toBe(1);
    expect(w.venue.totals.tradingFeesUsd).toBeCloseTo(1.5, 6);
    expect(w.accounts.cash[T0]).toBeCloseTo(150.5, 6);
  });

  it('refuses a withdrawal that would leave equity below initial margin', () => {
    const w = world();
    w.venue.deposit(T0, 1000);
    w.venue.openGenesisPosition(T0, 1, 3000);
    // Initial margin is 150: withdrawing 900 leaves 100.
    const out = w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 900 });
    expect(out).toEqual({ ok: false, reason: 'initial-margin' });
    expect(w.accounts.cash[T0]).toBe(1000);
    expect(w.venue.totals.withdrawalsUsd).toBe(0);
  });

  it('allows a withdrawal that keeps equity above initial margin', () => {
    const w = world();
    w.venue.deposit(T0, 1000);
    w.venue.openGenesisPosition(T0, 1, 3000);
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 800 })).toEqual({ ok: true });
    expect(w.accounts.cash[T0]).toBe(200);
    expect(w.venue.totals.withdrawalsUsd).toBe(800);
  });

  it('refuses a withdrawal larger than the collateral even without a position', () => {
    const w = world();
    w.venue.deposit(T0, 100);
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 101 })).toEqual({
      ok: false,
      reason: 'exceeds-collateral',
    });
  });
});

describe('the liquidation scan', () => {
  // Long 1 unit from 3000 with 200 USD: equity 200 + (p - 3000) < 0.03 p below p = 2800 / 0.97 = 2886.6.
  function longAtRisk(): World {
    const w = world();
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, 1, 3000);
    return w;
  }

  it('does not flag a long whose equity is still above maintenance', () => {
    const w = longAtRisk();
    setPrice(w, 2890);
    w.venue.refreshLiquidatable(1);
    expect(w.venue.isLiquidatable(T0)).toBe(false);
    expect(w.venue.flagged).toEqual([]);
  });

  it('does not flag an account until refreshLiquidatable runs, then flags it with the step', () => {
    const w = longAtRisk();
    setPrice(w, 2880);
    expect(w.venue.isLiquidatable(T0)).toBe(true);
    expect(w.venue.flagged).toEqual([]);
    w.venue.refreshLiquidatable(7);
    expect(w.venue.flagged).toEqual([T0]);
    expect(w.accounts.flagStep[T0]).toBe(7);
  });

  it('flags a short once the price rises past its maintenance threshold', () => {
    const w = world();
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, -1, 3000);
    // Equity 200 - (p - 3000) < 0.03 p above p = 3200 / 1.03 = 3106.8.
    setPrice(w, 3100);
    w.venue.refreshLiquidatable(1);
    expect(w.venue.flagged).toEqual([]);
    setPrice(w, 3110);
    w.venue.refreshLiquidatable(2);
    expect(w.venue.flagged).toEqual([T0]);
  });

  it('unflags an account when the price recovers above maintenance', () => {
    const w = longAtRisk();
    setPrice(w, 2880);
    w.venue.refreshLiquidatable(1);
    setPrice(w, 2950);
    w.venue.refreshLiquidatable(2);
    expect(w.venue.flagged).toEqual([]);
    expect(w.accounts.flagStep[T0]).toBe(-1);
  });

  it('flags an account that funding payments push below maintenance at an unchanged price', () => {
    const w = world({ protocol: { funding: { ...DEFAULT_CONFIG.protocol.funding, intervalSteps: 1 } } });
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, 1, 3000);
    let step = 0;
    w.venue.refreshLiquidatable(step);
    expect(w.venue.flagged).toEqual([]);
    // Mark at twice the oracle: longs pay the capped rate, 0.04 / 60 of the price = 2 USD per unit per step.
    while (step < 200 && w.venue.flagged.length === 0) {
      step++;
      w.venue.accrueFunding(step, 6000);
      w.venue.refreshLiquidatable(step);
    }
    // 200 - 2 n < 90 first at n = 56.
    expect(step).toBe(56);
    expect(w.venue.flagged).toEqual([T0]);
    expect(w.venue.equity(T0)).toBeLessThan(0.03 * 3000);
  });

  it('refuses to liquidate an account that is not liquidatable', () => {
    const w = longAtRisk();
    expect(liquidate(w, T0)).toEqual({ ok: false, reason: 'not-liquidatable' });
    expect(w.accounts.size[T0]).toBe(1);
  });
});

describe('liquidation', () => {
  it('pays the liquidation fee split between the liquidator and the insurance fund', () => {
    const w = world({ protocol: { liquidationMode: 'full' } });
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, 1, 3000);
    setPrice(w, 2880);
    w.venue.refreshLiquidatable(1);
    const fundBefore = w.venue.insuranceFundUsd;
    expect(liquidate(w, T0)).toEqual({ ok: true });
    // Fee 1.5% of 2880 = 43.2, half to each; equity left: 200 - 120 - 43.2 = 36.8.
    expect(w.venue.totals.liquidationFeesToLiquidatorsUsd).toBeCloseTo(21.6, 9);
    expect(w.venue.totals.liquidationFeesToInsuranceUsd).toBeCloseTo(21.6, 9);
    expect(w.venue.insuranceFundUsd - fundBefore).toBeCloseTo(21.6, 9);
    expect(w.accounts.size[T0]).toBe(0);
    expect(w.accounts.cash[T0]).toBeCloseTo(36.8, 9);
    expect(w.venue.totals.liquidations).toBe(1);
    expect(w.venue.totals.liquidatedNotionalUsd).toBeCloseTo(2880, 9);
    expect(w.venue.flagged.includes(T0) && w.accounts.flagStep[T0] >= 0).toBe(false);
  });

  it("credits the liquidator's share of the fee to the liquidator's collateral", () => {
    const w = world({ protocol: { liquidationMode: 'full', takerFeeRate: 0 } });
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, 1, 3000);
    setPrice(w, 2880);
    const before = w.accounts.cash[LIQUIDATOR];
    liquidate(w, T0);
    // Taken over at the oracle price and sold at the mark (equal here): only the fee remains.
    expect(w.accounts.cash[LIQUIDATOR] - before).toBeCloseTo(21.6, 4);
    expect(w.accounts.size[LIQUIDATOR]).toBe(0);
  });

  it('caps the insurance share of the fee at the equity the account has left', () => {
    const w = world({ protocol: { liquidationMode: 'full' } });
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, 1, 3000);
    setPrice(w, 2820);
    // Equity 20 after the takeover; the liquidator's 21.15 comes first, leaving nothing for the fund.
    const fundBefore = w.venue.insuranceFundUsd;
    liquidate(w, T0);
    expect(w.venue.totals.liquidationFeesToInsuranceUsd).toBe(0);
    expect(w.venue.totals.liquidationFeesToLiquidatorsUsd).toBeCloseTo(21.15, 9);
    // The 1.15 USD the account could not pay is bad debt drawn from the fund.
    expect(w.venue.totals.badDebtUsd).toBeCloseTo(1.15, 9);
    expect(fundBefore - w.venue.insuranceFundUsd).toBeCloseTo(1.15, 9);
  });

  it('closes just enough of the position in partial mode to restore initial margin', () => {
    const w = world({ protocol: { liquidationMode: 'partial', minLiquidationNotionalUsd: 0 } });
    w.venue.deposit(T0, 2000);
    w.venue.openGenesisPosition(T0, 10, 3000);
    setPrice(w, 2880);
    w.venue.refreshLiquidatable(1);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    const q = w.accounts.size[T0];
    expect(q).toBeGreaterThan(0);
    expect(q).toBeLessThan(10);
    // After the fee the account sits at initial margin (to rounding).
    expect(w.venue.equity(T0) / (Math.abs(q) * 2880)).toBeCloseTo(0.05, 6);
    expect(w.venue.isLiquidatable(T0)).toBe(false);
  });
});

describe('loss resolution', () => {
  /** T0 long 1 from 3000 with 200 USD, liquidated in full at 2700: a shortfall of 100 + the 20.25 fee. */
  function underwater(protocol: Partial<Config['protocol']>, traders = 2): World {
    const w = world({ traders, protocol: { liquidationMode: 'full', ...protocol } });
    w.venue.deposit(T0, 200);
    w.venue.openGenesisPosition(T0, 1, 3000);
    return w;
  }
  const SHORTFALL = 100 + 0.0075 * 2700;

  it("draws a closed account's shortfall from the insurance fund", () => {
    const w = underwater({ insuranceFundUsd: 1000 });
    setPrice(w, 2700);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    expect(w.accounts.cash[T0]).toBe(0);
    expect(w.venue.totals.badDebtUsd).toBeCloseTo(SHORTFALL, 9);
    expect(w.venue.insuranceFundUsd).toBeCloseTo(1000 - SHORTFALL, 9);
    expect(w.venue.totals.uncoveredBadDebtUsd).toBe(0);
    expect(w.venue.pendingSocializationUsd).toBe(0);
  });

  it('socializes the uncovered remainder over accounts in profit, pro rata, at the end of the step', () => {
    const w = underwater({ insuranceFundUsd: 50 }, 3);
    // Two shorts in profit at 2700: 300 and 100 USD.
    w.venue.deposit(T0 + 1, 1000);
    w.venue.openGenesisPosition(T0 + 1, -1, 3000);
    w.venue.deposit(T0 + 2, 1000);
    w.venue.openGenesisPosition(T0 + 2, -1, 2800);
    setPrice(w, 2700);
    liquidate(w, T0);
    const uncovered = SHORTFALL - 50;
    expect(w.venue.insuranceFundUsd).toBe(0);
    expect(w.venue.totals.uncoveredBadDebtUsd).toBeCloseTo(uncovered, 9);
    expect(w.venue.pendingSocializationUsd).toBeCloseTo(uncovered, 9);
    const pnl = (i: number) => w.accounts.size[i] * 2700 - w.accounts.cost[i];
    expect(pnl(T0 + 1)).toBeCloseTo(300, 9);
    // The makers, long 2 from an average 2750, are in loss and take no share.
    expect(pnl(MAKER)).toBeLessThan(0);
    w.venue.endStep();
    expect(w.venue.pendingSocializationUsd).toBe(0);
    expect(w.venue.totals.socializedLossUsd).toBeCloseTo(uncovered, 9);
    expect(w.venue.totals.unresolvedBadDebtUsd).toBeCloseTo(0, 9);
    expect(pnl(T0 + 1)).toBeCloseTo(300 - (uncovered * 3) / 4, 9);
    expect(pnl(T0 + 2)).toBeCloseTo(100 - uncovered / 4, 9);
    // A haircut on profit, not on collateral.
    expect(w.accounts.cash[T0 + 1]).toBe(1000);
  });

  it('leaves the uncovered remainder unresolved when socializeLosses is false', () => {
    const w = underwater({ insuranceFundUsd: 50, socializeLosses: false }, 3);
    w.venue.deposit(T0 + 1, 1000);
    w.venue.openGenesisPosition(T0 + 1, -1, 3000);
    setPrice(w, 2700);
    liquidate(w, T0);
    const costBefore = w.accounts.cost[T0 + 1];
    w.venue.endStep();
    expect(w.venue.totals.socializedLossUsd).toBe(0);
    expect(w.venue.totals.unresolvedBadDebtUsd).toBeCloseTo(SHORTFALL - 50, 9);
    expect(w.accounts.cost[T0 + 1]).toBe(costBefore);
  });

  it('socializes only as much as the unrealized profit there is and leaves the rest unresolved', () => {
    const w = underwater({ insuranceFundUsd: 0 }, 2);
    w.venue.deposit(T0 + 1, 1000);
    w.venue.openGenesisPosition(T0 + 1, -1, 2710);
    // The book buys the liquidated long at 2900 while the oracle says 2700, so the makers end long
    // 1 from 2610 (90 USD of profit) and the short holds 10: 100 USD in all, less than the shortfall.
    w.market.indexPriceUsd = 2900;
    w.venue.setPrices(2700, 2900);
    liquidate(w, T0);
    const profit = (i: number) => Math.max(0, w.accounts.size[i] * 2700 - w.accounts.cost[i]);
    const total = () => [MAKER, LIQUIDATOR, T0, T0 + 1].reduce((s, i) => s + profit(i), 0);
    expect(total()).toBeCloseTo(100, 4);
    w.venue.endStep();
    expect(w.venue.totals.socializedLossUsd).toBeCloseTo(100, 4);
    expect(w.venue.totals.unresolvedBadDebtUsd).toBeCloseTo(SHORTFALL - 100, 4);
    expect(total()).toBeCloseTo(0, 6);
  });

  it('keeps collateral non-negative and carries funding owed beyond it in the cost basis', () => {
    const w = world({
      priceUsd: 3300,
      protocol: { funding: { ...DEFAULT_CONFIG.protocol.funding, intervalSteps: 1 } },
    });
    // Long 10 from 3000 at 3300: 1,500 of collateral and 3,000 of unrealized profit.
    w.venue.deposit(T0, 1500);
    w.venue.openGenesisPosition(T0, 10, 3000);
    // Mark at twice the oracle: longs pay the capped 0.04 / 60 of 3300 = 2.2 USD per unit per step,
    // 2,200 USD over 100 steps, more than the collateral.
    for (let step = 0; step < 100; step++) w.venue.accrueFunding(step, 6600);
    const equityBefore = w.venue.equity(T0);
    const costBefore = w.accounts.cost[T0];
    expect(equityBefore).toBeCloseTo(1500 + 3000 - 2200, 6);
    // Any trade settles the funding owed.
    expect(w.venue.apply({ kind: 'trade', account: T0, size: -1e-6, depositUsd: 0 })).toEqual({ ok: true });
    // What is left is the profit the tiny sale realized (about 0.0002 USD).
    expect(w.accounts.cash[T0]).toBeGreaterThanOrEqual(0);
    expect(w.accounts.cash[T0]).toBeLessThan(0.001);
    expect(w.accounts.cost[T0] - costBefore).toBeCloseTo(700, 1);
    expect(w.venue.equity(T0)).toBeCloseTo(equityBefore, 4);
  });

  it('keeps collateral at zero and carries a taker fee beyond it in the cost basis', () => {
    const w = world({ priceUsd: 3300 });
    // Almost no collateral, but 3,000 of unrealized profit backing the margin.
    w.venue.deposit(T0, 0.01);
    w.venue.openGenesisPosition(T0, 10, 3000);
    const equityBefore = w.venue.equity(T0);
    const costBefore = w.accounts.cost[T0];
    expect(w.venue.apply({ kind: 'trade', account: T0, size: 1, depositUsd: 0 })).toEqual({ ok: true });
    const fee = 0.0005 * 3300;
    expect(w.accounts.cash[T0]).toBe(0);
    expect(w.accounts.cost[T0] - costBefore).toBeCloseTo(3300 + fee - 0.01, 4);
    expect(w.venue.equity(T0)).toBeCloseTo(equityBefore - fee, 4);
  });

  it('refuses a trade that would leave an underwater account with negative equity, and records the refusal', () => {
    const w = world({ priceUsd: 2800 });
    w.venue.deposit(T0, 1500);
    w.venue.openGenesisPosition(T0, 10, 3000);
    expect(w.venue.equity(T0)).toBeCloseTo(-500, 6);
    // Closing would realize -1,800 against 1,500 of collateral: only a liquidation may close it.
    expect(w.venue.apply({ kind: 'trade', account: T0, size: -9, depositUsd: 0 })).toEqual({
      ok: false,
      reason: 'negative-equity',
    });
    expect(w.accounts.size[T0]).toBe(10);
    expect(w.accounts.cash[T0]).toBe(1500);
    expect(w.venue.totals.refusals['negative-equity']).toBe(1);
  });
});

describe('positionAfter', () => {
  it('adds to the cost basis without realizing anything when a position grows', () => {
    expect(positionAfter(10, 30_000, 5, 3300)).toEqual({ size: 15, cost: 46_500, realized: 0 });
  });

  it('realizes the closed share of the PnL on a partial close of a long', () => {
    const r = positionAfter(10, 30_000, -4, 3300);
    expect(r.size).toBe(6);
    expect(r.cost).toBeCloseTo(18_000, 9);
    expect(r.realized).toBeCloseTo(1200, 9);
  });

  it('realizes the closed share of the PnL on a partial close of a short', () => {
    const r = positionAfter(-10, -30_000, 4, 2700);
    expect(r.size).toBe(-6);
    expect(r.cost).toBeCloseTo(-18_000, 9);
    expect(r.realized).toBeCloseTo(1200, 9);
  });

  it('realizes all the PnL and leaves no cost on a full close', () => {
    expect(positionAfter(10, 30_000, -10, 2900)).toEqual({ size: 0, cost: 0, realized: -1000 });
  });

  it('realizes all the PnL and opens the rest at the trade price on a flip', () => {
    expect(positionAfter(10, 30_000, -15, 3100)).toEqual({ size: -5, cost: -15_500, realized: 1000 });
  });

  it('opens a position from flat at the trade price', () => {
    expect(positionAfter(0, 0, -2, 3000)).toEqual({ size: -2, cost: -6000, realized: 0 });
  });
});

describe('the liquidation heap', () => {
  const account = bookAccount(1500, 4500, 20_000);
  const event = fc.oneof(
    priceEvent(1000, 5000),
    fundingEvent,
    tradeEvent,
    cashEvent('deposit'),
    cashEvent('withdraw'),
    liquidateEvent,
  );

  it('still flags exactly the liquidatable accounts after lazy-deletion entries force a rebuild of the heaps', () => {
    const w = world({ traders: 6 });
    for (let k = 0; k < 6; k++) {
      w.venue.deposit(T0 + k, 200 + 50 * k);
      w.venue.openGenesisPosition(T0 + k, k % 2 ? -1 : 1, 3000);
    }
    // Each deposit re-files the account, leaving a stale entry behind: far more than 3 x accounts + 1024.
    for (let n = 0; n < 3000; n++) w.venue.deposit(T0 + (n % 6), 0.01);
    for (const [step, price] of [2850, 3170, 2700, 3300].entries()) {
      setPrice(w, price);
      w.venue.refreshLiquidatable(step);
      const brute = [0, 1, 2, 3, 4, 5].map((k) => T0 + k).filter((i) => w.venue.isLiquidatable(i));
      expect(brute.length).toBeGreaterThan(0);
      expect([...w.venue.flagged].sort((a, b) => a - b)).toEqual(brute);
    }
  });

  it('flags exactly the accounts a brute-force isLiquidatable scan finds, after every refresh', () => {
    fc.assert(
      fc.property(
        fc.array(account, { minLength: 1, maxLength: 40 }),
        fc.array(event, { minLength: 1, maxLength: 60 }),
        fc.constantFrom<'partial' | 'full'>('partial', 'full'),
        fc.double({ min: 0.005, max: 0.1, noNaN: true }),
        (book, events, liquidationMode, mmr) => {
          const w = world({
            traders: book.length,
            depthUsdPerPct: 1e6,
            protocol: {
              liquidationMode,
              maintenanceMarginRate: mmr,
              initialMarginRate: Math.min(1, 1.5 * mmr),
              insuranceFundUsd: 1e4,
              funding: { ...DEFAULT_CONFIG.protocol.funding, intervalSteps: 1 },
            },
          });
          replayAgainstScan(w, book, events);
        },
      ),
      { seed: 42, numRuns: propertyRuns(1000) },
    );
  });
});
