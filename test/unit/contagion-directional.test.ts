// Directional, over 20 seeds (docs/contagion.md has the figures): on the built-in contagion crash the
// perp venue's liquidation selling, carried into the WETH DEX pool the lending oracle reads
// (links.perpFlowShare 1, contagion-crash), makes the pool's liquidations, the DEX pool's fall and the
// pool's bad debt larger than the same crash with the link off (contagion-crash-unlinked); the perp
// venue itself is the same in both (common random numbers; the link does not act on it). The built-in
// worlds as shipped (2,000 traders, 400 borrowers, 720 steps: about 30 ms a run).
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { runSimulation } from '../../sim/engine.js';

const SEEDS = Array.from({ length: 20 }, (_, k) => k + 1);

function stats(name: string) {
  const { scenario, params } = loadScenario(name);
  const config = resolveConfig(name, params);
  return SEEDS.map((seed) => runSimulation({ scenario, config, seed }).stats);
}

const mean = (rows: readonly Record<string, number>[], k: string) => rows.reduce((s, r) => s + r[k], 0) / rows.length;

describe('the perp flow link on the contagion crash, 20 seeds', () => {
  const linked = stats('contagion-crash');
  const unlinked = stats('contagion-crash-unlinked');

  it("deepens the WETH DEX pool's fall, the pool oracle's fall and the pool's bad debt in every seed", () => {
    SEEDS.forEach((seed, n) => {
      expect(linked[n].link_dex_drawdown_pct, `seed ${seed}`).toBeGreaterThan(unlinked[n].link_dex_drawdown_pct);
      expect(linked[n].lending_oracle_drawdown_pct, `seed ${seed}`).toBeGreaterThan(
        unlinked[n].lending_oracle_drawdown_pct,
      );
      expect(linked[n].lending_bad_debt_usd, `seed ${seed}`).toBeGreaterThan(unlinked[n].lending_bad_debt_usd);
    });
  });

  it("raises the lending pool's mean liquidations and liquidated debt", () => {
    // Not in every seed: a deeper fall liquidates some accounts in fewer, larger steps.
    expect(mean(linked, 'lending_liquidations')).toBeGreaterThan(1.1 * mean(unlinked, 'lending_liquidations'));
    expect(mean(linked, 'lending_liquidated_notional_usd')).toBeGreaterThan(
      1.3 * mean(unlinked, 'lending_liquidated_notional_usd'),
    );
  });

  it("raises the lending pool's mean bad debt and its share of insolvent runs", () => {
    expect(mean(linked, 'lending_bad_debt_usd')).toBeGreaterThan(2 * mean(unlinked, 'lending_bad_debt_usd'));
    expect(mean(linked, 'lending_insolvent')).toBeGreaterThan(mean(unlinked, 'lending_insolvent'));
  });

  it('leaves the perp venue as it is: its statistics are the same with and without the link', () => {
    SEEDS.forEach((_, n) => {
      expect(linked[n].perp_bad_debt_usd).toBe(unlinked[n].perp_bad_debt_usd);
      expect(linked[n].perp_liquidations).toBe(unlinked[n].perp_liquidations);
    });
    expect(mean(linked, 'link_flow_sold_usd')).toBeGreaterThan(1e6);
    expect(mean(unlinked, 'link_flow_sold_usd')).toBe(0);
  });
});
