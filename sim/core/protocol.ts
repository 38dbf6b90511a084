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
 * applies their actions through `apply`, in an order shuffled by `order` (design contract 2), or in
 * the order decided when a round has no `order` (a round of one agent, or rounds whose order is part
 * of the model). A venue of several markets has one main round per market, in market order.
 */
export interface DecisionRound<View, A> {
  readonly agents: readonly Decider<View, A>[];
  readonly view: View;
  readonly order?: Stream;
}

/**
 * A step is a list of stages the loop runs in order: a protocol phase (prices in, the liquidation
 * scan, settlement) or a decision round, whose actions the loop applies one by one through
 * `apply` (a refusal is recorded by the protocol, never thrown) and after which `end` runs (loss
 * resolution). Only the protocol mutates its state, and only in `run`, `apply` and `end`.
 */
export type Stage<View, A> =
  | { readonly kind: 'phase'; readonly name: string; run(step: number): void }
  | {
      readonly kind: 'round';
      readonly name: string;
      readonly round: DecisionRound<View, A>;
      apply(action: A): void;
      end?(): void;
    };

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

/** A stage of any view and action type (a protocol's stages may differ in both: its own rounds know theirs). */
export type AnyStage = Stage<unknown, unknown>;

export interface Protocol<Column extends string, Stat extends string, End> {
  /** Its timeline columns, in output order. */
  readonly columns: Registry<ColumnSpec<Column>>;
  /** Its run statistics, computed from `statContext` at the end of the run. */
  readonly stats: Registry<StatSpec<Stat, End>>;
  /** The stages of every step, in order (the same list each step). */
  readonly stages: readonly AnyStage[];
  /** The timeline it records into, if it keeps one itself (else the loop makes one from `columns`). */
  readonly timeline?: Columns<Column>;
  /** Writes step `step` of the run's timeline, after the stages. */
  record(step: number, timeline: Columns<Column>): void;
  /** Its value for the conservation check, now. */
  balance(): ValueBalance;
  /** Its own invariants (balanced open interest, running totals on `full` steps): a message when one breaks. */
  violation(full: boolean): string | undefined;
  /** The end-of-run context its statistics are computed from. */
  statContext(timeline: Columns<Column>): End;
}
