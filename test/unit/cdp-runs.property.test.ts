// Property: whole CDP runs over random configurations (one or two collateral types, Dutch auctions on
// either curve or English ones, with or without an OSM and the breaker, 10-150 vaults, 0-6 keepers,
// a zero bidder and a peg attacker half the time, random shocks among price drifts and jumps, depth
// drains, gas spikes, keeper outages and stablecoin demand moves) complete without throwing - the
// step loop checks the kernel's value conservation every step and CdpProtocol.violation the books
// and the coins' float invariant (holders + keepers + attackers + arbitrageurs = supply), and throws
// otherwise - and end with finite, well-signed statistics. Small worlds: at most 150 vaults, 300 steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../scenarios/load.js';
import { ShockSchema } from '../../scenarios/schema.js';
import { runSimulation, type ResolvedScenario, type RunResult } from '../../sim/engine.js';
import { propertyRuns } from '../helpers/property-runs.js';

const unit = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 10_000 }).map((k) => min + ((max - min) * k) / 10_000);

const shockArb = fc.record({
  kind: fc.constantFrom('priceDrift', 'priceJump', 'depthDrain', 'gasSpike', 'liquidatorOutage', 'stablecoinDemand'),
  at: unit(0, 0.9),
  length: unit(0.01, 0.5),
  pct: unit(-0.6, 0.3),
  factor: unit(0.1, 1),
  multiplier: unit(0.2, 50),
  share: unit(0, 1),
  /** -1: the common index; else an index into the collateral types. */
  ilk: fc.integer({ min: -1, max: 1 }),
});
type ShockDraw = typeof shockArb extends fc.Arbitrary<infer T> ? T : never;

const runArb = fc.record({
  two: fc.boolean(),
  auction: fc.constantFrom('dutch-stairstep', 'dutch-linear', 'english'),
  mat: unit(1.1, 1.8),
  chop: unit(1, 1.2),
  osmDelaySeconds: fc.constantFrom(0, 60, 600, 3600),
  breaker: fc.boolean(),
  vaults: fc.integer({ min: 10, max: 150 }),
  ratioSpan: unit(0, 1.5),
  managedShare: unit(0, 1),
  keepers: fc.integer({ min: 0, max: 6 }),
  keeperCapital: unit(1e4, 5e6),
  attackers: fc.boolean(),
  elasticity: unit(0.5, 10),
  arbCapital: unit(0, 1e6),
  initialSurplus: unit(0, 2e6),
  steps: fc.integer({ min: 60, max: 300 }),
  crash: unit(-0.6, 0),
  shocks: fc.array(shockArb, { maxLength: 5 }),
  seed: fc.integer({ min: 1, max: 1000 }),
});
type RunDraw = typeof runArb extends fc.Arbitrary<infer T> ? T : never;

function params(d: RunDraw): { params: Record<string, unknown>; names: string[] } {
  const names = d.two ? ['ETH', 'WBTC'] : ['ETH'];
  const auction =
    d.auction === 'english'
      ? { kind: 'english', bidDurationSeconds: 600, auctionLengthSeconds: 3600 }
      : { kind: 'dutch', curve: d.auction === 'dutch-linear' ? 'linear' : 'stairstep' };
  const collateral: Record<string, unknown> = {};
  names.forEach((n, i) => {
    collateral[n] = {
      initialPriceUsd: i === 0 ? 2_000 : 30_000,
      annualVolatility: 0.5,
      liquidationRatio: d.mat,
      chop: d.chop,
      auction,
      dex: { liquidityUsd: 5e6 },
    };
  });
  return {
    names,
    params: {
      run: { steps: d.steps },
      cdp: {
        collateral,
        osmDelaySeconds: d.osmDelaySeconds,
        breaker: d.breaker,
        initialSurplusUnits: d.initialSurplus,
        stablecoin: { elasticity: d.elasticity, arbitrageCapitalUsdPerStep: d.arbCapital },
        vaultOwners: {
          count: d.vaults,
          collateral: names[names.length - 1],
          minRatio: d.mat + 0.05,
          maxRatio: d.mat + 0.05 + d.ratioSpan,
          managedShare: d.managedShare,
          triggerRatio: d.mat + 0.1,
          targetRatio: d.mat + 0.6,
        },
        keepers: { count: d.keepers, capitalUnits: d.keeperCapital },
        attackers: d.attackers
          ? [
              { kind: 'zero-bidder', capitalUnits: 50_000 },
              { kind: 'peg-attacker', capitalUsd: 500_000, buyStep: Math.floor(d.steps / 4) },
            ]
          : [],
      },
    },
  };
}

function shock(s: ShockDraw, names: readonly string[], steps: number): unknown {
  const step = Math.floor(s.at * steps);
  const length = Math.max(1, Math.floor(s.length * steps));
  const ilk = s.ilk >= 0 && s.ilk < names.length ? { market: names[s.ilk] } : {};
  switch (s.kind) {
    case 'priceDrift':
      return { kind: 'priceDrift', ...ilk, step, steps: length, pct: s.pct };
    case 'priceJump':
      return { kind: 'priceJump', ...ilk, step, pct: s.pct };
    case 'depthDrain':
      return { kind: 'depthDrain', ...ilk, step, steps: length, factor: s.factor };
    case 'gasSpike':
      return { kind: 'gasSpike', step, steps: length, multiplier: s.multiplier };
    case 'stablecoinDemand':
      return { kind: 'stablecoinDemand', step, steps: length, multiplier: s.multiplier };
    default:
      return { kind: 'liquidatorOutage', step, steps: length, share: s.share };
  }
}

function runDraw(d: RunDraw): RunResult {
  const { params: p, names } = params(d);
  const config = resolveConfig('property', p);
  const scenario: ResolvedScenario = {
    name: 'cdp-property',
    description: 'A random CDP configuration.',
    source: 'property',
    shocks: [
      { kind: 'priceDrift', step: Math.floor(d.steps / 3), steps: Math.ceil(d.steps / 6), pct: d.crash },
      ...d.shocks.map((s) => ShockSchema.parse(shock(s, names, d.steps))),
    ],
    series: [],
  };
  return runSimulation({ scenario, config, seed: d.seed });
}

describe('whole CDP runs over random configurations (property)', () => {
  const seen = { runs: 0, auctions: 0, badDebt: 0, offPeg: 0 };

  it('complete with value and the coins conserved every step and end with finite, well-signed statistics', () => {
    fc.assert(
      fc.property(runArb, (d) => {
        const r = runDraw(d);
        expect(r.family).toBe('cdp');
        for (const [k, v] of Object.entries(r.stats)) expect(Number.isFinite(v), k).toBe(true);
        const s = r.stats;
        for (const k of ['bad_debt_usd', 'auctions', 'vaults_liquidated', 'system_debt_max_usd', 'keeper_gas_usd'])
          expect(s[k], k).toBeGreaterThanOrEqual(0);
        expect(s.zero_bid_share).toBeLessThanOrEqual(1);
        expect(s.vaults_liquidated).toBeLessThanOrEqual(s.auctions);
        expect(s.peg_min_price_usd).toBeLessThanOrEqual(s.peg_max_price_usd);
        seen.runs++;
        if (s.auctions > 0) seen.auctions++;
        if (s.bad_debt_usd > 0) seen.badDebt++;
        if (s.peg_max_deviation > 0.01) seen.offPeg++;
      }),
      { numRuns: propertyRuns(12), seed: 16 },
    );
    // Non-trivial: some runs liquidated vaults.
    expect(seen.auctions).toBeGreaterThan(0);
  });
});
