// The Compound model of the lending kernel (sim/lending/liquidation.ts absorb and buy-collateral,
// pool.ts borrowing) on a hand-built USDC/WETH pool: only the base is borrowable, absorb credits the
// collateral at the liquidation factor from the reserves (which may go negative), buy-collateral
// sells at the store-front price while the reserves are below target. Exact figures.
import { describe, expect, it } from 'vitest';
import type { LendingPool } from '../../sim/lending/pool.js';
import { USDC, WETH, compoundPool } from './lending-fixtures.js';

/** Account 0: 1 WETH at $2,000 backing 1,650 USDC (the whole borrow power at 0.825), then WETH at `priceUsd`. */
function borrowed(priceUsd: number, target?: number): LendingPool {
  const pool = compoundPool(target === undefined ? {} : { targetReservesUnits: target });
  pool.supply(0, WETH, 1);
  expect(pool.borrow(0, USDC, 1650)).toBeUndefined();
  pool.oraclePriceUsd[WETH] = priceUsd;
  return pool;
}

function absorbed(pool: LendingPool, account = 0): { seizedUnits: number[]; debtUnits: number; creditUnits: number } {
  const out = pool.absorb(account);
  if (typeof out === 'string') throw new Error(`refused: ${out}`);
  return out;
}

describe('Compound borrowing', () => {
  it('lends only the base asset', () => {
    const pool = compoundPool();
    pool.supply(1, WETH, 10);
    pool.supply(0, WETH, 1);
    expect(pool.borrow(0, WETH, 0.1)).toBe('wrong-model');
  });

  it('lends up to the borrow collateral factor', () => {
    const pool = compoundPool();
    pool.supply(0, WETH, 1);
    expect(pool.borrow(0, USDC, 1650.01)).toBe('borrow-power');
    expect(pool.borrow(0, USDC, 1650)).toBeUndefined();
    // 2,000 x 0.895 / 1,650
    expect(pool.healthFactor(0)).toBeCloseTo(1790 / 1650, 12);
  });

  it('refuses an Aave liquidation', () => {
    expect(borrowed(1800).liquidate(0, USDC, WETH, 100)).toBe('wrong-model');
  });
});

describe('absorb', () => {
  it('takes all the collateral, wipes the debt and credits the surplus at the liquidation factor', () => {
    const pool = borrowed(1800);
    const out = absorbed(pool);
    expect(out.seizedUnits[WETH]).toBeCloseTo(1, 12);
    expect(out.debtUnits).toBeCloseTo(1650, 9);
    // 1 x 1,800 x 0.95
    expect(out.creditUnits).toBeCloseTo(1710, 9);
    expect(pool.debtUnits(0, USDC)).toBe(0);
    expect(pool.supplyUnits(0, WETH)).toBe(0);
    expect(pool.supplyUnits(0, USDC)).toBeCloseTo(60, 9);
    expect(pool.absorbedUnits(WETH)).toBeCloseTo(1, 12);
    expect(pool.reservesUnits(USDC)).toBeCloseTo(-1710, 9);
    expect(pool.violation(true)).toBeUndefined();
  });

  it('pays a shortfall from the reserves, which go negative', () => {
    const pool = borrowed(1500);
    const out = absorbed(pool);
    expect(out.creditUnits).toBeCloseTo(1425, 9);
    expect(pool.supplyUnits(0, USDC)).toBe(0);
    expect(pool.reservesUnits(USDC)).toBeCloseTo(-1650, 9);
    const b = pool.balance();
    expect(b.heldUsd).toBeCloseTo(b.externalUsd, 6);
  });

  it('refuses a healthy account and one without debt', () => {
    const pool = borrowed(2000);
    expect(pool.absorb(0)).toBe('healthy');
    expect(pool.absorb(1)).toBe('no-debt');
  });

  it('refuses while the collateral reserve is paused or in its grace period', () => {
    const pool = borrowed(1800);
    pool.pause(WETH);
    expect(pool.absorb(0)).toBe('paused');
    pool.unpause(WETH, 0);
    expect(pool.absorb(0)).toBe('grace-period');
  });
});

describe('buy-collateral', () => {
  it('sells absorbed collateral at the store-front price into the reserves', () => {
    const pool = borrowed(1800);
    absorbed(pool);
    // 1,800 x (1 - 0.5 x 0.05)
    expect(pool.storeFrontPriceUsd(WETH)).toBeCloseTo(1755, 9);
    const cashBefore = pool.cashUnits(USDC);
    const out = pool.buyCollateral(WETH, 877.5);
    expect(out).toEqual({ units: expect.closeTo(0.5, 12) as number });
    expect(pool.absorbedUnits(WETH)).toBeCloseTo(0.5, 12);
    expect(pool.cashUnits(USDC) - cashBefore).toBeCloseTo(877.5, 9);
    expect(pool.reservesUnits(USDC)).toBeCloseTo(-1710 + 877.5, 9);
    expect(pool.violation(true)).toBeUndefined();
  });

  it('sells no more than was absorbed', () => {
    const pool = borrowed(1800);
    absorbed(pool);
    expect(pool.buyCollateral(WETH, 1_000_000)).toEqual({ units: expect.closeTo(1, 12) as number });
    expect(pool.buyCollateral(WETH, 100)).toBe('empty');
  });

  it('refuses to sell while the reserves are at or above the target', () => {
    const pool = borrowed(1800, -1000);
    absorbed(pool);
    expect(pool.buyCollateral(WETH, 877.5)).toEqual({ units: expect.closeTo(0.5, 12) as number });
    // Reserves now -832.5 >= -1,000.
    expect(pool.buyCollateral(WETH, 100)).toBe('reserves-at-target');
  });
});
