// The English auction of the CDP kernel (sim/lending/cdp-auctions.ts, Maker Flipper) on hand-built
// systems: tend with the minimum increment beg, dent, the ttl and tau endings, a zero bid winning
// when nobody else bids, restart without a bid (tick), and settlement (deal), with exact figures.
import { describe, expect, it } from 'vitest';
import { ENGLISH, ethB, ok, system, underwater } from '../helpers/cdp-fixtures.js';
import { CdpVaults } from '../../sim/lending/cdp-vaults.js';
import { deal, dent, tend, tick } from '../../sim/lending/cdp-auctions.js';

/** Vault 0 barked at $1,900: an English auction of 10 ETH for a tab of 16,950 (ttl 3 h, tau 2 days). */
function kicked(): CdpVaults {
  const cdp = underwater(system([ethB({}, ENGLISH)]));
  ok(cdp.bark(0));
  return cdp;
}

describe('tend', () => {
  it('takes a first bid and burns it against sin', () => {
    const cdp = kicked();
    expect(tend(cdp, 0, 10_000)).toBeUndefined();
    expect(cdp.sin).toBeCloseTo(5000, 9);
    expect(cdp.supply).toBeCloseTo(5000, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('refuses a raise below beg x the standing bid and takes one at it', () => {
    const cdp = kicked();
    tend(cdp, 0, 10_000);
    expect(tend(cdp, 0, 10_299)).toBe('bid-too-low');
    expect(tend(cdp, 0, 10_300)).toBeUndefined();
    expect(cdp.auctions[0].bid).toBe(10_300);
    expect(cdp.sin).toBeCloseTo(4700, 9);
  });

  it('refuses a bid above the tab and takes the tab itself below beg x the standing bid', () => {
    const cdp = kicked();
    tend(cdp, 0, 16_800);
    expect(tend(cdp, 0, 16_951)).toBe('bid-above-tab');
    expect(tend(cdp, 0, 16_950)).toBeUndefined();
    expect(tend(cdp, 0, 16_950)).toBe('not-tend-phase');
  });
});

describe('dent', () => {
  it('is refused before the bid reaches the tab', () => {
    const cdp = kicked();
    tend(cdp, 0, 10_000);
    expect(dent(cdp, 0, 9)).toBe('not-dent-phase');
  });

  it('lowers the lot by at least beg and returns the difference to the owner', () => {
    const cdp = kicked();
    tend(cdp, 0, 16_950);
    expect(dent(cdp, 0, 9.8)).toBe('lot-not-lower');
    expect(dent(cdp, 0, 9.7)).toBeUndefined();
    expect(cdp.auctions[0].lot).toBe(9.7);
    expect(cdp.returnedToOwner[0]).toBeCloseTo(0.3, 12);
    expect(cdp.collateralHeld[0]).toBeCloseTo(9.7, 12);
    expect(cdp.violation()).toBeUndefined();
  });
});

describe('endings', () => {
  it('ends ttl after the last bid: later bids are refused and the bid can be dealt', () => {
    const cdp = kicked();
    tend(cdp, 0, 10_000);
    cdp.setTime(10_799);
    expect(deal(cdp, 0)).toBe('not-finished');
    cdp.setTime(10_800);
    expect(tend(cdp, 0, 12_000)).toBe('ended');
    expect(ok(deal(cdp, 0)).collateral).toBe(10);
  });

  it('ends at tau after the kick even while bids keep coming', () => {
    const cdp = kicked();
    let bid = 1000;
    for (let t = 0; t < 172_800; t += 7200) {
      cdp.setTime(t);
      expect(tend(cdp, 0, bid)).toBeUndefined();
      bid *= 1.031;
    }
    expect(cdp.auctions[0].bidExpirySeconds).toBe(165_600 + 10_800);
    cdp.setTime(172_800);
    expect(tend(cdp, 0, bid)).toBe('ended');
    expect(ok(deal(cdp, 0)).raised).toBeCloseTo(1000 * Math.pow(1.031, 23), 9);
  });

  it('lets a zero bid for the whole lot win when nobody else bids', () => {
    const cdp = kicked();
    expect(tend(cdp, 0, 0)).toBeUndefined();
    cdp.setTime(10_800);
    const r = ok(deal(cdp, 0));
    expect(r.collateral).toBe(10);
    expect(r.raised).toBe(0);
    expect(r.shortfall).toBeCloseTo(16_950, 9);
    expect(r.badDebt).toBeCloseTo(15_000, 9);
    expect(cdp.sin).toBeCloseTo(15_000, 9);
    expect(cdp.soldUnits[0]).toBe(10);
    expect(cdp.Dirt).toBe(0);
    expect(cdp.violation()).toBeUndefined();
  });

  it('restarts an auction that reached tau without a bid', () => {
    const cdp = kicked();
    cdp.setTime(172_799);
    expect(tick(cdp, 0)).toBe('not-finished');
    cdp.setTime(172_800);
    expect(tend(cdp, 0, 1000)).toBe('ended');
    expect(deal(cdp, 0)).toBe('no-bid');
    expect(tick(cdp, 0)).toBeUndefined();
    expect(cdp.auctions[0].endSeconds).toBe(345_600);
    expect(tend(cdp, 0, 1000)).toBeUndefined();
  });
});

describe('deal', () => {
  it('gives the winner the lot, clears the in-flight tab and leaves the shortfall in sin', () => {
    const cdp = kicked();
    tend(cdp, 0, 16_950);
    dent(cdp, 0, 9);
    cdp.setTime(10_800);
    const r = ok(deal(cdp, 0));
    expect(r.collateral).toBe(9);
    expect(r.raised).toBeCloseTo(16_950, 9);
    expect(r.shortfall).toBe(0);
    expect(r.badDebt).toBe(0);
    expect(cdp.sin).toBe(0);
    expect(cdp.surplus).toBeCloseTo(1950, 9);
    expect(cdp.returnedToOwner[0]).toBeCloseTo(1, 12);
    expect(cdp.dirt[0]).toBe(0);
    expect(cdp.auctions[0].active).toBe(false);
    expect(cdp.violation()).toBeUndefined();
  });
});
