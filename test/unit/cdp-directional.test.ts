// Directional acceptance of the CDP family (issue 16, acceptance 3) over 20 common seeds (1..20) of
// the built-in scenarios shrunk to 200 vaults: a gas spike raises the English auctions' zero-bid
// share and bad debt; with starved keepers Dutch auctions lose less than English ones; a collateral
// crash pushes the stablecoin above its peg while the vaults deleverage; the peg attacker profits.
// The full-size figures: `npm run build && node dist/bench/cdp-figures.js` (docs/findings/cdp.md).
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/api.js';
import { mean } from '../helpers/small-world.js';

const SEEDS = 20;
const SMALL = ['cdp.vaultOwners.count=200'];
const cache = new Map<string, Record<string, number>[]>();

/** The statistics of seeds 1..20 of built-in `ref` with 200 vaults and `sets`. */
function runs(ref: string, sets: readonly string[] = []): Record<string, number>[] {
  const id = JSON.stringify([ref, sets]);
  let out = cache.get(id);
  if (!out) {
    out = [];
    for (let seed = 1; seed <= SEEDS; seed++)
      out.push(simulate(ref, { seed, set: [...SMALL, ...sets] }).stats as Record<string, number>);
    cache.set(id, out);
  }
  return out;
}

const col = (rows: readonly Record<string, number>[], k: string) => rows.map((r) => r[k]);
/** Seeds in which `a` is above `b`. */
const above = (a: readonly number[], b: readonly number[]) => a.filter((x, n) => x > b[n]).length;

describe('CDP auctions on the Black Thursday replay (20 seeds, 200 vaults)', () => {
  it('a gas spike that starves the keepers raises the share of English auctions won at near-zero bids, and the bad debt', () => {
    const healthy = runs('cdp-black-thursday-english');
    const starved = runs('cdp-black-thursday-english-starved');
    const [zh, zs] = [col(healthy, 'zero_bid_share'), col(starved, 'zero_bid_share')];
    const [bh, bs] = [col(healthy, 'bad_debt_usd'), col(starved, 'bad_debt_usd')];
    console.log(
      `English: zero-bid share ${mean(zh).toFixed(3)} healthy vs ${mean(zs).toFixed(3)} starved; bad debt ${mean(bh).toFixed(0)} vs ${mean(bs).toFixed(0)}`,
    );
    expect(mean(zs)).toBeGreaterThan(0.3);
    expect(above(zs, zh)).toBeGreaterThanOrEqual(18);
    expect(mean(bs)).toBeGreaterThan(2 * mean(bh));
    expect(above(bs, bh)).toBeGreaterThanOrEqual(18);
  });

  it('with starved keepers, Dutch auctions lose less than English ones (the price falls, resets at cusp, and waits for the keepers)', () => {
    const english = col(runs('cdp-black-thursday-english-starved'), 'bad_debt_usd');
    const dutch = col(runs('cdp-black-thursday-dutch-starved'), 'bad_debt_usd');
    console.log(`starved keepers: bad debt English ${mean(english).toFixed(0)} vs Dutch ${mean(dutch).toFixed(0)}`);
    expect(mean(dutch)).toBeLessThan(mean(english) / 2);
    expect(above(english, dutch)).toBeGreaterThanOrEqual(18);
  });
});

describe('the stablecoin in a collateral crash (20 seeds, 200 vaults)', () => {
  it('goes above its peg while the vaults deleverage (owners buy it back to repay; keepers buy back what they paid into auctions)', () => {
    const crash = runs('cdp-deleverage-spiral');
    const calm = runs('cdp-deleverage-spiral', ['cdp.collateral.ETH.indexBeta=0']);
    const [pc, pq] = [col(crash, 'peg_max_price_usd'), col(calm, 'peg_max_price_usd')];
    console.log(
      `peg max: crash ${mean(pc).toFixed(4)} vs no crash ${mean(pq).toFixed(4)}; owners bought back ${mean(col(crash, 'owner_buyback_units')).toFixed(0)} vs ${mean(col(calm, 'owner_buyback_units')).toFixed(0)}`,
    );
    expect(pc.every((p) => p > 1.005)).toBe(true);
    expect(above(pc, pq)).toBe(SEEDS);
    expect(above(col(crash, 'owner_buyback_units'), col(calm, 'owner_buyback_units'))).toBe(SEEDS);
    expect(mean(col(crash, 'peg_minutes_outside_band'))).toBeGreaterThan(mean(col(calm, 'peg_minutes_outside_band')));
  });

  it('pays the peg attacker who buys before the forced deleverage and sells into it', () => {
    const pnl = col(runs('cdp-peg-attack'), 'attacker_pnl_usd');
    console.log(`peg attacker PnL: mean ${mean(pnl).toFixed(0)}, min ${Math.min(...pnl).toFixed(0)}`);
    expect(mean(pnl)).toBeGreaterThan(0);
    expect(pnl.filter((x) => x > 0).length).toBeGreaterThanOrEqual(18);
  });
});
