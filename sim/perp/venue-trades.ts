// The venue's accounts and trades: deposits and withdrawals with their margin checks, genesis
// positions, trades against the makers' book (price impact, taker fee, the initial-margin,
// open-interest and negative-equity refusals) and self-matched trades between two accounts at the
// mark, with the per-kind fee and slippage tallies. It liquidates nothing and resolves no loss; it
// knows no attack beyond the generic self-matched trade (the attack ledger reads the tallies).
import type { CrossAction, TradeAction } from './actions.js';
import { isPositionTaker } from '../core/accounts.js';
import { WithdrawalLimiter } from '../controls/breakers.js';
import { VenueLiquidation } from './liquidation.js';
import { OK, positionAfter, refuse, type Outcome } from './venue-types.js';

/** Layer 7 of PerpVenue: deposits, withdrawals, trades and self-matched trades. */
export abstract class VenueTrades extends VenueLiquidation {
  /** Hard open-interest cap per side (0: none), USD. */
  openInterestCapUsd = this.breakers.openInterest.maxPerSideUsd;
  /** Set by the engine each step: withdrawals are refused while halted (price band with haltWithdrawals). */
  withdrawalsHalted = false;
  readonly withdrawalLimiter = new WithdrawalLimiter(this.breakers.withdrawals);

  /** Credits `usd` (USD) of collateral to account `i` at genesis or by a deposit. */
  deposit(i: number, usd: number): void {
    if (!(usd > 0)) return;
    this.accounts.addCash(i, usd);
    this.accounts.netDeposits[i] += usd;
    this.totals.depositsUsd += usd;
    this.rekey(i);
  }

  /** An initial-book position of `size` units opened against the makers at `entryPriceUsd`, with no fee or impact. */
  openGenesisPosition(i: number, size: number, entryPriceUsd: number): void {
    const a = this.accounts;
    const m = this.makerAccount;
    a.setPosition(i, a.size[i] + size, a.cost[i] + size * entryPriceUsd, this.fundingIndexUsd);
    a.setPosition(m, a.size[m] - size, a.cost[m] - size * entryPriceUsd, this.fundingIndexUsd);
    this.rekey(i);
  }

  /** A market order against the makers' book. */
  protected trade(action: TradeAction): Outcome {
    const i = action.account;
    const size = action.size;
    if (action.depositUsd > 0) this.deposit(i, action.depositUsd);
    if (!(size !== 0 && Number.isFinite(size))) return refuse('empty-order');
    if (this.tradingHalted) return refuse('halted');
    const a = this.accounts;
    this.settleFunding(i);
    const q = a.size[i];
    const fill = this.market.quote(size);
    const price = fill.priceUsd;
    const fee = this.takerFeeRate * Math.abs(size) * price;
    const next = positionAfter(q, a.cost[i], size, price);
    const increases = Math.abs(next.size) > Math.abs(q) || next.size * q < 0;
    if (isPositionTaker(a.kind[i])) {
      const p = next.size >= 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      let equityAfter = a.cash[i] + next.realized - fee + next.size * p - next.cost;
      let otherInitial = 0;
      if (this.collateral !== undefined) equityAfter += this.collateral.marginValue(i);
      if (this.link && this.cross![i] === 1) {
        equityAfter += this.link.otherEquity(i, this.self);
        otherInitial = this.link.otherInitial(i, this.self);
      }
      if (increases && equityAfter < this.initialRateToHold(next.size, p) * Math.abs(next.size) * p + otherInitial)
        return refuse('initial-margin');
      const cap = this.openInterestCapUsd;
      if (increases && cap > 0) {
        const t = a.totals;
        const side =
          next.size > 0 ? t.traderLong - Math.max(q, 0) + next.size : t.traderShort - Math.max(-q, 0) - next.size;
        if (side * this.oraclePriceUsd > cap) return refuse('open-interest-cap');
      }
      // An underwater account cannot trade its loss onto the insurance fund: only a liquidation closes it.
      if (equityAfter < 0) return refuse('negative-equity');
    }
    const kind = a.kind[i];
    this.feesPaidByKindUsd[kind] += fee;
    // Slippage against the mark before this order moves it.
    this.slippagePaidByKindUsd[kind] += Math.abs(size) * Math.abs(price - this.market.markPriceUsd);
    this.market.execute(size);
    a.setPosition(i, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(i, next.realized - fee);
    this.collectTradingFee(fee);
    this.fillMaker(-size, price);
    this.settleCash(i);
    return OK;
  }

  /** A withdrawal of `usd` (USD) from account `i`: within its collateral (or profit when allowed) and initial margin. */
  protected withdraw(i: number, usd: number): Outcome {
    const a = this.accounts;
    if (!(usd > 0)) return refuse('empty-order');
    if (this.withdrawalsHalted) return refuse('halted');
    // Against unrealized profit only when the protocol allows it, and never beyond the venue's collateral.
    if (usd > a.cash[i] && !(this.cfg.withdrawUnrealizedProfit && a.size[i] !== 0 && usd <= a.totals.cash))
      return refuse('exceeds-collateral');
    if (this.link && this.cross![i] === 1) {
      const p = a.size[i] > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      const held = a.size[i] === 0 ? 0 : this.initialRateToHold(a.size[i], p) * Math.abs(a.size[i]) * p;
      if (this.equityAt(i, p) + this.link.otherEquity(i, this.self) - usd < held + this.link.otherInitial(i, this.self))
        return refuse('initial-margin');
    } else if (a.size[i] !== 0) {
      const p = a.size[i] > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      if (this.equityAt(i, p) - usd < this.initialRateToHold(a.size[i], p) * Math.abs(a.size[i]) * p)
        return refuse('initial-margin');
    }
    if (!this.withdrawalLimiter.allow(usd)) return refuse('withdrawal-limit');
    a.addCash(i, -usd);
    a.netDeposits[i] -= usd;
    this.totals.withdrawalsUsd += usd;
    if (a.cash[i] < 0) this.carryDeficit(i);
    this.rekey(i);
    return OK;
  }

  /**
   * A self-matched trade: `buyer` buys `size` units from `seller` at the venue's mark price, outside the
   * book (no impact, no maker fill); each side pays the taker fee and passes the margin, open-interest and
   * negative-equity checks of a trade (README "Attacks").
   */
  protected selfMatch(action: CrossAction): Outcome {
    const { buyer, seller, size } = action;
    if (!(size > 0 && Number.isFinite(size)) || buyer === seller) return refuse('empty-order');
    if (this.tradingHalted) return refuse('halted');
    const a = this.accounts;
    this.settleFunding(buyer);
    this.settleFunding(seller);
    const price = this.market.markPriceUsd;
    const fee = this.takerFeeRate * size * price;
    const qb = a.size[buyer];
    const qs = a.size[seller];
    const nb = positionAfter(qb, a.cost[buyer], size, price);
    const ns = positionAfter(qs, a.cost[seller], -size, price);
    const t = a.totals;
    let long = t.traderLong;
    let short = t.traderShort;
    for (const [i, q, next] of [
      [buyer, qb, nb],
      [seller, qs, ns],
    ] as const) {
      if (!isPositionTaker(a.kind[i])) continue;
      const p = next.size >= 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      const equityAfter = a.cash[i] + next.realized - fee + next.size * p - next.cost;
      const increases = Math.abs(next.size) > Math.abs(q) || next.size * q < 0;
      if (increases && equityAfter < this.initialRateToHold(next.size, p) * Math.abs(next.size) * p)
        return refuse('initial-margin');
      if (equityAfter < 0) return refuse('negative-equity');
      long += Math.max(next.size, 0) - Math.max(q, 0);
      short += Math.max(-next.size, 0) - Math.max(-q, 0);
    }
    const cap = this.openInterestCapUsd;
    const p = this.oraclePriceUsd;
    if (cap > 0 && ((long > t.traderLong && long * p > cap) || (short > t.traderShort && short * p > cap)))
      return refuse('open-interest-cap');
    for (const [i, next] of [
      [buyer, nb],
      [seller, ns],
    ] as const) {
      a.setPosition(i, next.size, next.cost, this.fundingIndexUsd);
      a.addCash(i, next.realized - fee);
      this.collectTradingFee(fee);
      this.feesPaidByKindUsd[a.kind[i]] += fee;
      this.settleCash(i);
    }
    return OK;
  }
}
