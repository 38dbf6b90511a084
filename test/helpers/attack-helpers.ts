// Shared by the attackers' directional tests: run a built-in attack scenario over seeds 100.. with
// `--set` assignments, and summarize the runs (P(attack profitable), mean profit and protocol loss),
// printing the figures the tests assert on.
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { runSimulation, type RunResult } from '../../sim/engine.js';
import { mean } from './small-world.js';

/** Runs built-in (or path) scenario `ref` with `sets` for `seeds` seeds from 100. */
export function runAttackScenario(ref: string, sets: readonly string[], seeds = 20): RunResult[] {
  const { scenario, params } = loadScenario(ref);
  const config = resolveConfig(scenario.source, params, sets);
  const out: RunResult[] = [];
  for (let seed = 100; seed < 100 + seeds; seed++) out.push(runSimulation({ scenario, config, seed }));
  return out;
}

export interface AttackSummary {
  /** Share of runs in which the attack made money. */
  p: number;
  /** Mean attack_profit_usd. */
  profit: number;
  /** Mean protocol_loss_usd. */
  loss: number;
}

/** P(attack profitable), mean profit and mean protocol loss of `runs`, printed as `<attack> <label>: ...`. */
export function attackSummary(attack: string, label: string, runs: readonly RunResult[]): AttackSummary {
  const profits = runs.map((r) => r.stats.attack_profit_usd);
  const p = profits.filter((x) => x > 0).length / runs.length;
  const profit = mean(profits);
  const loss = mean(runs.map((r) => r.stats.protocol_loss_usd));
  console.log(
    `${attack} ${label}: P(attack profitable) ${p}, mean attack_profit_usd ${profit.toFixed(0)}, mean protocol_loss_usd ${loss.toFixed(0)}`,
  );
  return { p, profit, loss };
}
