// Property: over random small CDP worlds (2-8 owner vaults, Dutch or English auctions of some of the
// unsafe ones, random OSM and market prices, clock, gas, outage, keepers' coins, stablecoin price) and
// a few steps, the CDP agents built by buildCdpAgents are deterministic (the same streams give the
// same actions), draw a fixed number of times per step (one uniform per managed vault for the owners,
// one per keeper), and stay within their means: keepers spend no more than their coins, owners never
// repay more than the debt nor leave dust, bids never exceed the tab.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGLISH, ethB, system } from '../helpers/cdp-fixtures.js';
import { tend } from '../../sim/lending/cdp-auctions.js';
import { cdpConfig, CountingStream, viewOf } from '../helpers/cdp-views.js';
import { propertyRuns } from '../helpers/property-runs.js';
import { buildCdpAgents } from '../../agents/cdp/index.js';
import type { CdpAction } from '../../sim/lending/cdp-run-types.js';
import type { CdpVaults } from '../../sim/lending/cdp-vaults.js';

const unit = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 1_000_000 }).map((k) => min + ((max - min) * k) / 1_000_000);

const worldArb = fc.record({
  english: fc.boolean(),
  vaults: fc.array(fc.record({ ink: unit(1, 50), ratio: unit(1.31, 3.5), managed: fc.boolean() }), {
    minLength: 2,
    maxLength: 8,
  }),
  /** OSM price over the opening price, per step. */
  drops: fc.array(unit(0.5, 1.6), { minLength: 1, maxLength: 4 }),
  marketOverOsm: unit(0.8, 1.2),
  barkShare: unit(0, 1),
  /** English: whether someone bid the tab on the first auction (its dent phase). */
  bidTab: fc.boolean(),
  elapsedSeconds: unit(0, 7200),
  gasUsd: unit(0, 400),
  outage: unit(0, 1),
  coins: fc.array(unit(0, 100_000), { minLength: 3, maxLength: 3 }),
  stablePriceUsd: unit(0.9, 1.1),
  reaction: unit(0, 1),
  relever: fc.boolean(),
  dexLiquidityUsd: unit(1e5, 5e7),
});
type World = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

const OPEN_PRICE_USD = 2000;

function build(w: World): CdpVaults {
  const cdp = system(
    [ethB({}, w.english ? ENGLISH : {})],
    w.vaults.map(() => 0),
  );
  cdp.priceUsd[0] = OPEN_PRICE_USD;
  w.vaults.forEach((v, k) => {
    cdp.lock(k, v.ink);
    cdp.draw(k, Math.max(5000, (v.ink * OPEN_PRICE_USD) / v.ratio));
  });
  cdp.priceUsd[0] = OPEN_PRICE_USD * w.drops[0];
  const unsafe = w.vaults.map((_, k) => k).filter((k) => cdp.art[k] > 0 && !cdp.isSafe(k));
  for (const k of unsafe.slice(0, Math.round(w.barkShare * unsafe.length))) cdp.bark(k);
  if (w.english && w.bidTab && cdp.auctions.length > 0) tend(cdp, 0, cdp.auctions[0].tab);
  cdp.setTime(w.elapsedSeconds);
  return cdp;
}

/** Runs the agents of world `w` with streams of `seed` for its steps: actions per step and draws per stream. */
function run(w: World, seed: string): { actions: CdpAction[][]; draws: Map<string, number[]> } {
  const cfg = cdpConfig({
    vaultOwners: {
      triggerRatio: 1.6,
      targetRatio: 2,
      releverRatio: w.relever ? 2.5 : 0,
      reactionProbability: w.reaction,
    },
    keepers: { count: 3 },
    attackers: [{ kind: 'zero-bidder' }, { kind: 'peg-attacker', buyStep: 1 }],
  });
  const streams = new Map<string, CountingStream>();
  const cdp = build(w);
  const agents = buildCdpAgents({
    cfg,
    ownerVaults: w.vaults.length,
    ownerIlk: 0,
    managed: Uint8Array.from(w.vaults.map((v) => (v.managed ? 1 : 0))),
    stream: (name) => {
      const s = new CountingStream(`${seed}:${name}`);
      streams.set(name, s);
      return s;
    },
  });
  const all = [...agents.owners, ...agents.keepers, ...agents.attackers];
  const actions: CdpAction[][] = [];
  const draws = new Map<string, number[]>();
  w.drops.forEach((drop, step) => {
    cdp.priceUsd[0] = OPEN_PRICE_USD * drop;
    if (step > 0) cdp.setTime(cdp.nowSeconds + 60);
    const view = viewOf(cdp, {
      step,
      marketPriceUsd: [cdp.priceUsd[0] * w.marketOverOsm],
      dexLiquidityUsd: w.dexLiquidityUsd,
      stablePriceUsd: w.stablePriceUsd,
      gasUsd: w.gasUsd,
      gasMultiplier: w.gasUsd / 10,
      keeperOutage: w.outage,
      keeperStableUnits: w.coins,
      ownerReserveUnits: w.vaults.map((v) => v.ink / 2),
      attackerStableUnits: [100_000, step > 1 ? 2e6 : 0],
      attackerUsd: [0, step > 1 ? 0 : 2e6],
    });
    const out: CdpAction[] = [];
    for (const a of all) a.decide(view, out);
    actions.push(out);
    for (const [name, s] of streams) draws.set(name, [...(draws.get(name) ?? []), s.draws]);
  });
  return { actions, draws };
}

describe('the CDP agents', () => {
  it('are deterministic, draw a fixed number of times per step and stay within their means', () => {
    const kinds: Record<string, number> = {};
    fc.assert(
      fc.property(worldArb, (w) => {
        const first = run(w, 'a');
        const again = run(w, 'a');
        expect(again.actions).toEqual(first.actions);
        const managed = w.vaults.filter((v) => v.managed).length;
        const steps = w.drops.length;
        expect(first.draws.get('vault-owners')).toEqual(Array.from({ length: steps }, (_, t) => managed * (t + 1)));
        for (const k of [0, 1, 2])
          expect(first.draws.get(`keeper.${k}`)).toEqual(Array.from({ length: steps }, (_, t) => t + 1));
        // Within their means, on the state of the first step (the others see the same kernel).
        const cdp = build(w);
        const spent = [0, 0, 0];
        for (const a of first.actions.flat()) kinds[a.kind] = (kinds[a.kind] ?? 0) + 1;
        for (const a of first.actions[0]) {
          if (a.kind === 'take') spent[a.keeper] += a.maxCollateral * a.maxPriceUsd;
          if (a.kind === 'tend') {
            expect(a.bidUnits).toBeLessThanOrEqual(cdp.auctions[a.auction].tab);
            if ('keeper' in a.bidder) spent[a.bidder.keeper] += a.bidUnits;
          }
          if (a.kind === 'dent' && 'keeper' in a.bidder) spent[a.bidder.keeper] += cdp.auctions[a.auction].tab;
          if (a.kind === 'repay') {
            const left = cdp.debtOf(a.vault) - a.units;
            expect(left).toBeGreaterThanOrEqual(-1e-9);
            expect(Math.abs(left) < 1e-9 || left >= 5000).toBe(true);
          }
        }
        spent.forEach((s, k) => expect(s).toBeLessThanOrEqual(w.coins[k] * (1 + 1e-12)));
      }),
      { seed: 16, numRuns: propertyRuns(150) },
    );
    // The property must see every kind of action, not only agents standing still.
    for (const kind of ['bark', 'take', 'redo', 'tend', 'dent', 'repay', 'addCollateral', 'draw', 'pegBuy'])
      expect(kinds[kind] ?? 0, kind).toBeGreaterThan(0);
  });

  it('give other actions with other streams (the draws matter)', () => {
    // Eight managed vaults at ratio 1.45 (below the trigger) that act with probability 0.5 for four steps.
    const many: World = {
      english: false,
      vaults: Array.from({ length: 8 }, () => ({ ink: 10, ratio: 1.45, managed: true })),
      drops: [1, 1, 1, 1],
      marketOverOsm: 1,
      barkShare: 0,
      bidTab: false,
      elapsedSeconds: 0,
      gasUsd: 10,
      outage: 0,
      coins: [1e5, 1e5, 1e5],
      stablePriceUsd: 1,
      reaction: 0.5,
      relever: false,
      dexLiquidityUsd: 2e7,
    };
    const a = run(many, 'a').actions.flat();
    const b = run(many, 'b').actions.flat();
    expect(a.length + b.length).toBeGreaterThan(0);
    expect(b).not.toEqual(a);
  });
});
