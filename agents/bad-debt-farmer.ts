// The bad-debt farmer (README "Attacks"): builds concentrated open interest in a thin market across
// many colluding accounts (maximum-leverage longs, self-matched against one short account), then sells
// into the thin book so that the mark, which the oracle reads, falls past the longs' bankruptcy prices
// within one oracle update. The longs are then underwater before anyone can liquidate them: their
// shortfall is the venue's (insurance fund, socialization), while the short keeps the whole move. The
// short account liquidates the bankrupt longs itself, keeping them to close its short at the depressed
// oracle price, buys back what is left of its push, and withdraws. Decides from the read-only view.
import type { BadDebtFarmerConfig } from '../sim/config/index.js';
import type { Action, Agent, WorldView } from './types.js';

export class BadDebtFarmer implements Agent {
  readonly name = 'bad-debt-farmer';
  /** Collateral deposited so far, USD. */
  depositedUsd = 0;

  constructor(
    private readonly cfg: BadDebtFarmerConfig,
    /** The long accounts. */
    readonly longIds: readonly number[],
    /** The short account (the profit side, the pusher and the self-liquidator). */
    readonly shortId: number,
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const c = this.cfg;
    const k = view.step - c.startStep;
    if (k < 0) return;
    const v = view.venue;
    const a = v.accounts;
    const s = this.shortId;
    const pushStart = 2;
    const holdEnd = pushStart + c.pushSteps + c.holdSteps;
    const unwindEnd = holdEnd + c.unwindSteps;
    if (k === 0) {
      // Deposits: `longShare` of the capital split over the long accounts, the rest on the short.
      const perLong = (c.longShare * c.capitalUsd) / this.longIds.length;
      for (const i of this.longIds) out.push({ kind: 'deposit', account: i, amountUsd: perLong });
      out.push({ kind: 'deposit', account: s, amountUsd: (1 - c.longShare) * c.capitalUsd });
      this.depositedUsd += c.capitalUsd;
      return;
    }
    if (k === 1) {
      // The concentrated open interest: each long self-matched against the short at the mark.
      const p = Math.max(view.market.markPriceUsd, v.oraclePriceUsd);
      for (const i of this.longIds) {
        const size = (c.marginUse * a.cash[i]) / (p * (v.initialMarginRate + v.takerFeeRate));
        if (size > 0) out.push({ kind: 'cross', buyer: i, seller: s, size });
      }
      return;
    }
    // While its short lasts, the short account liquidates its own bankrupt longs and keeps them.
    if (k < unwindEnd && a.size[s] < 0) {
      let room = -a.size[s];
      for (const i of v.flagged) {
        if (room <= 0) break;
        if (a.flagStep[i] < 0 || a.size[i] <= 0 || !this.longIds.includes(i)) continue;
        out.push({ kind: 'liquidate', liquidator: s, account: i, worstPriceUsd: 0, keep: true });
        room -= v.closeSizeFor(i);
      }
    }
    if (v.tradingHalted) return;
    const mark = view.market.markPriceUsd;
    if (k >= pushStart && k < pushStart + c.pushSteps) {
      out.push({ kind: 'trade', account: s, size: -c.pushNotionalUsd / c.pushSteps / mark, depositUsd: 0 });
    } else if (k >= holdEnd && k < unwindEnd) {
      // Buy back what is left of the short, and close longs that survived, evenly over the unwind.
      const left = unwindEnd - k;
      if (a.size[s] < 0) out.push({ kind: 'trade', account: s, size: -a.size[s] / left, depositUsd: 0 });
      for (const i of this.longIds)
        if (a.size[i] > 0 && v.equity(i) > 0) out.push({ kind: 'trade', account: i, size: -a.size[i], depositUsd: 0 });
    } else if (k >= unwindEnd) {
      // Walk away with whatever collateral is left.
      for (const i of [...this.longIds, s])
        if (a.size[i] === 0 && a.cash[i] > 0) out.push({ kind: 'withdraw', account: i, amountUsd: a.cash[i] });
    }
  }
}
