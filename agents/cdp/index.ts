// A MINIMAL stand-in for the CDP family's agents (issue 16), with the signature the run contract
// expects (sim/lending/cdp-run-types.ts): vault owners who repay or top up below the trigger ratio,
// keepers who bark unsafe vaults, take Dutch lots at a discount, redo stale auctions and bid on
// English lots, and attackers (a zero bidder, a peg attacker). The full populations are written
// elsewhere and replace this file at the merge. Reads the view only; never mutates it.
import type { CdpConfig } from '../../sim/config/index.js';
import type { Decider } from '../../sim/core/protocol.js';
import type { Stream } from '../../sim/core/rng.js';
import { auctionPriceUsd, needsRedo } from '../../sim/lending/cdp-auctions.js';
import type { CdpAction, CdpView } from '../../sim/lending/cdp-run-types.js';

type D = Decider<CdpView, CdpAction>;

/** Managed owners below triggerRatio at the OSM price restore targetRatio (repay share, the rest collateral). */
class Owners implements D {
  constructor(
    private readonly cfg: CdpConfig,
    private readonly vaults: number,
    private readonly managed: Uint8Array,
    private readonly stream: Stream,
  ) {}

  decide(v: CdpView, out: CdpAction[]): void {
    const o = this.cfg.vaultOwners;
    for (let i = 0; i < this.vaults; i++) {
      // One draw per vault per step whatever it does, so the stream stays aligned.
      const u = this.stream.uniform();
      if (this.managed[i] !== 1 || u >= o.reactionProbability) continue;
      const debt = v.cdp.debtOf(i);
      if (!(debt > 0)) continue;
      const p = v.cdp.priceUsd[v.cdp.ilkOf[i]];
      const value = v.cdp.ink[i] * p;
      if (value / debt >= o.triggerRatio) continue;
      // Repaying r and adding c: (value + c p) / (debt - r) = target, split by repayShare of the gap.
      const gapUsd = o.targetRatio * debt - value;
      const r = Math.min(debt, (o.repayShare * gapUsd) / o.targetRatio);
      const c = ((1 - o.repayShare) * gapUsd) / p;
      if (r > 0) out.push({ kind: 'repay', vault: i, units: r });
      const add = Math.min(c, v.ownerReserveUnits[i]);
      if (add > 0) out.push({ kind: 'addCollateral', vault: i, units: add });
    }
  }
}

/** One keeper: barks what is unsafe, redoes stale Dutch auctions, takes discounted lots, bids English lots. */
class Keeper implements D {
  constructor(
    private readonly cfg: CdpConfig,
    private readonly k: number,
  ) {}

  decide(v: CdpView, out: CdpAction[]): void {
    const kc = this.cfg.keepers;
    let n = 0;
    let taken = 0;
    for (const vault of v.unsafe) {
      if (n >= kc.maxPerStep) return;
      out.push({ kind: 'bark', keeper: this.k, vault });
      n++;
    }
    for (const id of v.activeAuctions) {
      if (n >= kc.maxPerStep) return;
      const a = v.cdp.auctions[id];
      const market = v.marketPriceUsd[a.ilk];
      if (a.kind === 'dutch') {
        if (needsRedo(v.cdp, id)) {
          out.push({ kind: 'redo', keeper: this.k, auction: id });
          n++;
          continue;
        }
        const price = auctionPriceUsd(v.cdp, id);
        const limit = market * (1 - kc.minDiscount);
        // What the DEX takes before its average price (Q / (B + u), less the fee) falls below price x (1 + minDiscount).
        const pool = v.dex[a.ilk];
        const { baseUnits, quoteUsd } = pool.reserves;
        // The keepers decide at once on the same pool: each counts on its share of the room, less what it took already.
        const dexRoom =
          ((quoteUsd * (1 - pool.feeRate)) / (Math.max(price, 1e-12) * (1 + kc.minDiscount)) - baseUnits) / kc.count -
          taken;
        const units = Math.min(a.lot, v.keeperStableUnits[this.k] / Math.max(price, 1e-12), dexRoom);
        if (price <= limit && units > 0 && (limit - price) * units > kc.minProfitUsd + v.gasUsd) {
          taken += units;
          out.push({ kind: 'take', keeper: this.k, auction: id, maxCollateral: units, maxPriceUsd: limit });
          n++;
        }
      } else if (a.active) {
        const value = a.lot * market * (1 - kc.minDiscount);
        const au = this.cfg.collateral[Object.keys(this.cfg.collateral)[a.ilk]].auction;
        if (a.hasBid && a.bid >= a.tab) continue;
        const next = a.hasBid ? Math.min(a.tab, a.bid * au.minBidIncrement) : Math.min(a.tab, value);
        if (next <= value && next <= v.keeperStableUnits[this.k] && next > 0) {
          out.push({ kind: 'tend', bidder: { keeper: this.k }, auction: id, bidUnits: next });
          n++;
        }
      }
    }
  }
}

/** A zero bidder: the first bid on every English lot nobody bid on. */
class ZeroBidder implements D {
  constructor(
    private readonly m: number,
    private readonly bidUnits: number,
  ) {}

  decide(v: CdpView, out: CdpAction[]): void {
    for (const id of v.activeAuctions) {
      const a = v.cdp.auctions[id];
      if (a.kind === 'english' && !a.hasBid)
        out.push({ kind: 'tend', bidder: { attacker: this.m }, auction: id, bidUnits: Math.min(this.bidUnits, a.tab) });
    }
  }
}

/** A peg attacker: buys at buyStep, sells above sellAbovePriceUsd or at sellByStep. */
class PegAttacker implements D {
  constructor(
    private readonly m: number,
    private readonly c: { buyStep: number; sellAbovePriceUsd: number; sellByStep: number },
  ) {}

  decide(v: CdpView, out: CdpAction[]): void {
    if (v.step === this.c.buyStep && v.attackerUsd[this.m] > 0)
      out.push({ kind: 'pegBuy', attacker: this.m, usd: v.attackerUsd[this.m] });
    const held = v.attackerStableUnits[this.m];
    if (held > 0 && (v.stablePriceUsd > this.c.sellAbovePriceUsd || v.step >= this.c.sellByStep))
      out.push({ kind: 'pegSell', attacker: this.m, units: held });
  }
}

export function buildCdpAgents(s: {
  cfg: CdpConfig;
  ownerVaults: number;
  ownerIlk: number;
  managed: Uint8Array;
  stream(name: string): Stream;
}): { owners: D[]; keepers: D[]; attackers: D[] } {
  const owners: D[] = [new Owners(s.cfg, s.ownerVaults, s.managed, s.stream('owners'))];
  const keepers: D[] = Array.from({ length: s.cfg.keepers.count }, (_, k) => new Keeper(s.cfg, k));
  const attackers: D[] = s.cfg.attackers.map((a, m) =>
    a.kind === 'zero-bidder' ? new ZeroBidder(m, a.bidUnits) : new PegAttacker(m, a),
  );
  return { owners, keepers, attackers };
}
