// The insurance-fund drainer (README "Attacks"): two colluding accounts repeatedly self-match a
// maximum-leverage pair (long on one, short on the other). A price move that carries the losing leg
// past its bankruptcy price before it is liquidated leaves that leg's shortfall, and the liquidator's
// fee on top, to the insurance fund, while the winning leg keeps the whole move: the attacker's net gain
// on a round is the losing leg's bad debt, less fees. After each round it closes what is left on the
// book, pulls its collateral out, and re-deposits it evenly for the next round. Decides from the
// read-only view; never mutates the world.
import type { InsuranceDrainerConfig } from '../sim/config/index.js';
import type { Action, Agent, WorldView } from './types.js';

/** Smallest notional the drainer opens, and smallest cash it moves, USD. */
const MIN_USD = 100;

export class InsuranceDrainer implements Agent {
  readonly name = 'insurance-drainer';
  /** Collateral deposited into the two venue accounts so far, USD. */
  depositedUsd = 0;
  /** Rounds opened (self-matched pairs). */
  rounds = 0;

  constructor(
    private readonly cfg: InsuranceDrainerConfig,
    readonly longId: number,
    readonly shortId: number,
  ) {}

  decide(view: WorldView, out: Action[]): void {
    const c = this.cfg;
    if (view.step < c.startStep || view.step >= c.stopStep) return;
    const v = view.venue;
    const a = v.accounts;
    const A = this.longId;
    const B = this.shortId;
    const qa = a.size[A];
    const qb = a.size[B];
    if (qa !== 0 || qb !== 0) {
      // A round is over once a leg has been liquidated (the legs no longer match): close what is left.
      if (Math.abs(qa + qb) > 1e-9 * Math.max(Math.abs(qa), Math.abs(qb)) && !v.tradingHalted) {
        if (qa !== 0 && v.equity(A) > 0) out.push({ kind: 'trade', account: A, size: -qa, depositUsd: 0 });
        if (qb !== 0 && v.equity(B) > 0) out.push({ kind: 'trade', account: B, size: -qb, depositUsd: 0 });
      }
      return;
    }
    // Both flat: rebalance the collateral (withdraw all, then deposit half of the wallet into each), then open.
    const ca = a.cash[A];
    const cb = a.cash[B];
    const wallet = c.capitalUsd - a.netDeposits[A] - a.netDeposits[B];
    if (Math.abs(ca - cb) > 0.01 * (ca + cb) + MIN_USD) {
      if (ca > 0) out.push({ kind: 'withdraw', account: A, amountUsd: ca });
      if (cb > 0) out.push({ kind: 'withdraw', account: B, amountUsd: cb });
      return;
    }
    if (ca + cb < MIN_USD) {
      if (wallet > 2 * MIN_USD && this.rounds < c.maxRounds) {
        out.push({ kind: 'deposit', account: A, amountUsd: wallet / 2 });
        out.push({ kind: 'deposit', account: B, amountUsd: wallet / 2 });
        this.depositedUsd += wallet;
      }
      return;
    }
    if (v.tradingHalted || this.rounds >= c.maxRounds) return;
    const p = Math.max(view.market.markPriceUsd, v.oraclePriceUsd);
    const size = (c.marginUse * Math.min(ca, cb)) / (p * (v.initialMarginRate + v.takerFeeRate));
    if (size * p < MIN_USD) return;
    // Alternate which account is long, so that neither leg is always the one a fall bankrupts.
    const long = this.rounds % 2 === 0 ? A : B;
    out.push({ kind: 'cross', buyer: long, seller: long === A ? B : A, size });
    this.rounds++;
  }
}
