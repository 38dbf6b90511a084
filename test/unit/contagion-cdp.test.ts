// The CDP as a contagion world's third part (docs/contagion.md): over 20 seeds the stablecoin link
// makes the lending pool liquidate DAI-collateralized loans and book bad debt in contagion-depeg
// where the unlinked world does not, and the pool's DAI price is the CDP's clearing price each step;
// the world's figures sum the three protocols'; with every link off the CDP part is the CDP-only run
// of the same seed to the byte. The built-in worlds as shipped (about 0.3 s a run).
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import type { ConfigOverrides } from '../../sim/config/index.js';
import { runSimulation } from '../../sim/engine.js';

const SEEDS = Array.from({ length: 20 }, (_, k) => k + 1);

function run(name: string, seed: number, edit?: (p: ConfigOverrides) => ConfigOverrides) {
  const { scenario, params } = loadScenario(name);
  const config = resolveConfig(name, edit ? edit(params) : params);
  return runSimulation({ scenario, config, seed });
}

const sum = (rows: readonly Record<string, number>[], k: string) => rows.reduce((s, r) => s + r[k], 0);

describe('the stablecoin link on contagion-depeg, 20 seeds', () => {
  const linked = SEEDS.map((seed) => run('contagion-depeg', seed));
  const unlinked = SEEDS.map((seed) => run('contagion-depeg-unlinked', seed));
  const ls = linked.map((r) => r.stats);
  const us = unlinked.map((r) => r.stats);

  it("raises the pool's liquidations and bad debt above the unlinked world's", () => {
    SEEDS.forEach((seed, n) => {
      expect(ls[n].lending_liquidations, `seed ${seed}`).toBeGreaterThanOrEqual(us[n].lending_liquidations);
      expect(ls[n].lending_bad_debt_usd, `seed ${seed}`).toBeGreaterThanOrEqual(us[n].lending_bad_debt_usd);
    });
    expect(sum(ls, 'lending_liquidations')).toBeGreaterThan(sum(us, 'lending_liquidations'));
    expect(sum(ls, 'lending_bad_debt_usd')).toBeGreaterThan(sum(us, 'lending_bad_debt_usd'));
  });

  it('depegs the CDP stablecoin the same in both worlds (the link does not act on the CDP)', () => {
    SEEDS.forEach((seed, n) => {
      expect(ls[n].cdp_peg_min_price_usd, `seed ${seed}`).toBeLessThan(0.99);
      expect(ls[n].cdp_peg_min_price_usd).toBe(us[n].cdp_peg_min_price_usd);
      expect(ls[n].link_stablecoin_min_price_usd).toBe(ls[n].cdp_peg_min_price_usd);
    });
  });

  it("prices the pool's DAI at the CDP's clearing price of every step", () => {
    for (const r of linked.slice(0, 3)) {
      const tl = r.timeline;
      for (let t = 0; t < r.steps; t++) {
        expect(tl.link_stable_asset_price_usd[t]).toBe(tl.link_stable_price_usd[t]);
        expect(tl.link_stable_price_usd[t]).toBe(tl.cdp_stable_price_usd[t]);
      }
    }
    // Unlinked: no stablecoin asset (its column is 0); the pool's DAI stays on its own process.
    expect(unlinked[0].timeline.link_stable_asset_price_usd.every((p) => p === 0)).toBe(true);
  });

  it("sums the three protocols' figures into the world's", () => {
    for (const s of ls) {
      expect(s.liquidations).toBe(s.perp_liquidations + s.lending_liquidations + s.cdp_liquidations);
      const bad = s.perp_bad_debt_usd + s.lending_bad_debt_usd + s.cdp_bad_debt_usd;
      expect(Math.abs(s.bad_debt_usd - bad)).toBeLessThanOrEqual(1e-9 * Math.max(1, bad));
      expect(s.protocols_insolvent).toBe(
        (s.perp_insolvent > 0 ? 1 : 0) + (s.lending_insolvent > 0 ? 1 : 0) + (s.cdp_insolvent > 0 ? 1 : 0),
      );
    }
  });
});

describe('the CDP part with every link off', () => {
  it('is the CDP-only run of the same seed (statistics and timeline)', () => {
    const off = (p: ConfigOverrides): ConfigOverrides => {
      const c = p.contagion as { links: Record<string, unknown> };
      return {
        ...p,
        contagion: { ...c, links: { sharedIndex: false, perpFlowAsset: 'WETH', cdpCollateralDex: false } },
      };
    };
    for (const seed of [1, 2]) {
      const world = run('contagion-crash-cdp', seed, off);
      const { scenario, params } = loadScenario('contagion-crash-cdp');
      const alone = resolveConfig('cdp-alone', { run: params.run, market: params.market, cdp: params.cdp });
      const cdp = runSimulation({ scenario, config: alone, seed });
      expect(cdp.family).toBe('cdp');
      for (const [k, v] of Object.entries(cdp.stats)) expect(world.stats[`cdp_${k}`], k).toBe(v);
      for (const [k, v] of Object.entries(cdp.timeline)) expect(world.timeline[`cdp_${k}`], k).toEqual(v);
    }
  });
});
