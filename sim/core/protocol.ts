// The Protocol interface: everything the step loop (sim/core/step-loop.ts) asks of a protocol family
// in a run. A family (the perpetual-futures venue in sim/perp/, lending later) implements it; the
// loop, the conservation check and the statistics registry know nothing else of it. Types only.
import type { Columns, ColumnSpec, Registry, StatSpec } from './registry.js';
import type { Stream } from './rng.js';

/** Anything that decides: reads a view, appends actions. Agents (agents/types.ts) are deciders. */
export interface Decider<View, A> {
  decide(view: View, out: A[]): void;
}

/**
 * One round of decisions in a step: its agents decide on the same read-only view, then the loop
 * applies their actions in an order shuffled by `order` (design contract 2). A venue of several
 * markets has one round per market, in market order.
 */
export interface DecisionRound<View, A> {
  readonly agents: readonly Decider<View, A>[];
  readonly view: View;
  readonly order: Stream;
}

/**
 * The value a protocol holds and the value that came in from outside, for the conservation check
 * (design contract 4): `heldUsd` must equal `externalUsd` to a relative tolerance of `scaleUsd`.
 */
export interface ValueBalance {
  /** Value held: collateral, unrealized PnL, funds, fees, less debt not yet resolved, USD. */
  heldUsd: number;
  /** Deposits (initial capital of funds included) less withdrawals, USD. */
  externalUsd: number;
  /** What the tolerance is relative to (at least 1), USD. */
  scaleUsd: number;
}

export interface Protocol<View, A, Column extends string, Stat extends string, End> {
  /** Its timeline columns, in output order. */
  readonly columns: Registry<ColumnSpec<Column>>;
  /** Its run statistics, computed from `statContext` at the end of the run. */
  readonly stats: Registry<StatSpec<Stat, End>>;
  /** Exogenous world and prices in: shocks, index, pools, oracle, breakers, funding. */
  beginStep(step: number): void;
  /** Flags the accounts that can be liquidated at this step's prices. */
  scan(step: number): void;
  /** This step's decision rounds. */
  rounds(): readonly DecisionRound<View, A>[];
  /** Applies one action of round `round`; a refusal is recorded, never thrown. */
  apply(action: A, round: number): void;
  /** After a round's actions: loss resolution and settlement. */
  endRound(round: number): void;
  /** Writes step `step` of the run's timeline. */
  record(step: number, timeline: Columns<Column>): void;
  /** Its value for the conservation check, now. */
  balance(): ValueBalance;
  /** Its own invariants (balanced open interest, running totals on `full` steps): a message when one breaks. */
  violation(full: boolean): string | undefined;
  /** The end-of-run context its statistics are computed from. */
  statContext(timeline: Columns<Column>): End;
}
