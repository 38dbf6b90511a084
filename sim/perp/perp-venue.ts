// The modeled perpetual-futures venue, the public entry of sim/perp: margin (on the oracle price),
// trades against the makers' book, deposits and withdrawals with margin checks, funding through a
// cumulative index, liquidation by takeover at the oracle price, the insurance fund, the backstop
// vault, and the resolution of what the fund cannot cover (socialization or auto-deleveraging). Only
// the venue mutates protocol state. It does no I/O; its only randomness is the ADL stream the engine
// hands it. The mechanisms are layers of one class, each module adding one on top of the ones below:
//   venue-state.ts       shared state, funding, settlement primitives
//   venue-margin.ts      equity and margin by the margin model (margin-model.ts)
//   liq-scan.ts          the liquidation heaps (liq-heap.ts) and liquidation tallies
//   cross-margin.ts      the CrossLink hooks (market-link.ts implements the link)
//   venue-collateral.ts  multi-asset collateral (collateral.ts)
//   loss-resolution.ts   insurance fund, claim cap, backstop vault, ADL, socialization
//   liquidation.ts       the liquidation action, close sizes, keeping
//   venue-trades.ts      deposits, withdrawals, trades, self-matched trades, fee tallies
//   perp-venue.ts        PerpVenue: action dispatch, step reset, governance
// One class rather than objects calling each other keeps the hot path (trade, settle, rekey, scan)
// free of indirection: one object, one hidden class, the same `this.` calls as before the split.
import type { Action } from './actions.js';
import { AccountKind } from '../core/accounts.js';
import type { GovernablePath } from '../controls/governance.js';
import { VenueTrades } from './venue-trades.js';
import { OK, type Outcome, type VenueView } from './venue-types.js';

export {
  positionAfter,
  type CrossLink,
  type InsuranceFund,
  type Outcome,
  type RefusalReason,
  type StepCounters,
  type VenueTotals,
  type VenueView,
} from './venue-types.js';

/** The venue: every mechanism layer, plus action dispatch, the step reset and governance changes. */
export class PerpVenue extends VenueTrades implements VenueView {
  /**
   * Trading and liquidation fees paid by attacker accounts, USD. Kept for existing callers: the attack
   * accounting lives in sim/attack/attack-ledger.ts (`attackerFeesUsd`), over the generic per-kind tally.
   */
  get attackerFeesUsd(): number {
    return this.feesPaidByKindUsd[AccountKind.attacker];
  }

  /** Book slippage against the mark paid by attacker accounts' trades, USD (as `attackerFeesUsd`). */
  get attackerSlippageUsd(): number {
    return this.slippagePaidByKindUsd[AccountKind.attacker];
  }

  /** Applies one agent action; refusals are counted, never thrown. */
  apply(action: Action): Outcome {
    let out: Outcome;
    switch (action.kind) {
      case 'trade':
        out = this.trade(action);
        break;
      case 'deposit':
        this.deposit(action.account, action.amountUsd);
        out = OK;
        break;
      case 'withdraw':
        out = this.withdraw(action.account, action.amountUsd);
        break;
      case 'liquidate':
        out = this.liquidate(action);
        break;
      case 'cross':
        out = this.selfMatch(action);
        break;
      case 'quote':
        this.market.setMakerFactor(action.depthFactor);
        out = OK;
        break;
    }
    if (!out.ok) {
      this.counters.refused++;
      this.totals.refusals[out.reason!]++;
    }
    return out;
  }

  /** Resets the step counters (and the step's ADL rankings) at the start of a step. */
  resetCounters(): void {
    const c = this.counters;
    c.liquidations = 0;
    c.liquidatedNotionalUsd = 0;
    c.liquidatedNetLongUsd = 0;
    c.inducedLiquidations = 0;
    c.refused = 0;
    this.resetAdlRanking();
  }

  /**
   * Applies a governance change of a governable parameter to `value` (a rate, or USD for the caps).
   * Returns an error text when the change would leave the parameters invalid (the maintenance rate
   * above the initial rate), else ''.
   */
  setParameter(path: GovernablePath, value: number): string {
    switch (path) {
      case 'protocol.maintenanceMarginRate':
        if (!(value > 0 && value <= this.initialMarginRate))
          return `maintenance rate ${value} must be in (0, initialMarginRate ${this.initialMarginRate}]`;
        this.maintenanceMarginRate = value;
        this.marginRateMax = Math.max(this.marginRateMax, value);
        // Every liquidation key depends on the maintenance rate.
        this.rebuildHeaps();
        return '';
      case 'protocol.initialMarginRate':
        if (!(value >= this.maintenanceMarginRate && value <= 1))
          return `initial rate ${value} must be in [maintenanceMarginRate ${this.maintenanceMarginRate}, 1]`;
        this.initialMarginRate = value;
        return '';
      case 'protocol.liquidationFeeRate':
      case 'protocol.liquidatorFeeShare':
      case 'protocol.takerFeeRate':
        if (!(value >= 0 && value <= 1)) return `${path} ${value} must be in [0, 1]`;
        if (path === 'protocol.liquidationFeeRate') this.liquidationFeeRate = value;
        else if (path === 'protocol.liquidatorFeeShare') this.liquidatorFeeShare = value;
        else this.takerFeeRate = value;
        return '';
      case 'breakers.maxLiquidationNotionalPerStepUsd':
      case 'breakers.openInterest.maxPerSideUsd':
        if (!(value >= 0)) return `${path} ${value} must be non-negative`;
        if (path === 'breakers.maxLiquidationNotionalPerStepUsd') this.liquidationCapUsd = value;
        else this.openInterestCapUsd = value;
        return '';
    }
  }
}
