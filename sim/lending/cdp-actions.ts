// Applying the CDP agents' actions (sim/lending/cdp-run-types.ts) for CdpProtocol, with the checks
// the kernel leaves to its caller: who may act (keepers in an outage or above their gas ceiling do
// not get in), who holds the coins it pays, index ranges. A refusal is counted by reason, never
// thrown. The economics around the kernel's books: gas, the DEX sale of auctioned collateral, the
// keepers' buy-back of the coins they paid from the holders (forced buying that lowers the holders'
// float), the owners' purchases and sales of coins on the stablecoin's market, the peg attackers'
// trades. Stablecoin amounts are units; trades with the holders are at the stablecoin's price.
import { auctionPriceUsd, dent, redo, take, tend } from './cdp-auctions.js';
import type { CdpConfig } from '../config/index.js';
import type { SpotPool } from '../market/spot-pool.js';
import type { CdpAction, CdpBidder, CdpView } from './cdp-run-types.js';
import type { CdpAuction, CdpRefusal } from './cdp-types.js';
import type { CdpVaults } from './cdp-vaults.js';

/** Refusals the protocol adds to the kernel's (CDP_REFUSALS): checks on wallets, gas and indices. */
export const CDP_RUN_REFUSALS = [
  'gas-ceiling',
  'keeper-outage',
  'no-capital',
  'no-float',
  'no-reserve',
  'not-a-bidder',
  'bad-index',
] as const;
export type CdpRunRefusal = CdpRefusal | (typeof CDP_RUN_REFUSALS)[number];

/** What the actions read and move of the protocol (CdpProtocol): its state and wallets. */
export interface CdpActionHost {
  readonly cc: CdpConfig;
  readonly cdp: CdpVaults;
  readonly layout: { readonly ownerVaults: number };
  readonly dex: readonly SpotPool[];
  readonly prices: { readonly priceUsd: Float64Array };
  readonly view: { -readonly [K in keyof CdpView]: CdpView[K] };
  holdersUnits: number;
  readonly stablePriceUsd: number;
  refuse(r: CdpRunRefusal): void;
  kicked(id: number): void;
}

/** A settled auction counts as won at a near-zero bid when it raised at most this share of its lot's market value. */
export const ZERO_BID_SHARE = 0.01;

/** The running tallies of a CDP run (the statistics' inputs). */
export interface CdpTallies {
  barked: Set<number>;
  settled: number;
  settledDurationSeconds: number;
  paidUsd: number;
  marketValueUsd: number;
  zeroBidWins: number;
  badDebtUnits: number;
  keeperIncentivesUnits: number;
  /** Kick incentives minted to attackers (zero bidders kicking Dutch auctions), stablecoin units. */
  attackerIncentivesUnits: number;
  keeperProfitUsd: number;
  keeperGasUsd: number;
  debtAuctions: number;
  govMintedUnits: number;
  /** Stablecoin the debt auctions raised, units. */
  debtAuctionRaisedUnits: number;
  surplusAuctions: number;
  collateralSoldUsd: number;
  ownerBuybackUnits: number;
  ownerCostUsd: number;
  breakerTrips: number;
  refused: number;
}

export class CdpActions {
  readonly tally: CdpTallies = {
    barked: new Set(),
    settled: 0,
    settledDurationSeconds: 0,
    paidUsd: 0,
    marketValueUsd: 0,
    zeroBidWins: 0,
    badDebtUnits: 0,
    keeperIncentivesUnits: 0,
    attackerIncentivesUnits: 0,
    keeperProfitUsd: 0,
    keeperGasUsd: 0,
    debtAuctions: 0,
    govMintedUnits: 0,
    debtAuctionRaisedUnits: 0,
    surplusAuctions: 0,
    collateralSoldUsd: 0,
    ownerBuybackUnits: 0,
    ownerCostUsd: 0,
    breakerTrips: 0,
    refused: 0,
  };
  /** Per auction: the kick time, seconds, and the market value of the collateral sold from it so far, USD. */
  private readonly kickSeconds: number[] = [];
  private readonly soldMarketUsd: number[] = [];
  /** English: the standing bidder of each auction with a bid. */
  private readonly bidderOf = new Map<number, CdpBidder>();

  constructor(private readonly p: CdpActionHost) {}

  /** Whether keeper `k` gets a transaction in now; pays its gas when it does. */
  private keeperIn(k: number): boolean {
    const p = this.p;
    const kc = p.cc.keepers;
    if (!(Number.isInteger(k) && k >= 0 && k < kc.count)) return this.no('bad-index');
    if (k < Math.floor(p.view.keeperOutage * kc.count)) return this.no('keeper-outage');
    if (p.view.gasUsd > kc.maxGasUsd) return this.no('gas-ceiling');
    this.tally.keeperGasUsd += p.view.gasUsd;
    this.tally.keeperProfitUsd -= p.view.gasUsd;
    return true;
  }

  /** Whether a bidder (a keeper, or a zero-bidder attacker at its own gas and ceiling) gets in. */
  private bidderIn(b: CdpBidder): boolean {
    if ('keeper' in b) return this.keeperIn(b.keeper);
    const a = this.p.cc.attackers[b.attacker];
    if (a === undefined) return this.no('bad-index');
    if (a.kind !== 'zero-bidder') return this.no('not-a-bidder');
    const gas = a.gasUsd * this.p.view.gasMultiplier;
    if (gas > a.maxGasUsd) return this.no('gas-ceiling');
    this.p.view.attackerUsd[b.attacker] -= gas;
    return true;
  }

  private coins(b: CdpBidder): Float64Array {
    return 'keeper' in b ? this.p.view.keeperStableUnits : this.p.view.attackerStableUnits;
  }

  private idx(b: CdpBidder): number {
    return 'keeper' in b ? b.keeper : b.attacker;
  }

  private no(r: CdpRunRefusal): false {
    this.p.refuse(r);
    return false;
  }

  private auction(id: number): CdpAuction | undefined {
    if (!(Number.isInteger(id) && id >= 0 && id < this.p.cdp.auctions.length)) {
      this.no('bad-index');
      return undefined;
    }
    return this.p.cdp.auctions[id];
  }

  private ownerVault(v: number): boolean {
    return Number.isInteger(v) && v >= 0 && v < this.p.layout.ownerVaults ? true : this.no('bad-index');
  }

  /** Collateral back from an auction to an owner's vault goes to the owner's reserve. */
  private returned(vault: number, units: number): void {
    if (units > 0 && vault < this.p.layout.ownerVaults) this.p.view.ownerReserveUnits[vault] += units;
  }

  /** Sells `units` of ilk `ilk` on its DEX, USD received. */
  private sell(ilk: number, units: number): number {
    if (!(units > 0)) return 0;
    const usd = -this.p.dex[ilk].swap(-units);
    this.tally.collateralSoldUsd += usd;
    return usd;
  }

  /** A keeper buys back `units` coins from the holders at the stablecoin's price (as far as the float goes). */
  private buyBack(k: number, units: number): void {
    const p = this.p;
    const got = Math.min(units, Math.max(0, p.holdersUnits));
    p.holdersUnits -= got;
    p.view.keeperStableUnits[k] += got;
  }

  /** An English auction dealt (by the protocol's oracle phase): the winner sells the lot on the DEX. */
  settled(a: CdpAuction, collateral: number, bid: number, raised: number, badDebt: number): void {
    const p = this.p;
    const winner = this.bidderOf.get(a.id);
    this.bidderOf.delete(a.id);
    const market = collateral * p.prices.priceUsd[a.ilk];
    const usd = this.sell(a.ilk, collateral);
    if (winner && 'keeper' in winner) {
      this.tally.keeperProfitUsd += usd - bid * p.stablePriceUsd;
      this.buyBack(winner.keeper, bid);
    } else if (winner) p.view.attackerUsd[winner.attacker] += usd;
    this.tally.paidUsd += raised;
    this.tally.marketValueUsd += market;
    this.finished(a, raised, market, badDebt);
  }

  private finished(a: CdpAuction, raised: number, marketUsd: number, badDebt: number): void {
    const t = this.tally;
    t.settled++;
    t.settledDurationSeconds += this.p.cdp.nowSeconds - this.kickSeconds[a.id];
    if (marketUsd > 0 && raised <= ZERO_BID_SHARE * marketUsd) t.zeroBidWins++;
    t.badDebtUnits += badDebt;
  }

  apply(x: CdpAction): void {
    const p = this.p;
    const cdp = p.cdp;
    const v = p.view;
    const t = this.tally;
    switch (x.kind) {
      case 'bark': {
        if (!(Number.isInteger(x.vault) && x.vault >= 0 && x.vault < cdp.vaults)) return void this.no('bad-index');
        if (!this.keeperIn(x.keeper)) return;
        const r = cdp.bark(x.vault);
        if (typeof r === 'string') return p.refuse(r);
        v.keeperStableUnits[x.keeper] += r.incentive;
        t.keeperIncentivesUnits += r.incentive;
        t.keeperProfitUsd += r.incentive * p.stablePriceUsd;
        t.barked.add(x.vault);
        this.kickSeconds[r.auction] = cdp.nowSeconds;
        this.soldMarketUsd[r.auction] = 0;
        p.kicked(r.auction);
        return;
      }
      case 'attackerBark': {
        if (!(Number.isInteger(x.vault) && x.vault >= 0 && x.vault < cdp.vaults)) return void this.no('bad-index');
        if (!this.bidderIn({ attacker: x.attacker })) return;
        const r = cdp.bark(x.vault);
        if (typeof r === 'string') return p.refuse(r);
        v.attackerStableUnits[x.attacker] += r.incentive;
        t.attackerIncentivesUnits += r.incentive;
        t.barked.add(x.vault);
        this.kickSeconds[r.auction] = cdp.nowSeconds;
        this.soldMarketUsd[r.auction] = 0;
        p.kicked(r.auction);
        return;
      }
      case 'attackerTake': {
        const a = this.auction(x.auction);
        if (!a || !this.bidderIn({ attacker: x.attacker })) return;
        const price = a.active && a.kind === 'dutch' ? auctionPriceUsd(cdp, x.auction) : 0;
        const coins = v.attackerStableUnits[x.attacker];
        if (price > 0 && !(coins > 0)) return p.refuse('no-capital');
        const r = take(
          cdp,
          x.auction,
          price > 0 ? Math.min(x.maxCollateral, coins / price) : x.maxCollateral,
          x.maxPriceUsd,
        );
        if (typeof r === 'string') return p.refuse(r);
        v.attackerStableUnits[x.attacker] -= r.paid;
        const market = r.collateral * p.prices.priceUsd[a.ilk];
        v.attackerUsd[x.attacker] += this.sell(a.ilk, r.collateral);
        t.paidUsd += r.paid;
        t.marketValueUsd += market;
        this.soldMarketUsd[a.id] += market;
        this.returned(a.vault, r.returned);
        if (r.finished) this.finished(a, a.paid, this.soldMarketUsd[a.id], Math.max(0, a.due - a.paid));
        return;
      }
      case 'take': {
        const a = this.auction(x.auction);
        if (!a || !this.keeperIn(x.keeper)) return;
        const price = a.active && a.kind === 'dutch' ? auctionPriceUsd(cdp, x.auction) : 0;
        const coins = v.keeperStableUnits[x.keeper];
        const most = price > 0 ? Math.min(x.maxCollateral, coins / price) : x.maxCollateral;
        if (price > 0 && !(coins > 0)) return p.refuse('no-capital');
        const r = take(cdp, x.auction, most, x.maxPriceUsd);
        if (typeof r === 'string') return p.refuse(r);
        v.keeperStableUnits[x.keeper] -= r.paid;
        const market = r.collateral * p.prices.priceUsd[a.ilk];
        const usd = this.sell(a.ilk, r.collateral);
        t.keeperProfitUsd += usd - r.paid * p.stablePriceUsd;
        this.buyBack(x.keeper, r.paid);
        t.paidUsd += r.paid;
        t.marketValueUsd += market;
        this.soldMarketUsd[a.id] += market;
        this.returned(a.vault, r.returned);
        if (r.finished) this.finished(a, a.paid, this.soldMarketUsd[a.id], Math.max(0, a.due - a.paid));
        return;
      }
      case 'redo': {
        if (!this.auction(x.auction) || !this.keeperIn(x.keeper)) return;
        const r = redo(cdp, x.auction);
        if (typeof r === 'string') return p.refuse(r);
        v.keeperStableUnits[x.keeper] += r;
        t.keeperIncentivesUnits += r;
        t.keeperProfitUsd += r * p.stablePriceUsd;
        return;
      }
      case 'tend': {
        const a = this.auction(x.auction);
        if (!a || !this.bidderIn(x.bidder)) return;
        const prev = this.bidderOf.get(x.auction);
        const same = prev !== undefined && samePerson(prev, x.bidder);
        const need = same ? x.bidUnits - a.bid : x.bidUnits;
        if (!(this.coins(x.bidder)[this.idx(x.bidder)] >= need)) return p.refuse('no-capital');
        const old = a.bid;
        const r = tend(cdp, x.auction, x.bidUnits);
        if (r) return p.refuse(r);
        if (prev && !same) this.coins(prev)[this.idx(prev)] += old;
        this.coins(x.bidder)[this.idx(x.bidder)] -= need;
        this.bidderOf.set(x.auction, x.bidder);
        return;
      }
      case 'dent': {
        const a = this.auction(x.auction);
        if (!a || !this.bidderIn(x.bidder)) return;
        const prev = this.bidderOf.get(x.auction);
        const same = prev !== undefined && samePerson(prev, x.bidder);
        if (!same && !(this.coins(x.bidder)[this.idx(x.bidder)] >= a.tab)) return p.refuse('no-capital');
        const lot = a.lot;
        const r = dent(cdp, x.auction, x.lotUnits);
        if (r) return p.refuse(r);
        if (prev && !same) {
          this.coins(prev)[this.idx(prev)] += a.tab;
          this.coins(x.bidder)[this.idx(x.bidder)] -= a.tab;
        }
        this.bidderOf.set(x.auction, x.bidder);
        this.returned(a.vault, lot - a.lot);
        return;
      }
      case 'repay': {
        if (!this.ownerVault(x.vault)) return;
        const debt = cdp.debtOf(x.vault);
        if (!(debt > 0)) return p.refuse('no-debt');
        const units = Math.min(x.units, debt, p.holdersUnits);
        if (!(units > 0)) return p.refuse('no-float');
        const r = cdp.wipe(x.vault, units);
        if (typeof r === 'string') return p.refuse(r);
        p.holdersUnits -= r;
        t.ownerBuybackUnits += r;
        t.ownerCostUsd += r * p.stablePriceUsd;
        return;
      }
      case 'addCollateral': {
        if (!this.ownerVault(x.vault)) return;
        const units = Math.min(x.units, v.ownerReserveUnits[x.vault]);
        if (!(units > 0)) return p.refuse('no-reserve');
        const r = cdp.lock(x.vault, units);
        if (r) return p.refuse(r);
        v.ownerReserveUnits[x.vault] -= units;
        return;
      }
      case 'draw': {
        if (!this.ownerVault(x.vault)) return;
        const r = cdp.draw(x.vault, x.units);
        if (r) return p.refuse(r);
        p.holdersUnits += x.units;
        t.ownerCostUsd -= x.units * p.stablePriceUsd;
        return;
      }
      case 'pegBuy': {
        const m = x.attacker;
        if (!(m >= 0 && m < v.attackerUsd.length && Number.isInteger(m))) return void this.no('bad-index');
        const usd = Math.min(x.usd, v.attackerUsd[m]);
        const units = Math.min(usd / p.stablePriceUsd, Math.max(0, p.holdersUnits));
        if (!(units > 0)) return p.refuse(usd > 0 ? 'no-float' : 'no-capital');
        p.holdersUnits -= units;
        v.attackerStableUnits[m] += units;
        v.attackerUsd[m] -= units * p.stablePriceUsd;
        return;
      }
      case 'pegSell': {
        const m = x.attacker;
        if (!(m >= 0 && m < v.attackerUsd.length && Number.isInteger(m))) return void this.no('bad-index');
        const units = Math.min(x.units, v.attackerStableUnits[m]);
        if (!(units > 0)) return p.refuse('no-capital');
        p.holdersUnits += units;
        v.attackerStableUnits[m] -= units;
        v.attackerUsd[m] += units * p.stablePriceUsd;
        return;
      }
    }
  }
}

function samePerson(a: CdpBidder, b: CdpBidder): boolean {
  return 'keeper' in a ? 'keeper' in b && a.keeper === b.keeper : 'attacker' in b && a.attacker === b.attacker;
}
