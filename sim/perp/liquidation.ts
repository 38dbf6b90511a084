// The venue's liquidation action: a liquidator takes (part of) a flagged position over at the oracle
// price and sells it into the book, or keeps it (`keep`); how much is closed (full or partial mode,
// the step's notional cap, the liquidator's capacity), the liquidation fee split between liquidator
// and insurance fund, and the hand-off to the backstop vault or ADL when the book or the fund cannot
// take it. It does not flag accounts (liq-scan.ts) nor resolve losses itself (loss-resolution.ts).
import type { LiquidateAction } from './actions.js';
import { VenueLossResolution } from './loss-resolution.js';
import { OK, positionAfter, refuse, type Outcome } from './venue-types.js';

/** Layer 6 of PerpVenue: the liquidation action. */
export abstract class VenueLiquidation extends VenueLossResolution {
  /** Largest notional liquidated per step (0: none), USD. */
  liquidationCapUsd = this.breakers.maxLiquidationNotionalPerStepUsd;

  /** Units a liquidation of `i` would close now (signed like the position). */
  closeSizeFor(i: number): number {
    const q = this.accounts.size[i];
    return q * this.closeFraction(i);
  }

  /** Fraction of the position a liquidation closes: all of it, or just enough to restore initial margin. */
  private closeFraction(i: number): number {
    // A cross-margined account's positions are closed whole, market by market (Hyperliquid books the full position).
    if (this.cfg.liquidationMode === 'full' || (this.cross !== undefined && this.cross[i] === 1)) return 1;
    // Sized at the price the margin test uses (the oracle, or its confidence-adjusted side price),
    // so that one liquidation restores initial margin in the test's own terms.
    const q = this.accounts.size[i];
    const p = q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
    const notional = Math.abs(q) * p;
    const e = this.equityAt(i, p);
    // The model's rate at the current size: rates never fall with size, so this closes enough.
    const imr = this.modelKind === 'flat' ? this.initialMarginRate : this.initialRate(q, p);
    const lfr = this.liquidationFeeRate;
    if (e <= 0 || imr <= lfr || notional <= 0) return 1;
    const f = Math.max((imr * notional - e) / ((imr - lfr) * notional), this.cfg.minLiquidationNotionalUsd / notional);
    return f >= 0.999 ? 1 : Math.max(f, 0);
  }

  /** A liquidation action: refused (a recorded reason), resolved by ADL, or a takeover by the liquidator. */
  protected liquidate(action: LiquidateAction): Outcome {
    const i = action.account;
    const l = action.liquidator;
    const a = this.accounts;
    if (this.liquidationsHalted) return refuse('liquidations-halted');
    if (!this.isLiquidatable(i)) {
      if (a.flagStep[i] >= 0) {
        a.flagStep[i] = -1;
        this.rekey(i);
      }
      return refuse('not-liquidatable');
    }
    const p = this.oraclePriceUsd;
    let f = this.closeFraction(i);
    const q = a.size[i];
    const cap = this.liquidationCapUsd;
    if (cap > 0) {
      // Maker `hole` style: a liquidation is cut down to the room left under the step's cap.
      const room = cap - this.counters.liquidatedNotionalUsd;
      if (room <= 0) return this.bookRefused(i, 'liquidation-cap');
      f = Math.min(f, room / (Math.abs(q) * p));
    }
    // A liquidator whose capacity is below the position takes a part of it.
    if (action.maxNotionalUsd !== undefined) f = Math.min(f, action.maxNotionalUsd / (Math.abs(q) * p));
    const closeSize = q * f;
    const closeNotional = Math.abs(closeSize) * p;
    if (f === 1 && this.resolution === 'adl') {
      // The account pays the liquidator's share whatever its equity: ADL when that would leave a
      // shortfall the fund cannot cover.
      this.settleFunding(i);
      const toLiquidator = this.liquidationFeeRate * closeNotional * this.liquidatorFeeShare;
      if (toLiquidator - this.coverableEquity(i) > this.insuranceAvailableUsd()) {
        this.coverFromElsewhere(i);
        this.deleverage(i);
        return OK;
      }
    }
    // The liquidator must be able to carry the position it takes over, if only for a moment.
    if (this.equity(l) < this.initialMarginRate * closeNotional) return refuse('liquidator-margin');
    const fillPrice = this.market.quote(-closeSize).priceUsd;
    if (closeSize > 0 ? fillPrice < action.worstPriceUsd : fillPrice > action.worstPriceUsd)
      return this.bookRefused(i, 'liquidator-slippage');

    const induced = this.inducedAt(i);
    this.settleFunding(i);
    const cost = a.cost[i];
    // Takeover at the oracle price: the account realizes that share of its PnL.
    a.setPosition(i, f === 1 ? 0 : q - closeSize, f === 1 ? 0 : cost * (1 - f), this.fundingIndexUsd);
    a.addCash(i, f * (q * p - cost));
    const total = this.liquidationFeeRate * closeNotional;
    const toLiquidator = total * this.liquidatorFeeShare;
    a.addCash(i, -toLiquidator);
    a.addCash(l, toLiquidator);
    const toInsurance = Math.min(total - toLiquidator, Math.max(0, this.equity(i)));
    a.addCash(i, -toInsurance);
    this.insuranceFundUsd += toInsurance;
    this.totals.liquidationFeesToLiquidatorsUsd += toLiquidator;
    this.totals.liquidationFeesToInsuranceUsd += toInsurance;
    // A liquidator share paid to an account of the same kind (an attacker liquidated by its own account) is not a cost of the kind.
    const ki = a.kind[i];
    this.feesPaidByKindUsd[ki] += (a.kind[l] === ki ? 0 : toLiquidator) + toInsurance;

    // The liquidator takes the position at the oracle price and sells it straight into the book.
    this.settleFunding(l);
    if (action.keep) return this.keepTakeover(i, l, closeSize, closeNotional, induced);
    a.setPosition(l, a.size[l] + closeSize, a.cost[l] + closeSize * p, this.fundingIndexUsd);
    const fill = this.market.execute(-closeSize);
    const next = positionAfter(a.size[l], a.cost[l], -closeSize, fill.priceUsd);
    const fee = this.takerFeeRate * Math.abs(closeSize) * fill.priceUsd;
    a.setPosition(l, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(l, next.realized - fee);
    this.collectTradingFee(fee);
    this.feesPaidByKindUsd[a.kind[l]] += fee;
    this.fillMaker(closeSize, fill.priceUsd);

    a.flagStep[i] = -1;
    this.settleCash(i);
    this.settleCash(l);

    this.countLiquidation(closeNotional, induced, closeSize);
    return OK;
  }

  /**
   * The end of a liquidation whose liquidator keeps the position (`keep`: the liquidation hunter covers
   * its short with it): it takes `closeSize` units over at the oracle price, netted against its own
   * position, and sells nothing into the book; then the same bookkeeping as a liquidation.
   */
  private keepTakeover(i: number, l: number, closeSize: number, closeNotional: number, induced: boolean): Outcome {
    const a = this.accounts;
    const kept = positionAfter(a.size[l], a.cost[l], closeSize, this.oraclePriceUsd);
    a.setPosition(l, kept.size, kept.cost, this.fundingIndexUsd);
    a.addCash(l, kept.realized);
    a.flagStep[i] = -1;
    this.settleCash(i);
    this.settleCash(l);
    this.countLiquidation(closeNotional, induced, closeSize);
    return OK;
  }

  /** A book liquidation refused because the book cannot absorb it: queued for the backstop vault when enabled. */
  private bookRefused(i: number, reason: 'liquidation-cap' | 'liquidator-slippage'): Outcome {
    if (this.backstopAccount >= 0 && this.cfg.backstop.onBookRefusal && !this.backstopQueue.includes(i))
      this.backstopQueue.push(i);
    return refuse(reason);
  }
}
