// The venue's loss resolution (README "Insurance fund, backstop vault and auto-deleveraging"): what
// covers a closed account's negative collateral (its collateral assets, its other markets under cross
// margin, the insurance fund within its claim cap), the backstop vault's takeovers and unwind,
// auto-deleveraging of bankrupt positions, and the end-of-step socialization of uncovered bad debt.
// It does not decide who is liquidatable (liq-scan.ts) nor liquidate through the book (liquidation.ts).
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';
import { VenueCollateral } from './venue-collateral.js';
import { positionAfter } from './venue-types.js';

/** Layer 5 of PerpVenue: insurance fund, claim cap, backstop vault, ADL and socialization. */
export abstract class VenueLossResolution extends VenueCollateral {
  /** Uncovered bad debt of this step waiting for socialization at the end of the step, USD. */
  pendingSocializationUsd = 0;
  /** The backstop vault's account, or -1 when there is none (set by the engine through `setBackstop`). */
  backstopAccount = -1;
  /** The ADL stream (`streamFor(seed, 'adl')`), drawn only when a random-ranked ADL runs. */
  adlStream: Stream | undefined;
  /** Accounts whose book liquidation was refused this step (slippage, cap): the vault takes them over. */
  protected readonly backstopQueue: number[] = [];
  /** ADL order of this step for a bankrupt long (index 0) and short (1), ranked at the step's first ADL of that side. */
  private readonly adlRanked: (number[] | undefined)[] = [undefined, undefined];
  /** The effective loss resolution (`socializeLosses: false` with 'socialize' is 'none'). */
  protected readonly resolution: Config['protocol']['lossResolution'] = effectiveResolution(this.cfg);
  /** Scratch list of account ids (socialization). */
  private readonly scratchIds = new Int32Array(this.accounts.count);

  /** A trading fee (USD): the insurance fund's share (`insurance.tradingFeeShare`) goes to the fund, the rest is revenue. */
  protected collectTradingFee(fee: number): void {
    this.totals.tradingFeesUsd += fee;
    const share = this.cfg.insurance.tradingFeeShare;
    if (share > 0) {
      const toFund = fee * share;
      this.insuranceFundUsd += toFund;
      this.totals.tradingFeesToInsuranceUsd += toFund;
    }
  }

  /** What the insurance fund can still pay for this market's bad debt: its balance, within the claim cap, USD. */
  insuranceAvailableUsd(): number {
    return Math.min(Math.max(0, this.insuranceFundUsd), this.insuranceClaimRoomUsd());
  }

  /** What the claim cap still allows the fund to pay for this market, USD (Infinity without a cap). */
  insuranceClaimRoomUsd(): number {
    const cap = this.cfg.insurance.claimCapUsd;
    return cap > 0 ? Math.max(0, cap - this.totals.insuranceClaimsUsd) : Infinity;
  }

  /** A closed account with negative collateral: the insurance fund pays what it can, the rest is uncovered. */
  protected override resolveShortfall(i: number): void {
    const a = this.accounts;
    if (this.collateral !== undefined && this.collateral.holds[i] === 1) {
      // The account's collateral assets are sold at the market price to cover the shortfall first.
      const raised = this.collateral.seize(i, -a.cash[i]);
      if (raised > 0) a.addCash(i, raised);
      if (!(a.cash[i] < 0)) return;
    }
    if (this.link && this.cross![i] === 1) {
      // Cross margin: the account's equity in the other markets covers the shortfall first.
      const moved = this.link.absorb(i, this.self, -a.cash[i]);
      if (moved > 0) a.addCash(i, moved);
      if (!(a.cash[i] < 0)) return;
    }
    const shortfall = -a.cash[i];
    const covered = Math.min(this.insuranceAvailableUsd(), shortfall);
    this.insuranceFundUsd -= covered;
    this.totals.insuranceClaimsUsd += covered;
    const uncovered = shortfall - covered;
    a.addCash(i, shortfall);
    this.totals.badDebtUsd += shortfall;
    this.totals.uncoveredBadDebtUsd += uncovered;
    this.pendingSocializationUsd += uncovered;
  }

  /**
   * Before auto-deleveraging account `i`, what else backs it covers its loss first, as in
   * resolveShortfall: its collateral assets are sold at market, then, under cross margin, its
   * positive equity in the other markets is drawn, so the bankruptcy price counts them.
   */
  protected coverFromElsewhere(i: number): void {
    const a = this.accounts;
    if (this.collateral !== undefined && this.collateral.holds[i] === 1) {
      const raised = this.collateral.seize(i, Infinity);
      if (raised > 0) a.addCash(i, raised);
    }
    if (this.link && this.cross![i] === 1) {
      const need = -this.equity(i);
      if (need > 0) {
        const moved = this.link.absorb(i, this.self, need);
        if (moved > 0) a.addCash(i, moved);
      }
    }
  }

  /** Makes account `v` (funded by the caller through `deposit`) the backstop vault. */
  setBackstop(v: number): void {
    this.backstopAccount = v;
  }

  /** The backstop vault's equity at the oracle price, USD (0 without a vault). */
  backstopEquityUsd(): number {
    return this.backstopAccount >= 0 ? this.equity(this.backstopAccount) : 0;
  }

  /**
   * The backstop vault's turn, after the agents' actions: it takes over each flagged account whose equity
   * (at its margin price) is below `triggerFraction` of its maintenance margin, and each whose book
   * liquidation was refused this step, then sells `unwindFractionPerStep` of its inventory into the book.
   * Nothing happens while liquidations (takeovers), or trades (the unwind), are halted.
   */
  runBackstop(): void {
    const v = this.backstopAccount;
    if (v < 0) return;
    const a = this.accounts;
    const queue = this.backstopQueue;
    if (!this.liquidationsHalted) {
      const trigger = this.cfg.backstop.triggerFraction;
      for (const i of this.flagged) {
        // A cross-margined account's equity here backs its other markets: the vault leaves it to the book.
        if (a.flagStep[i] < 0 || this.isCross(i) || !this.isLiquidatable(i)) continue;
        const q = a.size[i];
        const p = q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
        if (queue.includes(i) || this.equityAt(i, p) < trigger * this.maintenanceUsd(q, p)) this.takeOver(i);
      }
      // Queued accounts still flagged were handled above.
      for (const i of queue) if (a.flagStep[i] < 0 && !this.isCross(i) && this.isLiquidatable(i)) this.takeOver(i);
    }
    queue.length = 0;
    if (!this.tradingHalted) this.unwindBackstop();
  }

  /** The vault takes account `i`'s whole position over at the oracle price and keeps its remaining equity. */
  private takeOver(i: number): void {
    const a = this.accounts;
    const v = this.backstopAccount;
    const p = this.oraclePriceUsd;
    this.settleFunding(i);
    this.settleFunding(v);
    const q = a.size[i];
    const e = this.equity(i);
    if (e < 0 && this.resolution === 'adl' && -this.coverableEquity(i) > this.insuranceAvailableUsd()) {
      this.coverFromElsewhere(i);
      this.deleverage(i);
      return;
    }
    // Capacity: the vault's equity after the takeover must cover initial margin of its whole inventory.
    if (this.equity(v) + Math.max(e, 0) < this.initialMarginRate * Math.abs(a.size[v] + q) * p) {
      this.totals.backstopRefused++;
      return;
    }
    const induced = this.inducedAt(i);
    const cost = a.cost[i];
    a.setPosition(i, 0, 0, this.fundingIndexUsd);
    a.addCash(i, q * p - cost);
    if (e > 0) {
      a.addCash(i, -e);
      a.addCash(v, e);
    }
    const next = positionAfter(a.size[v], a.cost[v], q, p);
    a.setPosition(v, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(v, next.realized);
    a.flagStep[i] = -1;
    this.settleCash(i);
    this.settleCash(v);
    this.totals.backstopTakeovers++;
    this.countLiquidation(Math.abs(q) * p, induced, q);
  }

  /** The vault sells `unwindFractionPerStep` of its inventory into the book (all of it when under 1 USD), paying the taker fee. */
  private unwindBackstop(): void {
    const a = this.accounts;
    const v = this.backstopAccount;
    const q = a.size[v];
    if (q === 0) return;
    let d = -q * this.cfg.backstop.unwindFractionPerStep;
    if (Math.abs(q + d) * this.oraclePriceUsd < 1) d = -q;
    if (d === 0) return;
    this.settleFunding(v);
    const fill = this.market.execute(d);
    const next = positionAfter(q, a.cost[v], d, fill.priceUsd);
    const fee = this.takerFeeRate * Math.abs(d) * fill.priceUsd;
    a.setPosition(v, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(v, next.realized - fee);
    this.collectTradingFee(fee);
    this.feesPaidByKindUsd[a.kind[v]] += fee;
    this.fillMaker(-d, fill.priceUsd);
    this.settleCash(v);
  }

  /**
   * ADL rank of account `j` holding the side opposite a bankrupt position (higher first), or NaN when it
   * is not a candidate (no opposite position, or no positive equity to give up). README "Insurance fund,
   * backstop vault and auto-deleveraging".
   */
  adlScore(j: number, ranking: 'bitmex' | 'hyperliquid'): number {
    const a = this.accounts;
    const q = a.size[j];
    const p = this.oraclePriceUsd;
    const e = this.equity(j);
    if (q === 0 || !(e > 0)) return NaN;
    const notional = Math.abs(q) * p;
    const leverage = notional / e;
    if (ranking === 'bitmex') {
      const basis = Math.abs(a.cost[j]) > 0 ? Math.abs(a.cost[j]) : notional;
      const pnlPct = (q * p - a.cost[j]) / basis;
      return pnlPct > 0 ? pnlPct * leverage : pnlPct / leverage;
    }
    const entry = a.cost[j] / q;
    const ratio = entry > 0 ? (q > 0 ? p / entry : entry / p) : q > 0 ? Infinity : 0;
    return ratio * leverage;
  }

  /** Opposite-side accounts of a position of sign `side`, in ADL order (excluding `i`). */
  adlOrder(i: number, side: number): number[] {
    const a = this.accounts;
    const ranking = this.cfg.adl.ranking;
    const out: number[] = [];
    if (ranking === 'random') {
      // dYdX: from a seeded random start, through the accounts in index order.
      const n = a.count;
      const start = this.adlStream ? this.adlStream.int(n) : 0;
      for (let k = 0; k < n; k++) {
        const j = (start + k) % n;
        if (j !== i && a.size[j] * side < 0 && this.equity(j) > 0) out.push(j);
      }
      return out;
    }
    const scores: number[] = [];
    for (let j = 0; j < a.count; j++) {
      if (j === i || !(a.size[j] * side < 0)) continue;
      const s = this.adlScore(j, ranking);
      if (!Number.isNaN(s)) {
        scores[j] = s;
        out.push(j);
      }
    }
    return out.sort((x, y) => scores[y] - scores[x] || x - y);
  }

  /**
   * The ADL order for bankrupt account `i`: the random ranking draws a start per resolution; the scored
   * rankings are computed once per step and side (at the step's first ADL of that side) and reused within
   * the step, as exchanges refresh their ranking periodically, not after every fill.
   */
  private adlOrderNow(i: number, side: number): readonly number[] {
    if (this.cfg.adl.ranking === 'random') return this.adlOrder(i, side);
    const k = side > 0 ? 0 : 1;
    return (this.adlRanked[k] ??= this.adlOrder(i, side));
  }

  /** Forgets the step's ADL rankings (the engine resets the step through `resetCounters`). */
  protected resetAdlRanking(): void {
    this.adlRanked[0] = this.adlRanked[1] = undefined;
  }

  /**
   * Auto-deleveraging: closes bankrupt account `i`'s whole position against opposite positions in ADL order
   * at its bankruptcy price (where its equity is zero), so no bad debt arises. A counterparty gives up at
   * most its equity (its fill is cut so its equity stays non-negative); whatever no counterparty can take
   * is closed against the makers' book at the oracle price, its shortfall handled as usual.
   */
  protected deleverage(i: number): void {
    const a = this.accounts;
    const p = this.oraclePriceUsd;
    this.settleFunding(i);
    const q = a.size[i];
    const side = Math.sign(q);
    const induced = this.inducedAt(i);
    const bankruptcy = (a.cost[i] - a.cash[i]) / q;
    let last = -1;
    for (const j of this.adlOrderNow(i, side)) {
      const remaining = Math.abs(a.size[i]);
      if (remaining === 0) break;
      // A ranking of earlier in the step may list accounts that have since closed or flipped, or the bankrupt account itself.
      if (j === i || !(a.size[j] * side < 0)) continue;
      this.settleFunding(j);
      const qj = a.size[j];
      // j's delta is side units per unit taken; trading at the bankruptcy price instead of p costs it side * (bankruptcy - p) per unit.
      const lossPerUnit = side * (bankruptcy - p);
      // A hair under the limit, so that rounding never leaves the counterparty with negative equity.
      const room = lossPerUnit > 0 ? (this.equity(j) / lossPerUnit) * (1 - 1e-9) : Infinity;
      const take = Math.min(remaining, Math.abs(qj), room);
      if (!(take > 0)) continue;
      const nj = positionAfter(qj, a.cost[j], side * take, bankruptcy);
      a.setPosition(j, nj.size, nj.cost, this.fundingIndexUsd);
      a.addCash(j, nj.realized);
      // The last fill closes exactly what is left.
      const ni = positionAfter(a.size[i], a.cost[i], take === remaining ? -a.size[i] : -side * take, bankruptcy);
      a.setPosition(i, ni.size, ni.cost, this.fundingIndexUsd);
      a.addCash(i, ni.realized);
      this.settleCash(j);
      last = j;
      this.totals.adlEvents++;
      this.totals.adlNotionalUsd += take * Math.abs(bankruptcy);
    }
    const remaining = Math.abs(a.size[i]);
    if (remaining > 0) {
      // No counterparty left: the rest is closed against the makers' book at the oracle price.
      const r = a.size[i];
      const cost = a.cost[i];
      a.setPosition(i, 0, 0, this.fundingIndexUsd);
      a.addCash(i, r * p - cost);
      this.fillMaker(r, p);
    } else if (last >= 0 && a.cash[i] !== 0 && Math.abs(a.cash[i]) <= 1e-9 * Math.abs(q * bankruptcy) + 1e-9) {
      // Rounding residue of the bankruptcy price: the last counterparty absorbs it, so no dust becomes bad debt.
      const residue = a.cash[i];
      a.addCash(i, -residue);
      a.addCash(last, residue);
      this.settleCash(last);
    }
    a.flagStep[i] = -1;
    this.settleCash(i);
    this.totals.adlResolved++;
    this.countLiquidation(Math.abs(q) * p, induced, q);
  }

  /** Socializes the step's uncovered bad debt (design "One step", item 6). */
  endStep(): void {
    const u = this.pendingSocializationUsd;
    if (u <= 0) return;
    this.pendingSocializationUsd = 0;
    if (this.resolution !== 'socialize') {
      this.totals.unresolvedBadDebtUsd += u;
      return;
    }
    const a = this.accounts;
    const p = this.oraclePriceUsd;
    // One pass finds the accounts in profit; the haircut then touches only those.
    const winners = this.scratchIds;
    let count = 0;
    let profit = 0;
    for (let i = 0; i < a.count; i++) {
      const pnl = a.size[i] * p - a.cost[i];
      if (pnl > 0) {
        profit += pnl;
        winners[count++] = i;
      }
    }
    const taken = Math.min(u, profit);
    if (taken > 0) {
      const ratio = taken / profit;
      for (let k = 0; k < count; k++) {
        const i = winners[k];
        const pnl = a.size[i] * p - a.cost[i];
        // A haircut on unrealized profit: raising the cost basis lowers the PnL, not the collateral.
        a.setPosition(i, a.size[i], a.cost[i] + pnl * ratio, a.fundingSnap[i]);
        this.rekey(i);
      }
    }
    this.totals.socializedLossUsd += taken;
    this.totals.unresolvedBadDebtUsd += u - taken;
  }
}

/** The loss resolution in force: `socializeLosses: false` turns 'socialize' into 'none'. */
function effectiveResolution(cfg: Config['protocol']): Config['protocol']['lossResolution'] {
  const resolution = cfg.lossResolution ?? 'socialize';
  return resolution === 'socialize' && !cfg.socializeLosses ? 'none' : resolution;
}
