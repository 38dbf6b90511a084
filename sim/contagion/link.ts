// The perp flow link of a contagion world: after the perp venue's step, its net forced flow of the
// step (the notional of the longs its liquidations closed less the shorts', at the oracle price)
// times `share` is sold into (or, when negative, bought from) a lending asset's DEX pool, as the
// cross-venue arbitrageurs who carry the liquidators' selling there would. The lending pool's own
// DEX arbitrage then pulls the pool back toward the market price at its arbitrageShare, and an oracle
// that reads the pool sees what is left. The DEX is outside every protocol's books (so is the perp
// venue's book): the link moves prices, not value held by a protocol. Pure; no I/O.
import type { SpotPool } from '../market/spot-pool.js';

/** What the link reads of the perp venue: its step counters (reset at the start of its step). */
export interface ForcedFlowSource {
  readonly counters: { readonly liquidatedNetLongUsd: number };
}

export class PerpFlowLink {
  /** What it sold in the current step (negative: bought), USD at the perp oracle price. */
  stepFlowUsd = 0;
  /** The DEX pool price right after its trade of the current step. */
  dexPriceUsd: number;
  soldUsd = 0;
  boughtUsd = 0;
  steps = 0;
  /** The DEX pool's price at the start of the run. */
  readonly startPriceUsd: number;

  constructor(
    private readonly perp: ForcedFlowSource,
    private readonly dex: SpotPool,
    /** Fraction of the net flow routed to the pool (links.perpFlowShare). */
    private readonly share: number,
  ) {
    this.startPriceUsd = this.dexPriceUsd = dex.priceUsd;
  }

  /** After the perp venue's step: trade the step's routed flow into the pool. */
  run(): void {
    const usd = this.perp.counters.liquidatedNetLongUsd * this.share;
    this.stepFlowUsd = usd;
    if (usd !== 0 && Number.isFinite(usd)) {
      const units = usd / this.dex.priceUsd;
      // swap: positive buys from the pool, negative sells into it.
      this.dex.swap(-units);
      if (usd > 0) this.soldUsd += usd;
      else this.boughtUsd -= usd;
      this.steps++;
    }
    this.dexPriceUsd = this.dex.priceUsd;
  }
}
