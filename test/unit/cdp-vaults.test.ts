// The CDP kernel's vaults (sim/lending/cdp-vaults.ts) on hand-built systems: the safety test at
// mat 1.3, lock, free, draw and wipe with the dust rule, three steps of stability fee, and bark with
// the Hole and hole room, the dust rule, the tab and the keeper incentive, with exact figures.
import { describe, expect, it } from 'vitest';
import { ENGLISH, ethB, ok, system, underwater } from '../helpers/cdp-fixtures.js';
import { CDP_YEAR_SECONDS } from '../../sim/lending/cdp-vaults.js';

describe('the safety test', () => {
  it('holds while ink x price / 1.3 covers the debt and fails a cent below', () => {
    const cdp = underwater(system([ethB()]), 2000);
    expect(cdp.isSafe(0, 1950)).toBe(true);
    expect(cdp.isSafe(0, 1949.99)).toBe(false);
  });

  it('uses the stored OSM price when none is passed', () => {
    const cdp = underwater(system([ethB()]), 1949);
    expect(cdp.isSafe(0)).toBe(false);
  });
});

describe('vault operations', () => {
  it('lets a vault draw up to ink x price / mat and refuses a cent more', () => {
    const cdp = system([ethB()]);
    cdp.priceUsd[0] = 2000;
    cdp.lock(0, 10);
    expect(cdp.draw(0, 20_000 / 1.3 + 0.01)).toBe('unsafe');
    expect(cdp.draw(0, 20_000 / 1.3)).toBeUndefined();
    expect(cdp.supply).toBeCloseTo(20_000 / 1.3, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('refuses a draw that leaves the debt below dust', () => {
    const cdp = system([ethB()]);
    cdp.priceUsd[0] = 2000;
    cdp.lock(0, 10);
    expect(cdp.draw(0, 4999)).toBe('dust');
  });

  it('refuses to free collateral the debt still needs', () => {
    const cdp = underwater(system([ethB()]), 2000);
    expect(cdp.free(0, 0.26)).toBe('unsafe');
    expect(cdp.free(0, 0.25)).toBeUndefined();
    expect(cdp.ink[0]).toBeCloseTo(9.75, 12);
    expect(cdp.freedUnits[0]).toBeCloseTo(0.25, 12);
  });

  it('refuses a wipe that leaves a dusty remainder and clears the whole debt on an overpayment', () => {
    const cdp = underwater(system([ethB()]), 2000);
    expect(cdp.wipe(0, 10_001)).toBe('dust');
    expect(cdp.wipe(0, 10_000)).toBeCloseTo(10_000, 9);
    expect(cdp.wipe(0, 6000)).toBeCloseTo(5000, 9);
    expect(cdp.art[0]).toBe(0);
    expect(cdp.supply).toBeCloseTo(0, 9);
    expect(cdp.violation()).toBeUndefined();
  });
});

describe('drip', () => {
  it('compounds the rate index for three steps and mints the fee to the surplus', () => {
    const cdp = underwater(system([ethB()]), 2000);
    cdp.drip();
    cdp.drip();
    cdp.drip();
    const rate = Math.pow(1.05, (3 * 3600) / CDP_YEAR_SECONDS);
    expect(cdp.rate[0]).toBeCloseTo(rate, 12);
    expect(cdp.surplus).toBeCloseTo(15_000 * (rate - 1), 9);
    expect(cdp.debtOf(0)).toBeCloseTo(15_000 * rate, 9);
    expect(cdp.violation()).toBeUndefined();
  });
});

describe('bark', () => {
  it('refuses to liquidate a safe vault', () => {
    expect(underwater(system([ethB()]), 2000).bark(0)).toBe('safe');
  });

  it('liquidates the whole vault for a tab of debt x chop and moves the debt to sin', () => {
    const cdp = underwater(system([ethB()]));
    const r = ok(cdp.bark(0));
    expect(r.dart).toBeCloseTo(15_000, 9);
    expect(r.dink).toBeCloseTo(10, 12);
    expect(r.tab).toBeCloseTo(16_950, 9);
    expect(cdp.ink[0]).toBe(0);
    expect(cdp.art[0]).toBe(0);
    expect(cdp.collateralHeld[0]).toBeCloseTo(10, 12);
    expect(cdp.dirt[0]).toBeCloseTo(16_950, 9);
    expect(cdp.Dirt).toBeCloseTo(16_950, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('mints the keeper incentive tip + chip x tab, which adds to sin', () => {
    const cdp = underwater(system([ethB()]));
    const r = ok(cdp.bark(0));
    expect(r.incentive).toBeCloseTo(300 + 16.95, 9);
    expect(cdp.sin).toBeCloseTo(15_000 + 316.95, 9);
    expect(cdp.supply).toBeCloseTo(15_316.95, 9);
  });

  it('liquidates only what the per-ilk hole leaves room for', () => {
    const cdp = underwater(system([ethB({ hole: 10_000 })]));
    const r = ok(cdp.bark(0));
    expect(r.tab).toBeCloseTo(10_000, 9);
    expect(r.dart).toBeCloseTo(10_000 / 1.13, 9);
    expect(r.dink).toBeCloseTo((10 * 10_000) / 1.13 / 15_000, 12);
    expect(cdp.debtOf(0)).toBeCloseTo(15_000 - 10_000 / 1.13, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('liquidates the whole vault when the room would leave a remainder below dust', () => {
    const cdp = underwater(system([ethB({ hole: 12_000 })]));
    const r = ok(cdp.bark(0));
    expect(r.tab).toBeCloseTo(16_950, 9);
    expect(cdp.dirt[0]).toBeCloseTo(16_950, 9);
  });

  it('refuses when the room forces a partial liquidation below dust', () => {
    expect(underwater(system([ethB({ hole: 5000 })])).bark(0)).toBe('dust-room');
  });

  it('refuses a kick once the global Hole is full', () => {
    const cdp = system([ethB()], [0, 0], { Hole: 16_950 });
    underwater(cdp);
    cdp.priceUsd[0] = 2000;
    cdp.lock(1, 10);
    cdp.draw(1, 15_000);
    cdp.priceUsd[0] = 1900;
    ok(cdp.bark(0));
    expect(cdp.bark(1)).toBe('liquidation-limit');
  });

  it('pays no keeper incentive on an English kick', () => {
    const cdp = underwater(system([ethB({}, ENGLISH)]));
    expect(ok(cdp.bark(0)).incentive).toBe(0);
    expect(cdp.sin).toBeCloseTo(15_000, 9);
  });
});
