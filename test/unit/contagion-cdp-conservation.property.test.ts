// Property: whole contagion runs of three parts (a perp venue, a lending pool taking the CDP's
// stablecoin as collateral, a CDP; every link on or off at random, a random demand fall and crash)
// complete without throwing - the step loop checks the summed conservation every step and the world
// each protocol's own books (sim/contagion/parts.ts) - and end with finite statistics whose world
// sums are the three protocols'. Small worlds: at most 150 traders, 60 borrowers, 60 vaults, 240 steps.
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
  stableLink: fc.boolean(),
  sharedDex: fc.boolean(),
  flowShare: unit(0, 1),
  traders: fc.integer({ min: 30, max: 150 }),
  borrowers: fc.integer({ min: 10, max: 60 }),
  vaults: fc.integer({ min: 10, max: 60 }),
  steps: fc.integer({ min: 80, max: 240 }),
  crash: unit(-0.5, 0.1),
  demand: unit(0.5, 1.2),
  arbUsd: unit(1000, 100_000),
  seed: fc.integer({ min: 1, max: 1000 }),
});
type WorldDraw = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function runDraw(d: WorldDraw) {
  const config = resolveConfig('property', {
    run: { steps: d.steps },
    market: { initialPriceUsd: 2000 },
    agents: { traders: { count: d.traders } },
    lending: {
      assets: {
        WETH: { dex: { liquidityUsd: 5e6, arbitrageShare: 0.1 } },
        USDC: { eModeCategory: 1 },
        DAI: { indexBeta: 0, eModeCategory: 1, borrowable: false, dex: { liquidityUsd: 2e6, arbitrageShare: 0.1 } },
      },
      eModes: { '1': { ltv: 0.93, liquidationThreshold: 0.95, liquidationBonus: 1.02 } },
      borrowers: { count: d.borrowers, collateralAsset: 'DAI', debtAsset: 'USDC', eMode: 1, healthFactorMin: 1.02 },
      suppliers: { supplyUsd: { WETH: 5e6, USDC: 20e6, DAI: 1e6 } },
    },
    cdp: {
      collateral: { WETH: { initialPriceUsd: 2000 } },
      vaultOwners: { collateral: 'WETH', count: d.vaults },
      keepers: { count: 2 },
      stablecoin: { arbitrageCapitalUsdPerStep: d.arbUsd },
    },
    contagion: {
      links: {
        sharedIndex: d.sharedIndex,
        perpFlowShare: d.flowShare,
        cdpCollateralDex: d.sharedDex,
        ...(d.stableLink ? { stablecoinAsset: 'DAI' } : {}),
      },
    },
  });
  const at = Math.floor(d.steps / 3);
  const scenario: ResolvedScenario = {
    name: 'contagion-cdp-property',
    description: 'A random three-protocol contagion world.',
    source: 'property',
    shocks: [
      { kind: 'priceDrift', step: at, steps: Math.ceil(d.steps / 20), pct: d.crash },
      { kind: 'stablecoinDemand', step: at, steps: Math.ceil(d.steps / 3), multiplier: d.demand },
      { kind: 'depthDrain', market: 'WETH', step: at, steps: Math.ceil(d.steps / 4), factor: 0.5 },
    ].map((s) => ShockSchema.parse(s)),
    series: [],
  };
  return runSimulation({ scenario, config, seed: d.seed });
}

describe('contagion runs with a CDP part (property)', () => {
  it("conserve value in every protocol at every step and sum the three protocols' figures", () => {
    fc.assert(
      fc.property(worldArb, (d) => {
        const r = runDraw(d);
        const s = r.stats;
        for (const [k, v] of Object.entries(s)) expect(Number.isFinite(v), k).toBe(true);
        const bad = s.perp_bad_debt_usd + s.lending_bad_debt_usd + s.cdp_bad_debt_usd;
        expect(Math.abs(s.bad_debt_usd - bad)).toBeLessThanOrEqual(1e-6 * Math.max(1, bad));
        expect(s.liquidations).toBe(s.perp_liquidations + s.lending_liquidations + s.cdp_liquidations);
        if (d.stableLink)
          for (let t = 0; t < r.steps; t++)
            expect(r.timeline.link_stable_asset_price_usd[t]).toBe(r.timeline.cdp_stable_price_usd[t]);
      }),
      { numRuns: propertyRuns(10), seed: 16 },
    );
  });
});
