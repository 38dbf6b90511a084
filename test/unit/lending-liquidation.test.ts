// The Aave liquidation of the lending kernel (sim/lending/liquidation.ts) on hand-built pools: the
// close-factor switch, seized collateral and the protocol fee, the seize cap, the dust rule, bad debt
// to the reserve deficit, the e-mode bonus and the refusals, with exact figures.
import { describe, expect, it } from 'vitest';
import type { LiquidationOutcome } from '../../sim/lending/types.js';
import type { LendingPool } from '../../sim/lending/pool.js';
import { ETH, STETH, USDC, WBTC, aavePool } from './lending-fixtures.js';

function outcome(x: LiquidationOutcome | string): LiquidationOutcome {
  if (typeof x === 'string') throw new Error(`refused: ${x}`);
  return x;
}

/** Account 0: 10 ETH borrowed against at $2,500 for 17,000 USDC, then ETH at `priceUsd`. */
function underwater(priceUsd: number): LendingPool {
  const pool = aavePool();
  pool.oraclePriceUsd[ETH] = 2500;
  pool.supply(0, ETH, 10);
  expect(pool.borrow(0, USDC, 17_000)).toBeUndefined();
  pool.oraclePriceUsd[ETH] = priceUsd;
  return pool;
}

/** Account 0: 10 ETH and 13,000 USDC of debt, with ETH priced for a health factor of `hf`. */
function atHealth(hf: number, eth = 10, debt = 13_000): LendingPool {
  const pool = aavePool();
  pool.supply(0, ETH, eth);
  expect(pool.borrow(0, USDC, debt)).toBeUndefined();
  pool.oraclePriceUsd[ETH] = (hf * debt) / (eth * 0.825);
  expect(pool.healthFactor(0)).toBeCloseTo(hf, 12);
  return pool;
}

describe('the close factor', () => {
  it('lets a liquidator repay half the debt at a health factor of 0.97', () => {
    const out = outcome(atHealth(0.97).liquidate(0, USDC, ETH, 13_000));
    expect(out.repaidUnits).toBeCloseTo(6500, 9);
  });

  it('lets a liquidator repay all the debt at a health factor of 0.94', () => {
    const out = outcome(atHealth(0.94).liquidate(0, USDC, ETH, 13_000));
    expect(out.repaidUnits).toBeCloseTo(13_000, 9);
  });

  it('lets a liquidator repay all of a $1,500 position at a health factor of 0.97', () => {
    const out = outcome(atHealth(0.97, 1, 1500).liquidate(0, USDC, ETH, 1500));
    expect(out.repaidUnits).toBeCloseTo(1500, 9);
  });
});

describe('seizing', () => {
  it('takes the repaid value plus the bonus in collateral, of which the protocol keeps its fee', () => {
    const pool = underwater(2000);
    const cashBefore = pool.cashUnits(ETH);
    const out = outcome(pool.liquidate(0, USDC, ETH, 1000));
    expect(out.repaidUnits).toBeCloseTo(1000, 9);
    expect(out.seizedUnits).toBeCloseTo(0.525, 12);
    expect(out.protocolFeeUnits).toBeCloseTo(0.0025, 12);
    expect(cashBefore - pool.cashUnits(ETH)).toBeCloseTo(0.5225, 12);
    expect(pool.treasury[ETH]).toBeCloseTo(0.0025, 12);
    expect(pool.supplyUnits(0, ETH)).toBeCloseTo(9.475, 12);
    expect(pool.debtUnits(0, USDC)).toBeCloseTo(16_000, 9);
    expect(pool.violation(true)).toBeUndefined();
  });

  it('takes the whole balance and scales the repayment down when the collateral does not cover the bonus', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 1500);
    pool.oraclePriceUsd[ETH] = 1000;
    const out = outcome(pool.liquidate(0, USDC, ETH, 1500));
    expect(out.seizedUnits).toBeCloseTo(1, 12);
    expect(out.repaidUnits).toBeCloseTo(1000 / 1.05, 9);
    expect(pool.supplyUnits(0, ETH)).toBe(0);
  });

  it('uses the e-mode bonus for collateral in the account category', () => {
    const pool = aavePool();
    pool.supply(0, STETH, 1);
    pool.setEMode(0, 1);
    pool.borrow(0, ETH, 0.9);
    pool.oraclePriceUsd[STETH] = 1900;
    const out = outcome(pool.liquidate(0, ETH, STETH, 0.1));
    const seized = ((0.1 * 2000) / 1900) * 1.02;
    expect(out.seizedUnits).toBeCloseTo(seized, 12);
    expect(out.protocolFeeUnits).toBeCloseTo(0.1 * (seized - seized / 1.02), 14);
  });
});

describe('the dust rule', () => {
  it('refuses a liquidation that would leave less than $1,000 of debt next to collateral', () => {
    const pool = underwater(1900);
    expect(pool.liquidate(0, USDC, ETH, 16_500)).toBe('dust');
    expect(pool.debtUnits(0, USDC)).toBeCloseTo(17_000, 9);
  });

  it('lets the same liquidation through when it repays the whole debt', () => {
    const out = outcome(underwater(1900).liquidate(0, USDC, ETH, 17_000));
    expect(out.repaidUnits).toBeCloseTo(17_000, 9);
    expect(out.seizedUnits).toBeCloseTo((17_000 / 1900) * 1.05, 12);
  });
});

describe('bad debt', () => {
  it('burns the debt left without collateral into the reserve deficit', () => {
    const pool = aavePool();
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 1500);
    pool.oraclePriceUsd[ETH] = 1000;
    const out = outcome(pool.liquidate(0, USDC, ETH, 1500));
    expect(out.deficitUnits[USDC]).toBeCloseTo(1500 - 1000 / 1.05, 9);
    expect(pool.deficit[USDC]).toBeCloseTo(1500 - 1000 / 1.05, 9);
    expect(pool.debtUnits(0, USDC)).toBe(0);
    expect(pool.violation(true)).toBeUndefined();
  });

  it('burns the debt of every reserve, not only the one liquidated', () => {
    const pool = aavePool();
    pool.supply(1, WBTC, 1);
    pool.supply(0, ETH, 1);
    pool.borrow(0, USDC, 800);
    pool.borrow(0, WBTC, 0.01);
    pool.oraclePriceUsd[ETH] = 500;
    const out = outcome(pool.liquidate(0, USDC, ETH, 800));
    expect(out.deficitUnits[USDC]).toBeCloseTo(800 - 500 / 1.05, 9);
    expect(out.deficitUnits[WBTC]).toBeCloseTo(0.01, 14);
    expect(pool.debtUnits(0, WBTC)).toBe(0);
    const b = pool.balance();
    expect(b.heldUsd).toBeCloseTo(b.externalUsd, 6);
  });
});

describe('isolation debt', () => {
  it('falls by the debt a liquidator repays', () => {
    const pool = aavePool({ [WBTC]: { isolated: true, debtCeilingUsd: 100_000 } });
    pool.supply(0, WBTC, 1);
    pool.borrow(0, USDC, 40_000);
    pool.oraclePriceUsd[WBTC] = 52_000;
    // HF = 52,000 x 0.75 / 40,000 = 0.975: half the debt may go.
    const out = outcome(pool.liquidate(0, USDC, WBTC, 10_000));
    expect(out.repaidUnits).toBeCloseTo(10_000, 9);
    expect(pool.isolationDebtUsd[WBTC]).toBeCloseTo(30_000, 9);
  });
});

describe('liquidation refusals', () => {
  it('refuses a healthy account', () => {
    expect(atHealth(1.01).liquidate(0, USDC, ETH, 100)).toBe('healthy');
  });

  it('refuses an account without debt in the reserve, or without the collateral', () => {
    const pool = atHealth(0.97);
    expect(pool.liquidate(0, ETH, ETH, 1)).toBe('no-debt');
    expect(pool.liquidate(0, USDC, WBTC, 100)).toBe('no-collateral');
  });

  it('refuses while either reserve is paused, then during the grace period', () => {
    const pool = atHealth(0.97);
    pool.pause(ETH);
    expect(pool.liquidate(0, USDC, ETH, 100)).toBe('paused');
    pool.unpause(ETH, 3);
    pool.setStep(7);
    expect(pool.liquidate(0, USDC, ETH, 100)).toBe('grace-period');
    pool.setStep(8);
    expect(typeof pool.liquidate(0, USDC, ETH, 100)).toBe('object');
  });

  it('refuses when the collateral reserve has not the cash for the liquidator', () => {
    const pool = atHealth(0.97);
    pool.supply(1, WBTC, 50);
    expect(pool.borrow(1, ETH, pool.cashUnits(ETH))).toBeUndefined();
    expect(pool.liquidate(0, USDC, ETH, 100)).toBe('liquidity');
  });

  it('refuses a Compound-only action in an Aave pool', () => {
    const pool = atHealth(0.97);
    expect(pool.absorb(0)).toBe('wrong-model');
    expect(pool.buyCollateral(ETH, 100)).toBe('wrong-model');
  });
});
