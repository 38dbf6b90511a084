// The Dutch auction of the CDP kernel (sim/lending/cdp-auctions.ts, Maker Clipper) on hand-built
// systems: the stairstep and linear prices, redo after tail and below cusp, partial and full takes
// with Maker's chost rule and collateral returned to the owner, bad debt, and the breaker levels.
import { describe, expect, it } from 'vitest';
import { ENGLISH, ethB, ok, system, underwater } from '../helpers/cdp-fixtures.js';
import { CdpVaults } from '../../sim/lending/cdp-vaults.js';
import { auctionPriceUsd, redo, setBreaker, take, tripBreaker } from '../../sim/lending/cdp-auctions.js';
import type { DutchAuctionParams } from '../../sim/lending/cdp-types.js';

/** Vault 0 barked at $1,900: a Dutch auction of 10 ETH for a tab of 16,950 from a top of $2,280. */
function kicked(auction: Partial<DutchAuctionParams> = {}): CdpVaults {
  const cdp = underwater(system([ethB({}, auction)]));
  ok(cdp.bark(0));
  return cdp;
}

describe('the stairstep price', () => {
  it('starts at the OSM price x buf and holds for the first 59 seconds', () => {
    const cdp = kicked();
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(2280, 9);
    cdp.setTime(59);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(2280, 9);
  });

  it('cuts the price by 1% at 60 seconds and to top x 0.99^60 at an hour', () => {
    const cdp = kicked();
    cdp.setTime(60);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(2257.2, 9);
    cdp.setTime(3600);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(2280 * Math.pow(0.99, 60), 9);
  });
});

describe('the linear price', () => {
  it('falls in a straight line from top to 0 over tau and stays at 0', () => {
    const cdp = kicked({ curve: 'linear', tauSeconds: 3600 });
    cdp.setTime(1800);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(1140, 9);
    cdp.setTime(2700);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(570, 9);
    cdp.setTime(4000);
    expect(auctionPriceUsd(cdp, 0)).toBe(0);
  });
});

describe('redo', () => {
  it('is refused before tail while the price is above cusp', () => {
    const cdp = kicked();
    cdp.setTime(5400);
    expect(redo(cdp, 0)).toBe('cannot-reset');
  });

  it('resets top from the OSM price after tail and pays the incentive again', () => {
    const cdp = kicked();
    cdp.setTime(5401);
    cdp.priceUsd[0] = 1500;
    const sin = cdp.sin;
    expect(redo(cdp, 0)).toBeCloseTo(300 + 16.95, 9);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(1800, 9);
    expect(cdp.sin - sin).toBeCloseTo(316.95, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('is allowed once the price falls below cusp x top and not one step before', () => {
    const cdp = kicked({ cut: 0.9 });
    cdp.setTime(480);
    expect(redo(cdp, 0)).toBe('cannot-reset');
    cdp.setTime(540);
    expect(take(cdp, 0, 1, Infinity)).toBe('needs-redo');
    expect(redo(cdp, 0)).toBeCloseTo(300 + 16.95, 9);
    expect(auctionPriceUsd(cdp, 0)).toBeCloseTo(2280, 9);
  });
});

describe('take', () => {
  it('sells part of the lot at the current price and burns the payment against sin', () => {
    const cdp = kicked();
    const sin = cdp.sin;
    const r = ok(take(cdp, 0, 2, 2280));
    expect(r.collateral).toBeCloseTo(2, 12);
    expect(r.paid).toBeCloseTo(4560, 9);
    expect(r.finished).toBe(false);
    const a = cdp.auctions[0];
    expect(a.tab).toBeCloseTo(16_950 - 4560, 9);
    expect(a.lot).toBeCloseTo(8, 12);
    expect(cdp.dirt[0]).toBeCloseTo(12_390, 9);
    expect(sin - cdp.sin).toBeCloseTo(4560, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('leaves a tab of at least chost = dust x chop after a partial take', () => {
    const cdp = kicked();
    const r = ok(take(cdp, 0, 5, 2280));
    expect(r.paid).toBeCloseTo(16_950 - 5650, 9);
    expect(r.collateral).toBeCloseTo(11_300 / 2280, 12);
    expect(cdp.auctions[0].tab).toBeCloseTo(5650, 9);
  });

  it('pays the whole tab and returns the collateral left to the vault owner', () => {
    const cdp = kicked();
    const r = ok(take(cdp, 0, 10, 2280));
    expect(r.paid).toBeCloseTo(16_950, 9);
    expect(r.collateral).toBeCloseTo(16_950 / 2280, 12);
    expect(r.returned).toBeCloseTo(10 - 16_950 / 2280, 12);
    expect(r.finished).toBe(true);
    expect(cdp.returnedToOwner[0]).toBeCloseTo(10 - 16_950 / 2280, 12);
    expect(cdp.Dirt).toBe(0);
    expect(cdp.sin).toBe(0);
    expect(cdp.surplus).toBeCloseTo(16_950 - 15_316.95, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('leaves the tab not raised in sin as bad debt when the lot runs out', () => {
    const cdp = kicked();
    cdp.setTime(3600);
    const price = 2280 * Math.pow(0.99, 60);
    const r = ok(take(cdp, 0, 10, Infinity));
    expect(r.paid).toBeCloseTo(10 * price, 9);
    expect(r.finished).toBe(true);
    expect(cdp.sin).toBeCloseTo(15_316.95 - 10 * price, 9);
    expect(cdp.Dirt).toBe(0);
    expect(cdp.violation()).toBeUndefined();
  });

  it('refuses to take from an English auction', () => {
    const cdp = underwater(system([ethB({}, ENGLISH)]));
    ok(cdp.bark(0));
    expect(take(cdp, 0, 1, Infinity)).toBe('wrong-kind');
  });

  it('refuses a buyer whose price limit is below the current price', () => {
    expect(take(kicked(), 0, 1, 2279)).toBe('too-expensive');
  });
});

describe('the breaker', () => {
  it('refuses new kicks at level 1', () => {
    const cdp = underwater(system([ethB()]));
    setBreaker(cdp, 0, 1);
    expect(cdp.bark(0)).toBe('stopped');
  });

  it('refuses redo at level 2', () => {
    const cdp = kicked();
    setBreaker(cdp, 0, 2);
    cdp.setTime(5401);
    expect(redo(cdp, 0)).toBe('stopped');
  });

  it('still allows take at level 2', () => {
    const cdp = kicked();
    setBreaker(cdp, 0, 2);
    expect(ok(take(cdp, 0, 1, Infinity)).collateral).toBeCloseTo(1, 12);
  });

  it('refuses take at level 3', () => {
    const cdp = kicked();
    setBreaker(cdp, 0, 3);
    expect(take(cdp, 0, 1, Infinity)).toBe('stopped');
  });

  it('trips to level 2 when the next OSM price is below half the current one', () => {
    const cdp = kicked();
    expect(tripBreaker(cdp, 0, 2000, 1000)).toBe('not-tripped');
    expect(tripBreaker(cdp, 0, 2000, 999)).toBeUndefined();
    expect(cdp.stopped[0]).toBe(2);
  });
});
