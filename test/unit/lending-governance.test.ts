// Scripted governance on a lending pool: reserveParamChange shocks propose an asset's LTV, threshold
// or bonus through the `governance` section's steward bounds (timelock, largest change), and the
// change is in force from the step its timelock ends; a lending-only kind in a perp run is an error.
import { describe, expect, it } from 'vitest';
import { compileForConfig } from '../../scenarios/compile.js';
import type { Shock } from '../../scenarios/schema.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { runSimulation } from '../../sim/engine.js';
import { userError } from '../helpers/inputs.js';

const shocks: Extract<Shock, { kind: 'reserveParamChange' }>[] = [
  { kind: 'reserveParamChange', step: 10, asset: 'WETH', field: 'ltv', value: 0.7, delaySteps: 60 },
  { kind: 'reserveParamChange', step: 10, asset: 'WETH', field: 'liquidationThreshold', value: 0.75, delaySteps: 60 },
  { kind: 'reserveParamChange', step: 10, asset: 'WETH', field: 'liquidationBonus', value: 1.08, delaySteps: 5 },
];

function run(list: Shock[], governance: Record<string, number> = { minDelaySteps: 60 }) {
  const config = ConfigSchema.parse({
    run: { steps: 120 },
    governance,
    lending: { borrowers: { count: 50 }, suppliers: { supplyUsd: { WETH: 2e7, USDC: 5e7 } } },
  });
  const scenario = { name: 'gov', description: 'x', source: 'gov.yaml', shocks: list, series: [] };
  return runSimulation({ scenario, config, seed: 1 });
}

describe('scripted governance of a lending pool (reserveParamChange)', () => {
  it('queues the proposals that meet the minimum timelock, refuses the one that does not, and applies the queued ones when their timelock ends', () => {
    const events = run(shocks).events.governance;
    expect(events.map((e) => [e.step, e.path, e.outcome])).toEqual([
      [10, 'lending.assets.WETH.ltv', 'queued'],
      [10, 'lending.assets.WETH.liquidationThreshold', 'queued'],
      [10, 'lending.assets.WETH.liquidationBonus', 'refused'],
      [70, 'lending.assets.WETH.ltv', 'applied'],
      [70, 'lending.assets.WETH.liquidationThreshold', 'applied'],
    ]);
  });

  it('refuses a change larger than the steward bound and changes nothing of the run', () => {
    const bounded = run(shocks.slice(1, 2), { minDelaySteps: 0, maxRelativeChange: 0.05 });
    expect(bounded.events.governance.map((e) => e.outcome)).toEqual(['refused']);
    expect(bounded.stats).toEqual(run([]).stats);
  });

  it('rejects at execution a change that would put the threshold below the LTV', () => {
    const alone = run([{ ...shocks[1], value: 0.6 }]);
    expect(alone.events.governance.map((e) => e.outcome)).toEqual(['queued', 'rejected-at-execution']);
  });

  it('is an error naming the shock for an unknown asset', () => {
    const cfg = ConfigSchema.parse({ lending: {} });
    const e = userError(() => compileForConfig([{ ...shocks[0], asset: 'WBTC' }], new Map(), cfg, 's.yaml'));
    expect(e.message).toMatch(/shocks\[0\]\.asset.*unknown asset 'WBTC'/);
  });

  it('is an error in a perp run (a config without a lending section)', () => {
    const e = userError(() => compileForConfig([shocks[0]], new Map(), DEFAULT_CONFIG, 's.yaml'));
    expect(e.message).toMatch(/shocks\[0\]\.kind.*lending runs only/);
  });
});
