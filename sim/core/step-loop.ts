// The step loop, the one way any protocol family is run: each step runs the protocol's stages in
// order (its phases: prices in, liquidation scan; its decision rounds: every agent of a round decides
// on the same view, then the actions are applied in a seeded shuffled order), then the protocol
// records the step and the conservation check runs. No result holds NaN or Infinity: a step that
// records one stops the run with an error naming the column (and a statistic, the statistic). Pure: no I/O, no clock, no threads; a broken invariant throws with its step and seed.
import { InvariantError } from './errors.js';
import type { Protocol } from './protocol.js';
import { computeStats, createColumns, type Columns } from './registry.js';

/** How long to run and how strictly to check, for one run. */
export interface LoopOptions {
  /** Steps to run. */
  steps: number;
  /** The run's seed (named in invariant errors so the run can be replayed). */
  seed: number;
  /** Relative tolerance of the conservation check (fraction of scaleUsd). */
  tolerance: number;
  /** Every this many steps (and at the last) the protocol's full invariants are checked. */
  fullCheckEverySteps: number;
  /** A step at which to throw an invariant error on purpose (tests of the error path), or -1. */
  faultInjectionStep: number;
}

export interface LoopResult<Column extends string, Stat extends string> {
  timeline: Columns<Column>;
  stats: Record<Stat, number>;
}

export function runLoop<Column extends string, Stat extends string, End>(
  protocol: Protocol<Column, Stat, End>,
  opts: LoopOptions,
): LoopResult<Column, Stat> {
  const { steps, seed } = opts;
  const timeline = protocol.timeline ?? createColumns(protocol.columns, steps);
  const actions: unknown[] = [];
  const stages = protocol.stages;
  const columns = protocol.columns.names;
  for (let step = 0; step < steps; step++) {
    for (const stage of stages) {
      if (stage.kind === 'phase') {
        stage.run(step);
        continue;
      }
      const round = stage.round;
      actions.length = 0;
      for (const agent of round.agents) agent.decide(round.view, actions);
      round.order?.shuffle(actions);
      for (const action of actions) stage.apply(action);
      stage.end?.();
    }
    protocol.record(step, timeline);
    const nonFinite = nonFiniteColumn(columns, timeline, step);
    if (nonFinite !== undefined)
      throw new InvariantError(
        step,
        seed,
        `timeline column ${nonFinite} is ${timeline[nonFinite][step]}, not a finite number`,
      );
    checkConservation(protocol.balance(), opts.tolerance, step, seed);
    const broken = protocol.violation(step % opts.fullCheckEverySteps === 0 || step === steps - 1);
    if (broken !== undefined) throw new InvariantError(step, seed, broken);
    if (step === opts.faultInjectionStep)
      throw new InvariantError(step, seed, 'fault injected by invariants.faultInjectionStep');
  }
  const stats = computeStats(protocol.stats, protocol.statContext(timeline));
  for (const name of protocol.stats.names)
    if (!Number.isFinite(stats[name]))
      throw new InvariantError(steps - 1, seed, `run statistic ${name} is ${stats[name]}, not a finite number`);
  return { timeline, stats };
}

/** The first column whose value at `step` is NaN or infinite (results never hold one), or undefined. */
function nonFiniteColumn<Column extends string>(
  columns: readonly Column[],
  timeline: Columns<Column>,
  step: number,
): Column | undefined {
  for (const c of columns) if (!Number.isFinite(timeline[c][step])) return c;
  return undefined;
}

/** Value conservation (design contract 4): held equals deposits less withdrawals, to a relative tolerance. */
export function checkConservation(
  b: { heldUsd: number; externalUsd: number; scaleUsd: number },
  tolerance: number,
  step: number,
  seed: number,
): void {
  const gap = b.heldUsd - b.externalUsd;
  if (!Number.isFinite(b.heldUsd) || Math.abs(gap) > tolerance * b.scaleUsd) {
    throw new InvariantError(
      step,
      seed,
      `value not conserved: held ${b.heldUsd.toFixed(6)} USD vs deposits - withdrawals ${b.externalUsd.toFixed(6)} USD (gap ${gap.toExponential(3)})`,
    );
  }
}
