// Hand-built lending pools for the kernel's unit tests (not a test file itself): an Aave-style pool
// of USDC, ETH, WBTC and stETH (ETH and stETH in e-mode 1) and a Compound-style pool of USDC (base)
// and WETH, with round figures so that every expectation can be worked out by hand.
import { LendingPool } from '../../sim/lending/pool.js';
import type { PoolParams, ReserveParams } from '../../sim/lending/types.js';

export const USDC = 0;
export const ETH = 1;
export const WBTC = 2;
export const STETH = 3;
/** Compound pool: WETH's index (USDC, the base, is 0). */
export const WETH = 1;

/** A reserve with round parameters; `over` replaces any of them. */
export function reserve(name: string, over: Partial<ReserveParams> = {}): ReserveParams {
  return {
    name,
    ltv: 0.75,
    liquidationThreshold: 0.8,
    liquidationBonus: 1.05,
    protocolFeeRate: 0.1,
    reserveFactor: 0.1,
    rate: { baseRatePerYear: 0, slope1PerYear: 0.04, slope2PerYear: 0.6, optimalUtilization: 0.8 },
    supplyCapUnits: Infinity,
    borrowCapUnits: Infinity,
    borrowable: true,
    collateral: true,
    isolated: false,
    debtCeilingUsd: Infinity,
    borrowableInIsolation: false,
    eModeCategory: 0,
    liquidationFactor: 0.95,
    ...over,
  };
}

/** Aave pool parameters: USDC (LTV 75%, LT 80%), ETH (80%, 82.5%), WBTC (70%, 75%), stETH (70%, 75%). */
export function aaveParams(
  reserveOver: Partial<Record<number, Partial<ReserveParams>>> = {},
  over: Partial<PoolParams> = {},
): PoolParams {
  return {
    model: 'aave',
    reserves: [
      reserve('USDC', { borrowableInIsolation: true, ...reserveOver[USDC] }),
      reserve('ETH', { ltv: 0.8, liquidationThreshold: 0.825, eModeCategory: 1, ...reserveOver[ETH] }),
      reserve('WBTC', { ltv: 0.7, liquidationThreshold: 0.75, ...reserveOver[WBTC] }),
      reserve('stETH', { ltv: 0.7, liquidationThreshold: 0.75, eModeCategory: 1, ...reserveOver[STETH] }),
    ],
    eModes: [{ id: 1, ltv: 0.9, liquidationThreshold: 0.93, liquidationBonus: 1.02 }],
    closeFactor: 0.5,
    fullCloseHealthFactor: 0.95,
    fullCloseBelowUsd: 2000,
    minLeftoverUsd: 1000,
    baseAsset: 0,
    storeFrontPriceFactor: 0.5,
    targetReservesUnits: 5_000_000,
    graceSteps: 5,
    stepSeconds: 60,
    ...over,
  };
}

/** An Aave pool of 4 accounts at USDC $1, ETH $2,000, WBTC $60,000, stETH $2,000; account 3 supplies 1M USDC. */
export function aavePool(
  reserveOver: Partial<Record<number, Partial<ReserveParams>>> = {},
  over: Partial<PoolParams> = {},
): LendingPool {
  const pool = new LendingPool(aaveParams(reserveOver, over), 4);
  pool.oraclePriceUsd.set([1, 2000, 60_000, 2000]);
  pool.supply(3, USDC, 1_000_000);
  pool.supply(3, ETH, 1000);
  return pool;
}

/** Compound pool parameters: USDC base (borrowable, not collateral) and WETH (borrowCF 0.825, liquidateCF 0.895, LF 0.95). */
export function compoundParams(over: Partial<PoolParams> = {}): PoolParams {
  return {
    ...aaveParams(),
    model: 'compound',
    reserves: [
      reserve('USDC', { collateral: false, ltv: 0, liquidationThreshold: 0 }),
      reserve('WETH', { borrowable: false, ltv: 0.825, liquidationThreshold: 0.895, liquidationFactor: 0.95 }),
    ],
    eModes: [],
    baseAsset: 0,
    storeFrontPriceFactor: 0.5,
    targetReservesUnits: 5000,
    ...over,
  };
}

/** A Compound pool of 3 accounts at USDC $1, WETH $2,000; account 2 supplies 100,000 USDC. */
export function compoundPool(over: Partial<PoolParams> = {}): LendingPool {
  const pool = new LendingPool(compoundParams(over), 3);
  pool.oraclePriceUsd.set([1, 2000]);
  pool.supply(2, USDC, 100_000);
  return pool;
}

/** Two reserves for the agents' fake views: asset 0 ETH (collateral), asset 1 USDC (not collateral). */
export function ethUsdcParams(over: Partial<PoolParams> = {}): PoolParams {
  return {
    model: 'aave',
    reserves: [reserve('ETH'), reserve('USDC', { collateral: false })],
    eModes: [],
    closeFactor: 0.5,
    fullCloseHealthFactor: 0.95,
    fullCloseBelowUsd: 2000,
    minLeftoverUsd: 1000,
    baseAsset: 1,
    storeFrontPriceFactor: 0.5,
    targetReservesUnits: 0,
    graceSteps: 0,
    stepSeconds: 3600,
    ...over,
  };
}
