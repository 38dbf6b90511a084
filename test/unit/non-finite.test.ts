// No result holds NaN or Infinity: parameters that drive the model outside finite numbers stop the
// run with an error naming the column, instead of writing NaN into timeline.csv (issue 13, defect 7).
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../sim/core/errors.js';
import { runSimulation } from '../../sim/engine.js';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';

function run(sets: string[]) {
  const { scenario, params } = loadScenario('calm');
  const config = resolveConfig(scenario.source, params, ['agents.traders.count=100', 'run.steps=50', ...sets]);
  return () => runSimulation({ scenario, config, seed: 3 });
}

describe('a run whose numbers leave the finite range', () => {
  it('stops at the first step with a non-finite timeline value, naming the column, the step and the seed', () => {
    const r = run(['market.initialPriceUsd=1e308']);
    expect(r).toThrow(InvariantError);
    expect(r).toThrow(/at step 0 \(seed 3\): timeline column [a-z_]+ is (Infinity|-Infinity|NaN), not a finite number/);
  });

  it('runs as before when the numbers stay finite', () => {
    const result = run([])();
    for (const [name, values] of Object.entries(result.timeline))
      expect(
        values.every((v) => Number.isFinite(v)),
        name,
      ).toBe(true);
  });
});
