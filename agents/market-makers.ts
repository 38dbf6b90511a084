// Market makers: their pooled account is the counterparty of every fill (hedged off-venue); they
// pull part of their depth when the mark's realized volatility or drawdown over a window crosses a
// threshold, and bring it back after a calm spell. They keep their venue collateral topped up.
import type { Config } from '../sim/config/index.js';
import type { Action, Agent, WorldView } from './types.js';

const SECONDS_PER_YEAR = 365 * 86_400;

export class MarketMakers implements Agent {
  readonly name = 'market-makers';
  private calmSteps = 0;
  private pulled = false;

  constructor(
    private readonly cfg: Config['agents']['marketMakers'],
    private readonly account: number,
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const cfg = this.cfg;
    const t = view.step;
    const w = Math.min(cfg.windowSteps, t);
    let sumSq = 0;
    let peak = view.markAt(t - w);
    for (let k = t - w + 1; k <= t; k++) {
      const r = Math.log(view.markAt(k) / view.markAt(k - 1));
      sumSq += r * r;
      peak = Math.max(peak, view.markAt(k));
    }
    const vol = w > 0 ? Math.sqrt((sumSq / w) * (SECONDS_PER_YEAR / view.stepSeconds)) : 0;
    const drawdown = 1 - view.market.markPriceUsd / peak;
    const stressed = vol > cfg.pullVolatility || drawdown > cfg.pullDrawdown;
    if (stressed) {
      this.calmSteps = 0;
      if (!this.pulled) {
        this.pulled = true;
        out.push({ kind: 'quote', depthFactor: 1 - cfg.pullFraction });
      }
    } else if (this.pulled && ++this.calmSteps >= cfg.returnAfterSteps) {
      this.pulled = false;
      out.push({ kind: 'quote', depthFactor: 1 });
    }
    const cash = view.venue.accounts.cash[this.account];
    if (cash < 0.5 * cfg.capitalUsd)
      out.push({ kind: 'deposit', account: this.account, amountUsd: cfg.capitalUsd - cash });
  }
}
