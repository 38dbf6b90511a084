// No result holds NaN or Infinity: a run that records one stops with an error naming the column,
// the step and the seed, instead of writing NaN into timeline.csv (issue 13, defect 7). Absurd
// parameters are refused before a run (test/unit/config-docs.test.ts); this is the backstop.
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../sim/core/errors.js';
import type { Protocol } from '../../sim/core/protocol.js';
import { defineRegistry, type Columns } from '../../sim/core/registry.js';
import { runLoop } from '../../sim/core/step-loop.js';
import { runSimulation } from '../../sim/engine.js';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';

const COLUMNS = defineRegistry('column', [
  { name: 'step', unit: 'step', across: 'first', description: 'step index from 0' },
  { name: 'price_usd', unit: 'usd', across: 'first', description: 'a price that overflows at step 3' },
] as const);
const STATS = defineRegistry('statistic', [
  { name: 'last_price_usd', unit: 'usd', description: 'the last price recorded', compute: (p: number) => p },
] as const);

/** A protocol whose price grows by 1e300 a step: Infinity at step 3 (or a statistic of `end`). */
function overflowing(end = 0): Protocol<'step' | 'price_usd', 'last_price_usd', number> {
  let price = 1;
  return {
    columns: COLUMNS,
    stats: STATS,
    stages: [{ kind: 'phase', name: 'grow', run: (s) => (price *= s >= 2 ? 1e300 : 1) }],
    record: (s, tl: Columns<'step' | 'price_usd'>) => ((tl.step[s] = s), (tl.price_usd[s] = price)),
    balance: () => ({ heldUsd: 0, externalUsd: 0, scaleUsd: 1 }),
    violation: () => undefined,
    statContext: () => end,
  };
}

const OPTS = { seed: 5, tolerance: 1e-9, fullCheckEverySteps: 10, faultInjectionStep: -1 };

describe('a run whose numbers leave the finite range', () => {
  it('stops at the first step with a non-finite timeline value, naming the column, the step and the seed', () => {
    const r = () => runLoop(overflowing(), { ...OPTS, steps: 10 });
    expect(r).toThrow(InvariantError);
    expect(r).toThrow(
      'invariant violated at step 3 (seed 5): timeline column price_usd is Infinity, not a finite number',
    );
  });

  it('stops at the end when a statistic is not finite, naming it', () => {
    expect(() => runLoop(overflowing(NaN), { ...OPTS, steps: 2 })).toThrow(
      'run statistic last_price_usd is NaN, not a finite number',
    );
  });

  it('runs the venue as before when the numbers stay finite', () => {
    const { scenario, params } = loadScenario('calm');
    const config = resolveConfig(scenario.source, params, ['agents.traders.count=100', 'run.steps=50']);
    const result = runSimulation({ scenario, config, seed: 3 });
    for (const [name, values] of Object.entries(result.timeline))
      expect(
        values.every((v) => Number.isFinite(v)),
        name,
      ).toBe(true);
  });
});
