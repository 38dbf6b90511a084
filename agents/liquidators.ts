// Liquidators: independent keepers with finite capital and a reaction latency. Each takes over
// flagged accounts (at the oracle price) and sells into the book, acting only while the fee beats
// the expected cost: the mark's discount to the oracle, the book impact of what it has already
// sold this step, the taker fee and a risk premium (MECHANISMS section 8's participation rule).
import type { Config } from '../sim/config.js';
import type { Stream } from '../sim/rng.js';
import type { Action, Agent, WorldView } from './types.js';

export class Liquidators implements Agent {
  readonly name = 'liquidators';
  private readonly candidates: number[] = [];

  constructor(
    private readonly cfg: Config['agents']['liquidators'],
    private readonly accounts: readonly number[],
    private readonly streams: readonly Stream[],
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const venue = view.venue;
    if (venue.flagged.length === 0) return;
    const cfg = this.cfg;
    const p = venue.oraclePriceUsd;
    const mark = view.market.markPriceUsd;
    const depth = view.market.depthUsdPerPct;
    const reward = venue.liquidationFeeRate * venue.liquidatorFeeShare;
    const offline = Math.ceil(view.liquidatorOutage * this.accounts.length - 1e-9);
    for (let n = offline; n < this.accounts.length; n++) {
      const me = this.accounts[n];
      const capacity = Math.max(0, venue.equity(me)) * cfg.leverage;
      if (capacity <= 0) continue;
      const candidates = this.candidates;
      candidates.length = 0;
      for (const i of venue.flagged) {
        if (venue.accounts.flagStep[i] >= 0 && view.step - venue.accounts.flagStep[i] >= cfg.latencySteps)
          candidates.push(i);
      }
      if (candidates.length === 0) return;
      this.streams[n].shuffle(candidates);
      let used = 0;
      let soldNet = 0;
      for (const i of candidates) {
        const size = venue.closeSizeFor(i);
        const notional = Math.abs(size) * p;
        if (notional <= 0 || used + notional > capacity) continue;
        // Taking over a long means selling (size > 0 sells); the discount is what the mark pays below the oracle.
        const side = Math.sign(size);
        const discount = (side * (p - mark)) / p;
        const impact = (side * soldNet * mark + notional / 2) / (100 * depth);
        const cost = discount + Math.max(0, impact) + venue.takerFeeRate + cfg.riskPremium;
        if (reward <= cost) continue;
        // The order's limit: the fill at which the reward just covers fee and premium. Other
        // liquidators sell in the same step, so the book may be worse at execution than seen here.
        const margin = reward - venue.takerFeeRate - cfg.riskPremium;
        out.push({ kind: 'liquidate', liquidator: me, account: i, worstPriceUsd: p * (1 - side * margin) });
        used += notional;
        soldNet += size;
      }
    }
  }
}
