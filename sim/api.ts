// The programmatic API of the `cascade-sim` package (its "." export): a deliberate, typed surface
// over the parts the CLI is made of: run one simulation, load, plan and run a sweep, read a results
// directory, evaluate risk budgets and regressions as `cascade check` does, compare two results as
// `cascade compare` does, and the registries' metadata (statistics, timeline columns, cell metrics,
// parameters). Re-exports and thin wrappers only: no logic of its own, nothing written to stdout.
// What is not exported here is internal and may change in any release.
import { cellMetrics } from '../reports/cell-stats.js';
import type { Config } from './config/index.js';
import { cellMetricNames } from '../reports/sweep-output.js';
import { loadScenario, resolveConfig } from '../scenarios/load.js';
import { loadSweep as loadSweepFile, type LoadedSweep } from '../scenarios/sweep-load.js';
import { ALL_STAT_KEYS, RUN_STAT_KEYS, runSimulation, sweepStatKeys, type RunResult } from './engine.js';
import { buildPlan, type SweepPlan } from './sweep/sweep-plan.js';
import { packageVersion } from './sweep/sweep.js';

// --- One run -----------------------------------------------------------------------------------

export { runSimulation, RUN_STAT_KEYS, RUN_STATISTICS, TIMELINE_COLUMNS } from './engine.js';
export type { RunSpec, RunResult, ResolvedScenario, RunStats } from './engine.js';
export { loadScenario, resolveConfig, applySet, listBuiltins } from '../scenarios/load.js';
export type { Config, ConfigOverrides } from './config/index.js';
export { DEFAULT_CONFIG, parameterPaths, parameterDefault } from './config/index.js';
export { timelineCsv, summaryJson, summaryText } from '../reports/run-output.js';

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Run seed, an integer from 0 to 2^32 - 1. Default 1 (as `cascade run`). */
  seed?: number;
  /** Overrides as `path=value`, applied after the scenario's params, like `--set`. Default none. */
  set?: readonly string[];
}

/**
 * `cascade run <scenario>` without the files: loads a built-in scenario by name (or a scenario file
 * by path), resolves its config with the overrides and runs one seeded simulation. Throws UserError
 * for a bad scenario or override, InvariantError when value conservation breaks.
 */
export function simulate(scenarioRef: string, opts: SimulateOptions = {}): RunResult & { config: Config } {
  const { scenario, params } = loadScenario(scenarioRef);
  const config = resolveConfig(scenario.source, params, opts.set ?? []);
  return { ...runSimulation({ scenario, config, seed: opts.seed ?? 1 }), config };
}

// --- Sweeps ------------------------------------------------------------------------------------

export { runSweep, defaultOutDir } from './sweep/sweep.js';
export type { SweepOptions, SweepOutcome } from './sweep/sweep.js';
export type { LoadedSweep, SweepScenario, GridAxis, GridValue } from '../scenarios/sweep-load.js';
export type { SweepPlan, PlanMeta, PlanCell, Shard } from './sweep/sweep-plan.js';
export { listBuiltinSweeps } from '../scenarios/sweep-load.js';
export { parseShard } from './sweep/sweep-plan.js';
export type { Budget, BudgetOperator } from '../scenarios/sweep-schema.js';

/**
 * Reads and validates a sweep file (a built-in name or a path), with its scenarios, grid and budgets.
 * `replicates` and `seed` replace the file's, as the command-line flags do. Throws UserError.
 */
export function loadSweep(ref: string, overrides: { replicates?: number; seed?: number } = {}): LoadedSweep {
  return loadSweepFile(ref, cellMetricNames(ALL_STAT_KEYS), overrides);
}

/**
 * Expands a sweep into its plan: every scenario x grid cell with its full config, the run count and
 * the sweep hash, without running anything. A run's seed is in `runAt(plan.meta, runIndex)`.
 */
export function planSweep(ref: string, overrides: { replicates?: number; seed?: number } = {}): SweepPlan {
  const sweep = loadSweep(ref, overrides);
  return buildPlan(sweep, packageVersion(), sweepStatKeys(sweep));
}
export { runAt, cellAt } from './sweep/sweep-plan.js';

// --- Results directories, budgets and comparisons ----------------------------------------------

export { readResults, REGRESSION_RUN_COLUMNS } from './sweep/results.js';
export type { Results, ResultCell, ResultRuns } from './sweep/results.js';
export {
  evaluateBudgets,
  evaluateRegressions,
  evaluateErrors,
  judgedColumn,
  DEFAULT_REGRESSION_OPTIONS,
} from '../reports/check-eval.js';
export type {
  Check,
  CheckKind,
  CheckVerdict,
  RegressionOptions,
  RegressionSide,
  BudgetCell,
} from '../reports/check-eval.js';
export { summarize, checkJson, checkTable } from '../reports/check-report.js';
export type { CheckSummary } from '../reports/check-report.js';
export { compareResults, compareTable, compareJson, COMPARE_RUN_COLUMNS } from '../reports/compare.js';
export type {
  Comparison,
  CellComparison,
  MetricComparison,
  CompareVerdict,
  CompareSide,
  CompareOptions,
} from '../reports/compare.js';

// --- Registries' metadata ----------------------------------------------------------------------

export type { FieldMeta, Unit, Across } from './core/registry.js';

/** A cells.csv metric column: its name, the run statistic it summarizes (null for counts), and its unit and meaning. */
export interface CellMetricInfo {
  name: string;
  stat: string | null;
  doc: string;
}

/** The metric columns of cells.csv, in column order (what a budget may name). */
export const CELL_METRICS: readonly CellMetricInfo[] = cellMetrics(RUN_STAT_KEYS).map(({ name, stat, doc }) => ({
  name,
  stat,
  doc,
}));

// --- Errors ------------------------------------------------------------------------------------

export { UserError, InvariantError } from './core/errors.js';

/** The version of this package (package.json). */
export function version(): string {
  return packageVersion();
}
