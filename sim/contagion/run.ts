// A contagion run, composed: (scenario, config, seed) -> the run's result (the shape of RunResult,
// sim/engine.ts, family 'contagion'): the scenario's shocks compiled for both protocols
// (scenarios/contagion-shocks.ts), the world built (protocol.ts) and run through the one step loop.
// Statistics and timeline are the world's (prefixed per part, sim/contagion/statistics.ts); refusal
// reasons are prefixed with the part (`perp.initial-margin`). No I/O, no clock, no threads.
import { compileContagionShocks } from '../../scenarios/contagion-shocks.js';
import type { PriceSeries } from '../../scenarios/price-series.js';
import type { Shock } from '../../scenarios/schema.js';
import type { Config } from '../config/index.js';
import { runLoop } from '../core/step-loop.js';
import { ContagionProtocol } from './protocol.js';

/** What a contagion run reads of its RunSpec. */
export interface ContagionSpec {
  scenario: { name: string; source: string; shocks: Shock[]; series: [number, PriceSeries][] };
  config: Config;
  seed: number;
}

export function runContagion(spec: ContagionSpec) {
  const { config: cfg, scenario, seed } = spec;
  const schedules = compileContagionShocks(scenario.shocks, new Map(scenario.series), cfg, scenario.source);
  const world = new ContagionProtocol(cfg, schedules, seed, scenario.source);
  const { timeline, stats } = runLoop(world, { steps: cfg.run.steps, seed, ...cfg.invariants });
  const perp = world.perp.worlds[0];
  const lending = world.lending;
  const refusals: Record<string, number> = {};
  for (const [r, n] of Object.entries(perp.venue.totals.refusals)) refusals[`perp.${r}`] = n;
  for (const [r, n] of Object.entries(lending.refusals)) refusals[`lending.${r}`] = n;
  if (world.cdp) for (const [r, n] of Object.entries(world.cdp.refusals)) refusals[`cdp.${r}`] = n;
  const shockStarts = [
    ...schedules.perp.shockStarts,
    ...schedules.lending.shockStarts,
    ...(schedules.cdp?.shockStarts ?? []),
  ]
    .filter((s, i, all) => all.findIndex((o) => o.step === s.step && o.kind === s.kind) === i)
    .sort((a, b) => a.step - b.step);
  const lendingTraders = lending.layout.borrowers.length + lending.layout.loopers.length;
  const c = cfg.cdp;
  const cdpTraders = world.cdp && c ? c.vaultOwners.count : 0;
  const cdpTotal = world.cdp && c ? c.vaultOwners.count + c.keepers.count + c.attackers.length : 0;
  return {
    scenario: scenario.name,
    family: 'contagion' as const,
    seed,
    steps: cfg.run.steps,
    stepSeconds: cfg.run.stepSeconds,
    stats,
    timeline,
    refusals,
    shockStarts,
    accounts: {
      traders: world.perp.layout.traderIds.length + lendingTraders + cdpTraders,
      total: world.perp.layout.kinds.length + lending.layout.kinds.length + cdpTotal,
    },
    marketTimelines: [],
    events: {
      breakerTripSteps: perp.band.tripSteps,
      guardianPauseSteps: perp.guardian.pauseSteps,
      governance: [...perp.governance.events, ...lending.attack.governance.events],
    },
  };
}
