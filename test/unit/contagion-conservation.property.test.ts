// Property: whole contagion runs over random worlds (a perp venue and a lending pool; shared index or
// not, any flow share, a thin or deep flow DEX pool and its arbitrage speed, the pool's oracle reading
// its DEX or not, random crash depth, perp and pool sizes and seed) complete without throwing - the
// step loop checks the summed conservation every step and the world checks each protocol's own
// books (sim/contagion/parts.ts), throwing an InvariantError otherwise - and end with finite
// statistics whose world sums are the protocols'. Small worlds: at most 300 traders, 80 borrowers, 300 steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../scenarios/load.js';
import { ShockSchema } from '../../scenarios/schema.js';
import { runSimulation, type ResolvedScenario } from '../../sim/engine.js';
import { propertyRuns } from '../helpers/property-runs.js';

const unit = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 10_000 }).map((k) => min + ((max - min) * k) / 10_000);

const worldArb = fc.record({
  sharedIndex: fc.boolean(),
  flowShare: unit(0, 1),
  dexLiquidityUsd: unit(2e6, 60e6),
  arbitrageShare: unit(0, 0.5),
  poolOracle: fc.boolean(),
  traders: fc.integer({ min: 50, max: 300 }),
  borrowers: fc.integer({ min: 10, max: 80 }),
  steps: fc.integer({ min: 80, max: 300 }),
  crash: unit(-0.5, 0.2),
  drainFactor: unit(0.1, 1),
  outage: unit(0, 1),
  seed: fc.integer({ min: 1, max: 1000 }),
});
type WorldDraw = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function runDraw(d: WorldDraw) {
  const config = resolveConfig('property', {
    run: { steps: d.steps },
    market: { initialPriceUsd: 2000 },
    agents: { traders: { count: d.traders } },
    lending: {
      assets: { WETH: { dex: { liquidityUsd: d.dexLiquidityUsd, arbitrageShare: d.arbitrageShare } }, USDC: {} },
      borrowers: { count: d.borrowers },
      suppliers: { supplyUsd: { WETH: 20e6, USDC: 55e6 } },
    },
    contagion: {
      links: { sharedIndex: d.sharedIndex, perpFlowShare: d.flowShare },
      ...(d.poolOracle ? { lendingOracle: { aggregation: 'pool' } } : {}),
    },
  });
  const at = Math.floor(d.steps / 3);
  const scenario: ResolvedScenario = {
    name: 'contagion-property',
    description: 'A random contagion world.',
    source: 'property',
    shocks: [
      { kind: 'priceDrift', step: at, steps: Math.ceil(d.steps / 20), pct: d.crash },
      { kind: 'depthDrain', step: at, steps: Math.ceil(d.steps / 4), factor: d.drainFactor },
      { kind: 'depthDrain', market: 'WETH', step: at, steps: Math.ceil(d.steps / 4), factor: d.drainFactor },
      { kind: 'liquidatorOutage', step: at, steps: Math.ceil(d.steps / 6), share: d.outage },
    ].map((s) => ShockSchema.parse(s)),
    series: [],
  };
  return runSimulation({ scenario, config, seed: d.seed });
}

describe('contagion runs (property)', () => {
  it("conserve value in every protocol at every step and sum the protocols' figures into the world's", () => {
    fc.assert(
      fc.property(worldArb, (d) => {
        const r = runDraw(d);
        const s = r.stats;
        for (const [k, v] of Object.entries(s)) expect(Number.isFinite(v), k).toBe(true);
        const tol = 1e-6 * Math.max(1, s.bad_debt_usd);
        expect(Math.abs(s.bad_debt_usd - s.perp_bad_debt_usd - s.lending_bad_debt_usd)).toBeLessThanOrEqual(tol);
        expect(s.liquidations).toBe(s.perp_liquidations + s.lending_liquidations);
        expect(s.link_flow_sold_usd).toBeGreaterThanOrEqual(0);
        if (d.flowShare === 0) expect(s.link_flow_steps).toBe(0);
      }),
      { numRuns: propertyRuns(12), seed: 16 },
    );
  });
});
