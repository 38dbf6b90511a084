// Small, fast worlds for tests: the default world scaled down by a factor (accounts, depth,
// capital and arrivals alike), so that its dynamics resemble the default run at a fraction of the cost.
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import type { Config } from '../../sim/config/index.js';
import { runSimulation, type ResolvedScenario, type RunResult } from '../../sim/engine.js';

/** `--set` assignments that shrink the default world to `traders` accounts and `steps` steps. */
export function smallWorldSets(traders = 500, steps = 900): string[] {
  const k = traders / 10_000;
  return [
    `agents.traders.count=${traders}`,
    `agents.traders.arrivalsPerStep=${3 * k}`,
    `market.depthUsdPerPct=${15_000_000 * k}`,
    `protocol.insuranceFundUsd=${1_000_000 * k}`,
    `agents.liquidators.capitalUsd=${2_000_000 * k}`,
    `agents.arbitrageurs.capitalUsd=${3_000_000 * k}`,
    `agents.marketMakers.capitalUsd=${50_000_000 * k}`,
    `run.steps=${steps}`,
    // The concentration detector watches the largest accounts: the same share of the population.
    `monitoring.concentrationTopAccounts=${Math.max(1, Math.round(10 * k))}`,
  ];
}

/** A scenario (built-in name or path) with a small world and extra `--set` assignments. */
export function smallScenario(
  ref: string,
  extra: string[] = [],
  traders = 500,
  steps = 900,
): { scenario: ResolvedScenario; config: Config } {
  const { scenario, params } = loadScenario(ref);
  const config = resolveConfig(scenario.source, params, [...smallWorldSets(traders, steps), ...extra]);
  return { scenario, config };
}

/** Runs seeds `first .. first + count - 1` and returns the results. */
export function runSeeds(
  spec: { scenario: ResolvedScenario; config: Config },
  count: number,
  first = 100,
): RunResult[] {
  const out: RunResult[] = [];
  for (let s = first; s < first + count; s++) out.push(runSimulation({ ...spec, seed: s }));
  return out;
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
