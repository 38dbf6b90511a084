// The liquidation hunter (README "Attacks"): sells into thin depth to push the venue's mark (and an
// oracle that reads it) through a cluster of long liquidation prices, liquidates the flagged longs
// itself to collect the liquidator's share of the fee (the liquidation sales push the mark further:
// a cascade its short profits from), then buys its short back. Rounds repeat every `intervalSteps`.
// Decides from the read-only view; never mutates the world.
import type { LiquidationHunterConfig } from '../sim/config/index.js';
import type { Action, Agent, WorldView } from './types.js';

export class LiquidationHunter implements Agent {
  readonly name = 'liquidation-hunter';
  /** Collateral deposited so far, USD. */
  depositedUsd = 0;
  /** Rounds started. */
  rounds = 0;
  private pushStart = -1;

  constructor(
    private readonly cfg: LiquidationHunterConfig,
    readonly id: number,
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const c = this.cfg;
    const s = view.step;
    const v = view.venue;
    const a = v.accounts;
    const h = this.id;
    if (s < c.startStep) return;
    if (s === c.startStep) {
      out.push({ kind: 'deposit', account: h, amountUsd: c.capitalUsd });
      this.depositedUsd += c.capitalUsd;
      return;
    }
    const roundSteps = c.pushSteps + c.holdSteps + c.unwindSteps;
    if ((this.pushStart < 0 || s >= this.pushStart + roundSteps) && this.rounds < c.maxRounds) {
      if ((s - c.startStep - 1) % c.intervalSteps === 0) {
        this.pushStart = s;
        this.rounds++;
      }
    }
    if (this.pushStart < 0) return;
    const k = s - this.pushStart;
    if (k < 0 || k >= roundSteps) return;
    // Liquidate the flagged longs while the round lasts, keeping them to cover the short (no sale, no slippage).
    if (k < c.pushSteps + c.holdSteps && a.size[h] < 0) {
      let room = -a.size[h];
      for (const i of v.flagged) {
        if (room <= 0) break;
        if (a.flagStep[i] < 0 || a.size[i] <= 0 || i === h) continue;
        out.push({ kind: 'liquidate', liquidator: h, account: i, worstPriceUsd: 0, keep: true });
        room -= v.closeSizeFor(i);
      }
    }
    if (v.tradingHalted) return;
    const mark = view.market.markPriceUsd;
    if (k < c.pushSteps) {
      out.push({ kind: 'trade', account: h, size: -c.pushNotionalUsd / c.pushSteps / mark, depositUsd: 0 });
    } else if (k >= c.pushSteps + c.holdSteps && a.size[h] < 0) {
      const left = roundSteps - k;
      out.push({ kind: 'trade', account: h, size: -a.size[h] / left, depositUsd: 0 });
    }
  }
}
