// The stale-oracle front-runner (README "Attacks"): when the venue's oracle lags the market (a delay,
// a latency, a wide deviation threshold) it takes the side the stale price flatters on the book, at
// the market's price, and withdraws the unrealized profit the stale oracle shows (where the venue lets
// it); when the oracle catches up the account is underwater and the venue keeps the loss. It closes
// the position once the gap is gone if anything is left. Decides from the read-only view; never
// mutates the world.
import type { StaleOracleFrontRunnerConfig } from '../sim/config/index.js';
import type { Action, Agent, WorldView } from './types.js';

/** Smallest withdrawal it bothers with, USD. */
const MIN_WITHDRAWAL_USD = 1;

export class StaleOracleFrontRunner implements Agent {
  readonly name = 'stale-oracle-front-runner';
  /** Collateral deposited so far, USD. */
  depositedUsd = 0;
  /** Positions opened. */
  entries = 0;

  constructor(
    private readonly cfg: StaleOracleFrontRunnerConfig,
    readonly id: number,
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const c = this.cfg;
    const s = view.step;
    const v = view.venue;
    const a = v.accounts;
    const i = this.id;
    if (s < c.startStep) return;
    if (s === c.startStep) {
      out.push({ kind: 'deposit', account: i, amountUsd: c.capitalUsd });
      this.depositedUsd += c.capitalUsd;
      return;
    }
    const oracle = v.oraclePriceUsd;
    const market = view.market.indexPriceUsd;
    // The gap: how far the oracle sits above (positive) or below the market's price.
    const gap = (oracle - market) / market;
    const q = a.size[i];
    if (q === 0) {
      if (Math.abs(gap) < c.minGapPct || v.tradingHalted || this.entries >= c.maxEntries) return;
      const equity = v.equity(i);
      if (!(equity > 0)) return;
      // Long when the stale oracle is above the market (the long shows a profit at it), short when below.
      const size = (c.marginUse * equity) / (oracle * (v.initialMarginRate + v.takerFeeRate));
      out.push({ kind: 'trade', account: i, size: gap > 0 ? size : -size, depositUsd: 0 });
      this.entries++;
      return;
    }
    // Withdraw what the stale price shows above initial margin.
    const free = v.equity(i) - v.initialRateFor(i) * Math.abs(q) * oracle;
    if (0.999 * free > MIN_WITHDRAWAL_USD) out.push({ kind: 'withdraw', account: i, amountUsd: 0.999 * free });
    // Once the oracle has caught up, close what is left (an underwater account cannot trade: it is left to the liquidators).
    if (Math.abs(gap) < c.minGapPct / 4 && v.equity(i) > 0 && !v.tradingHalted)
      out.push({ kind: 'trade', account: i, size: -q, depositUsd: 0 });
  }
}
