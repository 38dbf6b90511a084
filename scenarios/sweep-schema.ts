// The sweep file schema (name, scenarios with overrides, parameter grid, replicates, seed, risk
// budgets) and the budget grammar (`p_insolvent <= 0.01`). Shape only: whether a parameter path
// exists, a scenario can be found or a budget's metric is a cells.csv column is checked by the
// loader, which knows the parameters and the columns. No I/O here.
import { z } from 'zod';

/** Most scenarios in one sweep. */
export const MAX_SWEEP_SCENARIOS = 100;
/** Most parameters in a sweep's grid. */
export const MAX_GRID_PARAMETERS = 32;
/** Most values of one grid parameter. */
export const MAX_GRID_VALUES = 1000;
/** Most scenario x grid cells in one sweep: each cell's config is validated before anything runs. */
export const MAX_SWEEP_CELLS = 10_000;
/** Most entries of one `set` (sweep-wide or a scenario's). */
export const MAX_SET_ENTRIES = 1000;
/** Most budget lines in one sweep. */
export const MAX_BUDGETS = 100;

/** An error message for a field, that says "missing" when the field is absent. */
const expected =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined
      ? `required field is missing (expected ${what})`
      : `expected ${what}, got ${JSON.stringify(issue.input)}`;

/** A grid or override value: typed later by the parameter's default (number, boolean or enum string). */
export const ParamValueSchema = z.union([z.number(), z.boolean(), z.string()], {
  error: expected('a number, true/false or a string'),
});
export type ParamValue = z.infer<typeof ParamValueSchema>;

/**
 * Parameter overrides, `--set` style: a mapping of dotted path to value, or a list of
 * `path=value` strings.
 */
export const SetSchema = z.union(
  [
    z
      .record(z.string(), ParamValueSchema)
      .refine((s) => Object.keys(s).length <= MAX_SET_ENTRIES, `expected at most ${MAX_SET_ENTRIES} overrides`),
    z.array(z.string()).max(MAX_SET_ENTRIES, `expected at most ${MAX_SET_ENTRIES} overrides`),
  ],
  {
    error: expected("a mapping of parameter path to value, or a list of 'path=value' strings"),
  },
);
export type SetOverrides = z.infer<typeof SetSchema>;

/** One scenario of the sweep: a built-in name or a path, optionally with overrides and a label. */
export const SweepScenarioSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { scenario: v } : v),
  z.strictObject(
    {
      /** Built-in scenario name, or path to a scenario file (relative to the sweep file). */
      scenario: z.string({ error: expected('a scenario name or path') }).min(1),
      /** Name of this entry in the outputs' `scenario` column. Default: the scenario's name. */
      label: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-"')
        .optional(),
      /** Overrides applied to this scenario only, after the sweep-wide `set`. */
      set: SetSchema.optional(),
    },
    { error: expected('a scenario name or path, or a mapping with scenario, label and set') },
  ),
);

/** A budget line: for every scenario (a string) or for one (a mapping). */
export const BudgetEntrySchema = z.preprocess(
  (v) => (typeof v === 'string' ? { budget: v } : v),
  z.strictObject(
    {
      /** Label of the scenario the budget applies to. Default: every scenario. */
      scenario: z.string().min(1).optional(),
      /** `<metric> <op> <number>`, e.g. `p_insolvent <= 0.01`. */
      budget: z.string({ error: expected("a budget such as 'p_insolvent <= 0.01'") }),
    },
    { error: expected('a budget string, or a mapping with scenario and budget') },
  ),
);

export const SweepFileSchema = z.strictObject({
  /** Name of the sweep; names the default output directory. */
  name: z
    .string({ error: expected('a name') })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected letters, digits, ".", "_" or "-" (it names the output directory)'),
  /** One line saying what the sweep asks. */
  description: z.string().optional(),
  /** Scenarios to run, in output order. */
  scenarios: z
    .array(SweepScenarioSchema, { error: expected('a list of scenarios') })
    .min(1, 'expected at least one scenario')
    .max(MAX_SWEEP_SCENARIOS, `expected at most ${MAX_SWEEP_SCENARIOS} scenarios`),
  /** Overrides applied to every scenario, before each scenario's own `set`. */
  set: SetSchema.optional(),
  /** Dotted parameter path -> list of values; the sweep runs the cartesian product. Default: no grid (one cell). */
  grid: z
    .record(
      z.string(),
      z
        .array(ParamValueSchema, { error: expected('a list of values') })
        .min(1, 'expected a non-empty list of values')
        .max(MAX_GRID_VALUES, `expected at most ${MAX_GRID_VALUES} values`),
      { error: expected('a mapping of parameter path to a list of values') },
    )
    .refine((g) => Object.keys(g).length <= MAX_GRID_PARAMETERS, `expected at most ${MAX_GRID_PARAMETERS} parameters`)
    .default({}),
  /** Seeded runs per scenario and cell. */
  replicates: z
    .number({ error: expected('a positive integer') })
    .int({ error: expected('a positive integer') })
    .positive({ error: expected('a positive integer') })
    .max(100_000_000),
  /** Base seed: run seeds derive from (seed, scenario, replicate). */
  seed: z
    .number({ error: expected('an integer from 0 to 4294967295') })
    .int({ error: expected('an integer from 0 to 4294967295') })
    .min(0, 'expected an integer from 0 to 4294967295')
    .max(0xffffffff, 'expected an integer from 0 to 4294967295'),
  /** Risk budgets checked per cell by `cascade check`. Default none. */
  budgets: z
    .array(BudgetEntrySchema, { error: expected('a list of budgets') })
    .max(MAX_BUDGETS, `expected at most ${MAX_BUDGETS} budgets`)
    .default([]),
});

export type SweepFile = z.infer<typeof SweepFileSchema>;

export const BUDGET_OPERATORS = ['<=', '<', '>=', '>'] as const;
export type BudgetOperator = (typeof BUDGET_OPERATORS)[number];

/** A parsed risk budget: `metric op limit`, for one scenario label or all (null). */
export interface Budget {
  /** A numeric cells.csv column, e.g. `p_insolvent` or `bad_debt_p99_usd`. */
  metric: string;
  op: BudgetOperator;
  /** The limit, in the metric's unit. */
  limit: number;
  /** Scenario label the budget applies to; null for every scenario. */
  scenario: string | null;
  /** The budget as written. */
  text: string;
}

const BUDGET_RE =
  /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|<|>)\s*([-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/**
 * Parses `<metric> <op> <number>` (op one of <=, <, >=, >; the number may use exponent notation
 * and `_` between digits). Returns the parsed budget, or a one-line reason it is malformed.
 */
export function parseBudget(
  text: string,
  metrics: readonly string[],
  scenario: string | null = null,
): Budget | { error: string } {
  const m = BUDGET_RE.exec(text);
  if (!m)
    return {
      error: `malformed budget '${text}' (expected '<metric> <op> <number>' with op one of ${BUDGET_OPERATORS.join(', ')}, e.g. 'p_insolvent <= 0.01')`,
    };
  const [, metric, op, num] = m;
  const limit = Number(num.replace(/_/g, ''));
  if (!Number.isFinite(limit)) return { error: `malformed budget '${text}': '${num}' is not a finite number` };
  if (!metrics.includes(metric))
    return { error: `unknown metric '${metric}' in budget '${text}' (cells.csv metrics: ${metrics.join(', ')})` };
  return { metric, op: op as BudgetOperator, limit, scenario, text: text.trim() };
}
