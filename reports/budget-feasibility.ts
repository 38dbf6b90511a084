// Whether a risk budget can pass at all at a sweep's replicate count: a P(insolvent) budget is
// judged on its 95% Wilson bound (reports/check-eval.ts judgedColumn), and that bound stays away from
// 0 at few runs even when no run is insolvent (0 of 20 runs: upper bound 0.161). `cascade sweep` and
// `cascade check` warn before running about such a budget and say how many replicates it needs.
// Pure: budgets and a count in, findings and text out.
import type { Budget } from '../scenarios/sweep-schema.js';
import { compare, judgedColumn, num } from './check-eval.js';
import { wilsonInterval } from './stats.js';

/**
 * Whether a budget judged on a Wilson bound can pass at all with `replicates` runs per cell: the
 * best any cell can do is 0 events (for an upper limit, `p_insolvent <= x`) or every run an event
 * (for a lower limit), and even then the bound stays away from 0 (or 1) at few runs.
 */
export interface BudgetFeasibility {
  budget: Budget;
  replicates: number;
  /** The judged bound at the best outcome (0 of n for an upper limit, n of n for a lower one). */
  bestBound: number;
  /** The events of that best outcome: 0, or `replicates`. */
  bestEvents: number;
  /** Smallest replicate count whose best-outcome bound meets the limit; null when no count does. */
  needed: number | null;
}

/**
 * Which Wilson bound a budget is judged on where that bound has a floor: 'hi' for an upper limit on
 * the upper bound (its best is 0 events), 'lo' for a lower limit on the lower bound (best: every run
 * an event); null for any other budget (judged on the value itself, or on a side with no floor).
 */
function flooredBound(budget: Budget): 'hi' | 'lo' | null {
  const column = judgedColumn(budget);
  const upper = budget.op === '<=' || budget.op === '<';
  if (column === 'p_insolvent_hi' && upper) return 'hi';
  if (column === 'p_insolvent_lo' && !upper) return 'lo';
  return null;
}

/** The bound at the best outcome of n runs: upper bound at 0 of n, or lower bound at n of n. */
function bestBound(side: 'hi' | 'lo', n: number): number {
  return side === 'hi' ? wilsonInterval(0, n).hi : wilsonInterval(n, n).lo;
}

/**
 * The smallest replicate count at which `budget` can pass in a cell with the best outcome, or null
 * when none can (a limit of 0 or below on the upper bound, of 1 or above on the lower bound, which a
 * Wilson bound never meets). A budget without a floored bound (see flooredBound) needs 1.
 */
export function replicatesNeeded(budget: Budget): number | null {
  const side = flooredBound(budget);
  if (side === null) return 1;
  // The bound moves monotonically toward 0 (or 1) as n grows but never reaches it.
  if (side === 'hi' ? budget.limit <= 0 : budget.limit >= 1) return null;
  const meets = (n: number) => compare(bestBound(side, n), budget.op, budget.limit);
  if (meets(1)) return 1;
  // Doubling then bisection: the answer can be large (about 3.84 / limit runs), so no linear walk.
  let hi = 2;
  while (!meets(hi)) {
    hi *= 2;
    if (hi > 2 ** 52) return null;
  }
  let lo = hi / 2; // does not meet it
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The budgets that cannot pass in any cell with `replicates` runs per cell, even with zero insolvent
 * runs (or, for a lower limit, with every run insolvent), each with the bound it would reach and the
 * replicates it needs. Budget order.
 */
export function infeasibleBudgets(budgets: readonly Budget[], replicates: number): BudgetFeasibility[] {
  const out: BudgetFeasibility[] = [];
  for (const budget of budgets) {
    const side = flooredBound(budget);
    if (side === null) continue;
    const bound = bestBound(side, replicates);
    if (compare(bound, budget.op, budget.limit)) continue;
    out.push({
      budget,
      replicates,
      bestBound: bound,
      bestEvents: side === 'hi' ? 0 : replicates,
      needed: replicatesNeeded(budget),
    });
  }
  return out;
}

/** The warning line of an infeasible budget (without the `cascade: warning: ` prefix and newline). */
export function feasibilityWarning(f: BudgetFeasibility): string {
  const side = f.bestEvents === 0 ? 'upper' : 'lower';
  const scope = f.budget.scenario === null ? '' : ` (scenario ${f.budget.scenario})`;
  const need =
    f.needed === null
      ? `no replicate count can meet it (a 95% Wilson bound never reaches ${num(f.budget.limit)})`
      : `it needs at least ${f.needed}`;
  return `budget '${f.budget.text}'${scope} cannot pass with ${f.replicates} replicates (the 95% ${side} bound at ${f.bestEvents} of ${f.replicates} is ${f.bestBound.toFixed(3)}); ${need}`;
}
