// The mechanisms of issues 6-8 switched on together in random combinations, on small worlds with a
// crash: every run keeps value conserved (the engine checks it every step and throws otherwise),
// ends with finite statistics, and is pure (the same inputs give the same statistics).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Shock } from '../../scenarios/schema.js';
import { ConfigSchema } from '../../sim/config/index.js';
import { runSimulation, type ResolvedScenario } from '../../sim/engine.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';
import { propertyRuns } from '../helpers/property-runs.js';

const scenario = (shocks: Shock[]): ResolvedScenario => ({
  name: 'combo',
  description: 'random combination of mechanisms',
  source: 'combo',
  shocks,
  series: [],
});

const combo = fc.record({
  multi: fc.boolean(),
  cross: fc.constantFrom(0, 0.5, 1),
  correlation: fc.constantFrom(0, 0.6, 0.95),
  lossResolution: fc.constantFrom('socialize', 'adl', 'none'),
  ranking: fc.constantFrom('bitmex', 'hyperliquid', 'random'),
  backstop: fc.boolean(),
  feeShare: fc.constantFrom(0, 0.2),
  claimCap: fc.constantFrom(0, 5_000),
  model: fc.constantFrom('flat', 'tiers', 'sqrt', 'volatility'),
  collateral: fc.boolean(),
  liquidationMode: fc.constantFrom('partial', 'full'),
  confidenceK: fc.constantFrom(0, 2),
  oiCap: fc.constantFrom(0, 2_000_000),
  crash: fc.double({ min: -0.5, max: -0.05, noNaN: true }),
  seed: fc.integer({ min: 1, max: 1000 }),
});

describe('mechanisms in combination (property)', () => {
  it('conserve value, end with finite statistics and are pure, whatever is switched on together', () => {
    fc.assert(
      fc.property(combo, (c) => {
        const params: Record<string, unknown> = {
          run: { steps: 160 },
          market: { depthUsdPerPct: 200_000 },
          oracle: { confidenceK: c.confidenceK },
          agents: {
            traders: { count: 80, arrivalsPerStep: 0.3 },
            liquidators: { capitalUsd: 300_000 },
            arbitrageurs: { capitalUsd: 300_000 },
            marketMakers: { capitalUsd: 3_000_000 },
          },
          protocol: {
            insuranceFundUsd: 20_000,
            lossResolution: c.lossResolution,
            adl: { ranking: c.ranking },
            backstop: { enabled: c.backstop, capitalUsd: 200_000 },
            insurance: { tradingFeeShare: c.feeShare, claimCapUsd: c.claimCap },
            marginModel: { kind: c.model, tiers: { boundScale: 1e-4 } },
            liquidationMode: c.liquidationMode,
          },
          breakers: { openInterest: { maxPerSideUsd: c.oiCap } },
        };
        const shocks: Shock[] = [{ kind: 'priceDrift', step: 60, steps: 10, pct: c.crash }];
        if (c.multi) {
          params.markets = {
            A: { market: { initialPriceUsd: 100 } },
            B: { market: { initialPriceUsd: 3000, annualVolatility: 1 } },
            C: { market: { initialPriceUsd: 2, depthUsdPerPct: 50_000 } },
          };
          params.multiMarket = { correlation: c.correlation, crossMarginShare: c.cross };
          shocks.push({ kind: 'correlation', step: 55, steps: 30, value: 1 });
          shocks.push({ kind: 'priceDrift', step: 60, steps: 10, pct: c.crash, market: 'C' });
        } else if (c.collateral) {
          params.collateral = { enabled: true };
          shocks.push({ kind: 'collateralPrice', asset: 'venueToken', step: 60, steps: 20, pct: c.crash });
          shocks.push({ kind: 'collateralPrice', asset: 'stablecoin', step: 65, steps: 10, pct: -0.05 });
        }
        const config = ConfigSchema.parse(params);
        const a = runSimulation({ scenario: scenario(shocks), config, seed: c.seed });
        for (const k of RUN_STAT_KEYS) expect(Number.isFinite(a.stats[k]), k).toBe(true);
        expect(a.stats.bad_debt_usd).toBeGreaterThanOrEqual(0);
        const b = runSimulation({ scenario: scenario(shocks), config, seed: c.seed });
        expect(b.stats).toEqual(a.stats);
      }),
      { seed: 13, numRuns: propertyRuns(40) },
    );
  });
});
