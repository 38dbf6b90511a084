// The checks of `cascade check`: risk budgets judged on each cell's statistics (P(insolvent) on its
// Wilson bound), and regressions against a baseline judged on runs paired by replicate (exact
// McNemar test on insolvency, paired bootstrap on bad debt), plus the cells, columns and runs that
// one side lacks. Pure: takes read results and options, returns the checks in a fixed order. Never
// reads a file, never runs a simulation.
import type { GridValue } from '../scenarios/sweep-load.js';
import type { Budget, BudgetOperator } from '../scenarios/sweep-schema.js';
import { UserError } from '../sim/core/errors.js';
import type { ResultCell, ResultRuns } from '../sim/sweep/results.js';
import {
  bootstrapLowerBound,
  mcnemarExact,
  pairedBootstrap,
  bootstrapPValue,
  type BootStatistic,
} from './paired-tests.js';
import { mean, quantile, sortedCopy } from './stats.js';

export type CheckKind = 'budget' | 'regression' | 'missing';
export type CheckVerdict = 'pass' | 'fail' | 'info';

/** One check and its verdict: a row of the table, an element of check.json, a JUnit test case. */
export interface Check {
  kind: CheckKind;
  /** Scenario label; '' for a check on the whole sweep (a column, the replicate count). */
  scenario: string;
  /** The cell's grid path -> value; {} for a sweep-wide check or a sweep without a grid. */
  cell: Record<string, GridValue>;
  /** The cells.csv column judged (`p_insolvent_hi` for a P(insolvent) budget), or what is missing. */
  metric: string;
  /** Budget operator; null for regressions and missing checks. */
  op: BudgetOperator | null;
  /** Budget limit; null for regressions and missing checks. */
  bound: number | null;
  /** The current value (null when there is none). */
  value: number | null;
  /** The baseline value of a regression check; null otherwise. */
  baseline: number | null;
  /** One-sided p-value of "got worse" for a regression check; null otherwise. */
  p_value: number | null;
  verdict: CheckVerdict;
  /** One line saying what was compared and why the verdict. */
  message: string;
}

/** Options of the regression checks. */
export interface RegressionOptions {
  /** Significance level of the one-sided tests. Default 0.05. */
  alpha: number;
  /** An insolvency regression fails only when P(insolvent) rose by more than this (fraction). Default 0. */
  toleranceP: number;
  /** A bad-debt regression fails only when the increase exceeds this many USD... Default 0. */
  toleranceUsd: number;
  /** ...and this fraction of the baseline value (the larger of the two tolerances applies). Default 0.05. */
  toleranceRel: number;
  /** Bootstrap resamples. Default 1000. */
  resamples: number;
  /** Report cells and columns missing from the current results as info instead of failing. Default false. */
  allowMissing: boolean;
}

export const DEFAULT_REGRESSION_OPTIONS: RegressionOptions = {
  alpha: 0.05,
  toleranceP: 0,
  toleranceUsd: 0,
  toleranceRel: 0.05,
  resamples: 1000,
  allowMissing: false,
};

/** Numbers as check.json and the messages carry them: 12 significant digits, like the CSV files. */
export function round12(x: number): number {
  return Number.isFinite(x) ? Number(x.toPrecision(12)) : x;
}

/** Short human text of a number for messages. */
export function num(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (Number.isInteger(x) && a < 1e7) return String(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return x.toExponential(3).replace(/\.?0+e/, 'e');
  // Thousands to millions (USD amounts, mostly) to the unit; smaller numbers to 4 significant digits.
  if (a >= 1000) return x.toFixed(0);
  return String(Number(x.toPrecision(4)));
}

/** `scenario (path=value, ...)`, how the table and messages name a cell. */
export function describeCell(scenario: string, cell: Record<string, GridValue>): string {
  const params = Object.entries(cell).map(([p, v]) => `${p}=${String(v)}`);
  const name = scenario === '' ? '(sweep)' : scenario;
  return params.length ? `${name} (${params.join(', ')})` : name;
}

/** Whether `value op limit` holds. */
export function compare(value: number, op: BudgetOperator, limit: number): boolean {
  switch (op) {
    case '<=':
      return value <= limit;
    case '<':
      return value < limit;
    case '>=':
      return value >= limit;
    case '>':
      return value > limit;
  }
}

const NEGATED: Record<BudgetOperator, string> = { '<=': '>', '<': '>=', '>=': '<', '>': '<=' };

/** A cell as budgets see it: its statistics by cells.csv column. */
export type BudgetCell = Pick<ResultCell, 'scenario' | 'params' | 'metrics'>;

/**
 * The column a budget is judged on: a P(insolvent) budget on its 95% Wilson bound (upper for <= and
 * <, lower for >= and >), so that a pass is a statistical statement; any other metric as it is.
 */
export function judgedColumn(budget: Budget): string {
  if (budget.metric !== 'p_insolvent') return budget.metric;
  return budget.op === '<=' || budget.op === '<' ? 'p_insolvent_hi' : 'p_insolvent_lo';
}

/** Evaluates every budget on every cell it applies to (budget order, then cell order). */
export function evaluateBudgets(
  cells: readonly BudgetCell[],
  budgets: readonly Budget[],
  columns: readonly string[],
): Check[] {
  const checks: Check[] = [];
  budgets.forEach((budget, i) => {
    const column = judgedColumn(budget);
    if (!columns.includes(column))
      throw new UserError(
        `budgets[${i}]`,
        '',
        `'${budget.text}' needs the cells.csv column '${column}', which these results do not have`,
      );
    for (const cell of cells) {
      if (budget.scenario !== null && cell.scenario !== budget.scenario) continue;
      const value = cell.metrics.get(column) ?? NaN;
      const base = {
        kind: 'budget' as const,
        scenario: cell.scenario,
        cell: cell.params,
        metric: column,
        op: budget.op,
        bound: budget.limit,
        baseline: null,
        p_value: null,
      };
      const judged =
        column === budget.metric
          ? ''
          : ` (judged on the ${column === 'p_insolvent_hi' ? 'upper' : 'lower'} end of the 95% Wilson interval; p_insolvent = ${num(cell.metrics.get('p_insolvent') ?? NaN)} over ${num(cell.metrics.get('runs') ?? NaN)} runs)`;
      if (!Number.isFinite(value)) {
        checks.push({
          ...base,
          value: null,
          verdict: 'fail',
          message: `${budget.text}: no value (every run of the cell failed)`,
        });
        continue;
      }
      const holds = compare(value, budget.op, budget.limit);
      checks.push({
        ...base,
        value: round12(value),
        verdict: holds ? 'pass' : 'fail',
        message: `${budget.text}: ${column} = ${num(value)} ${holds ? budget.op : NEGATED[budget.op]} ${num(budget.limit)}${judged}`,
      });
    }
  });
  return checks;
}

/** One side of a regression comparison: the cells and the runs of a results directory. */
export interface RegressionSide {
  cells: readonly ResultCell[];
  runs: ResultRuns;
  /** How messages name the side's directory. */
  dir: string;
}

/** The bad-debt statistics compared by paired bootstrap: cells.csv column and statistic. */
const BAD_DEBT_STATS: { metric: string; stat: BootStatistic }[] = [
  { metric: 'bad_debt_mean_usd', stat: { kind: 'mean' } },
  { metric: 'bad_debt_p95_usd', stat: { kind: 'quantile', p: 0.95 } },
  { metric: 'bad_debt_p99_usd', stat: { kind: 'quantile', p: 0.99 } },
];

function statOf(stat: BootStatistic, values: readonly number[]): number {
  return stat.kind === 'mean' ? mean(values) : quantile(sortedCopy(values), stat.p);
}

/**
 * Compares the current results with a baseline, cell by cell (matched by scenario label and grid
 * values) and run by run (paired by replicate). Throws a UserError when paired replicates have
 * different seeds: then the runs do not share their random numbers and no paired test is valid.
 */
/** A check of kind 'missing': something could not be compared or a run failed. */
function missingCheck(
  scenario: string,
  cell: Record<string, GridValue>,
  metric: string,
  verdict: CheckVerdict,
  message: string,
  value: number | null = null,
): Check {
  return {
    kind: 'missing',
    scenario,
    cell,
    metric,
    op: null,
    bound: null,
    value,
    baseline: null,
    p_value: null,
    verdict,
    message,
  };
}

export function evaluateRegressions(
  current: RegressionSide,
  baseline: RegressionSide,
  opts: RegressionOptions,
): Check[] {
  const checks: Check[] = [];
  const missingVerdict: CheckVerdict = opts.allowMissing ? 'info' : 'fail';
  const sweepWide = (metric: string, verdict: CheckVerdict, message: string, value: number | null = null): Check =>
    missingCheck('', {}, metric, verdict, message, value);

  const rc = current.runs.replicates;
  const rb = baseline.runs.replicates;
  const paired = Math.min(rc, rb);
  const insolventCur = current.runs.columns.get('insolvent');
  const insolventBase = baseline.runs.columns.get('insolvent');
  const debtCur = current.runs.columns.get('bad_debt_usd');
  const debtBase = baseline.runs.columns.get('bad_debt_usd');

  const byKey = new Map(baseline.cells.map((c) => [c.key, c]));
  const matched = new Set<string>();
  let firstMismatch: string | null = null;
  for (const cell of current.cells) {
    const base = byKey.get(cell.key);
    if (!base) continue;
    matched.add(cell.key);
    const common = {
      scenario: cell.scenario,
      cell: cell.params,
      op: null,
      bound: null,
    };
    // Pairs: the same replicate on both sides, both runs ok.
    const pairs: [number, number][] = [];
    let excluded = 0;
    for (let r = 0; r < paired; r++) {
      const i = cell.index * rc + r;
      const j = base.index * rb + r;
      if (current.runs.seeds[i] !== baseline.runs.seeds[j]) {
        firstMismatch ??= `${cell.scenario} replicate ${r} has seed ${current.runs.seeds[i]} now and ${baseline.runs.seeds[j]} in the baseline`;
        continue;
      }
      if (current.runs.ok[i] && baseline.runs.ok[j]) pairs.push([i, j]);
      else excluded++;
    }
    const note = `${pairs.length} paired runs${excluded ? ` (${excluded} excluded: a run failed on one side)` : ''}`;
    if (pairs.length === 0) {
      checks.push(
        missingCheck(
          cell.scenario,
          cell.params,
          'runs',
          'fail',
          'no replicate ran ok on both sides: nothing to compare',
          0,
        ),
      );
      continue;
    }

    if (insolventCur && insolventBase) {
      const now = pairs.map(([i]) => (insolventCur[i] > 0 ? 1 : 0));
      const before = pairs.map(([, j]) => (insolventBase[j] > 0 ? 1 : 0));
      const test = mcnemarExact(now, before);
      const pNow = mean(now);
      const pBefore = mean(before);
      const rise = pNow - pBefore;
      const significant = test.p < opts.alpha;
      const fail = significant && rise > opts.toleranceP;
      const why = fail
        ? `p < ${num(opts.alpha)} and the rise ${num(rise)} > tolerance ${num(opts.toleranceP)}`
        : significant
          ? `the rise ${num(rise)} is within the tolerance ${num(opts.toleranceP)}`
          : `not significant at ${num(opts.alpha)}`;
      checks.push({
        ...common,
        kind: 'regression',
        metric: 'p_insolvent',
        value: round12(pNow),
        baseline: round12(pBefore),
        p_value: round12(test.p),
        verdict: fail ? 'fail' : 'pass',
        message: `P(insolvent) ${num(pNow)} vs ${num(pBefore)} in the baseline over ${note}: ${test.worse} newly insolvent, ${test.better} newly solvent; exact McNemar one-sided p = ${num(test.p)}: ${why}`,
      });
    }

    if (debtCur && debtBase) {
      const now = pairs.map(([i]) => debtCur[i]);
      const before = pairs.map(([, j]) => debtBase[j]);
      // Seeded by the cell alone, so the verdict does not depend on the order of cells or the sweep's name.
      const diffs = pairedBootstrap(
        now,
        before,
        BAD_DEBT_STATS.map((s) => s.stat),
        { resamples: opts.resamples, seed: `cascade-check|${cell.key}` },
      );
      BAD_DEBT_STATS.forEach(({ metric, stat }, s) => {
        const v = statOf(stat, now);
        const b = statOf(stat, before);
        const tolerance = Math.max(opts.toleranceUsd, opts.toleranceRel * Math.abs(b));
        const lower = bootstrapLowerBound(diffs[s], opts.alpha);
        const fail = lower > tolerance;
        checks.push({
          ...common,
          kind: 'regression',
          metric,
          value: round12(v),
          baseline: round12(b),
          p_value: round12(bootstrapPValue(diffs[s], tolerance)),
          verdict: fail ? 'fail' : 'pass',
          message: `${metric} ${num(v)} vs ${num(b)} in the baseline (change ${num(v - b)}) over ${note}; paired bootstrap (${opts.resamples} resamples): the change is at least ${num(lower)} with ${num(100 * (1 - opts.alpha))}% confidence, ${fail ? '>' : '<='} tolerance ${num(tolerance)} USD`,
        });
      });
    }
  }
  if (firstMismatch)
    throw new UserError(
      baseline.dir,
      '',
      `runs are not paired with the current results (${firstMismatch}): the two sweeps use different base seeds or scenario names, so a paired comparison is not valid; compute the baseline with the same sweep seed`,
    );

  const currentKeys = new Set(current.cells.map((c) => c.key));
  for (const cell of baseline.cells)
    if (!currentKeys.has(cell.key))
      checks.push(
        missingCheck(
          cell.scenario,
          cell.params,
          'cell',
          missingVerdict,
          'in the baseline but not in the current results (a scenario or grid value was removed or changed): not compared',
        ),
      );
  for (const cell of current.cells)
    if (!matched.has(cell.key))
      checks.push(
        missingCheck(cell.scenario, cell.params, 'cell', 'info', 'new cell, not in the baseline: not compared'),
      );

  for (const [column, metrics] of [
    ['insolvent', 'p_insolvent'],
    ['bad_debt_usd', 'bad_debt_mean_usd, bad_debt_p95_usd, bad_debt_p99_usd'],
  ] as const) {
    const inCur = current.runs.columns.has(column);
    const inBase = baseline.runs.columns.has(column);
    if (inCur && !inBase)
      checks.push(
        sweepWide(column, 'info', `runs.csv of the baseline has no '${column}' column: ${metrics} not compared`),
      );
    else if (!inCur && inBase)
      checks.push(
        sweepWide(
          column,
          missingVerdict,
          `runs.csv of the current results has no '${column}' column: ${metrics} not compared`,
        ),
      );
    else if (!inCur && !inBase)
      checks.push(
        sweepWide(column, missingVerdict, `neither runs.csv has a '${column}' column: ${metrics} not compared`),
      );
  }
  if (rc !== rb)
    checks.push(
      sweepWide(
        'replicates',
        'info',
        `${rc} replicates per cell now, ${rb} in the baseline: compared on the ${paired} common replicates (0..${paired - 1})`,
        rc,
      ),
    );
  return checks;
}

/** A 'missing' check for each current cell with failed runs (status=error): a run that throws is a bug. */
export function evaluateErrors(cells: readonly ResultCell[], runs: ResultRuns): Check[] {
  const checks: Check[] = [];
  for (const cell of cells) {
    let errors = 0;
    for (let r = 0; r < runs.replicates; r++) if (!runs.ok[cell.index * runs.replicates + r]) errors++;
    if (errors > 0)
      checks.push(
        missingCheck(
          cell.scenario,
          cell.params,
          'errors',
          'fail',
          `${errors} of ${runs.replicates} runs failed (status=error in runs.csv); the cell's statistics use the other runs`,
          errors,
        ),
      );
  }
  return checks;
}
