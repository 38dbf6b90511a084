// The CDP kernel's collateral auctions, functions of the CdpVaults state: the Dutch auction (Maker
// Clipper: price curves, take, redo, the breaker) and the English auction (Maker Flipper: tend,
// dent, deal, tick). They refuse (return a reason) rather than throw for anything an agent can cause,
// and move value only through the state's helpers (payToVow, payIncentive, sellCollateral,
// returnCollateral, digs, finish), so the books in cdp-vaults.ts stay balanced. They hold no wallet:
// the caller checks that a bidder has the stablecoin it pays.
//
// Choices where Maker leaves room: an English auction with no bid at its end restarts (tick, as the
// Flipper does) rather than settling at zero; a bid of 0 for the whole lot is allowed as the first
// bid (the pre-2020 Flipper, which let Black Thursday's zero bids win). The Flipper had no breaker,
// so levels 2 and 3 stop only Dutch auctions (level 1, no kicks, applies to bark of either kind).
import type { CdpVaults } from './cdp-vaults.js';
import type { CdpAuction, CdpRefusal, DutchAuctionParams, SettleResult, TakeResult } from './cdp-types.js';

/** The running auction `id` (throws on an unknown id: a programming error). */
function auctionOf(cdp: CdpVaults, id: number): CdpAuction {
  const a = cdp.auctions[id];
  if (a === undefined) throw new Error(`CdpAuctions: auction ${id} out of range`);
  return a;
}

function dutchParams(cdp: CdpVaults, a: CdpAuction): DutchAuctionParams {
  const au = cdp.params.ilks[a.ilk].auction;
  if (au.kind !== 'dutch') throw new Error(`CdpAuctions: auction ${a.id} is not Dutch`);
  return au;
}

/**
 * A Dutch auction's price `elapsedSeconds` after its start, USD per collateral unit: stairstep
 * top x cut^floor(t / step), or linear top x (tau - t) / tau, floored at 0.
 */
export function dutchPriceUsd(au: DutchAuctionParams, top: number, elapsedSeconds: number): number {
  const t = Math.max(0, elapsedSeconds);
  if (au.curve === 'stairstep') return top * Math.pow(au.cut, Math.floor(t / au.stepSeconds));
  if (t >= au.tauSeconds) return 0;
  return (top * (au.tauSeconds - t)) / au.tauSeconds;
}

/** The Dutch auction's price now, USD per unit (0 for a finished or English auction). */
export function auctionPriceUsd(cdp: CdpVaults, id: number): number {
  const a = auctionOf(cdp, id);
  if (!a.active || a.kind !== 'dutch') return 0;
  return dutchPriceUsd(dutchParams(cdp, a), a.top, cdp.nowSeconds - a.startSeconds);
}

/** Maker's status: a Dutch auction needs a redo when t > tail or price / top < cusp. */
export function needsRedo(cdp: CdpVaults, id: number): boolean {
  const a = auctionOf(cdp, id);
  if (!a.active || a.kind !== 'dutch') return false;
  const au = dutchParams(cdp, a);
  const t = cdp.nowSeconds - a.startSeconds;
  const price = dutchPriceUsd(au, a.top, t);
  return t > au.tailSeconds || price / a.top < au.cusp || !(price > 0);
}

/** The smallest tab a partial take may leave (chost = dust x chop), stablecoin units. */
export function chostOf(cdp: CdpVaults, ilk: number): number {
  const p = cdp.params.ilks[ilk];
  return p.dustUsd * p.chop;
}

/**
 * Buys up to `maxCollateral` of a Dutch auction's collateral at its price now, if that price is at
 * most `maxPriceUsd` (Maker Clipper.take). The slice is capped by the lot and by what pays the tab;
 * a partial take that would leave a tab below chost takes only tab - chost (refused 'no-partial'
 * when the tab is at most chost). The stablecoin paid goes to the Vow (burns against sin), dirt and
 * Dirt fall by it; when the tab is paid the rest of the lot returns to the owner, when the lot is
 * gone the unpaid tab stays in sin as bad debt. Refused, in this order: 'not-running', 'wrong-kind',
 * 'stopped' (breaker 3), 'empty', 'needs-redo', 'too-expensive', 'no-partial'.
 */
export function take(cdp: CdpVaults, id: number, maxCollateral: number, maxPriceUsd: number): TakeResult | CdpRefusal {
  const a = auctionOf(cdp, id);
  if (!a.active) return 'not-running';
  if (a.kind !== 'dutch') return 'wrong-kind';
  if (cdp.stopped[a.ilk] >= 3) return 'stopped';
  if (!(maxCollateral > 0)) return 'empty';
  if (needsRedo(cdp, id)) return 'needs-redo';
  const price = auctionPriceUsd(cdp, id);
  if (maxPriceUsd < price) return 'too-expensive';
  let slice = Math.min(a.lot, maxCollateral);
  let owe = slice * price;
  if (owe >= a.tab) {
    owe = a.tab;
    slice = Math.min(a.lot, owe / price);
  } else if (slice < a.lot) {
    const chost = chostOf(cdp, a.ilk);
    if (a.tab - owe < chost) {
      if (!(a.tab > chost)) return 'no-partial';
      owe = a.tab - chost;
      slice = owe / price;
    }
  }
  const lotGone = slice >= a.lot;
  a.tab = owe >= a.tab ? 0 : a.tab - owe;
  a.paid += owe;
  cdp.sellCollateral(a, lotGone ? a.lot : slice);
  cdp.payToVow(owe);
  cdp.digs(a, owe);
  let returned = 0;
  let finished = false;
  if (lotGone || a.tab === 0) {
    returned = a.lot;
    cdp.finish(a);
    finished = true;
  }
  return { collateral: slice, paid: owe, priceUsd: price, returned, finished };
}

/**
 * Restarts a Dutch auction that needs it (Maker Clipper.redo): top = the OSM price now x buf, the
 * clock restarts, and the keeper incentive tip + tab x chip is paid again when tab >= chost and the
 * lot is worth at least chost. Refused 'not-running', 'wrong-kind', 'stopped' (breaker >= 2),
 * 'cannot-reset' (not yet past tail nor below cusp). Returns the incentive paid.
 */
export function redo(cdp: CdpVaults, id: number, priceUsd = cdp.priceUsd[auctionOf(cdp, id).ilk]): number | CdpRefusal {
  const a = auctionOf(cdp, id);
  if (!a.active) return 'not-running';
  if (a.kind !== 'dutch') return 'wrong-kind';
  if (cdp.stopped[a.ilk] >= 2) return 'stopped';
  if (!needsRedo(cdp, id)) return 'cannot-reset';
  const au = dutchParams(cdp, a);
  a.top = priceUsd * au.buf;
  a.startSeconds = cdp.nowSeconds;
  const chost = chostOf(cdp, a.ilk);
  const coin = a.tab >= chost && a.lot * priceUsd >= chost ? au.tip + a.tab * au.chip : 0;
  cdp.payIncentive(coin);
  return coin;
}

/** Sets an ilk's breaker level 0..3 (governance; ClipperMom.setBreaker). Throws on a bad level. */
export function setBreaker(cdp: CdpVaults, ilk: number, level: number): void {
  cdp.checkIlk(ilk);
  if (!(Number.isInteger(level) && level >= 0 && level <= 3)) throw new Error(`CdpAuctions: breaker level ${level}`);
  cdp.stopped[ilk] = level;
}

/**
 * ClipperMom.tripBreaker, permissionless: sets level 2 when the OSM's next price is below its
 * current price x breakerTolerance; refused 'not-tripped' otherwise.
 */
export function tripBreaker(
  cdp: CdpVaults,
  ilk: number,
  currentPriceUsd: number,
  nextPriceUsd: number,
): CdpRefusal | undefined {
  cdp.checkIlk(ilk);
  if (!(nextPriceUsd < currentPriceUsd * cdp.params.breakerTolerance)) return 'not-tripped';
  cdp.stopped[ilk] = Math.max(cdp.stopped[ilk], 2);
  return undefined;
}

// --- English (Flipper) ---

/** The running English auction `id`, or a refusal. */
function english(cdp: CdpVaults, id: number): CdpAuction | CdpRefusal {
  const a = auctionOf(cdp, id);
  if (!a.active) return 'not-running';
  if (a.kind !== 'english') return 'wrong-kind';
  return a;
}

/** Whether bidding on an English auction has closed: its standing bid expired or its end passed. */
export function biddingClosed(cdp: CdpVaults, a: CdpAuction): boolean {
  return cdp.nowSeconds >= a.bidExpirySeconds || cdp.nowSeconds >= a.endSeconds;
}

function begOf(cdp: CdpVaults, a: CdpAuction): number {
  const au = cdp.params.ilks[a.ilk].auction;
  if (au.kind !== 'english') throw new Error(`CdpAuctions: auction ${a.id} is not English`);
  return au.minBidIncrement;
}

/**
 * Tend phase (Flipper.tend): bids `bidUnits` of stablecoin for the whole lot. The first bid may be
 * anything from 0 to the tab (a zero bid wins when nobody else bids); a later one must exceed the
 * standing bid and be at least beg x it, or equal the tab. The bidder pays its bid, the outbid bidder
 * gets its bid back and the increment goes to the Vow; the bid stands for ttl. Refused 'not-running',
 * 'wrong-kind', 'ended', 'not-tend-phase' (the bid reached the tab), 'bid-above-tab', 'bid-too-low'.
 */
export function tend(cdp: CdpVaults, id: number, bidUnits: number): CdpRefusal | undefined {
  const a = english(cdp, id);
  if (typeof a === 'string') return a;
  if (biddingClosed(cdp, a)) return 'ended';
  if (a.hasBid && a.bid >= a.tab) return 'not-tend-phase';
  if (!(bidUnits >= 0)) return 'bid-too-low';
  if (bidUnits > a.tab) return 'bid-above-tab';
  if (a.hasBid && !(bidUnits > a.bid && (bidUnits >= begOf(cdp, a) * a.bid || bidUnits === a.tab)))
    return 'bid-too-low';
  const increment = bidUnits - a.bid;
  // The new bidder pays its whole bid and the outbid one is refunded: outside the system, net the increment.
  cdp.payToVow(increment);
  a.paid += increment;
  a.bid = bidUnits;
  a.hasBid = true;
  a.bidExpirySeconds = cdp.nowSeconds + englishParams(cdp, a).bidDurationSeconds;
  return undefined;
}

/**
 * Dent phase (Flipper.dent): once the bid equals the tab, bids fall in collateral: `lotUnits` for
 * the fixed tab, at most the standing lot / beg. The collateral given up returns to the vault owner
 * at once; the new bidder refunds the old one the tab (no change to the books). Refused
 * 'not-running', 'wrong-kind', 'ended', 'not-dent-phase', 'lot-not-lower'.
 */
export function dent(cdp: CdpVaults, id: number, lotUnits: number): CdpRefusal | undefined {
  const a = english(cdp, id);
  if (typeof a === 'string') return a;
  if (biddingClosed(cdp, a)) return 'ended';
  if (!(a.hasBid && a.bid >= a.tab)) return 'not-dent-phase';
  if (!(lotUnits >= 0 && lotUnits < a.lot && lotUnits * begOf(cdp, a) <= a.lot)) return 'lot-not-lower';
  cdp.returnCollateral(a, a.lot - lotUnits);
  a.lot = lotUnits;
  a.bidExpirySeconds = cdp.nowSeconds + englishParams(cdp, a).bidDurationSeconds;
  return undefined;
}

/**
 * Settles an English auction (Flipper.deal) after its standing bid expired or its end passed: the
 * winner gets the lot, the auction's tab leaves dirt and Dirt (Cat.claw), and the debt not
 * recovered (due - raised) stays in sin as bad debt. Refused 'not-running', 'wrong-kind', 'no-bid' (use tick), 'not-finished'.
 */
export function deal(cdp: CdpVaults, id: number): SettleResult | CdpRefusal {
  const a = english(cdp, id);
  if (typeof a === 'string') return a;
  if (!a.hasBid) return 'no-bid';
  if (!biddingClosed(cdp, a)) return 'not-finished';
  const collateral = a.lot;
  cdp.sellCollateral(a, a.lot);
  cdp.finish(a);
  return {
    collateral,
    raised: a.paid,
    shortfall: Math.max(0, a.tab - a.paid),
    badDebt: Math.max(0, a.due - a.paid),
  };
}

/**
 * Restarts an English auction that reached its end without a bid (Flipper.tick): a new end tau from
 * now. Refused 'not-running', 'wrong-kind', 'has-bid', 'not-finished' (its end is still ahead).
 */
export function tick(cdp: CdpVaults, id: number): CdpRefusal | undefined {
  const a = english(cdp, id);
  if (typeof a === 'string') return a;
  if (a.hasBid) return 'has-bid';
  if (cdp.nowSeconds < a.endSeconds) return 'not-finished';
  a.endSeconds = cdp.nowSeconds + englishParams(cdp, a).auctionLengthSeconds;
  return undefined;
}

function englishParams(cdp: CdpVaults, a: CdpAuction): { bidDurationSeconds: number; auctionLengthSeconds: number } {
  const au = cdp.params.ilks[a.ilk].auction;
  if (au.kind !== 'english') throw new Error(`CdpAuctions: auction ${a.id} is not English`);
  return au;
}
