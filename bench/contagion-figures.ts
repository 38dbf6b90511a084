// The contagion built-ins' figures over seeds 1-20 (docs/contagion.md): contagion-crash (the perp flow
// link on) against contagion-crash-unlinked (off), the same seeds, the means of the lending pool's,
// the perp venue's and the link's statistics, and in how many seeds the linked run's figure is the
// larger. The figures test/unit/contagion-directional.test.ts checks. Then the CDP part's:
// contagion-depeg (the stablecoin link on) against contagion-depeg-unlinked, and contagion-crash-cdp
// with its CDP keepers selling into the pool's WETH DEX pool (cdpCollateralDex, the default) against
// their own (false); test/unit/contagion-cdp.test.ts checks the depeg's. A script that prints
// figures, not a test: nothing here asserts.
import { loadScenario, resolveConfig } from '../scenarios/load.js';
import { runSimulation } from '../sim/engine.js';

const SEEDS = Array.from({ length: 20 }, (_, k) => k + 1);
const KEYS = [
  'lending_liquidations',
  'lending_liquidated_notional_usd',
  'lending_bad_debt_usd',
  'lending_uncovered_bad_debt_usd',
  'lending_insolvent',
  'lending_oracle_drawdown_pct',
  'link_dex_drawdown_pct',
  'link_flow_sold_usd',
  'perp_liquidations',
  'perp_bad_debt_usd',
  'bad_debt_usd',
];

const CDP_KEYS = [
  'lending_liquidations',
  'lending_liquidated_notional_usd',
  'lending_bad_debt_usd',
  'lending_insolvent',
  'lending_oracle_drawdown_pct',
  'cdp_liquidations',
  'cdp_collateral_sold_usd',
  'cdp_bad_debt_usd',
  'cdp_peg_min_price_usd',
  'link_stablecoin_min_price_usd',
  'link_stablecoin_depeg_steps',
  'bad_debt_usd',
  'protocols_insolvent',
];

function runs(name: string, sets: readonly string[] = []): Record<string, number>[] {
  const { scenario, params } = loadScenario(name);
  const config = resolveConfig(scenario.source, params, sets);
  return SEEDS.map((seed) => runSimulation({ scenario, config, seed }).stats);
}

const mean = (rows: Record<string, number>[], k: string) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
const fmt = (x: number) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));

function table(
  title: string,
  keys: readonly string[],
  linked: Record<string, number>[],
  unlinked: Record<string, number>[],
) {
  console.log(title);
  console.log(`${'statistic'.padEnd(34)}${'linked'.padStart(14)}${'unlinked'.padStart(14)}  linked larger`);
  for (const k of keys) {
    const larger = SEEDS.filter((_, n) => linked[n][k] > unlinked[n][k]).length;
    console.log(
      `${k.padEnd(34)}${fmt(mean(linked, k)).padStart(14)}${fmt(mean(unlinked, k)).padStart(14)}  ${larger}/${SEEDS.length}`,
    );
  }
  console.log('');
}

const n = SEEDS.length;
table(
  `contagion-crash (link on) vs contagion-crash-unlinked (off), seeds 1-${n}, means`,
  KEYS,
  runs('contagion-crash'),
  runs('contagion-crash-unlinked'),
);
table(
  `contagion-depeg (stablecoin link on) vs contagion-depeg-unlinked (off), seeds 1-${n}, means`,
  CDP_KEYS,
  runs('contagion-depeg'),
  runs('contagion-depeg-unlinked'),
);
table(
  `contagion-crash-cdp (cdpCollateralDex true) vs the same with false, seeds 1-${n}, means`,
  CDP_KEYS,
  runs('contagion-crash-cdp'),
  runs('contagion-crash-cdp', ['contagion.links.cdpCollateralDex=false']),
);
