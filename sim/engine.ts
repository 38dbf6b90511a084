// A run, composed: (scenario, config, seed) -> RunResult, a pure function. Compiles the scenario's
// shocks, builds the protocol (the perpetual-futures venue, sim/perp/protocol.ts) and runs it
// through the one step loop (sim/core/step-loop.ts), then gathers the result. No I/O, no clock, no threads.
import type { PriceSeries } from '../scenarios/price-series.js';
import type { Shock } from '../scenarios/schema.js';
import { compileForConfig } from '../scenarios/shocks.js';
import type { Config } from './config/index.js';
import { describe, type FieldMeta } from './core/registry.js';
import { runLoop } from './core/step-loop.js';
import { MARKET_TIMELINE_COLUMNS, PERP_STATS, type RunStats, type Timeline } from './perp/statistics.js';
import { PERP_COLUMNS, type MarketTimeline } from './perp/timeline.js';
import type { AttackReport } from './attack/attack-ledger.js';
import type { GovernanceEvent } from './controls/governance.js';
import { PerpProtocol } from './perp/protocol.js';

export { ConservationCheck } from './perp/conservation.js';
export type { RunStats } from './perp/statistics.js';

/** The run statistics' names in output order (runs.csv columns), for the sweep and the gate. */
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
  stats: RunStats;
  timeline: Timeline;
  refusals: Record<RefusalReason, number>;
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
