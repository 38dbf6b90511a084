// CDP auction keepers (issue 16, "Agents"; Maker's auction-keeper): each keeper is its own decider
// with its own stream and finite stablecoin. It kicks unsafe vaults (Dog.bark / Cat.bite), resets and
// takes Dutch auctions, and bids in English ones, selling what it buys into the ilk's DEX pool; it acts
// only when the expected profit, after the DEX sale's slippage and fee and after gas, beats
// minProfitUsd (MECHANISMS section 8's participation rule), so a thin DEX or a gas spike starves it,
// and above keepers.maxGasUsd its transactions do not get in at all. It reads the view and appends
// actions, never mutates the kernel or the pools, and keeps as private state only what it derives from
// its own actions (the English bids it made). It draws exactly one uniform per step, acting or not.
import type { Decider } from '../../sim/core/protocol.js';
import type { Stream } from '../../sim/core/rng.js';
import type { CdpConfig } from '../../sim/config/cdp.js';
import { auctionPriceUsd, biddingClosed, chostOf, needsRedo } from '../../sim/lending/cdp-auctions.js';
import type { CdpAction, CdpBidder, CdpView } from '../../sim/lending/cdp-run-types.js';
import type { CdpAuction } from '../../sim/lending/cdp-types.js';
import {
  applySale,
  bestSaleUnits,
  previewBark,
  sellProceedsUsd,
  settlementScale,
  unitsForProceeds,
  type Book,
} from './quotes.js';

/** The keepers' parameters (cdp.keepers). */
export type KeepersOptions = Pick<
  CdpConfig['keepers'],
  'count' | 'maxGasUsd' | 'minProfitUsd' | 'minDiscount' | 'maxPerStep'
>;

/** A dent's lot is lot / beg shaded by this much, so that lot x beg <= the standing lot holds in floats. */
const DENT_SHADE = 1e-12;

/**
 * The standing bidder of English auction `id` when the protocol's view says who it is (an optional
 * field `auctionBidder`, a Map or an array by auction id, not in the run contract today); null when
 * the view does not say, so the keeper falls back on its own record of its bids.
 */
export function standingBidder(view: CdpView, id: number): CdpBidder | undefined | null {
  const book = (view as { readonly auctionBidder?: unknown }).auctionBidder;
  if (book instanceof Map) return (book.get(id) as CdpBidder | undefined) ?? undefined;
  if (Array.isArray(book)) return (book[id] as CdpBidder | undefined) ?? undefined;
  return null;
}

/** A take's collateral as the kernel would size it (Clipper.take's tab cap and chost rule), or 0 when refused. */
export function takeSlice(a: Readonly<CdpAuction>, maxCollateral: number, priceUsd: number, chost: number): number {
  let slice = Math.min(a.lot, maxCollateral);
  if (!(slice > 0) || !(priceUsd > 0)) return 0;
  const owe = slice * priceUsd;
  if (owe >= a.tab) return Math.min(a.lot, a.tab / priceUsd);
  if (slice < a.lot && a.tab - owe < chost) {
    if (!(a.tab > chost)) return 0;
    slice = (a.tab - chost) / priceUsd;
  }
  return slice;
}

/** The last English bid this keeper made on an auction: the bid and the lot it was for. */
interface OwnBid {
  bid: number;
  lot: number;
}

/**
 * Keeper `k` of `opts.count`. Each step it draws u (one uniform), then does nothing when it is out
 * (k < floor(keeperOutage x count)) or gas is above maxGasUsd. Otherwise, up to maxPerStep actions,
 * its budget its stablecoin (view.keeperStableUnits[k]), it walks view.activeAuctions from position
 * floor(u x n), then view.unsafe from floor(u x m). Decisions are simultaneous, so all the keepers'
 * sales of a step hit the same pool: it values each lot in a queue (queueLots) rather than on the
 * pool as it stands.
 * - Dutch, needing a reset: redo when the incentive (tip + chip x tab, when tab and the lot's value
 *   are at least chost) x the stablecoin's price beats gas, or when a later take is worth it (the
 *   lot's DEX proceeds x minDiscount beat gas + minProfitUsd).
 * - Dutch, running: take when the price is at most market x (1 - minDiscount), sized to what
 *   maximizes proceeds - cost (bestSaleUnits) on the pool after the step's takes of lower-id lots,
 *   to the lot, the tab and its coins, as the kernel will size it (takeSlice; the whole tab when the
 *   chost rule would cut the take), if proceeds - coins paid x stablecoin price - gas > minProfitUsd.
 * - English, tend phase: bid b = min(tab, W, coins), W = the lot's value x (1 - minDiscount) /
 *   stablecoin price, the value being its DEX proceeds sold after the running lots kicked before it,
 *   scaled down to the market price when the pool is above it (lots are sold at settlement, after
 *   arbitrage), when b is a valid raise (over the bid and at least beg x it, or = tab) and the profit
 *   beats minProfitUsd; dent phase: offer lot / beg when that lot's value covers tab x price /
 *   (1 - minDiscount) and the profit beats minProfitUsd (it pays the tab). Never over its own
 *   standing bid (the view's auctionBidder when there is one, else its own record of its bids).
 * - Bark: Dutch when the kick incentive (tip + chip x tab, the tab as the kernel would size it) x the
 *   stablecoin price beats gas; English (no incentive: Maker's keepers kicked Flipper auctions to bid
 *   in them) when the later auction's expected profit, minDiscount x min(lot's value after the
 *   running lots, tab x price / (1 - minDiscount)), beats two transactions' gas + minProfitUsd.
 */
export class CdpKeeper implements Decider<CdpView, CdpAction> {
  readonly name: string;
  /** Each pool's reserves at the start of the step (a copy: the view's pools are read only). */
  private readonly books: Book[] = [];
  /** Its last English bid per auction id (pruned when the auction ends). */
  private readonly own = new Map<number, OwnBid>();
  private readonly bidder: CdpBidder;
  private coins = 0;
  private made = 0;
  /** Tabs it kicked this step: globally and per ilk, stablecoin units. */
  private kickedAll = 0;
  private kicked: number[] = [];
  /** English: collateral of the running lots of each ilk kicked before each auction (sold before it), units. */
  private readonly ahead = new Map<number, number>();
  /** English: collateral of all running lots per ilk (a new kick's lot sells after them), units. */
  private inFlight: number[] = [];
  /** Dutch: collateral worth taking of each ilk's lots takeable this step, in id order (all sold now), units. */
  private takeable: number[] = [];
  /** The pool as a take of one lot would find it, after the lots ahead of it. */
  private readonly queued: Book = { baseUnits: 0, quoteUsd: 0 };

  constructor(
    private readonly opts: KeepersOptions,
    readonly keeper: number,
    private readonly stream: Stream,
  ) {
    this.name = `cdp-keeper-${keeper}`;
    this.bidder = { keeper };
  }

  /** Whether keeper `k` of `count` is out now: the first floor(keeperOutage x count) by index, as the protocol does. */
  static isOut(view: CdpView, k: number, count: number): boolean {
    return k < Math.floor(view.keeperOutage * count);
  }

  decide(view: CdpView, out: CdpAction[]): void {
    const u = this.stream.uniform();
    const o = this.opts;
    if (CdpKeeper.isOut(view, this.keeper, o.count) || view.gasUsd > o.maxGasUsd) return;
    this.prune(view);
    this.coins = view.keeperStableUnits[this.keeper] ?? 0;
    this.made = 0;
    this.resetBooks(view);
    this.queueLots(view);
    const list = view.activeAuctions;
    const n = list.length;
    const start = Math.floor(u * n);
    for (let j = 0; j < n && this.made < o.maxPerStep; j++) {
      const a = view.cdp.auctions[list[(start + j) % n]];
      if (a === undefined || !a.active) continue;
      if (a.kind === 'dutch') this.dutch(view, a, out);
      else this.english(view, a, out);
    }
    this.barks(view, u, out);
  }

  private prune(view: CdpView): void {
    for (const id of this.own.keys()) if (!view.cdp.auctions[id]?.active) this.own.delete(id);
  }

  /**
   * The queues a keeper values lots in (decisions are simultaneous, so every keeper's sales of a step
   * hit the same pool). English lots are sold when their auctions are dealt, many at once in a crash:
   * each is valued as sold after every running lot of its ilk kicked before it (ascending ids). Dutch
   * takes are sold at once: each is valued after what would be taken of the takeable lots of lower ids.
   */
  private queueLots(view: CdpView): void {
    const cdp = view.cdp;
    this.ahead.clear();
    if (this.inFlight.length !== cdp.ilks) this.inFlight = new Array<number>(cdp.ilks).fill(0);
    else this.inFlight.fill(0);
    if (this.takeable.length !== cdp.ilks) this.takeable = new Array<number>(cdp.ilks).fill(0);
    else this.takeable.fill(0);
    for (const id of view.activeAuctions) {
      const a = cdp.auctions[id];
      if (a === undefined || !a.active) continue;
      if (a.kind === 'english') {
        this.ahead.set(id, this.inFlight[a.ilk]);
        this.inFlight[a.ilk] += a.lot;
        continue;
      }
      const price = this.takePrice(view, a);
      const pool = view.dex[a.ilk];
      if (!(price > 0) || pool === undefined) continue;
      // What a keeper with coins enough would take of it after the lots before it: its share of the sales.
      const q = this.queued;
      q.baseUnits = pool.reserves.baseUnits;
      q.quoteUsd = pool.reserves.quoteUsd;
      const before = this.takeable[a.ilk];
      applySale(q, before);
      const units = Math.min(a.lot, a.tab / price, bestSaleUnits(q, pool.feeRate, price * view.stablePriceUsd));
      this.ahead.set(id, before);
      this.takeable[a.ilk] = before + units;
    }
  }

  /** A Dutch auction's price if a keeper would take it now (not stopped, no reset due, at the discount), else 0. */
  private takePrice(view: CdpView, a: CdpAuction): number {
    const cdp = view.cdp;
    if (cdp.stopped[a.ilk] >= 3 || needsRedo(cdp, a.id)) return 0;
    const price = auctionPriceUsd(cdp, a.id);
    return price > 0 && price <= view.marketPriceUsd[a.ilk] * (1 - this.opts.minDiscount) ? price : 0;
  }

  /** What `units` of a lot sold after `aheadUnits` of others pays on the local book, USD. */
  private queuedProceeds(book: Book, feeRate: number, aheadUnits: number, units: number): number {
    return sellProceedsUsd(book, feeRate, aheadUnits + units) - sellProceedsUsd(book, feeRate, aheadUnits);
  }

  private resetBooks(view: CdpView): void {
    const n = view.dex.length;
    while (this.books.length < n) this.books.push({ baseUnits: 0, quoteUsd: 0 });
    for (let i = 0; i < n; i++) {
      const r = view.dex[i].reserves;
      this.books[i].baseUnits = r.baseUnits;
      this.books[i].quoteUsd = r.quoteUsd;
    }
  }

  private dutch(view: CdpView, a: CdpAuction, out: CdpAction[]): void {
    const cdp = view.cdp;
    const o = this.opts;
    const ilk = cdp.params.ilks[a.ilk];
    const au = ilk.auction;
    if (au.kind !== 'dutch') return;
    const book = this.books[a.ilk];
    const pool = view.dex[a.ilk];
    if (book === undefined || pool === undefined) return;
    const sp = view.stablePriceUsd;
    if (needsRedo(cdp, a.id)) {
      if (cdp.stopped[a.ilk] >= 2) return;
      const chost = chostOf(cdp, a.ilk);
      const incentive = a.tab >= chost && a.lot * cdp.priceUsd[a.ilk] >= chost ? au.tip + a.tab * au.chip : 0;
      const later = sellProceedsUsd(book, pool.feeRate, a.lot) * o.minDiscount;
      if (incentive * sp > view.gasUsd || later > view.gasUsd + o.minProfitUsd) {
        out.push({ kind: 'redo', keeper: this.keeper, auction: a.id });
        this.made++;
      }
      return;
    }
    const price = this.takePrice(view, a);
    if (!(price > 0) || !(this.coins > 0)) return;
    const chost = chostOf(cdp, a.ilk);
    const costPerUnit = price * sp;
    // The step's takes all sell into the pool at once: this one is valued after what would be taken of
    // the takeable lots of lower ids (whoever takes them), so the keepers' valuations add up to what
    // the pool pays for all of them.
    const q = this.queued;
    q.baseUnits = book.baseUnits;
    q.quoteUsd = book.quoteUsd;
    applySale(q, this.ahead.get(a.id) ?? 0);
    const profit = (units: number) => sellProceedsUsd(q, pool.feeRate, units) - units * costPerUnit - view.gasUsd;
    const affordable = this.coins / price;
    const want = Math.min(bestSaleUnits(q, pool.feeRate, costPerUnit), a.lot, a.tab / price, affordable);
    let units = takeSlice(a, want, price, chost);
    // The chost rule can cut a take short of what it wanted: taking the whole tab may pay better.
    const whole = Math.min(a.lot, a.tab / price);
    if (units < want && whole * price <= this.coins && profit(whole) > profit(units)) units = whole;
    if (!(units > 0) || !(profit(units) > o.minProfitUsd)) return;
    out.push({ kind: 'take', keeper: this.keeper, auction: a.id, maxCollateral: units, maxPriceUsd: price });
    this.made++;
    this.coins -= Math.min(units * price, a.tab);
  }

  /** Whether the standing bid of English auction `a` is its own. */
  private holds(view: CdpView, a: CdpAuction): boolean {
    if (!a.hasBid) return false;
    const b = standingBidder(view, a.id);
    if (b !== null) return b !== undefined && 'keeper' in b && b.keeper === this.keeper;
    const mine = this.own.get(a.id);
    return mine !== undefined && mine.bid === a.bid && mine.lot === a.lot;
  }

  private english(view: CdpView, a: CdpAuction, out: CdpAction[]): void {
    const cdp = view.cdp;
    const o = this.opts;
    const au = cdp.params.ilks[a.ilk].auction;
    if (au.kind !== 'english' || biddingClosed(cdp, a) || this.holds(view, a)) return;
    const book = this.books[a.ilk];
    const pool = view.dex[a.ilk];
    if (book === undefined || pool === undefined) return;
    const sp = view.stablePriceUsd;
    if (!(sp > 0)) return;
    const beg = au.minBidIncrement;
    const scale = settlementScale(book, view.marketPriceUsd[a.ilk]);
    const ahead = this.ahead.get(a.id) ?? 0;
    const worth = (units: number) => this.queuedProceeds(book, pool.feeRate, ahead, units) * scale;
    if (!(a.hasBid && a.bid >= a.tab)) {
      const value = worth(a.lot);
      const bid = Math.min(a.tab, (value * (1 - o.minDiscount)) / sp, this.coins);
      if (!(bid > 0)) return;
      if (a.hasBid && !(bid > a.bid && (bid >= beg * a.bid || bid === a.tab))) return;
      if (!(value - bid * sp - view.gasUsd > o.minProfitUsd)) return;
      out.push({ kind: 'tend', bidder: this.bidder, auction: a.id, bidUnits: bid });
      this.own.set(a.id, { bid, lot: a.lot });
      this.coins -= bid;
      this.made++;
      return;
    }
    // Dent: it pays the tab (the old bidder is refunded) for a smaller lot.
    if (!(this.coins >= a.tab)) return;
    const lot = (a.lot / beg) * (1 - DENT_SHADE);
    // The least lot worth tab x price / (1 - minDiscount) when sold after the lots ahead of it.
    const target = (a.tab * sp) / (1 - o.minDiscount) / scale + sellProceedsUsd(book, pool.feeRate, ahead);
    const need = unitsForProceeds(book, pool.feeRate, target) - ahead;
    if (!(lot >= need) || !(lot > 0)) return;
    if (!(worth(lot) - a.tab * sp - view.gasUsd > o.minProfitUsd)) return;
    out.push({ kind: 'dent', bidder: this.bidder, auction: a.id, lotUnits: lot });
    this.own.set(a.id, { bid: a.tab, lot });
    this.coins -= a.tab;
    this.made++;
  }

  private barks(view: CdpView, u: number, out: CdpAction[]): void {
    const list = view.unsafe;
    const m = list.length;
    if (m === 0) return;
    const cdp = view.cdp;
    const o = this.opts;
    const sp = view.stablePriceUsd;
    this.kickedAll = 0;
    if (this.kicked.length !== cdp.ilks) this.kicked = new Array<number>(cdp.ilks).fill(0);
    else this.kicked.fill(0);
    const start = Math.floor(u * m);
    for (let j = 0; j < m && this.made < o.maxPerStep; j++) {
      const v = list[(start + j) % m];
      const i = cdp.ilkOf[v];
      const room = Math.min(
        cdp.params.Hole - cdp.Dirt - this.kickedAll,
        cdp.params.ilks[i].hole - cdp.dirt[i] - this.kicked[i],
      );
      const kick = previewBark(cdp, v, room);
      if (kick === undefined) continue;
      const au = cdp.params.ilks[i].auction;
      let worth: boolean;
      if (au.kind === 'dutch') worth = (au.tip + au.chip * kick.tab) * sp > view.gasUsd;
      else {
        const book = this.books[i];
        const pool = view.dex[i];
        if (book === undefined || pool === undefined || !(sp > 0)) continue;
        const queued = this.queuedProceeds(book, pool.feeRate, this.inFlight[i] ?? 0, kick.lot);
        const lotValue = queued * settlementScale(book, view.marketPriceUsd[i]);
        const value = Math.min(lotValue, (kick.tab * sp) / (1 - o.minDiscount));
        worth = value * o.minDiscount > 2 * view.gasUsd + o.minProfitUsd;
      }
      if (!worth) continue;
      out.push({ kind: 'bark', keeper: this.keeper, vault: v });
      this.made++;
      this.kickedAll += kick.tab;
      this.kicked[i] += kick.tab;
      if (au.kind === 'english') this.inFlight[i] += kick.lot;
    }
  }
}
