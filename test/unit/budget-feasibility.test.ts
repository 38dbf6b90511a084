// A P(insolvent) budget judged on its 95% Wilson bound cannot pass at too few replicates, even in a
// cell without one insolvent run: the finder names such budgets, the bound they reach at the best
// outcome and the smallest replicate count that meets the limit, checked against the Wilson bound itself.
import { describe, expect, it } from 'vitest';
import { feasibilityWarning, infeasibleBudgets, replicatesNeeded } from '../../reports/budget-feasibility.js';
import { evaluateBudgets } from '../../reports/check-eval.js';
import { wilsonInterval } from '../../reports/stats.js';
import { parseBudget, type Budget } from '../../scenarios/sweep-schema.js';

const METRICS = ['p_insolvent', 'p_insolvent_lo', 'p_insolvent_hi', 'bad_debt_p99_usd', 'uncovered_bad_debt_p95_usd'];

function budget(text: string, scenario: string | null = null): Budget {
  const b = parseBudget(text, METRICS, scenario);
  if ('error' in b) throw new Error(b.error);
  return b;
}

/** Whether a cell of n runs with no insolvent run passes the budget, as cascade check judges it. */
function zeroEventsPass(b: Budget, n: number): boolean {
  const w = wilsonInterval(0, n);
  const metrics = new Map([
    ['runs', n],
    ['p_insolvent', 0],
    ['p_insolvent_lo', w.lo],
    ['p_insolvent_hi', w.hi],
  ]);
  const [check] = evaluateBudgets([{ scenario: 's', params: {}, metrics }], [b], [...metrics.keys()]);
  return check.verdict === 'pass';
}

describe('budget feasibility', () => {
  it('says p_insolvent <= 0.1 cannot pass with 20 replicates and needs 35, in one warning line', () => {
    const [f, ...rest] = infeasibleBudgets([budget('p_insolvent <= 0.1')], 20);
    expect(rest).toEqual([]);
    expect(f.bestEvents).toBe(0);
    expect(f.bestBound).toBeCloseTo(0.1611, 4);
    expect(f.needed).toBe(35);
    expect(feasibilityWarning(f)).toBe(
      "budget 'p_insolvent <= 0.1' cannot pass with 20 replicates (the 95% upper bound at 0 of 20 is 0.161); it needs at least 35",
    );
  });

  it('finds the smallest replicate count at which zero insolvent runs pass, for several limits', () => {
    for (const text of ['p_insolvent <= 0.1', 'p_insolvent < 0.1', 'p_insolvent <= 0.05', 'p_insolvent <= 0.01']) {
      const b = budget(text);
      const n = replicatesNeeded(b)!;
      expect(zeroEventsPass(b, n), `${text} at ${n}`).toBe(true);
      expect(zeroEventsPass(b, n - 1), `${text} at ${n - 1}`).toBe(false);
    }
  });

  it('finds large counts without walking them one by one (p_insolvent <= 0.0001 needs about 38,412)', () => {
    const n = replicatesNeeded(budget('p_insolvent <= 0.0001'))!;
    expect(wilsonInterval(0, n).hi).toBeLessThanOrEqual(0.0001);
    expect(wilsonInterval(0, n - 1).hi).toBeGreaterThan(0.0001);
    expect(n).toBeGreaterThan(38_000);
    expect(n).toBeLessThan(39_000);
  });

  it('does not flag a budget that zero insolvent runs pass at the chosen replicates', () => {
    expect(infeasibleBudgets([budget('p_insolvent <= 0.1')], 35)).toEqual([]);
    expect(infeasibleBudgets([budget('p_insolvent <= 1')], 1)).toEqual([]);
  });

  it('flags a budget on p_insolvent_hi written directly, as cascade check judges it the same way', () => {
    const [f] = infeasibleBudgets([budget('p_insolvent_hi <= 0.1')], 20);
    expect(f.needed).toBe(35);
  });

  it('ignores budgets that are judged on their value, which have no floor', () => {
    expect(infeasibleBudgets([budget('bad_debt_p99_usd <= 0'), budget('uncovered_bad_debt_p95_usd < 1')], 3)).toEqual(
      [],
    );
    expect(replicatesNeeded(budget('bad_debt_p99_usd <= 0'))).toBe(1);
  });

  it('judges a lower limit at the best outcome of every run insolvent', () => {
    const [f] = infeasibleBudgets([budget('p_insolvent >= 0.9')], 10);
    expect(f.bestEvents).toBe(10);
    expect(f.bestBound).toBeCloseTo(wilsonInterval(10, 10).lo, 12);
    const n = f.needed!;
    expect(wilsonInterval(n, n).lo).toBeGreaterThanOrEqual(0.9);
    expect(wilsonInterval(n - 1, n - 1).lo).toBeLessThan(0.9);
    expect(feasibilityWarning(f)).toContain('the 95% lower bound at 10 of 10');
  });

  it('says that no replicate count can meet a limit of zero, and names a scoped budget\u2019s scenario', () => {
    const [f] = infeasibleBudgets([budget('p_insolvent <= 0', 'flash-crash')], 1000);
    expect(f.needed).toBeNull();
    expect(feasibilityWarning(f)).toMatch(
      /^budget 'p_insolvent <= 0' \(scenario flash-crash\) cannot pass with 1000 replicates .*no replicate count can meet it/,
    );
  });
});
