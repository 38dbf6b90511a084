// A run, composed: (scenario, config, seed) -> RunResult, a pure function. Compiles the scenario's
// shocks, builds the protocol of the config's family (the perpetual-futures venue, sim/perp/protocol.ts,
// pool lending when the config has a `lending` section, sim/lending/protocol.ts, or a contagion world
// of both with `contagion` too, sim/contagion/run.ts) and runs it through the one step loop
// (sim/core/step-loop.ts), then gathers the result. No I/O, no clock, no threads.
import type { PriceSeries } from '../scenarios/price-series.js';
import type { Shock } from '../scenarios/schema.js';
import { compileLendingShocks } from '../scenarios/lending-shocks.js';
import { compileForConfig } from '../scenarios/compile.js';
import type { Config } from './config/index.js';
import { UserError } from './core/errors.js';
import { describe, type FieldMeta } from './core/registry.js';
import { runLoop } from './core/step-loop.js';
import { MARKET_TIMELINE_COLUMNS, PERP_STATS, type RunStats, type Timeline } from './perp/statistics.js';
import { PERP_COLUMNS, type MarketTimeline } from './perp/timeline.js';
import type { AttackReport } from './attack/attack-ledger.js';
import type { GovernanceEvent } from './controls/governance.js';
import { PerpProtocol } from './perp/protocol.js';
import { LendingProtocol } from './lending/protocol.js';
import { LENDING_STATS } from './lending/statistics.js';
import { LENDING_COLUMNS } from './lending/timeline.js';
import { CONTAGION_CDP_STATS, CONTAGION_STATS } from './contagion/statistics.js';
import { runContagion } from './contagion/run.js';
import { CDP_STATS } from './lending/cdp-statistics.js';
import { CDP_COLUMNS } from './lending/cdp-timeline.js';
import { runCdp } from './lending/cdp-run.js';

export { ConservationCheck } from './perp/conservation.js';
export type { RunStats } from './perp/statistics.js';

/**
 * A protocol family: the perpetual-futures venue, pool lending (a config with a `lending` section), a
 * CDP stablecoin system (a `cdp` section, sim/lending/cdp-protocol.ts), or a contagion world
 * (`contagion` and `lending`, sim/contagion/).
 */
export type Family = 'perp' | 'lending' | 'cdp' | 'contagion';

/** The family a resolved config runs. */
export function familyOf(cfg: Config): Family {
  if (cfg.contagion) return 'contagion';
  if (cfg.cdp && !cfg.lending) return 'cdp';
  return cfg.lending ? 'lending' : 'perp';
}

/** Each family's run statistics' names in output order (runs.csv columns). */
export const FAMILY_STAT_KEYS: Readonly<Record<Family, readonly string[]>> = {
  perp: PERP_STATS.names,
  lending: LENDING_STATS.names,
  contagion: CONTAGION_STATS.names,
  cdp: CDP_STATS.names,
};

/** Each family's run statistics as plain data (name, unit, meaning). */
export const FAMILY_STATISTICS: Readonly<Record<Family, readonly FieldMeta[]>> = {
  perp: describe(PERP_STATS.specs),
  lending: describe(LENDING_STATS.specs),
  contagion: describe(CONTAGION_STATS.specs),
  cdp: describe(CDP_STATS.specs),
};

/** A contagion world with a CDP part: its statistics' names (runs.csv columns) and meanings. */
export const CONTAGION_CDP_STAT_KEYS: readonly string[] = CONTAGION_CDP_STATS.names;
export const CONTAGION_CDP_STATISTICS: readonly FieldMeta[] = describe(CONTAGION_CDP_STATS.specs);

/** The statistics' meanings of a plan's stat_keys (a contagion world with a CDP has its own). */
export function statisticsOfStatKeys(keys: readonly string[]): readonly FieldMeta[] {
  const cdpWorld =
    keys.length === CONTAGION_CDP_STAT_KEYS.length && keys.every((k, n) => k === CONTAGION_CDP_STAT_KEYS[n]);
  return cdpWorld ? CONTAGION_CDP_STATISTICS : FAMILY_STATISTICS[familyOfStatKeys(keys)];
}

/** Every family's statistics, the perp venue's first, each name once (for a report of a directory of either family). */
export const ALL_STATISTICS: readonly FieldMeta[] = [
  ...FAMILY_STATISTICS.perp,
  ...FAMILY_STATISTICS.lending.filter((m) => !PERP_STATS.get(m.name)),
  ...FAMILY_STATISTICS.contagion.filter((m) => !PERP_STATS.get(m.name) && !LENDING_STATS.get(m.name)),
  ...FAMILY_STATISTICS.cdp.filter(
    (m) => !PERP_STATS.get(m.name) && !LENDING_STATS.get(m.name) && !CONTAGION_STATS.get(m.name),
  ),
];

/** The lending family's timeline columns as plain data. */
export const LENDING_TIMELINE_COLUMNS: readonly FieldMeta[] = describe(LENDING_COLUMNS.specs);

/** The CDP family's timeline columns as plain data. */
export const CDP_TIMELINE_COLUMNS: readonly FieldMeta[] = describe(CDP_COLUMNS.specs);

/** Every family's statistic names, each once (the names a budget may build on before the family is known). */
export const ALL_STAT_KEYS: readonly string[] = [
  ...new Set([
    ...PERP_STATS.names,
    ...LENDING_STATS.names,
    ...CONTAGION_STATS.names,
    ...CDP_STATS.names,
    ...CONTAGION_CDP_STATS.names,
  ]),
];

/** The family whose statistics are exactly `keys` (a plan's stat_keys), the perp venue otherwise. */
export function familyOfStatKeys(keys: readonly string[]): Family {
  const is = (f: Family) =>
    keys.length === FAMILY_STAT_KEYS[f].length && keys.every((k, n) => k === FAMILY_STAT_KEYS[f][n]);
  return is('lending') ? 'lending' : is('contagion') ? 'contagion' : is('cdp') ? 'cdp' : 'perp';
}

/**
 * The run statistics of a sweep's runs: its scenarios' family (a scenario whose params, or the sweep's
 * grid, set `lending` runs pool lending; `contagion`, a contagion world). A sweep of both families is a UserError: runs.csv has one
 * set of columns.
 */
export function sweepStatKeys(sweep: {
  source: string;
  grid: readonly { path: string }[];
  scenarios: readonly { label: string; overrides: unknown }[];
}): readonly string[] {
  const grids = (section: string) => sweep.grid.some((a) => a.path === section || a.path.startsWith(`${section}.`));
  const [gridLending, gridContagion, gridCdp] = [grids('lending'), grids('contagion'), grids('cdp')];
  const families = sweep.scenarios.map((s): Family => {
    const o = s.overrides as Record<string, unknown>;
    if (gridContagion || o.contagion !== undefined) return 'contagion';
    const lending = gridLending || o.lending !== undefined;
    if (!lending && (gridCdp || o.cdp !== undefined)) return 'cdp';
    return lending ? 'lending' : 'perp';
  });
  const withCdp = sweep.scenarios.map(
    (s, n) => families[n] === 'contagion' && (gridCdp || (s.overrides as Record<string, unknown>).cdp !== undefined),
  );
  const runs = (n: number) => `${families[n]}${withCdp[n] ? ' with a CDP' : ''}`;
  const mixed = families.findIndex((f, n) => f !== families[0] || withCdp[n] !== withCdp[0]);
  if (mixed >= 0)
    throw new UserError(
      sweep.source,
      `scenarios[${mixed}]`,
      `'${sweep.scenarios[mixed].label}' runs ${runs(mixed)} but '${sweep.scenarios[0].label}' runs ${runs(0)}: one sweep runs one protocol family (runs.csv has one set of columns)`,
    );
  return withCdp[0] ? CONTAGION_CDP_STAT_KEYS : FAMILY_STAT_KEYS[families[0] ?? 'perp'];
}

/** The perp venue's run statistics' names in output order (runs.csv columns of a perp sweep). */
export const RUN_STAT_KEYS: readonly string[] = PERP_STATS.names;

/** The run statistics' registry entries as plain data (name, unit, meaning), for reports and the reference. */
export const RUN_STATISTICS: readonly FieldMeta[] = describe(PERP_STATS.specs);

/** The timeline columns' registry entries as plain data (name, unit, meaning, how markets aggregate). */
export const TIMELINE_COLUMNS: readonly (FieldMeta & { perMarket: boolean })[] = PERP_COLUMNS.specs.map((c) => ({
  ...describe([c])[0],
  perMarket: 'perMarket' in c && c.perMarket === true,
}));
import type { RefusalReason } from './perp/perp-venue.js';

/** A scenario with its files read: plain data, safe to send to a worker thread. */
export interface ResolvedScenario {
  name: string;
  description: string;
  /** Where the scenario came from (a path, or `builtin:<name>`). */
  source: string;
  shocks: Shock[];
  /** Parsed price series of replay shocks, as [shock index, series] pairs. */
  series: [number, PriceSeries][];
}

/** Everything a run needs. */
export interface RunSpec {
  scenario: ResolvedScenario;
  config: Config;
  seed: number;
}

export interface RunResult {
  scenario: string;
  seed: number;
  steps: number;
  stepSeconds: number;
  /** The protocol family that ran. */
  family: Family;
  /** The family's run statistics in registry order (RunStats for the perp venue; sim/lending/statistics.ts for lending). */
  stats: Readonly<Record<string, number>>;
  timeline: Record<string, Float64Array>;
  /** Refused actions by reason (the family's reasons). */
  refusals: Record<string, number>;
  shockStarts: { step: number; kind: Shock['kind'] }[];
  accounts: { traders: number; total: number };
  /** Each market's own columns (those declared `perMarket`) of a multi-market run (README "Several markets"); empty for one market. */
  marketTimelines: { name: string; timeline: MarketTimeline }[];
  /** Discrete events for reports: breaker trips, guardian pauses and governance outcomes. */
  events: {
    breakerTripSteps: number[];
    guardianPauseSteps: number[];
    governance: GovernanceEvent[];
  };
  /** The attackers' accounting (README "Attacks"); only when the config has attackers. */
  attack?: AttackReport;
}

/** Runs one simulation. Throws InvariantError (with step and seed) if value conservation breaks. */
export function runSimulation(spec: RunSpec): RunResult {
  const { config: cfg, scenario, seed } = spec;
  if (cfg.contagion) return runContagion(spec);
  if (familyOf(cfg) === 'cdp') return runCdpResult(spec);
  if (cfg.lending) return runLending(spec);
  const compiled = compileForConfig(scenario.shocks, new Map(scenario.series), cfg, scenario.source);
  const venue = new PerpProtocol(
    cfg,
    compiled.map((c) => c.schedule),
    seed,
    scenario.source,
  );
  const { timeline, stats } = runLoop(venue, { steps: cfg.run.steps, seed, ...cfg.invariants });
  return runResult(venue, scenario.name, timeline, stats);
}

/** The run's result: statistics and timeline, with the venue's refusals, shocks, events and attack accounting. */
function runLending(spec: RunSpec): RunResult {
  const { config: cfg, scenario, seed } = spec;
  const schedule = compileLendingShocks(scenario.shocks, new Map(scenario.series), cfg, scenario.source);
  const pool = new LendingProtocol(cfg, schedule, seed, scenario.source);
  const { timeline, stats } = runLoop(pool, { steps: cfg.run.steps, seed, ...cfg.invariants });
  const kinds = pool.layout.kinds;
  return {
    scenario: scenario.name,
    family: 'lending',
    seed,
    steps: cfg.run.steps,
    stepSeconds: cfg.run.stepSeconds,
    stats,
    timeline,
    refusals: { ...pool.refusals },
    shockStarts: schedule.shockStarts,
    accounts: { traders: pool.layout.borrowers.length + pool.layout.loopers.length, total: kinds.length },
    marketTimelines: [],
    events: { breakerTripSteps: [], guardianPauseSteps: [], governance: pool.attack.governance.events },
  };
}

/** A CDP run's result (sim/lending/cdp-run.ts): no per-market timelines, its breaker trips as events. */
function runCdpResult(spec: RunSpec): RunResult {
  const { config: cfg, scenario, seed } = spec;
  const out = runCdp(cfg, scenario, seed);
  return {
    scenario: scenario.name,
    family: 'cdp',
    seed,
    steps: cfg.run.steps,
    stepSeconds: cfg.run.stepSeconds,
    stats: out.stats,
    timeline: out.timeline,
    refusals: out.refusals,
    shockStarts: out.shockStarts,
    accounts: out.accounts,
    marketTimelines: [],
    events: { breakerTripSteps: out.breakerTripSteps, guardianPauseSteps: [], governance: [] },
  };
}

function runResult(venue: PerpProtocol, scenario: string, timeline: Timeline, stats: RunStats): RunResult {
  const { worlds, names, layout, cfg } = venue;
  const one = worlds.length === 1;
  const refusals = { ...worlds[0].venue.totals.refusals };
  for (const w of worlds.slice(1))
    for (const [r, n] of Object.entries(w.venue.totals.refusals)) refusals[r as RefusalReason] += n;
  const attack = one ? worlds[0].attackReport() : undefined;
  const union = (f: (w: (typeof worlds)[number]) => number[]) =>
    one ? f(worlds[0]) : [...new Set(worlds.flatMap(f))].sort((a, b) => a - b);
  return {
    scenario,
    family: 'perp',
    seed: venue.seed,
    steps: cfg.run.steps,
    stepSeconds: cfg.run.stepSeconds,
    stats,
    timeline,
    refusals,
    shockStarts: one
      ? worlds[0].schedule.shockStarts
      : worlds
          .flatMap((w) => w.schedule.shockStarts)
          .filter((s, i, all) => all.findIndex((o) => o.step === s.step && o.kind === s.kind) === i)
          .sort((a, b) => a.step - b.step),
    accounts: { traders: layout.traderIds.length, total: layout.kinds.length },
    marketTimelines: one ? [] : worlds.map((w, n) => ({ name: names[n], timeline: perMarket(w.tl) })),
    events: {
      breakerTripSteps: union((w) => w.band.tripSteps),
      guardianPauseSteps: union((w) => w.guardian.pauseSteps),
      governance: one
        ? worlds[0].governance.events
        : worlds.flatMap((w, n) => w.governance.events.map((e) => ({ ...e, market: names[n] }))),
    },
    ...(attack ? { attack } : {}),
  };
}

/** The columns a multi-market timeline repeats per market, in registry order. */
function perMarket(tl: Timeline): MarketTimeline {
  const out = {} as MarketTimeline;
  for (const c of MARKET_TIMELINE_COLUMNS) out[c] = tl[c];
  return out;
}
