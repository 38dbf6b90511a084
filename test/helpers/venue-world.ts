// Hand-built small venue worlds for the venue tests (perp-venue, breakers, margin-models): a maker,
// a liquidator and a few traders on a market with no shocks, plus the small wrappers those tests
// share (set the price, trade, liquidate, seed a book, check the liquidation heap, and the fast-check
// arbitraries of the liquidation-heap properties).
import fc from 'fast-check';
import { expect } from 'vitest';
import { AccountKind, AccountStore, type AccountKindCode } from '../../sim/core/accounts.js';
import { ConfigSchema, DEFAULT_CONFIG, type Config } from '../../sim/config/index.js';
import { Market } from '../../sim/market/market.js';
import { PerpVenue } from '../../sim/perp/perp-venue.js';
import { streamFor } from '../../sim/core/rng.js';
import { compileShocks } from '../../scenarios/shocks.js';

/** The maker account: takes the other side of every fill. */
export const MAKER = 0;
/** The liquidator account. */
export const LIQUIDATOR = 1;
/** Index of the first trader account. */
export const T0 = 2;

export interface VenueWorld {
  venue: PerpVenue;
  market: Market;
  accounts: AccountStore;
}

export interface VenueWorldOptions {
  /** Trader accounts after the maker and the liquidator (default 2). */
  traders?: number;
  /** Initial index, mark and oracle price (default 3000). */
  priceUsd?: number;
  /** Overrides of DEFAULT_CONFIG.protocol. */
  protocol?: Partial<Config['protocol']>;
  /** Overrides of DEFAULT_CONFIG.protocol.marginModel; when absent the protocol's margin model stands. */
  marginModel?: Partial<Config['protocol']['marginModel']>;
  /** Breaker overrides, defaults filled by the schema; when absent the venue's default breakers. */
  breakers?: Record<string, unknown>;
  /** Confidence multiplier of margin prices (default 0: margins at the oracle price). */
  confidenceK?: number;
  /** Book depth (default 1e15: fills at the mark, impact about 1e-9 of the price). */
  depthUsdPerPct?: number;
  /** The maker's deposit (default 1e9). */
  makerUsd?: number;
  /** The liquidator's deposit (default 1e7). */
  liquidatorUsd?: number;
}

/**
 * Maker (0), liquidator (1) and `traders` trader accounts at `priceUsd` over 100 steps of 60 s with no
 * shocks; the maker and the liquidator are funded, the traders start empty.
 */
export function venueWorld(opts: VenueWorldOptions = {}): VenueWorld {
  const traders = opts.traders ?? 2;
  const price = opts.priceUsd ?? 3000;
  const kinds: AccountKindCode[] = [AccountKind.maker, AccountKind.liquidator];
  for (let k = 0; k < traders; k++) kinds.push(AccountKind.trader);
  const accounts = new AccountStore(kinds);
  const market = new Market(
    { ...DEFAULT_CONFIG.market, initialPriceUsd: price, depthUsdPerPct: opts.depthUsdPerPct ?? 1e15 },
    60,
    compileShocks([], new Map(), 100, 60, 'test'),
    streamFor(1, 'market.path'),
    streamFor(1, 'market.jumps'),
  );
  const protocol: Config['protocol'] = { ...DEFAULT_CONFIG.protocol, ...opts.protocol };
  if (opts.marginModel) protocol.marginModel = { ...DEFAULT_CONFIG.protocol.marginModel, ...opts.marginModel };
  const breakers = opts.breakers ? ConfigSchema.parse({ breakers: opts.breakers }).breakers : undefined;
  const venue = new PerpVenue(protocol, 60, accounts, market, MAKER, price, breakers, opts.confidenceK ?? 0);
  venue.deposit(MAKER, opts.makerUsd ?? 1e9);
  venue.deposit(LIQUIDATOR, opts.liquidatorUsd ?? 1e7);
  return { venue, market, accounts };
}

/** Moves index, mark and oracle to `priceUsd` (the market carries no basis here), with an oracle confidence. */
export function setPrice(w: VenueWorld, priceUsd: number, confidenceUsd = 0): void {
  w.market.indexPriceUsd = priceUsd;
  w.venue.setPrices(priceUsd, priceUsd, confidenceUsd);
}

/** A liquidation of `account` by the liquidator with no slippage limit. */
export function liquidate(w: VenueWorld, account: number) {
  const worstPriceUsd = w.accounts.size[account] > 0 ? 0 : Infinity;
  return w.venue.apply({ kind: 'liquidate', liquidator: LIQUIDATOR, account, worstPriceUsd });
}

/** A trade of `size` units by `account` (no slippage limit), depositing `depositUsd` first. */
export function trade(w: VenueWorld, account: number, size: number, depositUsd = 0) {
  return w.venue.apply({ kind: 'trade', account, size, depositUsd });
}

export interface BookAccount {
  size: number;
  entryUsd: number;
  collateralUsd: number;
}

/** Funds trader k (from T0) with `collateralUsd` and opens its position of `size` at `entryUsd`, if any. */
export function seedBook(w: VenueWorld, book: BookAccount[]): void {
  book.forEach((b, k) => {
    w.venue.deposit(T0 + k, b.collateralUsd);
    if (b.size !== 0) w.venue.openGenesisPosition(T0 + k, b.size, b.entryUsd);
  });
}

/** Refreshes the liquidation heap at `step` and expects it to flag exactly what a brute-force scan finds. */
export function expectFlaggedMatchesScan(w: VenueWorld, step: number): void {
  const { venue, accounts } = w;
  venue.refreshLiquidatable(step);
  const brute: number[] = [];
  for (let i = 0; i < accounts.count; i++) if (venue.isLiquidatable(i)) brute.push(i);
  expect([...venue.flagged].sort((a, b) => a - b)).toEqual(brute);
}

/** One step of a liquidation-heap property; `who` picks a trader modulo the book. */
export type HeapEvent =
  | { kind: 'price'; priceUsd: number; confidenceUsd?: number }
  | { kind: 'funding'; premium: number }
  | { kind: 'trade'; who: number; size: number }
  | { kind: 'deposit' | 'withdraw'; who: number; usd: number }
  | { kind: 'liquidate'; who: number };

/**
 * Seeds `book`, then applies `events` one step each (step n + 1 for event n), ending every step, and
 * after the seeding and after every step expects the heap to flag exactly what a brute-force scan finds.
 */
export function replayAgainstScan(w: VenueWorld, book: BookAccount[], events: HeapEvent[]): void {
  const { venue } = w;
  seedBook(w, book);
  expectFlaggedMatchesScan(w, 0);
  events.forEach((e, n) => {
    const step = n + 1;
    const who = 'who' in e ? T0 + (e.who % book.length) : 0;
    switch (e.kind) {
      case 'price':
        setPrice(w, e.priceUsd, e.confidenceUsd);
        break;
      case 'funding':
        venue.accrueFunding(step, venue.oraclePriceUsd * (1 + e.premium));
        break;
      case 'trade':
        trade(w, who, e.size);
        break;
      case 'deposit':
        venue.apply({ kind: 'deposit', account: who, amountUsd: e.usd });
        break;
      case 'withdraw':
        venue.apply({ kind: 'withdraw', account: who, amountUsd: e.usd });
        break;
      case 'liquidate':
        liquidate(w, who);
        break;
    }
    venue.endStep();
    expectFlaggedMatchesScan(w, step);
  });
}

// ---- arbitraries of the liquidation-heap properties ----

/** Position sizes up to `max` units either way, in hundredths of a unit: denormal sizes would only test underflow. */
export const units = (max: number) => fc.integer({ min: -100 * max, max: 100 * max }).map((n) => n / 100);

/** One trader of a book for seedBook: a size up to 50 units, an entry price and collateral in the given ranges. */
export function bookAccount(entryMinUsd: number, entryMaxUsd: number, collateralMaxUsd: number) {
  return fc.record({
    size: units(50),
    entryUsd: fc.double({ min: entryMinUsd, max: entryMaxUsd, noNaN: true }),
    collateralUsd: fc.double({ min: 0, max: collateralMaxUsd, noNaN: true }),
  });
}

/** A move of the price to between `minUsd` and `maxUsd`. */
export function priceEvent(minUsd: number, maxUsd: number) {
  return fc.record({
    kind: fc.constant('price' as const),
    priceUsd: fc.double({ min: minUsd, max: maxUsd, noNaN: true }),
  });
}

/** A funding accrual at a premium of up to 50% either way. */
export const fundingEvent = fc.record({
  kind: fc.constant('funding' as const),
  premium: fc.double({ min: -0.5, max: 0.5, noNaN: true }),
});

/** A trade of up to 20 units either way by trader `who` (modulo the book). */
export const tradeEvent = fc.record({ kind: fc.constant('trade' as const), who: fc.nat(), size: units(20) });

/** A deposit or withdrawal of 1 to 5000 USD by trader `who` (modulo the book). */
export function cashEvent<K extends 'deposit' | 'withdraw'>(kind: K) {
  return fc.record({ kind: fc.constant(kind), who: fc.nat(), usd: fc.double({ min: 1, max: 5000, noNaN: true }) });
}

/** A liquidation of trader `who` (modulo the book). */
export const liquidateEvent = fc.record({ kind: fc.constant('liquidate' as const), who: fc.nat() });
