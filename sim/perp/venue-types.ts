// The perpetual venue's shared vocabulary: refusal reasons and outcomes, the step counters and run
// totals, the read-only view agents and metrics see, and the position arithmetic every mechanism uses.
// Types and pure functions only: no state, no venue mechanism (those are the layers under perp-venue.ts).
import type { AccountsView } from '../core/accounts.js';

/** Why an action was refused (a recorded event, never an exception). */
export type RefusalReason =
  | 'initial-margin'
  | 'exceeds-collateral'
  | 'not-liquidatable'
  | 'liquidator-margin'
  | 'liquidator-slippage'
  | 'negative-equity'
  | 'halted'
  | 'open-interest-cap'
  | 'liquidations-halted'
  | 'liquidation-cap'
  | 'withdrawal-limit'
  | 'empty-order';

/** The insurance fund: one per venue, or one shared by the markets of a multi-market venue. */
export interface InsuranceFund {
  /** Balance, USD. */
  usd: number;
}

/** The result of one action: applied, or refused with a reason. */
export interface Outcome {
  ok: boolean;
  reason?: RefusalReason;
}

/** The outcome of an applied action (one shared object). */
export const OK: Outcome = { ok: true };

const REFUSALS = new Map<RefusalReason, Outcome>();
/** The refusal outcome of a reason (one shared object per reason: refusals are frequent and allocation is not free). */
export const refuse = (reason: RefusalReason): Outcome => {
  let out = REFUSALS.get(reason);
  if (!out) REFUSALS.set(reason, (out = Object.freeze({ ok: false, reason })));
  return out;
};

/** Counters of one step, reset by the engine each step. */
export interface StepCounters {
  /** Liquidations of the step (book, backstop takeover or ADL). */
  liquidations: number;
  /** Notional they closed at the oracle price, USD. */
  liquidatedNotionalUsd: number;
  /** Of that notional, longs' less shorts' (the net forced selling the liquidations cause), USD. */
  liquidatedNetLongUsd: number;
  /** Those the index price would not have triggered (the induced test). */
  inducedLiquidations: number;
  /** Refused actions. */
  refused: number;
}

/** Cumulative figures of the run, USD unless named otherwise. */
export interface VenueTotals {
  depositsUsd: number;
  withdrawalsUsd: number;
  tradingFeesUsd: number;
  liquidationFeesToInsuranceUsd: number;
  liquidationFeesToLiquidatorsUsd: number;
  badDebtUsd: number;
  uncoveredBadDebtUsd: number;
  socializedLossUsd: number;
  /** Uncovered bad debt that could not be socialized (no account in profit), USD. */
  unresolvedBadDebtUsd: number;
  liquidations: number;
  inducedLiquidations: number;
  liquidatedNotionalUsd: number;
  refusals: Record<RefusalReason, number>;
  /** Share of trading fees paid into the insurance fund (`protocol.insurance.tradingFeeShare`), USD; included in `tradingFeesUsd`. */
  tradingFeesToInsuranceUsd: number;
  /** Bad debt the insurance fund has paid (what `protocol.insurance.claimCapUsd` caps), USD. */
  insuranceClaimsUsd: number;
  /** Positions the backstop vault took over. */
  backstopTakeovers: number;
  /** Takeovers the vault refused because its equity would not cover initial margin of its inventory. */
  backstopRefused: number;
  /** Bankrupt positions closed by auto-deleveraging. */
  adlResolved: number;
  /** Opposite positions reduced by auto-deleveraging (one per counterparty fill). */
  adlEvents: number;
  /** Notional of those fills at the bankruptcy price, USD. */
  adlNotionalUsd: number;
}

/** Run totals at the start of a run: every figure zero. */
export function emptyTotals(): VenueTotals {
  return {
    depositsUsd: 0,
    withdrawalsUsd: 0,
    tradingFeesUsd: 0,
    liquidationFeesToInsuranceUsd: 0,
    liquidationFeesToLiquidatorsUsd: 0,
    badDebtUsd: 0,
    uncoveredBadDebtUsd: 0,
    socializedLossUsd: 0,
    unresolvedBadDebtUsd: 0,
    liquidations: 0,
    inducedLiquidations: 0,
    liquidatedNotionalUsd: 0,
    refusals: {
      'initial-margin': 0,
      'exceeds-collateral': 0,
      'not-liquidatable': 0,
      'liquidator-margin': 0,
      'liquidator-slippage': 0,
      'negative-equity': 0,
      halted: 0,
      'open-interest-cap': 0,
      'liquidations-halted': 0,
      'liquidation-cap': 0,
      'withdrawal-limit': 0,
      'empty-order': 0,
    },
    tradingFeesToInsuranceUsd: 0,
    insuranceClaimsUsd: 0,
    backstopTakeovers: 0,
    backstopRefused: 0,
    adlResolved: 0,
    adlEvents: 0,
    adlNotionalUsd: 0,
  };
}

/** Read-only view of the venue for agents and metrics. */
export interface VenueView {
  /** Published oracle price, USD. */
  readonly oraclePriceUsd: number;
  /** Cumulative funding index, USD per unit. */
  readonly fundingIndexUsd: number;
  /** Funding rate of the last payment interval (fraction of price; positive: longs pay). */
  readonly lastFundingRate: number;
  readonly insuranceFundUsd: number;
  readonly initialMarginRate: number;
  readonly maintenanceMarginRate: number;
  readonly liquidationFeeRate: number;
  readonly liquidatorFeeShare: number;
  readonly takerFeeRate: number;
  /** The accounts, read-only (agents change them only through actions). */
  readonly accounts: AccountsView;
  /** The margin model's effective maintenance rate (maintenance margin / notional at the oracle price) of account `i`. */
  maintenanceRateFor(i: number): number;
  /** The margin model's initial rate for account `i`'s position (before open-interest scaling). */
  initialRateFor(i: number): number;
  /** Accounts flagged liquidatable, in the order they were flagged. */
  readonly flagged: readonly number[];
  /** Whether trades, or liquidations, are refused this step (breakers, stale oracle, guardian). */
  readonly tradingHalted: boolean;
  readonly liquidationsHalted: boolean;
  /** Equity of account `i` at the oracle price, USD. */
  equity(i: number): number;
  /** Units a liquidation of `i` would close now (signed like the position). */
  closeSizeFor(i: number): number;
  readonly totals: VenueTotals;
}

/** A position after trading `delta` units at `priceUsd`: closing parts realize PnL against the cost basis. */
export function positionAfter(
  /** Signed size before the trade, units. */
  size: number,
  /** Signed cost basis before the trade, USD. */
  cost: number,
  /** Signed units traded (positive buys). */
  delta: number,
  /** Fill price, USD per unit. */
  priceUsd: number,
): { size: number; cost: number; realized: number } {
  if (size === 0 || Math.sign(size) === Math.sign(delta)) {
    return { size: size + delta, cost: cost + delta * priceUsd, realized: 0 };
  }
  const closed = Math.min(Math.abs(delta), Math.abs(size));
  const share = closed / Math.abs(size);
  const realized = share * (size * priceUsd - cost);
  if (Math.abs(delta) < Math.abs(size)) {
    return { size: size + delta, cost: cost * (1 - share), realized };
  }
  const rest = size + delta;
  return { size: rest, cost: rest * priceUsd, realized };
}

/**
 * Cross margin across the markets of a multi-market venue (sim/perp/protocol.ts, link in market-link.ts): the equity and
 * margin an account has in the other markets, and moving value out of them to cover a shortfall here.
 * `self` is the asking market's venue, compared by identity only.
 */
export interface CrossLink {
  /** Equity of account `i` in the markets other than `self`, USD. */
  otherEquity(i: number, self: object): number;
  /** Maintenance margin of account `i`'s positions in the other markets, USD. */
  otherMaintenance(i: number, self: object): number;
  /** Initial margin of account `i`'s positions in the other markets, USD. */
  otherInitial(i: number, self: object): number;
  /** Moves up to `usd` of account `i`'s positive equity in the other markets into `self`; returns the amount moved. */
  absorb(i: number, self: object, usd: number): number;
  /** Account `i` changed in some market: its margin must be re-checked at the next scan. */
  touch(i: number): void;
  /** Equity and maintenance margin of account `i` in the other markets at their index prices (the induced test), USD. */
  otherEquityAtIndex(i: number, self: object): number;
  otherMaintenanceAtIndex(i: number, self: object): number;
}
