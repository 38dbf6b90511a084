// Circuit breakers on hand-fed prices (the price-band halt, the withdrawal rate limit) and the venue's
// breaker rules on hand-built small worlds: halts, the open-interest cap, OI-scaled initial margin,
// the liquidation throughput cap, the withdrawal limit and confidence-aware margin prices.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PriceBandBreaker, WithdrawalLimiter } from '../../sim/controls/breakers.js';
import { ConfigSchema, DEFAULT_CONFIG, type Config } from '../../sim/config/index.js';
import {
  T0,
  bookAccount,
  replayAgainstScan,
  fundingEvent,
  liquidate,
  liquidateEvent,
  setPrice,
  trade,
  tradeEvent,
  venueWorld,
  type VenueWorld as World,
  type VenueWorldOptions,
} from '../helpers/venue-world.js';
import { propertyRuns } from '../helpers/property-runs.js';

/** Breaker settings from overrides, with defaults filled by the schema. */
function breakers(overrides: Record<string, unknown>): Config['breakers'] {
  return ConfigSchema.parse({ breakers: overrides }).breakers;
}

function band(overrides: Record<string, unknown>): PriceBandBreaker {
  return new PriceBandBreaker(breakers({ priceBand: { enabled: true, ...overrides } }).priceBand);
}

describe('the price-band breaker', () => {
  // Only the move trigger: no mark deviation check.
  const moveOnly = { movePct: 0.1, markDeviationPct: 0, windowSteps: 5, haltSteps: 30 };

  it('trips when the oracle moves more than movePct within windowSteps, and halts for haltSteps steps', () => {
    const b = band(moveOnly);
    for (let step = 0; step < 10; step++) expect(b.observe(step, 100, 100)).toBe(false);
    expect(b.observe(10, 89, 89)).toBe(true);
    const halted: boolean[] = [];
    for (let step = 11; step < 45; step++) halted.push(b.observe(step, 89, 89));
    // Halted at steps 10 .. 39: 30 steps in all.
    expect(halted.filter(Boolean).length).toBe(29);
    expect(halted.indexOf(false)).toBe(40 - 11);
    expect(b.trips).toBe(1);
    expect(b.tripSteps).toEqual([10]);
    expect(b.haltUntilStep).toBe(40);
  });

  it('does not trip on a move of less than movePct', () => {
    const b = band(moveOnly);
    for (let step = 0; step < 6; step++) b.observe(step, 100, 100);
    expect(b.observe(6, 91, 91)).toBe(false);
    expect(b.trips).toBe(0);
  });

  it('trips on a rise as well as a fall', () => {
    const b = band(moveOnly);
    for (let step = 0; step < 6; step++) b.observe(step, 100, 100);
    expect(b.observe(6, 111, 111)).toBe(true);
  });

  it('compares with the oracle windowSteps steps ago, so a slow fall of the same size does not trip it', () => {
    const b = band(moveOnly);
    // 1.5% a step: 7.5% over any 5 steps, 26% over 20.
    let price = 100;
    for (let step = 0; step <= 20; step++) {
      expect(b.observe(step, price, price)).toBe(false);
      price *= 0.985;
    }
    expect(b.trips).toBe(0);
  });

  it('trips when the move spans exactly windowSteps steps', () => {
    const b = band(moveOnly);
    const prices = [100, 100, 100, 97, 94, 91, 89];
    // At step 6 the price 5 steps ago (step 1) was 100: an 11% move.
    const out = prices.map((p, step) => b.observe(step, p, p));
    expect(out).toEqual([false, false, false, false, false, false, true]);
  });

  it("trips when the mark strays more than markDeviationPct from the oracle's TWAP over the window", () => {
    const b = band({ movePct: 0, markDeviationPct: 0.1, windowSteps: 5 });
    for (let step = 0; step < 6; step++) expect(b.observe(step, 100, 109)).toBe(false);
    expect(b.observe(6, 100, 111)).toBe(true);
  });

  it('measures the mark deviation against the TWAP, not the latest oracle price', () => {
    const b = band({ movePct: 0, markDeviationPct: 0.1, windowSteps: 5 });
    for (let step = 0; step < 5; step++) b.observe(step, 100, 100);
    // TWAP of the six prices in the window: (5 * 100 + 120) / 6 = 103.3; the mark is 10.3% above it
    // but 5% below the latest oracle price.
    expect(b.observe(5, 120, 114)).toBe(true);
  });

  it('does not re-trip while halted, then trips again on a new move after the halt', () => {
    const b = band({ ...moveOnly, haltSteps: 10 });
    for (let step = 0; step < 6; step++) b.observe(step, 100, 100);
    expect(b.observe(6, 80, 80)).toBe(true);
    // Further falls during the halt (to 70, then 60) do not trip it again.
    for (let step = 7; step < 16; step++) expect(b.observe(step, step === 7 ? 70 : 60, 60)).toBe(true);
    expect(b.trips).toBe(1);
    for (let step = 16; step < 25; step++) expect(b.observe(step, 60, 60)).toBe(false);
    expect(b.observe(25, 50, 50)).toBe(true);
    expect(b.trips).toBe(2);
    expect(b.tripSteps).toEqual([6, 25]);
  });

  it('never halts when disabled', () => {
    const b = new PriceBandBreaker(breakers({ priceBand: { enabled: false } }).priceBand);
    for (let step = 0; step < 20; step++) expect(b.observe(step, step % 2 ? 50 : 150, 1000)).toBe(false);
    expect(b.trips).toBe(0);
  });

  it('never trips with both triggers set to 0', () => {
    const b = band({ movePct: 0, markDeviationPct: 0 });
    for (let step = 0; step < 20; step++) expect(b.observe(step, step % 2 ? 50 : 150, 1000)).toBe(false);
  });
});

describe('the withdrawal limiter', () => {
  function limiter(overrides: Record<string, unknown>): WithdrawalLimiter {
    return new WithdrawalLimiter(breakers({ withdrawals: { enabled: true, ...overrides } }).withdrawals);
  }

  it('has a capacity of the floor when the TVL share is smaller', () => {
    const l = limiter({ floorUsd: 1000, tvlShare: 0.01 });
    l.regenerate(50_000);
    expect(l.allow(1000)).toBe(true);
    expect(l.allow(1)).toBe(false);
  });

  it('has a capacity of the TVL share when it exceeds the floor', () => {
    const l = limiter({ floorUsd: 1000, tvlShare: 0.01 });
    l.regenerate(500_000);
    expect(l.allow(5001)).toBe(false);
    expect(l.allow(5000)).toBe(true);
    expect(l.allow(1)).toBe(false);
  });

  it('regenerates baseline / periodSteps per step after being drained, never above the baseline', () => {
    const l = limiter({ floorUsd: 6000, tvlShare: 0, periodSteps: 4 });
    l.regenerate(0);
    expect(l.allow(6000)).toBe(true);
    l.regenerate(0);
    expect(l.allow(1501)).toBe(false);
    expect(l.allow(1500)).toBe(true);
    for (let k = 0; k < 10; k++) l.regenerate(0);
    expect(l.allow(6001)).toBe(false);
    expect(l.allow(6000)).toBe(true);
  });

  it('sums the refused amounts and does not take them from the capacity', () => {
    const l = limiter({ floorUsd: 1000, tvlShare: 0 });
    l.regenerate(0);
    expect(l.allow(700)).toBe(true);
    expect(l.allow(400)).toBe(false);
    expect(l.allow(500)).toBe(false);
    expect(l.refusedUsd).toBe(900);
    expect(l.allow(300)).toBe(true);
  });

  it('allows everything and refuses nothing when disabled', () => {
    const l = new WithdrawalLimiter(
      breakers({ withdrawals: { enabled: false, floorUsd: 0, tvlShare: 0 } }).withdrawals,
    );
    l.regenerate(1000);
    expect(l.allow(1e12)).toBe(true);
    expect(l.refusedUsd).toBe(0);
  });
});

// ---- venue rules on hand-built worlds ----

const PRICE = 100;

/** Maker (0), liquidator (1) and `traders` traders at PRICE, with a book deep enough to fill at the mark. */
function world(
  opts: Pick<VenueWorldOptions, 'traders' | 'breakers' | 'confidenceK' | 'protocol' | 'depthUsdPerPct'> = {},
): World {
  return venueWorld({ ...opts, traders: opts.traders ?? 3, priceUsd: PRICE });
}

/** A long of 10 units from PRICE with 60 USD: liquidatable below 94 / 0.97 = 96.9 (maintenance 3%). */
function longAtRisk(w: World, account = T0): void {
  w.venue.deposit(account, 60);
  w.venue.openGenesisPosition(account, 10, PRICE);
}

describe('halts at the venue', () => {
  it("refuses every trade, opening or closing, with 'halted' while trading is halted", () => {
    const w = world();
    w.venue.deposit(T0, 10_000);
    w.venue.openGenesisPosition(T0 + 1, 5, PRICE);
    w.venue.deposit(T0 + 1, 10_000);
    w.venue.tradingHalted = true;
    expect(trade(w, T0, 1)).toEqual({ ok: false, reason: 'halted' });
    expect(trade(w, T0 + 1, -5)).toEqual({ ok: false, reason: 'halted' });
    expect(w.venue.totals.refusals.halted).toBe(2);
    expect(w.accounts.size[T0]).toBe(0);
    expect(w.accounts.size[T0 + 1]).toBe(5);
    w.venue.tradingHalted = false;
    expect(trade(w, T0, 1)).toEqual({ ok: true });
  });

  it('still accepts deposits and withdrawals while trading is halted', () => {
    const w = world();
    w.venue.tradingHalted = true;
    expect(w.venue.apply({ kind: 'deposit', account: T0, amountUsd: 500 })).toEqual({ ok: true });
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 200 })).toEqual({ ok: true });
    expect(w.accounts.cash[T0]).toBe(300);
  });

  it("refuses liquidations with 'liquidations-halted' while liquidations are halted, and performs them after", () => {
    const w = world();
    longAtRisk(w);
    setPrice(w, 96);
    w.venue.refreshLiquidatable(1);
    expect(w.venue.flagged).toEqual([T0]);
    w.venue.liquidationsHalted = true;
    expect(liquidate(w, T0)).toEqual({ ok: false, reason: 'liquidations-halted' });
    expect(w.venue.totals.refusals['liquidations-halted']).toBe(1);
    expect(w.accounts.size[T0]).toBe(10);
    w.venue.liquidationsHalted = false;
    expect(liquidate(w, T0)).toEqual({ ok: true });
    expect(w.venue.totals.liquidations).toBe(1);
  });

  it('still liquidates while only trading is halted', () => {
    const w = world();
    longAtRisk(w);
    setPrice(w, 96);
    w.venue.refreshLiquidatable(1);
    w.venue.tradingHalted = true;
    expect(liquidate(w, T0)).toEqual({ ok: true });
  });
});

describe('the open-interest cap', () => {
  // 10,000 USD at 100: 100 units per side.
  const capped = { openInterest: { maxPerSideUsd: 10_000 } };

  it("refuses a trade that takes the traders' side beyond maxPerSideUsd", () => {
    const w = world({ breakers: capped });
    w.venue.deposit(T0, 1e6);
    w.venue.deposit(T0 + 1, 1e6);
    w.venue.openGenesisPosition(T0, 60, PRICE);
    expect(trade(w, T0 + 1, 41)).toEqual({ ok: false, reason: 'open-interest-cap' });
    expect(w.venue.totals.refusals['open-interest-cap']).toBe(1);
    expect(trade(w, T0 + 1, 40)).toEqual({ ok: true });
    expect(w.accounts.totals.traderLong).toBe(100);
  });

  it('allows a reduction of a side that is already above the cap', () => {
    const w = world({ breakers: capped });
    w.venue.deposit(T0, 1e6);
    w.venue.openGenesisPosition(T0, 150, PRICE);
    expect(trade(w, T0, 1)).toEqual({ ok: false, reason: 'open-interest-cap' });
    expect(trade(w, T0, -30)).toEqual({ ok: true });
    expect(w.accounts.totals.traderLong).toBe(120);
  });

  it('caps each side on its own: a full long side does not stop a short', () => {
    const w = world({ breakers: capped });
    w.venue.deposit(T0, 1e6);
    w.venue.deposit(T0 + 1, 1e6);
    w.venue.openGenesisPosition(T0, 150, PRICE);
    expect(trade(w, T0 + 1, -100)).toEqual({ ok: true });
    expect(trade(w, T0 + 1, -1)).toEqual({ ok: false, reason: 'open-interest-cap' });
  });

  it('counts a flip from long to short against the short side only', () => {
    const w = world({ breakers: capped });
    w.venue.deposit(T0, 1e6);
    w.venue.deposit(T0 + 1, 1e6);
    w.venue.openGenesisPosition(T0, 150, PRICE);
    w.venue.openGenesisPosition(T0 + 1, -50, PRICE);
    // Long 150 -> short 50: the short side becomes 100 units, at the cap.
    expect(trade(w, T0, -200)).toEqual({ ok: true });
    expect(w.accounts.totals.traderShort).toBe(100);
    expect(trade(w, T0 + 1, -0.5)).toEqual({ ok: false, reason: 'open-interest-cap' });
  });

  it('values the side at the oracle price', () => {
    const w = world({ breakers: capped });
    w.venue.deposit(T0, 1e6);
    w.venue.openGenesisPosition(T0, 90, PRICE);
    // At 125, 80 units are worth 10,000 USD: the side is full.
    setPrice(w, 125);
    expect(trade(w, T0, -10)).toEqual({ ok: true });
    expect(trade(w, T0, 0.1)).toEqual({ ok: false, reason: 'open-interest-cap' });
  });

  it('does not cap anything with maxPerSideUsd 0', () => {
    const w = world();
    w.venue.deposit(T0, 1e9);
    expect(trade(w, T0, 1e5)).toEqual({ ok: true });
  });
});

describe('open-interest-scaled initial margin (dYdX)', () => {
  const LOW = 10_000;
  const HIGH = 30_000;
  const imr = 0.05;
  const scaled = { openInterest: { imfScaleLowUsd: LOW, imfScaleHighUsd: HIGH } };

  /** A world whose traders hold `units` long and `units` short (both sides count), at PRICE. */
  function withOpenInterest(unitsPerSide: number): World {
    const w = world({ breakers: scaled, traders: 4 });
    w.venue.deposit(T0, 1e6);
    w.venue.deposit(T0 + 1, 1e6);
    if (unitsPerSide > 0) {
      w.venue.openGenesisPosition(T0, unitsPerSide, PRICE);
      w.venue.openGenesisPosition(T0 + 1, -unitsPerSide, PRICE);
    }
    return w;
  }

  it('is the base initial margin rate while open interest is below imfScaleLowUsd', () => {
    expect(withOpenInterest(0).venue.initialMarginRateNow()).toBe(imr);
    expect(withOpenInterest(50).venue.initialMarginRateNow()).toBe(imr);
  });

  it('rises linearly as IMF + s * (1 - IMF), s = (OI - low) / (high - low), between the two caps', () => {
    // Open interest counts both sides: 2 * units * PRICE.
    for (const units of [50, 60, 100, 125, 150]) {
      const oi = 2 * units * PRICE;
      const s = (oi - LOW) / (HIGH - LOW);
      expect(withOpenInterest(units).venue.initialMarginRateNow()).toBeCloseTo(imr + s * (1 - imr), 12);
    }
    expect(withOpenInterest(100).venue.initialMarginRateNow()).toBeCloseTo(0.525, 12);
  });

  it('reaches 1 (no leverage) at imfScaleHighUsd and stays there above it', () => {
    expect(withOpenInterest(150).venue.initialMarginRateNow()).toBeCloseTo(1, 12);
    expect(withOpenInterest(400).venue.initialMarginRateNow()).toBeCloseTo(1, 12);
  });

  it('is off with imfScaleHighUsd 0, whatever the open interest', () => {
    const w = world({ breakers: { openInterest: { imfScaleLowUsd: 0, imfScaleHighUsd: 0 } } });
    w.venue.deposit(T0, 1e6);
    w.venue.openGenesisPosition(T0, 1e4, PRICE);
    expect(w.venue.initialMarginRateNow()).toBe(imr);
  });

  it('applies to new positions: a trade that meets the base rate is refused at the scaled rate', () => {
    // OI 20,000 USD: rate 0.525. One unit (100 USD) needs 52.5 USD of equity after the 0.05 USD fee.
    const w = withOpenInterest(100);
    w.venue.deposit(T0 + 2, 52);
    expect(trade(w, T0 + 2, 1)).toEqual({ ok: false, reason: 'initial-margin' });
    w.venue.deposit(T0 + 2, 1);
    expect(trade(w, T0 + 2, 1)).toEqual({ ok: true });
  });

  it('applies to withdrawals too: an account cannot withdraw below the OI-scaled initial margin', () => {
    const w = withOpenInterest(100);
    w.venue.deposit(T0 + 2, 100);
    w.venue.openGenesisPosition(T0 + 2, 1, PRICE);
    // Equity 100; the scaled initial margin of 100 USD of notional is 52.5: withdrawing 90 leaves 10.
    expect(w.venue.apply({ kind: 'withdraw', account: T0 + 2, amountUsd: 90 })).toEqual({
      ok: false,
      reason: 'initial-margin',
    });
  });

  it('rejects a configuration whose high end is not above its low end (dYdX validates lower <= upper)', () => {
    const parsed = ConfigSchema.safeParse({
      breakers: { openInterest: { imfScaleLowUsd: 40_000_000, imfScaleHighUsd: 20_000_000 } },
    });
    expect(parsed.success).toBe(false);
  });
});

describe('the liquidation throughput cap', () => {
  it('cuts a liquidation down to the room left under the cap (Maker hole style), leaving the rest of the position', () => {
    // Each long is 10 units; at 96 a full liquidation closes 960 USD of notional; 540 USD of room is left for the second.
    const w = world({ breakers: { maxLiquidationNotionalPerStepUsd: 1500 }, protocol: { liquidationMode: 'full' } });
    longAtRisk(w, T0);
    longAtRisk(w, T0 + 1);
    setPrice(w, 96);
    w.venue.refreshLiquidatable(1);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    expect(liquidate(w, T0 + 1)).toEqual({ ok: true });
    expect(w.venue.counters.liquidatedNotionalUsd).toBeCloseTo(1500, 9);
    expect(w.accounts.size[T0 + 1]).toBeCloseTo(10 - 540 / 96, 9);
  });

  it("refuses a liquidation with 'liquidation-cap' once the step's cap is used up", () => {
    const w = world({ breakers: { maxLiquidationNotionalPerStepUsd: 960 }, protocol: { liquidationMode: 'full' } });
    longAtRisk(w, T0);
    longAtRisk(w, T0 + 1);
    setPrice(w, 96);
    w.venue.refreshLiquidatable(1);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    expect(liquidate(w, T0 + 1)).toEqual({ ok: false, reason: 'liquidation-cap' });
    expect(w.venue.totals.refusals['liquidation-cap']).toBe(1);
    expect(w.accounts.size[T0 + 1]).toBe(10);
  });

  it('allows the refused liquidation in the next step, when the counter is reset', () => {
    const w = world({ breakers: { maxLiquidationNotionalPerStepUsd: 960 }, protocol: { liquidationMode: 'full' } });
    longAtRisk(w, T0);
    longAtRisk(w, T0 + 1);
    setPrice(w, 96);
    w.venue.refreshLiquidatable(1);
    liquidate(w, T0);
    expect(liquidate(w, T0 + 1).ok).toBe(false);
    w.venue.endStep();
    w.venue.resetCounters();
    w.venue.refreshLiquidatable(2);
    expect(liquidate(w, T0 + 1)).toEqual({ ok: true });
  });

  it('allows liquidations up to exactly the cap', () => {
    const w = world({ breakers: { maxLiquidationNotionalPerStepUsd: 1920 }, protocol: { liquidationMode: 'full' } });
    longAtRisk(w, T0);
    longAtRisk(w, T0 + 1);
    setPrice(w, 96);
    w.venue.refreshLiquidatable(1);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    expect(liquidate(w, T0 + 1)).toEqual({ ok: true });
  });
});

describe('the withdrawal limit at the venue', () => {
  const limited = { withdrawals: { enabled: true, floorUsd: 1000, tvlShare: 0 } };

  it("refuses a withdrawal beyond the remaining capacity with 'withdrawal-limit' and records the amount", () => {
    const w = world({ breakers: limited });
    w.venue.deposit(T0, 5000);
    w.venue.withdrawalLimiter.regenerate(w.accounts.totals.cash);
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 800 })).toEqual({ ok: true });
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 300 })).toEqual({
      ok: false,
      reason: 'withdrawal-limit',
    });
    expect(w.accounts.cash[T0]).toBe(4200);
    expect(w.venue.totals.withdrawalsUsd).toBe(800);
    expect(w.venue.withdrawalLimiter.refusedUsd).toBe(300);
    expect(w.venue.totals.refusals['withdrawal-limit']).toBe(1);
  });

  it('checks margin first: a withdrawal refused for initial margin uses no capacity', () => {
    const w = world({ breakers: limited });
    w.venue.deposit(T0, 100);
    w.venue.openGenesisPosition(T0, 10, PRICE);
    w.venue.withdrawalLimiter.regenerate(w.accounts.totals.cash);
    // Initial margin of 1,000 USD of notional is 50: withdrawing 60 leaves 40.
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 60 })).toEqual({
      ok: false,
      reason: 'initial-margin',
    });
    expect(w.venue.withdrawalLimiter.refusedUsd).toBe(0);
    w.venue.deposit(T0 + 1, 2000);
    expect(w.venue.apply({ kind: 'withdraw', account: T0 + 1, amountUsd: 1000 })).toEqual({ ok: true });
  });
});

describe('confidence-aware margin', () => {
  it('values longs at price - k * confidence and shorts at price + k * confidence', () => {
    const w = world({ confidenceK: 2 });
    setPrice(w, 100, 1.5);
    expect(w.venue.longMarginPriceUsd).toBe(97);
    expect(w.venue.shortMarginPriceUsd).toBe(103);
    expect(w.venue.oraclePriceUsd).toBe(100);
  });

  it('margins at the oracle price with confidenceK 0, whatever the confidence', () => {
    const w = world({ confidenceK: 0 });
    setPrice(w, 100, 5);
    expect(w.venue.longMarginPriceUsd).toBe(100);
    expect(w.venue.shortMarginPriceUsd).toBe(100);
  });

  it('makes a long liquidatable at a price where it is safe without confidence', () => {
    // Without confidence the long is liquidatable below 96.9; at 98 it is safe.
    const plain = world();
    const aware = world({ confidenceK: 2 });
    for (const w of [plain, aware]) {
      longAtRisk(w);
      setPrice(w, 98, 1);
      w.venue.refreshLiquidatable(1);
    }
    expect(plain.venue.isLiquidatable(T0)).toBe(false);
    expect(plain.venue.flagged).toEqual([]);
    // Valued at 96: equity 60 - 40 = 20 < 3% of 960 = 28.8.
    expect(aware.venue.isLiquidatable(T0)).toBe(true);
    expect(aware.venue.flagged).toEqual([T0]);
  });

  it('makes a short liquidatable at a price where it is safe without confidence', () => {
    // Short 10 from 100 with 60 USD: liquidatable above 1060 / 10.3 = 102.9.
    const plain = world();
    const aware = world({ confidenceK: 2 });
    for (const w of [plain, aware]) {
      w.venue.deposit(T0, 60);
      w.venue.openGenesisPosition(T0, -10, PRICE);
      setPrice(w, 102, 1);
      w.venue.refreshLiquidatable(1);
    }
    expect(plain.venue.isLiquidatable(T0)).toBe(false);
    expect(aware.venue.isLiquidatable(T0)).toBe(true);
    expect(aware.venue.flagged).toEqual([T0]);
  });

  it('closes enough in a partial liquidation to leave the account no longer liquidatable at the margin price', () => {
    const w = world({ confidenceK: 2, traders: 1 });
    w.venue.deposit(T0, 800);
    w.venue.openGenesisPosition(T0, 100, PRICE);
    // Oracle 98, confidence 2: longs valued at 94, equity 200 there, below maintenance (282).
    setPrice(w, 98, 2);
    w.venue.refreshLiquidatable(1);
    expect(w.venue.isLiquidatable(T0)).toBe(true);
    expect(liquidate(w, T0)).toEqual({ ok: true });
    expect(w.accounts.size[T0]).toBeGreaterThan(0);
    expect(w.venue.isLiquidatable(T0)).toBe(false);
  });

  it('asks more equity to open a position when the confidence is wide', () => {
    const w = world({ confidenceK: 1 });
    setPrice(w, 100, 10);
    w.venue.deposit(T0, 6);
    // Valued at 90 right after the fill at 100, a 1-unit long has equity 6 - 0.05 - 10 < 0.
    expect(trade(w, T0, 1)).toEqual({ ok: false, reason: 'initial-margin' });
    setPrice(w, 100, 0);
    expect(trade(w, T0, 1)).toEqual({ ok: true });
  });

  it('flags exactly the accounts a brute-force isLiquidatable scan finds, with confidence on', () => {
    const account = bookAccount(60, 140, 1000);
    const event = fc.oneof(
      fc.record({
        kind: fc.constant('price' as const),
        priceUsd: fc.double({ min: 50, max: 150, noNaN: true }),
        confidenceUsd: fc.double({ min: 0, max: 10, noNaN: true }),
      }),
      fundingEvent,
      tradeEvent,
      liquidateEvent,
    );
    fc.assert(
      fc.property(
        fc.array(account, { minLength: 1, maxLength: 30 }),
        fc.array(event, { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (book, events, k) => {
          const w = world({
            traders: book.length,
            confidenceK: k,
            depthUsdPerPct: 1e5,
            protocol: { insuranceFundUsd: 1e4, funding: { ...DEFAULT_CONFIG.protocol.funding, intervalSteps: 1 } },
          });
          replayAgainstScan(w, book, events);
        },
      ),
      { seed: 6, numRuns: propertyRuns(300) },
    );
  });
});
