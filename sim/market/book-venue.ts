// A centralized exchange's order book for one asset, around its outside market price: selling or
// buying moves the book's price along a linear-in-log depth (depth USD per 1% of price, as the perp
// venue's book; MECHANISMS section 8 "linear book depth"), a taker fee is charged in USD, and the
// book's offset from the market price decays by a share each step as makers refill it. A venue a
// liquidator may sell into instead of a DEX pool; it holds no accounts of any protocol. No I/O.

/** What agents may read of a book: its price, depth and fee, and its quotes (no trades). */
export interface BookView {
  /** The book's price now, USD per unit (the market price times exp(offset)). */
  readonly priceUsd: number;
  /** USD of orders that move the price by 1% (0: the venue is off). */
  readonly depthUsdPerPct: number;
  readonly feeRate: number;
  /** USD received for selling `units` now, after the fee (0 when the venue is off). */
  quoteSellUsd(units: number): number;
}

/** The book's parameters. */
export interface BookParams {
  /** USD that moves the price by 1%; 0 turns the venue off. */
  readonly depthUsdPerPct: number;
  /** Taker fee, fraction of the USD traded. */
  readonly feeRate: number;
  /** Share of the offset from the market price that makers close each step (0..1). */
  readonly recoveryShare: number;
}

export class BookVenue implements BookView {
  private offsetLog = 0;
  private marketUsd: number;

  constructor(
    private readonly p: BookParams,
    initialPriceUsd: number,
  ) {
    this.marketUsd = initialPriceUsd;
  }

  get priceUsd(): number {
    return this.marketUsd * Math.exp(this.offsetLog);
  }

  get depthUsdPerPct(): number {
    return this.p.depthUsdPerPct;
  }

  get feeRate(): number {
    return this.p.feeRate;
  }

  /**
   * The log move and the average price of selling `units` into a linear-in-log book. The depth is
   * counted at the market price, so the book's price falls by the same log step per unit wherever it
   * stands: a sale pays the same in one piece as in several.
   */
  private fill(units: number): { impactLog: number; avgUsd: number } {
    const price = this.priceUsd;
    const impactLog = -(units * this.marketUsd) / (100 * this.p.depthUsdPerPct);
    const avg = Math.abs(impactLog) < 1e-9 ? 1 + impactLog / 2 : Math.expm1(impactLog) / impactLog;
    return { impactLog, avgUsd: price * avg };
  }

  quoteSellUsd(units: number): number {
    if (!(units > 0) || !(this.p.depthUsdPerPct > 0)) return 0;
    return units * this.fill(units).avgUsd * (1 - this.p.feeRate);
  }

  /** Sells `units` into the book: returns the USD received after the fee and moves the book's price down. */
  sell(units: number): number {
    const usd = this.quoteSellUsd(units);
    if (usd > 0) this.offsetLog += this.fill(units).impactLog;
    return usd;
  }

  /** Follows the outside market price and lets makers close `recoveryShare` of the offset. */
  recover(marketPriceUsd: number): void {
    this.marketUsd = marketPriceUsd;
    this.offsetLog *= 1 - this.p.recoveryShare;
  }
}
