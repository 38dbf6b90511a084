// Expands a loaded sweep into its ordered runs: scenarios (file order) x grid cells (cartesian
// product, first grid path slowest) x replicates. Run index = (scenario * gridCells + gridCell) *
// replicates + replicate; the run seed depends on (base seed, scenario, replicate) only, never on
// the cell (common random numbers). Also the sweep hash that identifies a plan across resumes and
// shards, and the deterministic shard slices. Pure: no I/O, no threads, no clock.
import { createHash } from 'node:crypto';
import { compileForConfig } from '../../scenarios/compile.js';
import type { GridAxis, GridValue, LoadedSweep } from '../../scenarios/sweep-load.js';
import { MAX_SWEEP_CELLS } from '../../scenarios/sweep-schema.js';
import { ConfigSchema, setPath, type Config } from '../config/index.js';
import type { ResolvedScenario } from '../engine.js';
import { formatPath, UserError } from '../core/errors.js';
import { deriveRunSeed } from '../core/rng.js';

/** What identifies a plan's runs and cells: plain data, recorded in every manifest (merge reads it). */
export interface PlanMeta {
  /** sha256 of everything that decides a run's result: version, scenarios, cell configs, replicates, seed. */
  sweep_hash: string;
  name: string;
  cascade_version: string;
  /** Scenario entries in order: output label and the scenario's own name (which the seeds derive from). */
  scenarios: { label: string; name: string }[];
  grid: GridAxis[];
  replicates: number;
  seed: number;
  /** Scenario x grid cells. */
  cells: number;
  /** Runs of the whole sweep (all shards). */
  total_runs: number;
  /** Run statistic names in column order (sim/engine.ts RUN_STAT_KEYS when the plan was made). */
  stat_keys: string[];
}

/** A cell's full run config; plain data for the workers. */
export interface PlanCell {
  scenarioIndex: number;
  config: Config;
}

export interface SweepPlan {
  meta: PlanMeta;
  cells: PlanCell[];
  scenarios: ResolvedScenario[];
}

/** Where one run sits in the plan. */
export interface RunCoords {
  runIndex: number;
  cellIndex: number;
  scenarioIndex: number;
  replicate: number;
  seed: number;
}

/** A deterministic slice of the runs: shard `index` of `count` (1-based) runs every run with runIndex % count == index - 1. */
export interface Shard {
  index: number;
  count: number;
}

/** Upper bounds that keep a plan's per-cell configs and per-run offsets comfortably in memory. */
const MAX_CELLS = MAX_SWEEP_CELLS;
const MAX_RUNS = 1_000_000_000;

export function gridCellCount(grid: readonly GridAxis[]): number {
  return grid.reduce((n, axis) => n * axis.values.length, 1);
}

/** Grid values of grid cell `g` (0-based), one per axis: mixed radix, the last axis fastest. */
export function gridValuesAt(grid: readonly GridAxis[], g: number): GridValue[] {
  const out: GridValue[] = new Array(grid.length);
  for (let a = grid.length - 1; a >= 0; a--) {
    const n = grid[a].values.length;
    out[a] = grid[a].values[g % n];
    g = Math.floor(g / n);
  }
  return out;
}

/** The scenario and grid values of cell `cellIndex`. */
export function cellAt(meta: PlanMeta, cellIndex: number): { scenarioIndex: number; values: GridValue[] } {
  const perScenario = gridCellCount(meta.grid);
  return {
    scenarioIndex: Math.floor(cellIndex / perScenario),
    values: gridValuesAt(meta.grid, cellIndex % perScenario),
  };
}

export function runAt(meta: PlanMeta, runIndex: number): RunCoords {
  const cellIndex = Math.floor(runIndex / meta.replicates);
  const replicate = runIndex % meta.replicates;
  const scenarioIndex = Math.floor(cellIndex / gridCellCount(meta.grid));
  const seed = deriveRunSeed(meta.seed, meta.scenarios[scenarioIndex].name, replicate);
  return { runIndex, cellIndex, scenarioIndex, replicate, seed };
}

/** Where runs and cells sit in a plan: what the writers (reports/sweep-output.ts) are given, as they import no sweep code. */
export interface PlanLocator {
  runAt(meta: PlanMeta, runIndex: number): RunCoords;
  cellAt(meta: PlanMeta, cellIndex: number): { scenarioIndex: number; values: GridValue[] };
}

export const PLAN_LOCATOR: PlanLocator = { runAt, cellAt };

/** JSON with object keys sorted, so the hash does not depend on the order keys were written in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function describeCell(label: string, grid: readonly GridAxis[], values: readonly GridValue[]): string {
  return [label, ...grid.map((axis, a) => `${axis.path}=${String(values[a])}`)].join(', ');
}

/** A shock past a cell's last step (a grid over run.steps) would fail every run: say so before any starts. */
function checkShocks(
  sweep: LoadedSweep,
  scenarioIndex: number,
  config: Config,
  cell: () => string,
  checked: Set<string>,
): void {
  const key = `${scenarioIndex}|${config.run.steps}|${config.run.stepSeconds}|${Object.keys(config.markets).join(',')}|${config.collateral.enabled}`;
  if (checked.has(key)) return;
  checked.add(key);
  const { scenario } = sweep.scenarios[scenarioIndex];
  try {
    compileForConfig(scenario.shocks, new Map(scenario.series), config, scenario.source);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(sweep.source, 'scenarios', `cell (${cell()}): ${e.message}`);
    throw e;
  }
}

/**
 * Expands and validates every cell's config before anything runs: a cell whose config breaks the
 * schema (maintenance above initial margin, say) is a UserError naming the cell.
 */
export function buildPlan(sweep: LoadedSweep, version: string, statKeys: readonly string[]): SweepPlan {
  const perScenario = gridCellCount(sweep.grid);
  const cellCount = perScenario * sweep.scenarios.length;
  if (cellCount > MAX_CELLS)
    throw new UserError(sweep.source, 'grid', `${cellCount} scenario x grid cells; at most ${MAX_CELLS} are supported`);
  if (cellCount * sweep.replicates > MAX_RUNS)
    throw new UserError(
      sweep.source,
      'replicates',
      `${cellCount} cells x ${sweep.replicates} replicates is more than ${MAX_RUNS} runs`,
    );

  const hash = createHash('sha256');
  const meta: Omit<PlanMeta, 'sweep_hash'> = {
    name: sweep.name,
    cascade_version: version,
    scenarios: sweep.scenarios.map((s) => ({ label: s.label, name: s.scenario.name })),
    grid: sweep.grid,
    replicates: sweep.replicates,
    seed: sweep.seed,
    cells: cellCount,
    total_runs: cellCount * sweep.replicates,
    stat_keys: [...statKeys],
  };
  hash.update(canonicalJson({ format: 1, ...meta }));
  const cells: PlanCell[] = [];
  const shocksChecked = new Set<string>();
  sweep.scenarios.forEach((s, scenarioIndex) => {
    // The source path is left out: shards run from different checkouts and must still agree.
    hash.update(canonicalJson({ shocks: s.scenario.shocks, series: s.scenario.series }));
    for (let g = 0; g < perScenario; g++) {
      const values = gridValuesAt(sweep.grid, g);
      let overrides = s.overrides;
      sweep.grid.forEach((axis, a) => (overrides = setPath(overrides, axis.path, values[a])));
      const parsed = ConfigSchema.safeParse(overrides);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = sweep.grid.length ? 'grid' : `scenarios[${scenarioIndex}]`;
        throw new UserError(
          sweep.source,
          where,
          `cell (${describeCell(s.label, sweep.grid, values)}): ${formatPath(issue.path)}: ${issue.message}`,
        );
      }
      checkShocks(sweep, scenarioIndex, parsed.data, () => describeCell(s.label, sweep.grid, values), shocksChecked);
      hash.update(canonicalJson(parsed.data));
      cells.push({ scenarioIndex, config: parsed.data });
    }
  });
  return {
    meta: { sweep_hash: hash.digest('hex'), ...meta },
    cells,
    scenarios: sweep.scenarios.map((s) => s.scenario),
  };
}

/** Parses `k/N` (1 <= k <= N). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count || count > 100_000)
    throw new UserError('--shard', '', `expected k/N with 1 <= k <= N (e.g. 2/3), got '${text}'`);
  return { index, count };
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** Runs in a shard (the whole sweep when shard is null). */
export function shardSize(totalRuns: number, shard: Shard | null): number {
  if (!shard) return totalRuns;
  const offset = shard.index - 1;
  return offset >= totalRuns ? 0 : Math.floor((totalRuns - 1 - offset) / shard.count) + 1;
}

/** The run index of the shard's j-th run (0-based), in increasing order. */
export function shardRunIndex(shard: Shard | null, j: number): number {
  return shard ? j * shard.count + shard.index - 1 : j;
}
