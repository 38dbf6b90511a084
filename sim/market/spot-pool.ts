// A thin constant-product (x * y = k) spot pool for the venue's asset: one of the oracle's sources,
// and the one an agent can move with its own capital (the manipulable source). External
// arbitrageurs pull its price toward the index each step. Off-venue: it holds no venue accounts.
import type { Config } from '../config/index.js';

/** What agents may read of a spot pool: its reserves, fee and price; no swaps. */
export interface SpotPoolView {
  readonly reserves: { baseUnits: number; quoteUsd: number };
  readonly feeRate: number;
  readonly priceUsd: number;
}

export class SpotPool implements SpotPoolView {
  /** Base-asset reserve, units. */
  private base: number;
  /** Quote reserve, USD. */
  private quote: number;
  /** Cumulative fees earned by the pool, USD. */
  feesUsd = 0;

  constructor(
    private readonly cfg: Config['oracle']['spotPool'],
    initialPriceUsd: number,
  ) {
    this.quote = cfg.liquidityUsd;
    this.base = cfg.liquidityUsd / initialPriceUsd;
  }

  /** Base (units) and quote (USD) reserves. */
  get reserves(): { baseUnits: number; quoteUsd: number } {
    return { baseUnits: this.base, quoteUsd: this.quote };
  }

  /** Swap fee (fraction of the USD traded). */
  get feeRate(): number {
    return this.cfg.feeRate;
  }

  /** Marginal price, USD per unit. */
  get priceUsd(): number {
    return this.quote / this.base;
  }

  /**
   * Swaps `size` units of the base asset (positive buys from the pool, negative sells into it) and
   * returns the USD paid (positive) or received (negative). The fee is charged in USD on top and
   * leaves the pool; the reserves keep x * y = k. A buy cannot take more than 99.9% of the base reserve.
   */
  swap(size: number): number {
    const k = this.base * this.quote;
    const fee = this.cfg.feeRate;
    const newBase = size > 0 ? this.base - Math.min(size, 0.999 * this.base) : this.base - size;
    const newQuote = k / newBase;
    const flow = newQuote - this.quote;
    const usd = flow > 0 ? flow * (1 + fee) : flow * (1 - fee);
    this.feesUsd += Math.abs(flow) * fee;
    this.base = newBase;
    this.quote = newQuote;
    return usd;
  }

  /**
   * Scales both reserves by `factor` at the same price (liquidity leaves or returns: a DEX drain),
   * keeping at least a millionth of the pool.
   */
  scaleLiquidity(factor: number): void {
    const f = Math.max(1e-6, factor);
    this.base *= f;
    this.quote *= f;
  }

  /** Arbitrageurs close `arbitrageShare` of the log gap to the index (design "One step", item 3). */
  arbitrage(indexPriceUsd: number): void {
    const share = this.cfg.arbitrageShare;
    if (share <= 0) return;
    const target = this.priceUsd * Math.pow(indexPriceUsd / this.priceUsd, share);
    // For x * y = k the price is k / x^2: the base reserve that gives the target price.
    const k = this.base * this.quote;
    const newBase = Math.sqrt(k / target);
    this.quote = k / newBase;
    this.base = newBase;
  }
}
