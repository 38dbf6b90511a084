// The CDP agents (agents/cdp/) on hand-built views of a real kernel with exact figures: a managed
// owner's repay and top-up back to the target ratio (reserve cap, dust, re-levering), passive vaults;
// keepers' Dutch takes at the discount threshold, sized to their coins and the chost rule, resets and
// kicks against gas, English tend and dent without outbidding themselves, the gas ceiling and the
// outage; the zero bidder and the peg attacker; buildCdpAgents' wiring.
import { describe, expect, it } from 'vitest';
import { ENGLISH, ethB, ok, system, underwater } from '../helpers/cdp-fixtures.js';
import { cdpConfig, CountingStream, viewOf } from '../helpers/cdp-views.js';
import { buildCdpAgents } from '../../agents/cdp/index.js';
import { CdpKeeper } from '../../agents/cdp/keepers.js';
import { PegAttacker, ZeroBidder } from '../../agents/cdp/attackers.js';
import { ratioFix, VaultOwners } from '../../agents/cdp/owners.js';
import { sellProceedsUsd } from '../../agents/cdp/quotes.js';
import { Stream } from '../../sim/core/rng.js';
import { SpotPool } from '../../sim/market/spot-pool.js';
import { auctionPriceUsd, dent, tend } from '../../sim/lending/cdp-auctions.js';
import type { CdpAction, CdpView } from '../../sim/lending/cdp-run-types.js';
import type { CdpVaults } from '../../sim/lending/cdp-vaults.js';
import type { CdpAttackerConfig } from '../../sim/config/cdp.js';

const OWNERS = { triggerRatio: 1.6, targetRatio: 2, repayShare: 0.7, releverRatio: 0, reactionProbability: 1 };

/** Two vaults of ETH-B, each `ink` ETH and `debt` of debt, opened at $2,000 and then at OSM `priceUsd`. */
function twoVaults(ink: number, debt: number, priceUsd: number): CdpVaults {
  const cdp = system([ethB()], [0, 0]);
  cdp.priceUsd[0] = 3000;
  for (const v of [0, 1]) {
    ok(cdp.lock(v, ink));
    ok(cdp.draw(v, debt));
  }
  cdp.priceUsd[0] = priceUsd;
  return cdp;
}

function decide(agent: { decide(view: CdpView, out: CdpAction[]): void }, view: CdpView): CdpAction[] {
  const out: CdpAction[] = [];
  agent.decide(view, out);
  return out;
}

describe('vault owners', () => {
  it('bring a managed vault at ratio 1.5 back to exactly 2: repay 1,750 and add 1 ETH', () => {
    // 10 ETH at $1,500 against 10,000: gap 2 x 10,000 - 15,000 = 5,000; 70% by repay (3,500 / 2 = 1,750),
    // 30% by collateral (1,500 / $1,500 = 1 ETH); after: 11 x 1,500 / 8,250 = 2.
    const cdp = twoVaults(10, 10_000, 1500);
    const owners = new VaultOwners(OWNERS, 2, 0, Uint8Array.from([1, 0]), new Stream('o'));
    const out = decide(owners, viewOf(cdp, { ownerReserveUnits: [5, 5] }));
    expect(out).toEqual([
      { kind: 'repay', vault: 0, units: 1750 },
      { kind: 'addCollateral', vault: 0, units: 1 },
    ]);
    expect(((10 + 1) * 1500) / (10_000 - 1750)).toBe(2);
  });

  it('leave a passive vault alone whatever its ratio', () => {
    const cdp = twoVaults(10, 10_000, 1500);
    const owners = new VaultOwners(OWNERS, 2, 0, Uint8Array.from([0, 0]), new Stream('o'));
    expect(decide(owners, viewOf(cdp, { ownerReserveUnits: [5, 5] }))).toEqual([]);
  });

  it('repay what the reserve cannot add: 0.4 ETH and 2,200 repaid, ratio 2', () => {
    // Add 0.4 ETH ($600) of the $1,500 wanted: repay (5,000 - 600) / 2 = 2,200; 10.4 x 1,500 / 7,800 = 2.
    const fix = ratioFix(10, 10_000, 1500, 2, 0.7, 0.4, 5000);
    expect(fix).toEqual({ repayUnits: 2200, addUnits: 0.4 });
    expect((10.4 * 1500) / (10_000 - fix.repayUnits)).toBeCloseTo(2, 12);
  });

  it('repay the whole debt rather than leave less than dust', () => {
    // 6 ETH at $1,500 against 6,000, all by repay: 1,500 would leave 4,500 < 5,000 of dust: repay 6,000.
    expect(ratioFix(6, 6000, 1500, 2, 1, 0, 5000)).toEqual({ repayUnits: 6000, addUnits: 0 });
  });

  it('act only with the reaction probability and skip a vault in an auction', () => {
    const cdp = twoVaults(10, 10_000, 1500);
    const never = new VaultOwners(
      { ...OWNERS, reactionProbability: 0 },
      2,
      0,
      Uint8Array.from([1, 1]),
      new Stream('o'),
    );
    expect(decide(never, viewOf(cdp, { ownerReserveUnits: [5, 5] }))).toEqual([]);
    cdp.priceUsd[0] = 1200; // unsafe: 10 x 1,200 / 1.3 < 10,000
    ok(cdp.bark(0, 1200)); // vault 0 goes whole into an auction
    cdp.priceUsd[0] = 1500;
    const owners = new VaultOwners(OWNERS, 2, 0, Uint8Array.from([1, 1]), new Stream('o'));
    const out = decide(owners, viewOf(cdp, { ownerReserveUnits: [5, 5] }));
    expect(out.map((a) => ('vault' in a ? a.vault : -1))).toEqual([1, 1]);
  });

  it('draw back to the target when re-optimizing above releverRatio: 5,000 more at ratio 3', () => {
    // 10 ETH at $3,000 against 10,000 (ratio 3 > 2.5): draw 30,000 / 2 - 10,000 = 5,000.
    const cdp = twoVaults(10, 10_000, 3000);
    const owners = new VaultOwners({ ...OWNERS, releverRatio: 2.5 }, 2, 0, Uint8Array.from([1, 0]), new Stream('o'));
    expect(decide(owners, viewOf(cdp))).toEqual([{ kind: 'draw', vault: 0, units: 5000 }]);
  });

  it('draw one uniform per managed vault per step, acting or not', () => {
    const cdp = twoVaults(10, 10_000, 1500);
    const s = new CountingStream('o');
    const owners = new VaultOwners(OWNERS, 2, 0, Uint8Array.from([1, 1]), s);
    decide(owners, viewOf(cdp));
    cdp.priceUsd[0] = 5000;
    decide(owners, viewOf(cdp));
    expect(s.draws).toBe(4);
  });
});

const KEEPERS = cdpConfig().keepers;

/** Vault 0 (10 ETH, debt 15,000) barked at $1,900 into a Dutch auction: tab 16,950, top $2,280; market $1,900. */
function dutchKicked(): CdpVaults {
  const cdp = underwater(system([ethB()]));
  ok(cdp.bark(0));
  return cdp;
}

describe('keepers on Dutch auctions', () => {
  it('take nothing while the price is above market x (1 - minDiscount): $1,864.8 > $1,862 after 20 cuts', () => {
    const cdp = dutchKicked();
    cdp.setTime(20 * 60);
    expect(auctionPriceUsd(cdp, 0)).toBeGreaterThan(1900 * 0.98);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    expect(decide(keeper, viewOf(cdp))).toEqual([]);
  });

  it('take the tab once the price is below it: 16,950 / $1,846.2 of ETH after 21 cuts', () => {
    const cdp = dutchKicked();
    cdp.setTime(21 * 60);
    const price = 2280 * Math.pow(0.99, 21);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(price, 9);
    expect(price).toBeLessThan(1900 * 0.98);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const out = decide(keeper, viewOf(cdp));
    expect(out).toHaveLength(1);
    const a = out[0];
    if (a.kind !== 'take') throw new Error(a.kind);
    expect(a.auction).toBe(0);
    expect(a.maxPriceUsd).toBe(auctionPriceUsd(cdp, 0));
    expect(a.maxCollateral).toBeCloseTo(16_950 / price, 9);
  });

  it('size a take to the coins it holds: 10,000 buys 10,000 / price of ETH', () => {
    const cdp = dutchKicked();
    cdp.setTime(21 * 60);
    const price = auctionPriceUsd(cdp, 0);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const out = decide(keeper, viewOf(cdp, { keeperStableUnits: [10_000] }));
    expect(out).toEqual([{ kind: 'take', keeper: 0, auction: 0, maxCollateral: 10_000 / price, maxPriceUsd: price }]);
  });

  it('take the whole tab when the chost rule would cut its take and it can pay the tab', () => {
    // 16,000 of coins would leave 950 < chost 5,650 of tab: the kernel would take 11,300 only; the keeper
    // with 17,000 takes the whole 16,950 instead (more profit), and with 12,000 takes 11,300.
    const cdp = dutchKicked();
    cdp.setTime(21 * 60);
    const price = auctionPriceUsd(cdp, 0);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const take = (coins: number) => {
      const a = decide(keeper, viewOf(cdp, { keeperStableUnits: [coins] }))[0];
      return a?.kind === 'take' ? a.maxCollateral * price : NaN;
    };
    expect(take(17_000)).toBeCloseTo(16_950, 9);
    expect(take(12_000)).toBeCloseTo(16_950 - 5650, 9);
  });

  it('take no more than the DEX pays for: a thin pool caps the take where proceeds stop beating the price', () => {
    const cdp = dutchKicked();
    cdp.setTime(21 * 60);
    const price = auctionPriceUsd(cdp, 0);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const out = decide(keeper, viewOf(cdp, { dexLiquidityUsd: 400_000 }));
    const a = out[0];
    if (a?.kind !== 'take') throw new Error('no take');
    // The optimum: sqrt(0.997 x y / price) - x with x = 400,000 / 1,900 and y = 400,000.
    const x = 400_000 / 1900;
    expect(a.maxCollateral).toBeCloseTo(Math.sqrt((0.997 * x * 400_000) / price) - x, 9);
    expect(a.maxCollateral).toBeLessThan(16_950 / price);
  });

  it('do nothing when gas is above maxGasUsd, nor when they are out', () => {
    const cdp = dutchKicked();
    cdp.setTime(21 * 60);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    expect(decide(keeper, viewOf(cdp, { gasUsd: 201 }))).toEqual([]);
    expect(decide(keeper, viewOf(cdp, { keeperOutage: 0.2 }))).toEqual([]);
    expect(decide(new CdpKeeper(KEEPERS, 1, new Stream('k')), viewOf(cdp, { keeperOutage: 0.2 }))).toHaveLength(1);
  });

  it('reset an auction past its tail and never take it then', () => {
    const cdp = dutchKicked();
    cdp.setTime(5401);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    expect(decide(keeper, viewOf(cdp))).toEqual([{ kind: 'redo', keeper: 0, auction: 0 }]);
  });

  it('kick an unsafe Dutch vault when tip + chip x tab beats gas, and not when it does not', () => {
    // Tab 15,000 x 1.13 = 16,950: incentive 300 + 16.95; with tip 0 only 16.95, below a gas of 20.
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const cdp = underwater(system([ethB()]));
    expect(decide(keeper, viewOf(cdp, { gasUsd: 150 }))).toEqual([{ kind: 'bark', keeper: 0, vault: 0 }]);
    const poor = underwater(system([ethB({}, { tip: 0 })]));
    expect(decide(keeper, viewOf(poor, { gasUsd: 16 }))).toEqual([{ kind: 'bark', keeper: 0, vault: 0 }]);
    expect(decide(keeper, viewOf(poor, { gasUsd: 20 }))).toEqual([]);
  });

  it('draw one uniform per step, acting, out or priced out by gas', () => {
    const cdp = dutchKicked();
    const s = new CountingStream('k');
    const keeper = new CdpKeeper(KEEPERS, 0, s);
    decide(keeper, viewOf(cdp));
    decide(keeper, viewOf(cdp, { gasUsd: 1e6 }));
    decide(keeper, viewOf(cdp, { keeperOutage: 1 }));
    expect(s.draws).toBe(3);
  });
});

/** Vault 0 barked at $1,900 into an English auction of 10 ETH for a tab of 16,950. */
function englishKicked(): CdpVaults {
  const cdp = underwater(system([ethB({}, ENGLISH)]));
  ok(cdp.bark(0));
  return cdp;
}

describe('keepers on English auctions', () => {
  it('kick an unsafe English vault although the kick pays nothing (the later auction pays)', () => {
    const cdp = underwater(system([ethB({}, ENGLISH)]));
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    expect(decide(keeper, viewOf(cdp))).toEqual([{ kind: 'bark', keeper: 0, vault: 0 }]);
  });

  it('bid the tab in the tend phase when the lot sold on the DEX x (1 - minDiscount) covers it', () => {
    const cdp = englishKicked();
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const view = viewOf(cdp);
    expect(sellProceedsUsd(view.dex[0].reserves, 0.003, 10) * 0.98).toBeGreaterThan(16_950);
    expect(decide(keeper, view)).toEqual([{ kind: 'tend', bidder: { keeper: 0 }, auction: 0, bidUnits: 16_950 }]);
  });

  it('bid the lot value x (1 - minDiscount) when that is below the tab', () => {
    const cdp = englishKicked();
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const view = viewOf(cdp, { marketPriceUsd: [1500] });
    const value = sellProceedsUsd(view.dex[0].reserves, 0.003, 10);
    expect(decide(keeper, view)).toEqual([{ kind: 'tend', bidder: { keeper: 0 }, auction: 0, bidUnits: value * 0.98 }]);
  });

  it('dent to lot / beg once the bid is the tab, and not again over its own dent', () => {
    const cdp = englishKicked();
    expect(tend(cdp, 0, 16_950)).toBeUndefined(); // someone else reached the tab
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const out = decide(keeper, viewOf(cdp));
    expect(out).toHaveLength(1);
    const a = out[0];
    if (a.kind !== 'dent') throw new Error(a.kind);
    expect(a.lotUnits).toBeCloseTo(10 / 1.03, 9);
    expect(a.lotUnits * 1.03).toBeLessThanOrEqual(10);
    // Its dent goes through: next step its standing bid is its own, and it leaves it.
    expect(dent(cdp, 0, a.lotUnits)).toBeUndefined();
    expect(decide(keeper, viewOf(cdp))).toEqual([]);
    // Another keeper does dent over it.
    expect(decide(new CdpKeeper(KEEPERS, 1, new Stream('k1')), viewOf(cdp))[0]?.kind).toBe('dent');
  });

  it('do not raise their own standing tend', () => {
    const cdp = englishKicked();
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const view = viewOf(cdp, { marketPriceUsd: [1500] });
    const [bid] = decide(keeper, view);
    if (bid.kind !== 'tend') throw new Error(bid.kind);
    expect(tend(cdp, 0, bid.bidUnits)).toBeUndefined();
    expect(decide(keeper, viewOf(cdp, { marketPriceUsd: [1700] }))).toEqual([]);
    // With the DEX higher, another keeper raises it.
    expect(decide(new CdpKeeper(KEEPERS, 1, new Stream('k1')), viewOf(cdp, { marketPriceUsd: [1700] }))[0]?.kind).toBe(
      'tend',
    );
  });

  it("read the view's standing bidder when it gives one", () => {
    const cdp = englishKicked();
    tend(cdp, 0, 16_950);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const mine = viewOf(cdp, { extra: { auctionBidder: [{ keeper: 0 }] } });
    expect(decide(keeper, mine)).toEqual([]);
    const theirs = viewOf(cdp, { extra: { auctionBidder: new Map([[0, { keeper: 3 }]]) } });
    expect(decide(keeper, theirs)[0]?.kind).toBe('dent');
  });
});

const ZERO: Extract<CdpAttackerConfig, { kind: 'zero-bidder' }> = {
  kind: 'zero-bidder',
  capitalUnits: 100_000,
  bidUnits: 0,
  maxGasUsd: 100_000,
  gasUsd: 10,
  kicks: false,
  maxKicksPerStep: 20,
  dutchTakeBelowMarketShare: 0.5,
};

describe('the zero bidder', () => {
  it('tends 0 on an English auction nobody bid on', () => {
    const cdp = englishKicked();
    const z = new ZeroBidder(ZERO, 0);
    expect(decide(z, viewOf(cdp))).toEqual([{ kind: 'tend', bidder: { attacker: 0 }, auction: 0, bidUnits: 0 }]);
  });

  it('does not bid on an auction with a bid, nor on a Dutch one', () => {
    const cdp = englishKicked();
    tend(cdp, 0, 1000);
    const z = new ZeroBidder(ZERO, 0);
    expect(decide(z, viewOf(cdp))).toEqual([]);
    expect(decide(z, viewOf(dutchKicked()))).toEqual([]);
  });

  it('stays out when gas x the multiplier is above its ceiling', () => {
    const z = new ZeroBidder({ ...ZERO, maxGasUsd: 500 }, 0);
    expect(decide(z, viewOf(englishKicked(), { gasMultiplier: 51 }))).toEqual([]);
    expect(decide(z, viewOf(englishKicked(), { gasMultiplier: 50 }))).toHaveLength(1);
  });
});

describe('the zero bidder that kicks and lowballs', () => {
  const KICKER = { ...ZERO, kicks: true };

  it('kicks an unsafe English vault (it wants lots to bid on)', () => {
    const cdp = underwater(system([ethB({}, ENGLISH)]));
    expect(decide(new ZeroBidder(KICKER, 0), viewOf(cdp))).toEqual([{ kind: 'attackerBark', attacker: 0, vault: 0 }]);
  });

  it('kicks a Dutch vault only when tip + chip x tab (300 + 16.95) beats its gas', () => {
    const cdp = underwater(system([ethB()]));
    expect(decide(new ZeroBidder({ ...KICKER, gasUsd: 316 }, 0), viewOf(cdp))).toHaveLength(1);
    expect(decide(new ZeroBidder({ ...KICKER, gasUsd: 317 }, 0), viewOf(cdp))).toEqual([]);
  });

  it('takes a Dutch lot only at half the market price or less: $941.5 after 88 cuts, not $951.0 after 87', () => {
    const z = new ZeroBidder(KICKER, 0);
    const cdp = dutchKicked();
    cdp.setTime(87 * 60);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(2280 * 0.99 ** 87, 6);
    expect(decide(z, viewOf(cdp, { attackerStableUnits: [100_000] }))).toEqual([]);
    cdp.setTime(88 * 60);
    const price = 2280 * 0.99 ** 88;
    expect(price).toBeCloseTo(941.53, 2);
    expect(decide(z, viewOf(cdp, { attackerStableUnits: [100_000] }))).toEqual([
      { kind: 'attackerTake', attacker: 0, auction: 0, maxCollateral: 10, maxPriceUsd: auctionPriceUsd(cdp, 0) },
    ]);
  });
});

describe('the peg attacker', () => {
  const cfg: Extract<CdpAttackerConfig, { kind: 'peg-attacker' }> = {
    kind: 'peg-attacker',
    capitalUsd: 2e6,
    buyStep: 30,
    sellAbovePriceUsd: 1.01,
    sellByStep: 100,
  };
  const cdp = system([ethB()]);
  const at = (step: number, stablePriceUsd: number, usd: number, units: number) =>
    viewOf(cdp, { step, stablePriceUsd, attackerUsd: [usd], attackerStableUnits: [units] });

  it('buys with all its USD at buyStep and sells everything once the price is above the threshold', () => {
    const p = new PegAttacker(cfg, 0);
    expect(decide(p, at(29, 1, 2e6, 0))).toEqual([]);
    expect(decide(p, at(30, 1, 2e6, 0))).toEqual([{ kind: 'pegBuy', attacker: 0, usd: 2e6 }]);
    expect(decide(p, at(31, 1.01, 0, 2e6))).toEqual([]);
    expect(decide(p, at(32, 1.02, 0, 2e6))).toEqual([{ kind: 'pegSell', attacker: 0, units: 2e6 }]);
    expect(decide(p, at(33, 1.05, 0, 0))).toEqual([]);
  });

  it('sells at sellByStep at the latest', () => {
    const p = new PegAttacker(cfg, 0);
    decide(p, at(30, 1, 2e6, 0));
    expect(decide(p, at(99, 1, 0, 1.9e6))).toEqual([]);
    expect(decide(p, at(100, 1, 0, 1.9e6))).toEqual([{ kind: 'pegSell', attacker: 0, units: 1.9e6 }]);
  });
});

describe('buildCdpAgents', () => {
  it('makes one owners decider, one per keeper and one per attacker, on the named streams', () => {
    const cfg = cdpConfig({
      keepers: { count: 3 },
      attackers: [{ kind: 'zero-bidder' }, { kind: 'peg-attacker' }],
    });
    const names: string[] = [];
    const agents = buildCdpAgents({
      cfg,
      ownerVaults: 2,
      ownerIlk: 0,
      managed: Uint8Array.from([1, 0]),
      stream: (name) => {
        names.push(name);
        return new Stream(name);
      },
    });
    expect(agents.owners).toHaveLength(1);
    expect(agents.keepers.map((k) => (k as CdpKeeper).keeper)).toEqual([0, 1, 2]);
    expect(agents.attackers[0]).toBeInstanceOf(ZeroBidder);
    expect(agents.attackers[1]).toBeInstanceOf(PegAttacker);
    expect((agents.attackers[1] as PegAttacker).attacker).toBe(1);
    expect(names).toEqual(['vault-owners', 'keeper.0', 'keeper.1', 'keeper.2']);
  });
});

// SpotPool's sale and the keepers' quote agree (the profit estimates match what the protocol gets).
describe('the DEX quote', () => {
  it('is what SpotPool.swap pays for a sale, fee included', () => {
    const pool = new SpotPool({ liquidityUsd: 1e6, feeRate: 0.003, arbitrageShare: 0 }, 2000);
    const quoted = sellProceedsUsd(pool.reserves, 0.003, 37);
    expect(-pool.swap(-37)).toBeCloseTo(quoted, 9);
  });
});

describe("keepers valuing the step's sales together", () => {
  /** Vaults 0 and 1 (10 ETH, 15,000 each) barked at $1,900: two Dutch auctions with the same price. */
  function twoDutch(): CdpVaults {
    const cdp = system([ethB()], [0, 0]);
    cdp.priceUsd[0] = 2000;
    for (const v of [0, 1]) {
      ok(cdp.lock(v, 10));
      ok(cdp.draw(v, 15_000));
    }
    cdp.priceUsd[0] = 1900;
    ok(cdp.bark(0));
    ok(cdp.bark(1));
    cdp.setTime(21 * 60);
    return cdp;
  }

  it('take the first lot to where the pool pays its price, and leave the second at the same price', () => {
    // An 800k pool: the optimum take of lot 0 (5.45 ETH, below tab - chost) brings the pool's marginal
    // proceeds down to the price, so lot 1, valued after it, is worth nothing more at that price.
    const cdp = twoDutch();
    const price = auctionPriceUsd(cdp, 1);
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const out = decide(keeper, viewOf(cdp, { dexLiquidityUsd: 800_000 }));
    const x = 800_000 / 1900;
    const u0 = Math.sqrt((0.997 * x * 800_000) / price) - x;
    expect(u0 * price).toBeLessThan(16_950 - 5650);
    expect(out).toEqual([
      { kind: 'take', keeper: 0, auction: 0, maxCollateral: expect.closeTo(u0, 9), maxPriceUsd: price },
    ]);
    // Alone, lot 1 is taken as lot 0 was.
    cdp.auctions[0].active = false;
    const alone = decide(keeper, viewOf(cdp, { dexLiquidityUsd: 800_000 }));
    expect(alone).toEqual([
      { kind: 'take', keeper: 0, auction: 1, maxCollateral: expect.closeTo(u0, 9), maxPriceUsd: price },
    ]);
  });

  it('bid on a later English lot as sold after the lots kicked before it', () => {
    const cdp = system([ethB({}, ENGLISH)], [0, 0]);
    cdp.priceUsd[0] = 2000;
    for (const v of [0, 1]) {
      ok(cdp.lock(v, 10));
      ok(cdp.draw(v, 15_000));
    }
    cdp.priceUsd[0] = 1500; // below the tab: each lot is bid at its value x 0.98
    ok(cdp.bark(0, 1500));
    ok(cdp.bark(1, 1500));
    const keeper = new CdpKeeper(KEEPERS, 0, new Stream('k'));
    const view = viewOf(cdp);
    const bids = new Map(
      decide(keeper, view).map((a) => [a.kind === 'tend' ? a.auction : -1, a.kind === 'tend' ? a.bidUnits : 0]),
    );
    const r = view.dex[0].reserves;
    const first = sellProceedsUsd(r, 0.003, 10);
    const second = sellProceedsUsd(r, 0.003, 20) - first;
    expect(bids.get(0)).toBeCloseTo(first * 0.98, 9);
    expect(bids.get(1)).toBeCloseTo(second * 0.98, 9);
  });
});
