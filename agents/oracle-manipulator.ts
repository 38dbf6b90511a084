// The oracle manipulator (Mango Markets, October 2022; README "Attacks"): two colluding accounts
// self-match a large position (long on A, short on B) at the venue's mark, the attacker pumps the thin
// spot pool the oracle reads and holds it there, A withdraws against its unrealized profit at the
// pumped oracle price, then the attacker sells its spot units back and walks away; the venue keeps
// A's negative equity and B's loss. Decides from the read-only view; never mutates the world (its spot
// orders are spot-swap actions of the attackers' round before the oracle, sim/attack/attackers.ts).
import type { OracleManipulatorConfig } from '../sim/config/index.js';
import type { SpotPoolView } from '../sim/market/spot-pool.js';
import type { VenueView } from '../sim/perp/perp-venue.js';
import type {
  Action,
  Agent,
  PreTradeAgent,
  PreTradeView,
  ProposeAction,
  SpotHoldings,
  SwapAction,
  WorldView,
} from './types.js';

/** Smallest withdrawal the attacker bothers with, USD. */
const MIN_WITHDRAWAL_USD = 1;

export type { SpotHoldings } from './types.js';

export class OracleManipulator implements Agent, PreTradeAgent {
  readonly name = 'oracle-manipulator';
  /** Collateral deposited into the two venue accounts so far, USD. */
  depositedUsd = 0;

  constructor(
    private readonly cfg: OracleManipulatorConfig,
    /** Account A (the long) and account B (the short). */
    readonly longId: number,
    readonly shortId: number,
    /** The venue's hard open-interest cap per side (breakers.openInterest.maxPerSideUsd; 0: none), USD. */
    private readonly oiCapUsd: number,
    /** Its index in the `attackers` list (names its spot position in the ledger). */
    readonly attackerIndex = 0,
  ) {}

  /** Its spot order, after the pool's arbitrage and before the oracle reads the pool. */
  decidePreTrade(phase: 'propose' | 'spot', view: PreTradeView, out: (SwapAction | ProposeAction)[]): void {
    if (phase !== 'spot') return;
    const k = this.attackerIndex;
    const units = this.spotOrder(view.step, view.pool, view.indexPriceUsd, view.holdings(k), view.venue);
    if (units !== 0) out.push({ kind: 'swap', attacker: k, units });
  }

  /** Capital deposited into the venue (split between A and B), USD. */
  get venueCapitalUsd(): number {
    return this.cfg.capitalUsd * (1 - this.cfg.spotShare);
  }

  /** Capital kept off-venue to buy the spot pool, USD. */
  get spotBudgetUsd(): number {
    return this.cfg.capitalUsd * this.cfg.spotShare;
  }

  /** First step of the pump: the self-matched position exists from the start of this step. */
  private get pumpStart(): number {
    return this.cfg.startStep + 2;
  }

  decide(view: WorldView, out: Action[]): void {
    const c = this.cfg;
    const s = view.step;
    const v = view.venue;
    if (s === c.startStep) {
      const half = this.venueCapitalUsd / 2;
      out.push({ kind: 'deposit', account: this.longId, amountUsd: half });
      out.push({ kind: 'deposit', account: this.shortId, amountUsd: half });
      this.depositedUsd += 2 * half;
    } else if (s === c.startStep + 1) {
      const size = this.positionSize(v, view.market.markPriceUsd);
      if (size > 0) out.push({ kind: 'cross', buyer: this.longId, seller: this.shortId, size });
    } else if (s >= this.pumpStart && v.accounts.size[this.longId] > 0) {
      // Withdraw everything above initial margin at the (pumped) oracle price.
      const a = this.longId;
      const p = v.oraclePriceUsd;
      const free = v.equity(a) - v.initialRateFor(a) * Math.abs(v.accounts.size[a]) * p;
      const usd = 0.999 * free;
      if (usd > MIN_WITHDRAWAL_USD) out.push({ kind: 'withdraw', account: a, amountUsd: usd });
    }
  }

  /** Units of the self-matched position: the share `marginUse` of the smaller account's initial-margin capacity, within the OI cap. */
  private positionSize(v: VenueView, markPriceUsd: number): number {
    const p = Math.max(markPriceUsd, v.oraclePriceUsd);
    const equity = Math.min(v.equity(this.longId), v.equity(this.shortId));
    let size = (this.cfg.marginUse * equity) / (p * (v.initialMarginRate + v.takerFeeRate));
    if (this.oiCapUsd > 0) {
      const t = v.accounts.totals;
      const room = this.oiCapUsd / v.oraclePriceUsd - Math.max(t.traderLong, t.traderShort);
      size = Math.min(size, 0.999 * room);
    }
    return size > 0 ? size : 0;
  }

  /**
   * Units to swap in the spot pool at `step` before the oracle reads it (positive buys): during the hold,
   * enough to lift the pool to `pumpMultiple` times the index within what is left of the spot budget; then
   * an equal share of the units held per remaining unwind step.
   */
  spotOrder(
    step: number,
    pool: SpotPoolView,
    indexPriceUsd: number,
    held: Readonly<SpotHoldings>,
    venue: VenueView,
  ): number {
    const c = this.cfg;
    const end = this.pumpStart + c.holdSteps;
    if (step >= this.pumpStart && step < end) {
      if (!(venue.accounts.size[this.longId] > 0)) return 0;
      const { baseUnits, quoteUsd } = pool.reserves;
      const k = baseUnits * quoteUsd;
      const target = c.pumpMultiple * indexPriceUsd;
      if (!(pool.priceUsd < target)) return 0;
      const wanted = baseUnits - Math.sqrt(k / target);
      // The most the remaining budget buys: the quote reserve can rise by budget / (1 + fee).
      const budget = this.spotBudgetUsd - (held.paidUsd - held.receivedUsd);
      if (!(budget > 0)) return 0;
      const affordable = baseUnits - k / (quoteUsd + budget / (1 + pool.feeRate));
      return Math.max(0, Math.min(wanted, 0.999 * affordable));
    }
    if (step >= end && held.units > 0) {
      const left = Math.max(1, end + c.unwindSteps - step);
      return -held.units / left;
    }
    return 0;
  }
}
