// Arbitrageurs: hedged off-venue, they trade the venue's mark back toward the index with finite
// capital per step, and unwind inventory while the basis sits inside their no-profit band.
// They keep their venue collateral topped up from their hedge.
import type { Config } from '../sim/config/index.js';
import type { Action, Agent, WorldView } from './types.js';

export class Arbitrageurs implements Agent {
  readonly name = 'arbitrageurs';

  constructor(
    private readonly cfg: Config['agents']['arbitrageurs'],
    private readonly accounts: readonly number[],
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const cfg = this.cfg;
    const n = this.accounts.length;
    if (n === 0) return;
    const basis = view.market.basisLog;
    const mark = view.market.markPriceUsd;
    const depth = view.market.depthUsdPerPct;
    const limit = cfg.capitalUsd * cfg.leverage;
    for (const me of this.accounts) {
      const q = view.venue.accounts.size[me];
      let size = 0;
      if (Math.abs(basis) > cfg.minBasis) {
        // Notional that would close `closeFraction` of the basis, shared among the arbitrageurs.
        const wanted = (-basis * 100 * depth * cfg.closeFraction) / n;
        const dir = Math.sign(wanted);
        const room = dir * q >= 0 ? limit - Math.abs(q) * mark : limit + Math.abs(q) * mark;
        size = (dir * Math.min(Math.abs(wanted), Math.max(0, room))) / mark;
      } else if (q !== 0) {
        // Unwind without pushing the basis out of the band.
        const band = ((cfg.minBasis - Math.abs(basis)) * 100 * depth) / n / mark;
        size = -Math.sign(q) * Math.min(Math.abs(q) * cfg.unwindFraction, band);
      }
      if (size !== 0) out.push({ kind: 'trade', account: me, size, depositUsd: 0 });
      const equity = view.venue.equity(me);
      if (equity < 0.5 * cfg.capitalUsd) out.push({ kind: 'deposit', account: me, amountUsd: cfg.capitalUsd - equity });
    }
  }
}
