// One CDP run, composed for sim/engine.ts: compiles the scenario's shocks for the cdp section
// (scenarios/cdp-shocks.ts), builds the CdpProtocol and runs it through the core step loop, then
// gathers the RunResult. Pure; no I/O.
import { compileCdpShocks } from '../../scenarios/cdp-shocks.js';
import type { PriceSeries } from '../../scenarios/price-series.js';
import type { Shock } from '../../scenarios/schema.js';
import type { Config } from '../config/index.js';
import { runLoop } from '../core/step-loop.js';
import { CdpProtocol } from './cdp-protocol.js';

/** What the engine's RunResult needs of a CDP run (the engine adds the scenario's name). */
export interface CdpRunOutput {
  stats: Record<string, number>;
  timeline: Record<string, Float64Array>;
  refusals: Record<string, number>;
  shockStarts: { step: number; kind: Shock['kind'] }[];
  accounts: { traders: number; total: number };
  breakerTripSteps: number[];
}

export function runCdp(
  cfg: Config,
  scenario: { shocks: readonly Shock[]; series: [number, PriceSeries][]; source: string },
  seed: number,
): CdpRunOutput {
  const schedule = compileCdpShocks(scenario.shocks, new Map(scenario.series), cfg, scenario.source);
  const cdp = new CdpProtocol(cfg, schedule, seed);
  const { timeline, stats } = runLoop(cdp, { steps: cfg.run.steps, seed, ...cfg.invariants });
  const c = cfg.cdp!;
  return {
    stats,
    timeline,
    refusals: { ...cdp.refusals },
    shockStarts: schedule.shockStarts,
    accounts: { traders: c.vaultOwners.count, total: c.vaultOwners.count + c.keepers.count + c.attackers.length },
    breakerTripSteps: [...cdp.breakerTripSteps],
  };
}
