// The agent interface and the actions agents return. Agents read a start-of-step view and
// return actions; they never mutate the world. The engine applies actions in a shuffled order.
import type { Proposal } from '../sim/controls/governance.js';
import type { MarketView } from '../sim/market/market.js';
import type { SpotPoolView } from '../sim/market/spot-pool.js';
import type { VenueView } from '../sim/perp/perp-venue.js';

export type {
  Action,
  CrossAction,
  DepositAction,
  LiquidateAction,
  QuoteAction,
  TradeAction,
  WithdrawAction,
} from '../sim/perp/actions.js';
import type { Action } from '../sim/perp/actions.js';

/** Read-only start-of-step view of the world. */
export interface WorldView {
  readonly step: number;
  readonly stepSeconds: number;
  readonly market: MarketView;
  readonly venue: VenueView;
  /** Mark price at an earlier step (clamped to step 0), USD. */
  markAt(step: number): number;
  /** Share of liquidators offline at this step (liquidator outage shock). */
  readonly liquidatorOutage: number;
}

/** A population of agents sharing one decision routine; inactive members cost nothing. */
export interface Agent {
  readonly name: string;
  /** Appends this step's actions to `out`. */
  decide(view: WorldView, out: Action[]): void;
}

/** An attacker's order in the thin spot pool: buy (positive) or sell (negative) `units` of its base asset. */
export interface SwapAction {
  kind: 'swap';
  /** The attacker's index in the `attackers` list. */
  attacker: number;
  units: number;
}

/** A governance proposal, checked and queued by governance like a scenario's. */
export interface ProposeAction {
  kind: 'propose';
  proposal: Proposal;
}

/** The attacker's spot position, kept by the attack ledger. */
export interface SpotHoldings {
  units: number;
  paidUsd: number;
  receivedUsd: number;
}

/**
 * What an attacker sees in the rounds before the oracle reads the market (proposals at the start of
 * the step, spot orders after the pool's arbitrage): read-only, like WorldView.
 */
export interface PreTradeView {
  readonly step: number;
  readonly indexPriceUsd: number;
  readonly pool: SpotPoolView;
  readonly venue: VenueView;
  /** The spot position of attacker `k` (its index in the `attackers` list). */
  holdings(k: number): Readonly<SpotHoldings>;
}

/** An agent that also acts before the oracle: the governance attacker (proposals) and the oracle manipulator (spot orders). */
export interface PreTradeAgent {
  decidePreTrade(phase: 'propose' | 'spot', view: PreTradeView, out: (SwapAction | ProposeAction)[]): void;
}
