// Liquidator strike (issue 8, README "Attacks"): bad debt against the number of independent
// liquidators and their latency, small world, 20 seeds. Measured (printed below) before asserted.
import { describe, expect, it } from 'vitest';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';

function badDebt(label: string, scenario: string, sets: string[]): number {
  const runs = runSeeds(smallScenario(scenario, sets), 20);
  const m = mean(runs.map((r) => r.stats.bad_debt_usd));
  console.log(`liquidator strike ${scenario} ${label}: mean bad_debt_usd ${m.toFixed(0)}`);
  return m;
}

describe('liquidator strike (20 seeds, small world)', () => {
  it('a full strike on the slow bleed leaves bad debt that one liquidator would have prevented (underwater accounts are never closed while the fall continues)', () => {
    const strike = badDebt('0 liquidators', 'slow-bleed', ['agents.liquidators.count=0']);
    const one = badDebt('1 liquidator', 'slow-bleed', ['agents.liquidators.count=1']);
    expect(strike).toBeGreaterThan(10 * Math.max(one, 1000));
  });

  it('slower liquidators leave more bad debt on the flash crash (each step of delay lets the oracle fall further past bankruptcy)', () => {
    const fast = badDebt('latency 0', 'flash-crash', ['agents.liquidators.latencySteps=0']);
    const slow = badDebt('latency 10', 'flash-crash', ['agents.liquidators.latencySteps=10']);
    expect(slow).toBeGreaterThan(fast);
  });
});
