// The lending kernel's user actions (sim/lending/pool.ts) on hand-built Aave pools: health, borrow
// power, caps, isolation and its debt ceiling, e-mode, pause/freeze, withdrawals (health-factor limit
// and the queue at 100% utilization) and interest accrual, with exact figures.
import { describe, expect, it } from 'vitest';
import { YEAR_SECONDS } from '../../sim/lending/types.js';
import { ETH, STETH, USDC, WBTC, aavePool } from './lending-fixtures.js';

describe('health', () => {
  it('weighs two collaterals by their liquidation thresholds', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.supply(0, WBTC, 0.1);
    expect(pool.borrow(0, USDC, 3000)).toBeUndefined();
    const h = pool.health(0);
    expect(h.collateralUsd).toBeCloseTo(8000, 9);
    // 2,000 x 0.825 + 6,000 x 0.75
    expect(h.thresholdValueUsd).toBeCloseTo(6150, 9);
    // 2,000 x 0.8 + 6,000 x 0.7
    expect(h.borrowPowerUsd).toBeCloseTo(5800, 9);
    expect(h.debtUsd).toBeCloseTo(3000, 9);
    expect(h.healthFactor).toBeCloseTo(2.05, 12);
    expect(pool.healthFactor(0)).toBeCloseTo(2.05, 12);
  });

  it('is infinite without debt', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    expect(pool.healthFactor(0)).toBe(Infinity);
  });

  it('counts no supply of an asset that is not collateral', () => {
    const pool = aavePool({ [WBTC]: { collateral: false } });
    pool.supply(0, WBTC, 1);
    expect(pool.health(0).collateralUsd).toBe(0);
    expect(pool.borrow(0, USDC, 1)).toBe('borrow-power');
  });
});

describe('borrowing', () => {
  it('is refused past the borrow power and allowed up to it', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.supply(0, WBTC, 0.1);
    expect(pool.borrow(0, USDC, 5800.01)).toBe('borrow-power');
    expect(pool.borrow(0, USDC, 5800)).toBeUndefined();
    expect(pool.debtUnits(0, USDC)).toBeCloseTo(5800, 9);
    expect(pool.cashUnits(USDC)).toBeCloseTo(1_000_000 - 5800, 9);
  });

  it('is refused when the reserve lacks the cash', () => {
    const pool = aavePool();
    pool.supply(0, WBTC, 100);
    expect(pool.borrow(0, USDC, 1_000_001)).toBe('liquidity');
  });

  it('is refused for an asset that is not borrowable', () => {
    const pool = aavePool({ [WBTC]: { borrowable: false } });
    pool.supply(0, ETH, 10);
    expect(pool.borrow(0, WBTC, 0.01)).toBe('not-borrowable');
  });

  it('is refused past the borrow cap', () => {
    const pool = aavePool({ [USDC]: { borrowCapUnits: 1000 } });
    pool.supply(0, ETH, 10);
    expect(pool.borrow(0, USDC, 600)).toBeUndefined();
    expect(pool.borrow(0, USDC, 500)).toBe('borrow-cap');
  });

  it('is refused for nothing', () => {
    const pool = aavePool();
    expect(pool.borrow(0, USDC, 0)).toBe('empty');
  });
});

describe('supplying', () => {
  it('is refused past the supply cap', () => {
    const pool = aavePool({ [WBTC]: { supplyCapUnits: 1 } });
    expect(pool.supply(0, WBTC, 0.6)).toBeUndefined();
    expect(pool.supply(1, WBTC, 0.5)).toBe('supply-cap');
    expect(pool.totalSupplyUnits(WBTC)).toBeCloseTo(0.6, 12);
  });
});

describe('isolation mode', () => {
  const isolated = { [WBTC]: { isolated: true, debtCeilingUsd: 10_000 } };

  it('refuses to borrow an asset not borrowable in isolation against isolated collateral', () => {
    const pool = aavePool(isolated);
    pool.supply(0, WBTC, 1);
    expect(pool.borrow(0, ETH, 1)).toBe('isolation');
  });

  it('refuses other collateral next to isolated collateral, and isolated collateral next to other', () => {
    const pool = aavePool(isolated);
    pool.supply(0, WBTC, 1);
    expect(pool.supply(0, ETH, 1)).toBe('isolation');
    pool.supply(1, ETH, 1);
    expect(pool.supply(1, WBTC, 1)).toBe('isolation');
  });

  it('refuses a borrow past the debt ceiling of the isolated collateral', () => {
    const pool = aavePool(isolated);
    pool.supply(0, WBTC, 1);
    pool.supply(1, WBTC, 1);
    expect(pool.borrow(0, USDC, 6000)).toBeUndefined();
    expect(pool.borrow(1, USDC, 4000)).toBeUndefined();
    expect(pool.isolationDebtUsd[WBTC]).toBeCloseTo(10_000, 9);
    expect(pool.borrow(1, USDC, 1)).toBe('debt-ceiling');
  });

  it('lowers the isolation debt by what is repaid', () => {
    const pool = aavePool(isolated);
    pool.supply(0, WBTC, 1);
    pool.borrow(0, USDC, 10_000);
    expect(pool.repay(0, USDC, 4000)).toBeCloseTo(4000, 9);
    expect(pool.isolationDebtUsd[WBTC]).toBeCloseTo(6000, 9);
    expect(pool.borrow(0, USDC, 4000)).toBeUndefined();
  });
});

describe('e-mode', () => {
  it('lends at the category LTV against collateral in the category', () => {
    const pool = aavePool();
    pool.supply(0, STETH, 1);
    expect(pool.borrow(0, ETH, 0.9)).toBe('borrow-power');
    expect(pool.setEMode(0, 1)).toBeUndefined();
    expect(pool.borrow(0, ETH, 0.9)).toBeUndefined();
    // 2,000 x 0.93 / 1,800
    expect(pool.healthFactor(0)).toBeCloseTo(1860 / 1800, 12);
  });

  it('refuses to borrow an asset outside the category', () => {
    const pool = aavePool();
    pool.supply(0, STETH, 1);
    pool.setEMode(0, 1);
    expect(pool.borrow(0, USDC, 100)).toBe('emode');
  });

  it('refuses to enter a category with debt outside it, or an unknown category', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 100);
    expect(pool.setEMode(0, 1)).toBe('emode');
    expect(pool.setEMode(0, 7)).toBe('emode');
    expect(pool.eMode(0)).toBe(0);
  });

  it('refuses to leave the category when the health factor would fall below 1', () => {
    const pool = aavePool();
    pool.supply(0, STETH, 1);
    pool.setEMode(0, 1);
    pool.borrow(0, ETH, 0.8);
    // Outside e-mode: 2,000 x 0.75 / 1,600 < 1.
    expect(pool.setEMode(0, 0)).toBe('emode');
    expect(pool.eMode(0)).toBe(1);
  });
});

describe('pause, freeze and grace period', () => {
  it('refuses supply, withdraw, borrow and repay on a paused reserve', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 100);
    pool.pause(ETH);
    pool.pause(USDC);
    expect(pool.supply(0, ETH, 1)).toBe('paused');
    expect(pool.withdraw(0, ETH, 0.1)).toEqual({ units: 0, refusal: 'paused' });
    expect(pool.borrow(0, USDC, 1)).toBe('paused');
    expect(pool.repay(0, USDC, 100)).toBe(0);
  });

  it('refuses supply and borrow on a frozen reserve but lets withdraw and repay through', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 100);
    pool.setFrozen(ETH, true);
    pool.setFrozen(USDC, true);
    expect(pool.supply(0, ETH, 1)).toBe('frozen');
    expect(pool.borrow(0, USDC, 1)).toBe('frozen');
    expect(pool.repay(0, USDC, 100)).toBeCloseTo(100, 9);
    expect(pool.withdraw(0, ETH, 0.5).units).toBeCloseTo(0.5, 12);
    pool.setFrozen(ETH, false);
    expect(pool.supply(0, ETH, 1)).toBeUndefined();
  });

  it('allows liquidations only once the grace period after an unpause is over', () => {
    const pool = aavePool();
    pool.pause(ETH);
    expect(pool.liquidationAllowed(ETH)).toBe(false);
    pool.unpause(ETH, 10);
    pool.setStep(14);
    expect(pool.liquidationAllowed(ETH)).toBe(false);
    pool.setStep(15);
    expect(pool.liquidationAllowed(ETH)).toBe(true);
  });
});

describe('withdrawing', () => {
  it('pays at most what keeps the health factor at 1', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 1000);
    // (1,650 - 1,000) / (2,000 x 0.825)
    const res = pool.withdraw(0, ETH, 1);
    expect(res.refusal).toBeUndefined();
    expect(res.units).toBeCloseTo(650 / 1650, 9);
    // A hair above 1 (the pool stops 1e-9 short of the limit).
    expect(pool.healthFactor(0)).toBeCloseTo(1, 8);
    expect(pool.healthFactor(0)).toBeGreaterThanOrEqual(1);
  });

  it('is refused for the health factor when it is already below 1', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 1600);
    pool.oraclePriceUsd[ETH] = 1900;
    expect(pool.withdraw(0, ETH, 0.1)).toEqual({ units: 0, refusal: 'health-factor' });
  });

  it('is refused for liquidity at 100% utilization and waits in the queue until repayments free cash', () => {
    const pool = aavePool();
    pool.supply(0, WBTC, 100);
    pool.borrow(0, USDC, 1_000_000);
    expect(pool.utilization(USDC)).toBe(1);
    expect(pool.withdraw(3, USDC, 600)).toEqual({ units: 0, refusal: 'liquidity' });
    pool.enqueueWithdraw(3, USDC, 600);
    pool.processQueue();
    expect(pool.queuedUnits(USDC)).toBeCloseTo(600, 9);
    pool.repay(0, USDC, 400);
    pool.processQueue();
    expect(pool.queuedUnits(USDC)).toBeCloseTo(200, 9);
    expect(pool.supplyUnits(3, USDC)).toBeCloseTo(999_600, 9);
    expect(pool.cashUnits(USDC)).toBeCloseTo(0, 9);
    pool.repay(0, USDC, 300);
    pool.processQueue();
    expect(pool.queuedUnits(USDC)).toBe(0);
    expect(pool.cashUnits(USDC)).toBeCloseTo(100, 9);
  });

  it('is refused as empty without a balance', () => {
    const pool = aavePool();
    expect(pool.withdraw(0, ETH, 1)).toEqual({ units: 0, refusal: 'empty' });
  });

  it('drops a queued withdrawal whose balance is gone', () => {
    const pool = aavePool();
    pool.supply(0, WBTC, 100);
    pool.borrow(0, USDC, 1_000_000);
    pool.enqueueWithdraw(1, USDC, 50);
    pool.processQueue();
    expect(pool.queuedUnits(USDC)).toBe(0);
  });
});

describe('interest accrual', () => {
  it('grows the borrow index, the liquidity index and the treasury exactly over three steps', () => {
    // A step of 1/100 year: g - 1 = rate / 100.
    const pool = aavePool({}, { stepSeconds: YEAR_SECONDS / 100 });
    pool.supply(1, USDC, 1000);
    pool.withdraw(3, USDC, 1_000_000);
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 500);
    pool.accrue();
    // u = 0.5: rate 0.04 x 0.5 / 0.8 = 0.025; interest 500 x 0.00025 = 0.125; treasury 10%.
    expect(pool.borrowIndex[USDC]).toBeCloseTo(1.00025, 13);
    expect(pool.treasury[USDC]).toBeCloseTo(0.0125, 13);
    expect(pool.liquidityIndex[USDC]).toBeCloseTo(1 + 0.1125 / 1000, 13);
    let debt = 500.125;
    let supply = 1000.1125;
    let treasury = 0.0125;
    let bi = 1.00025;
    for (let k = 0; k < 2; k++) {
      pool.accrue();
      const g = 1 + (0.05 * (debt / (500 + debt))) / 100;
      const interest = debt * (g - 1);
      bi *= g;
      debt += interest;
      supply += interest * 0.9;
      treasury += interest * 0.1;
    }
    expect(pool.borrowIndex[USDC]).toBeCloseTo(bi, 14);
    expect(pool.debtUnits(0, USDC)).toBeCloseTo(debt, 10);
    expect(pool.supplyUnits(1, USDC)).toBeCloseTo(supply, 10);
    expect(pool.treasury[USDC]).toBeCloseTo(treasury, 12);
    expect(pool.violation(true)).toBeUndefined();
  });
});

describe('the books', () => {
  it('balance after supply, borrow, repay and withdraw', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 2);
    pool.borrow(0, USDC, 2000);
    pool.repay(0, USDC, 500);
    pool.withdraw(0, ETH, 0.5);
    const b = pool.balance();
    expect(b.heldUsd).toBeCloseTo(b.externalUsd, 6);
    expect(b.externalUsd).toBeCloseTo(1_000_000 - 1500 + 1001.5 * 2000, 6);
    expect(pool.violation(true)).toBeUndefined();
  });

  it('report value that appears from nowhere', () => {
    const pool = aavePool();
    pool.cash[USDC] += 1;
    expect(pool.violation(false)).toMatch(/USDC/);
  });
});
