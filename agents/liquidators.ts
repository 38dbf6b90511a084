// Liquidators: independent keepers with finite capital and a reaction latency. Each takes over
// flagged accounts (at the oracle price) and sells into the book, acting only while the fee beats
// the expected cost: the mark's discount to the oracle, the book impact of what it has already
// sold this step, the taker fee and a risk premium (MECHANISMS section 8's participation rule).
import type { Config } from '../sim/config/index.js';
import type { Stream } from '../sim/core/rng.js';
import type { Action, Agent, WorldView } from './types.js';

export class Liquidators implements Agent {
  readonly name = 'liquidators';
  /** Accounts due for liquidation this step, and the signed size each liquidation would close. */
  private readonly due: number[] = [];
  private closeSizes = new Float64Array(64);

  constructor(
    private readonly cfg: Config['agents']['liquidators'],
    private readonly accounts: readonly number[],
    private readonly streams: readonly Stream[],
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const venue = view.venue;
    if (venue.flagged.length === 0 || venue.liquidationsHalted) return;
    const cfg = this.cfg;
    // The candidates and their close sizes are the same for every liquidator: compute them once.
    const due = this.due;
    due.length = 0;
    for (const i of venue.flagged) {
      const since = venue.accounts.flagStep[i];
      if (since >= 0 && view.step - since >= cfg.latencySteps) due.push(i);
    }
    const n = due.length;
    if (n === 0) return;
    if (this.closeSizes.length < n) this.closeSizes = new Float64Array(2 * n);
    const sizes = this.closeSizes;
    for (let k = 0; k < n; k++) sizes[k] = venue.closeSizeFor(due[k]);

    const p = venue.oraclePriceUsd;
    const mark = view.market.markPriceUsd;
    const depth = view.market.depthUsdPerPct;
    const reward = venue.liquidationFeeRate * venue.liquidatorFeeShare;
    const margin = reward - venue.takerFeeRate - cfg.riskPremium;
    // The mark's discount to the oracle for a liquidator selling a long (side +1) or buying back a short.
    const discountLong = (p - mark) / p;
    const offline = Math.ceil(view.liquidatorOutage * this.accounts.length - 1e-9);
    for (let l = offline; l < this.accounts.length; l++) {
      const me = this.accounts[l];
      const capacity = Math.max(0, venue.equity(me)) * cfg.leverage;
      if (capacity <= 0) continue;
      // Each liquidator walks the due list from its own random start, so they do not all chase the same accounts.
      const start = this.streams[l].int(n);
      let used = 0;
      let soldNet = 0;
      for (let j = 0; j < n; j++) {
        // Once the book impact of what it sold already makes both sides unprofitable, no candidate can pass.
        const soldImpact = (soldNet * mark) / (100 * depth);
        if (discountLong + Math.max(0, soldImpact) >= margin && -discountLong + Math.max(0, -soldImpact) >= margin)
          break;
        const k = (start + j) % n;
        const size = sizes[k];
        let notional = Math.abs(size) * p;
        if (notional <= 0) continue;
        // With `partialAboveCapacity`, a position larger than this liquidator's whole capacity is taken in
        // part (up to the capacity) when it has taken nothing yet this step; otherwise it is left to others.
        const part = cfg.partialAboveCapacity && notional > capacity && used === 0;
        if (!part && used + notional > capacity) continue;
        if (part) notional = capacity;
        const side = Math.sign(size);
        const discount = side * discountLong;
        const impact = (side * soldNet * mark + notional / 2) / (100 * depth);
        if (discount + Math.max(0, impact) >= margin) continue;
        // The order's limit: the fill at which the reward just covers fee and premium. Other
        // liquidators sell in the same step, so the book may be worse at execution than seen here.
        const worstPriceUsd = p * (1 - side * margin);
        out.push(
          part
            ? { kind: 'liquidate', liquidator: me, account: due[k], worstPriceUsd, maxNotionalUsd: capacity }
            : { kind: 'liquidate', liquidator: me, account: due[k], worstPriceUsd },
        );
        used += notional;
        soldNet += part ? (side * notional) / p : size;
      }
    }
  }
}
