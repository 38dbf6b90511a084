// The CDP keepers' arithmetic, pure functions: what selling collateral into an ilk's DEX pool pays
// (the constant-product quote of SpotPool.swap, fee on the USD received), the sale size that maximizes
// a Dutch take's profit, the lot an English bidder needs, and a preview of a bark's tab and lot (the
// kernel's Dog.bark sizing, without touching the kernel). No state, no draws, no mutation of a view.
import type { CdpVaults } from '../../sim/lending/cdp-vaults.js';

/** A keeper's local copy of a pool's reserves (what it expects after its own sales this step). */
export interface Book {
  baseUnits: number;
  quoteUsd: number;
}

/**
 * USD received for selling `units` into a constant-product pool, as SpotPool.swap(-units) pays it:
 * the quote leaving the pool is y x u / (x + u), the fee comes off that (x (1 - fee)).
 */
export function sellProceedsUsd(book: Readonly<Book>, feeRate: number, units: number): number {
  if (!(units > 0) || !(book.baseUnits > 0)) return 0;
  return ((1 - feeRate) * book.quoteUsd * units) / (book.baseUnits + units);
}

/** Moves `book` as selling `units` into it does (x y = k; the fee leaves the pool). */
export function applySale(book: Book, units: number): void {
  if (!(units > 0)) return;
  const x = book.baseUnits + units;
  book.quoteUsd = (book.baseUnits * book.quoteUsd) / x;
  book.baseUnits = x;
}

/**
 * The sale that maximizes proceeds(u) - u x costUsdPerUnit: where the marginal proceeds (1 - fee) x y
 * x / (x + u)^2 fall to the cost, u = sqrt((1 - fee) x y / cost) - x (0 when even the first unit loses).
 */
export function bestSaleUnits(book: Readonly<Book>, feeRate: number, costUsdPerUnit: number): number {
  const x = book.baseUnits;
  const y = book.quoteUsd;
  if (!(x > 0) || !(y > 0)) return 0;
  if (!(costUsdPerUnit > 0)) return Infinity;
  return Math.max(0, Math.sqrt(((1 - feeRate) * x * y) / costUsdPerUnit) - x);
}

/**
 * The least collateral whose sale pays `usd` (solves (1 - fee) y u / (x + u) = usd: u = usd x x /
 * ((1 - fee) y - usd)); Infinity when the pool cannot pay that much.
 */
export function unitsForProceeds(book: Readonly<Book>, feeRate: number, usd: number): number {
  if (!(usd > 0)) return 0;
  const room = (1 - feeRate) * book.quoteUsd - usd;
  if (!(room > 0)) return Infinity;
  return (usd * book.baseUnits) / room;
}

/** What a bark of a vault would start: its tab and lot (the kernel's sizing), or undefined when refused. */
export interface BarkPreview {
  /** Stablecoin the auction would raise (dart x rate x chop), units. */
  tab: number;
  /** Collateral the auction would sell, units. */
  lot: number;
}

/**
 * Dog.bark's sizing at the OSM price, given `roomUnits` of in-flight room left (min(Hole - Dirt,
 * hole - dirt) less what the caller has kicked this step): dart = min(art, room / (rate x chop)), the
 * whole vault when the rest would be dust, nothing when the room forces a partial below dust or the
 * breaker stops kicks or the vault is safe.
 */
export function previewBark(cdp: CdpVaults, vault: number, roomUnits: number): BarkPreview | undefined {
  const i = cdp.ilkOf[vault];
  const p = cdp.params.ilks[i];
  const art = cdp.art[vault];
  const rate = cdp.rate[i];
  if (cdp.stopped[i] >= 1 || !(art > 0) || !(cdp.priceUsd[i] > 0) || cdp.isSafe(vault)) return undefined;
  if (!(roomUnits > 0)) return undefined;
  let dart = Math.min(art, roomUnits / (rate * p.chop));
  if (art > dart) {
    if ((art - dart) * rate < p.dustUsd) dart = art;
    else if (dart * rate < p.dustUsd) return undefined;
  }
  const lot = dart === art ? cdp.ink[vault] : (cdp.ink[vault] * dart) / art;
  if (!(lot > 0)) return undefined;
  return { tab: dart * rate * p.chop, lot };
}

/**
 * What an English lot's DEX quote is worth at settlement, as a factor: min(1, market price / pool
 * price). The lot is sold only when the auction is dealt, by which time arbitrage has pulled the pool
 * toward the market, so a pool above the market (lagging a fall) overstates the lot.
 */
export function settlementScale(book: Readonly<Book>, marketPriceUsd: number): number {
  const p = book.baseUnits > 0 ? book.quoteUsd / book.baseUnits : 0;
  return p > 0 && marketPriceUsd > 0 ? Math.min(1, marketPriceUsd / p) : 1;
}
