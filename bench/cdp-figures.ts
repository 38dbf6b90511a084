// The CDP built-ins' directional figures over seeds 1-20 (docs/findings/cdp.md): the Black Thursday
// replay with healthy and gas-starved keepers under both auction designs, the deleverage spiral with
// managed vaults against passive ones and against the same run without the crash, and the peg attacker. Each arm is a built-in (with `--set`
// overrides) run on the same seeds; the table prints each arm's means, and each comparison in how
// many seeds it held. The figures test/unit/cdp-directional.test.ts checks. A script that prints
// figures, not a test: nothing here asserts.
import { simulate } from '../sim/api.js';

const SEEDS = Array.from({ length: 20 }, (_, k) => k + 1);
const KEYS = [
  'bad_debt_usd',
  'insolvent',
  'uncovered_bad_debt_usd',
  'zero_bid_share',
  'auction_price_to_market',
  'auctions',
  'debt_auctions',
  'gov_minted_units',
  'peg_max_price_usd',
  'peg_minutes_outside_band',
  'owner_buyback_units',
  'keeper_profit_usd',
  'attacker_pnl_usd',
];

type Arm = { label: string; ref: string; set?: string[] };
const ARMS: Arm[] = [
  { label: 'english healthy', ref: 'cdp-black-thursday-english' },
  { label: 'english starved', ref: 'cdp-black-thursday-english-starved' },
  { label: 'dutch healthy', ref: 'cdp-black-thursday-dutch' },
  { label: 'dutch starved', ref: 'cdp-black-thursday-dutch-starved' },
  { label: 'spiral managed', ref: 'cdp-deleverage-spiral' },
  { label: 'spiral passive', ref: 'cdp-deleverage-spiral', set: ['cdp.vaultOwners.managedShare=0'] },
  { label: 'spiral no crash', ref: 'cdp-deleverage-spiral', set: ['cdp.collateral.ETH.indexBeta=0'] },
  { label: 'peg attack', ref: 'cdp-peg-attack' },
];

const stats = new Map<string, Record<string, number>[]>();
for (const a of ARMS)
  stats.set(
    a.label,
    SEEDS.map((seed) => simulate(a.ref, { seed, set: a.set ?? [] }).stats as Record<string, number>),
  );

const mean = (rows: Record<string, number>[], k: string) => rows.reduce((s, r) => s + r[k], 0) / rows.length;
const fmt = (x: number) => (Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(3));

console.log(`CDP built-ins, seeds 1-${SEEDS.length}: means per arm`);
console.log('statistic'.padEnd(28) + ARMS.map((a) => a.label.padStart(17)).join(''));
for (const k of KEYS)
  console.log(k.padEnd(28) + ARMS.map((a) => fmt(mean(stats.get(a.label)!, k)).padStart(17)).join(''));

const held = (a: string, b: string, k: string, f: (x: number, y: number) => boolean) => {
  const [x, y] = [stats.get(a)!, stats.get(b)!];
  return SEEDS.filter((_, n) => f(x[n][k], y[n][k])).length;
};
console.log('');
console.log(`comparisons (seeds where it holds, of ${SEEDS.length})`);
const gt = (x: number, y: number) => x > y;
console.log(
  `  gas spike raises the English zero-bid share: ${held('english starved', 'english healthy', 'zero_bid_share', gt)}`,
);
console.log(`  gas spike raises English bad debt: ${held('english starved', 'english healthy', 'bad_debt_usd', gt)}`);
console.log(
  `  starved keepers: Dutch bad debt below English: ${held('english starved', 'dutch starved', 'bad_debt_usd', gt)}`,
);
console.log(
  `  the crash lifts the peg above the no-crash run: ${held('spiral managed', 'spiral no crash', 'peg_max_price_usd', gt)}`,
);
console.log(
  `  passive vaults (liquidated, not deleveraged) lift it further: ${held('spiral passive', 'spiral managed', 'peg_max_price_usd', gt)}`,
);
const above = stats.get('spiral managed')!.filter((r) => r.peg_max_price_usd > 1.005).length;
console.log(`  spiral: the stablecoin above $1.005 at some step: ${above}`);
const profits = stats.get('peg attack')!.filter((r) => r.attacker_pnl_usd > 0).length;
console.log(`  the peg attacker profits: ${profits}`);
