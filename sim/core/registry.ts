// The statistics and column registry: every timeline column and every run statistic is declared
// once, with its name, unit, description and how a venue-level value is made from several markets',
// and computed by the function registered beside it. The engine, the protocols' market aggregation,
// the CSV writers, the reports and the docs read these declarations instead of listing names by hand.
// Knows no protocol family: a family registers its own columns and statistics.

/** Units a column or statistic is measured in; the name's suffix says it too (`_usd`, `_pct`, `_steps`). */
export const UNITS = {
  usd: 'US dollars',
  pct: 'percent (0-100)',
  fraction: 'fraction (0-1)',
  ratio: 'ratio (dimensionless)',
  count: 'count',
  step: 'step index',
  steps: 'number of steps',
  s: 'seconds',
  flag: '0 or 1',
  bits: 'bit mask',
  usd_per_pct: 'USD of depth per 1% of price',
  rate: 'rate per funding interval',
} as const;
export type Unit = keyof typeof UNITS;

/**
 * How a venue of several markets makes one value from its markets' values: `first` (the first
 * market's: prices), `sum` (counts and amounts), `max` (flags and worst cases), `or` (bit masks), or
 * `venue` (the protocol computes it for the venue as a whole, e.g. a shared fund or a statistic of
 * the venue's timeline).
 */
export type Across = 'first' | 'sum' | 'max' | 'or' | 'venue';

/** One timeline column: a value per step. */
export interface ColumnSpec<Name extends string = string> {
  readonly name: Name;
  readonly unit: Unit;
  readonly description: string;
  readonly across: Across;
  /** Also written per market in a multi-market run's timeline (`<market>.<name>`). Default false. */
  readonly perMarket?: boolean;
}

/** One run statistic, computed once at the end of a run from a context the protocol builds. */
export interface StatSpec<Name extends string = string, Context = unknown> {
  readonly name: Name;
  readonly unit: Unit;
  readonly description: string;
  readonly compute: (c: Context) => number;
}

/** An ordered, validated list of specs with their names. */
export interface Registry<S extends { name: string }> {
  readonly specs: readonly S[];
  readonly names: readonly S['name'][];
  get(name: string): S | undefined;
}

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Builds a registry: names must be snake_case and unique, and every entry needs a unit and a
 * description of at least a few words (a column nobody can read is a bug; a test checks this too).
 */
export function defineRegistry<const S extends { name: string; unit: Unit; description: string }>(
  what: string,
  specs: readonly S[],
): Registry<S> {
  const byName = new Map<string, S>();
  for (const s of specs) {
    if (!SNAKE.test(s.name)) throw new Error(`${what} '${s.name}': names are snake_case`);
    if (byName.has(s.name)) throw new Error(`${what} '${s.name}' is declared twice`);
    if (!(s.unit in UNITS)) throw new Error(`${what} '${s.name}': unknown unit '${s.unit}'`);
    if (s.description.trim().split(/\s+/).length < 3) throw new Error(`${what} '${s.name}' has no description`);
    byName.set(s.name, s);
  }
  return { specs, names: specs.map((s) => s.name), get: (name) => byName.get(name) };
}

/** One Float64Array per column, one entry per step. Plain data: safe to pass between threads. */
export type Columns<Name extends string = string> = Record<Name, Float64Array>;

/** A timeline with every column of a registry, in the registry's order (object key order is output order). */
export function createColumns<Name extends string>(columns: Registry<ColumnSpec<Name>>, steps: number): Columns<Name> {
  const t = {} as Columns<Name>;
  for (const c of columns.names) t[c] = new Float64Array(steps);
  return t;
}

/**
 * Writes step `step` of a venue timeline from its markets' timelines by each column's `across`
 * rule; `venue` columns are left to the caller.
 */
export function aggregateStep<Name extends string>(
  columns: Registry<ColumnSpec<Name>>,
  into: Columns<Name>,
  parts: readonly Columns<Name>[],
  step: number,
): void {
  for (const c of columns.specs) {
    const name = c.name;
    switch (c.across) {
      case 'first':
        into[name][step] = parts[0][name][step];
        break;
      case 'sum': {
        let s = 0;
        for (const p of parts) s += p[name][step];
        into[name][step] = s;
        break;
      }
      case 'max': {
        let m = -Infinity;
        for (const p of parts) m = Math.max(m, p[name][step]);
        into[name][step] = m;
        break;
      }
      case 'or': {
        let m = 0;
        for (const p of parts) m |= p[name][step];
        into[name][step] = m;
        break;
      }
      case 'venue':
        break;
    }
  }
}

/** Computes every statistic of a registry, in its order. */
export function computeStats<Name extends string, C>(
  stats: Registry<StatSpec<Name, C>>,
  context: C,
): Record<Name, number> {
  const out = {} as Record<Name, number>;
  for (const s of stats.specs) out[s.name] = s.compute(context);
  return out;
}

/** Plain-data description of a registry entry, for writers and docs that must not import the engine. */
export interface FieldMeta {
  name: string;
  unit: Unit;
  description: string;
  across?: Across;
}

export function describe(
  specs: readonly { name: string; unit: Unit; description: string; across?: Across }[],
): FieldMeta[] {
  return specs.map(({ name, unit, description, across }) => ({
    name,
    unit,
    description,
    ...(across ? { across } : {}),
  }));
}
