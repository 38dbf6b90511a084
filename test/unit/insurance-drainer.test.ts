// The insurance-fund drainer (issue 8, README "Attacks"): rules of its rounds, closed accounting, and
// directional results over 20 seeds on its scenario (insurance-drain, the default world's flash crash)
// and on a calm day. Figures were measured (printed below) before they were asserted.
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { runSimulation, type RunResult } from '../../sim/engine.js';
import { mean } from '../helpers/small-world.js';

const SEEDS = 20;

function runDrain(sets: string[], scenarioName = 'insurance-drain'): RunResult[] {
  const { scenario, params } = loadScenario(scenarioName);
  const config = resolveConfig(scenario.source, params, sets);
  if (config.attackers.length === 0) config.attackers = [{ ...DRAINER }];
  const out: RunResult[] = [];
  for (let seed = 100; seed < 100 + SEEDS; seed++) out.push(runSimulation({ scenario, config, seed }));
  return out;
}

const DRAINER = {
  kind: 'insurance-drainer' as const,
  capitalUsd: 2_000_000,
  startStep: 0,
  stopStep: 1_000_000,
  marginUse: 0.98,
  maxRounds: 1000,
};

function summary(label: string, runs: RunResult[]): { p: number; profit: number; loss: number; fundMin: number } {
  const profits = runs.map((r) => r.stats.attack_profit_usd);
  const p = profits.filter((x) => x > 0).length / runs.length;
  const profit = mean(profits);
  const loss = mean(runs.map((r) => r.stats.protocol_loss_usd));
  const fundMin = mean(runs.map((r) => r.stats.insurance_fund_min_usd));
  console.log(
    `insurance drainer ${label}: P(attack profitable) ${p}, mean attack_profit_usd ${profit.toFixed(0)}, mean protocol_loss_usd ${loss.toFixed(0)}, mean insurance_fund_min_usd ${fundMin.toFixed(0)}`,
  );
  return { p, profit, loss, fundMin };
}

describe('the insurance-fund drainer (20 seeds)', () => {
  const runs = runDrain([]);
  const base = summary('flash crash, 20x', runs);

  it('profits on the flash crash at 20x and the venue loses: the losing leg passes bankruptcy in the crash, the fund pays its shortfall while the winning leg keeps the move', () => {
    expect(base.p).toBeGreaterThanOrEqual(0.95);
    expect(base.profit).toBeGreaterThan(500_000);
    expect(base.loss).toBeGreaterThan(base.profit);
    expect(base.fundMin).toBeLessThan(1_000_000);
  });

  it('keeps its accounting closed: profit = counterparties + venue losses (no spot trades) within the conservation tolerance', () => {
    for (const r of runs.slice(0, 5)) {
      const a = r.attack!;
      expect(a.lpLossUsd).toBe(0);
      // The conservation tolerance: 1e-9 of the deposits (about 1e8 USD in the default world), here 1 USD.
      expect(Math.abs(a.profitUsd - (a.counterpartyLossUsd + a.venueLossUsd))).toBeLessThan(1);
      expect(a.depositedUsd).toBeGreaterThanOrEqual(2_000_000);
    }
  });

  it('earns less as the initial margin rate rises (less leverage: a wider band between liquidation and bankruptcy) and stops at 0.33 (3x outlasts the 30% fall)', () => {
    const profits = [0.1, 0.2].map((r) => summary(`IMR ${r}`, runDrain([`protocol.initialMarginRate=${r}`])).profit);
    expect(profits[0]).toBeLessThan(base.profit);
    expect(profits[1]).toBeLessThan(profits[0]);
    const stopped = summary('IMR 0.33', runDrain(['protocol.initialMarginRate=0.33']));
    expect(stopped.p).toBeLessThan(0.05);
  });

  it('loses on a calm day (no gap past bankruptcy: the pair only pays its fees)', () => {
    const calm = summary('calm', runDrain([], 'calm'));
    expect(calm.p).toBeLessThan(0.05);
    expect(calm.profit).toBeLessThan(0);
  });
});

describe('liquidators taking parts of positions above their capacity (agents.liquidators.partialAboveCapacity)', () => {
  it("liquidates the drainer's losing leg, which is larger than any liquidator's capacity, instead of leaving it as latent bad debt", () => {
    const { scenario, params } = loadScenario('insurance-drain');
    const run = (partial: boolean) =>
      runSimulation({
        scenario,
        config: resolveConfig(scenario.source, params, [`agents.liquidators.partialAboveCapacity=${partial}`]),
        seed: 1,
      });
    const whole = run(false);
    const parts = run(true);
    console.log(
      `insurance-drain seed 1: latent bad debt ${whole.stats.latent_bad_debt_usd.toFixed(0)} -> ${parts.stats.latent_bad_debt_usd.toFixed(0)}, attack profit ${whole.stats.attack_profit_usd.toFixed(0)} -> ${parts.stats.attack_profit_usd.toFixed(0)}`,
    );
    expect(whole.stats.latent_bad_debt_usd).toBeGreaterThan(1e6);
    expect(parts.stats.latent_bad_debt_usd).toBeLessThan(0.01 * whole.stats.latent_bad_debt_usd);
    expect(parts.stats.bad_debt_usd).toBeGreaterThan(whole.stats.bad_debt_usd - whole.stats.latent_bad_debt_usd);
  });
});
