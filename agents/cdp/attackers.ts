// CDP attackers (issue 16, "Agents"). The zero bidder (Black Thursday, 12 March 2020) bids (near)
// nothing on every English auction nobody has bid on and never raises: it wins the lots when the
// keepers' transactions no longer get in (a gas spike above their ceiling) or they have no capital.
// It pays any gas, so it also kicks the unsafe vaults the keepers cannot (for lots to bid on, or for
// the Dutch kick incentive), and takes Dutch lots only at a lowball price.
// The peg attacker bets on a forced deleverage: it buys the stablecoin with its capital before one
// (vault owners must buy it back to repay, pushing it above the peg) and sells into the squeeze. Both
// read the view and append actions; they never mutate the kernel, and they draw no random numbers.
import type { Decider } from '../../sim/core/protocol.js';
import type { CdpAttackerConfig } from '../../sim/config/cdp.js';
import { auctionPriceUsd, biddingClosed, needsRedo } from '../../sim/lending/cdp-auctions.js';
import type { CdpAction, CdpBidder, CdpView } from '../../sim/lending/cdp-run-types.js';

type ZeroBidderConfig = Extract<CdpAttackerConfig, { kind: 'zero-bidder' }>;
type PegAttackerConfig = Extract<CdpAttackerConfig, { kind: 'peg-attacker' }>;

/**
 * Attacker `m` (its index in cdp.attackers), a zero bidder: when its gas ceiling allows (maxGasUsd >=
 * gasUsd x the gas multiplier), it tends min(bidUnits, tab) on every running English auction in the
 * tend phase without a bid whose bidding is open, while its stablecoin (view.attackerStableUnits[m])
 * pays the bids; it never raises a standing bid, its own or another's.
 */
export class ZeroBidder implements Decider<CdpView, CdpAction> {
  readonly name = 'cdp-zero-bidder';
  private readonly bidder: CdpBidder;

  constructor(
    private readonly cfg: ZeroBidderConfig,
    readonly attacker: number,
  ) {
    this.bidder = { attacker };
  }

  decide(view: CdpView, out: CdpAction[]): void {
    const gas = this.cfg.gasUsd * view.gasMultiplier;
    if (!(this.cfg.maxGasUsd >= gas)) return;
    const cdp = view.cdp;
    const m = this.attacker;
    let coins = view.attackerStableUnits[m] ?? 0;
    for (const id of view.activeAuctions) {
      const a = cdp.auctions[id];
      if (a === undefined || !a.active) continue;
      if (a.kind === 'dutch') {
        // A lowball take: only at a price at most dutchTakeBelowMarketShare of the market.
        const price = auctionPriceUsd(cdp, id);
        const limit = this.cfg.dutchTakeBelowMarketShare * view.marketPriceUsd[a.ilk];
        if (!(price > 0 && price <= limit) || needsRedo(cdp, id) || !(coins > 0)) continue;
        const units = Math.min(a.lot, coins / price);
        out.push({ kind: 'attackerTake', attacker: m, auction: id, maxCollateral: units, maxPriceUsd: price });
        coins -= units * price;
        continue;
      }
      if (a.hasBid || biddingClosed(cdp, a)) continue;
      const bid = Math.min(this.cfg.bidUnits, a.tab);
      if (!(bid >= 0) || bid > coins) continue;
      out.push({ kind: 'tend', bidder: this.bidder, auction: id, bidUnits: bid });
      coins -= bid;
    }
    if (!this.cfg.kicks) return;
    // Kicks: English lots to bid on; Dutch ones when the incentive (tip + chip x tab) beats its gas.
    let kicks = 0;
    for (const vault of view.unsafe) {
      if (kicks >= this.cfg.maxKicksPerStep) break;
      const ilk = cdp.params.ilks[cdp.ilkOf[vault]];
      if (ilk.auction.kind === 'dutch') {
        const tab = cdp.debtOf(vault) * ilk.chop;
        if (!((ilk.auction.tip + ilk.auction.chip * tab) * view.stablePriceUsd > gas)) continue;
      }
      out.push({ kind: 'attackerBark', attacker: m, vault });
      kicks++;
    }
  }
}

/**
 * Attacker `m`, a peg attacker: at the first step at or after buyStep it buys the stablecoin with all
 * its USD (pegBuy, view.attackerUsd[m]); at any later step it sells all it holds (pegSell,
 * view.attackerStableUnits[m]) once the stablecoin trades above sellAbovePriceUsd, or at sellByStep
 * at the latest; it trades once each way.
 */
export class PegAttacker implements Decider<CdpView, CdpAction> {
  readonly name = 'cdp-peg-attacker';
  /** The step it bought at (-1 before). */
  private boughtStep = -1;
  private sold = false;

  constructor(
    private readonly cfg: PegAttackerConfig,
    readonly attacker: number,
  ) {}

  decide(view: CdpView, out: CdpAction[]): void {
    const m = this.attacker;
    if (this.boughtStep < 0) {
      if (view.step < this.cfg.buyStep) return;
      const usd = view.attackerUsd[m] ?? 0;
      if (!(usd > 0)) return;
      out.push({ kind: 'pegBuy', attacker: m, usd });
      this.boughtStep = view.step;
      return;
    }
    if (this.sold || !(view.step > this.boughtStep)) return;
    if (!(view.stablePriceUsd > this.cfg.sellAbovePriceUsd || view.step >= this.cfg.sellByStep)) return;
    const units = view.attackerStableUnits[m] ?? 0;
    if (!(units > 0)) return;
    out.push({ kind: 'pegSell', attacker: m, units });
    this.sold = true;
  }
}
