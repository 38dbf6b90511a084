// Property: over random pools of either model (2-4 reserves, random risk, rate and cap parameters
// within valid ranges), random accounts and random sequences of supply, withdraw, borrow, repay,
// accrual, price moves, liquidations, absorbs, collateral buys, queued withdrawals, e-mode, pause and
// freeze, the lending kernel's books balance after every operation: balance() to 1e-9 of its scale,
// and the full violation() check (per-account sums, no negative balance, per-reserve identity) is clean.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LendingPool } from '../../sim/lending/pool.js';
import type { LendingModel, PoolParams, ReserveParams } from '../../sim/lending/types.js';
import { propertyRuns } from '../helpers/property-runs.js';

// A grid of a million points from min to max: fc.double leans to subnormal and extreme values, which
// here would only make dust-sized positions.
const unit = (min: number, max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: 1_000_000 }).map((k) => min + ((max - min) * k) / 1_000_000);

const reserveArb = fc.record({
  ltv: unit(0.3, 0.85),
  ltShare: unit(0, 1),
  bonusShare: unit(0, 1),
  protocolFeeRate: unit(0, 0.3),
  reserveFactor: unit(0, 0.5),
  base: unit(0, 0.05),
  slope1: unit(0, 0.3),
  slope2: unit(0, 3),
  opt: unit(0.3, 0.95),
  supplyCap: fc.option(unit(1000, 1e6), { freq: 3 }),
  borrowCap: fc.option(unit(100, 1e5), { freq: 3 }),
  borrowable: fc.boolean(),
  collateral: fc.boolean(),
  isolated: fc.boolean(),
  ceiling: fc.option(unit(1000, 1e5), { freq: 2 }),
  borrowableInIsolation: fc.boolean(),
  category: fc.integer({ min: 0, max: 1 }),
  liquidationFactor: unit(0.85, 1),
  priceUsd: unit(0.5, 5000),
});
type ReserveDraw = typeof reserveArb extends fc.Arbitrary<infer T> ? T : never;

function toReserve(d: ReserveDraw, i: number, model: LendingModel): ReserveParams {
  // A threshold up to 10 points above the LTV, as in real markets, so that price moves liquidate.
  const lt = d.ltv + d.ltShare * Math.min(0.1, 0.95 - d.ltv);
  // LT x bonus <= 1: a liquidation never takes more collateral value than the threshold backs.
  const bonus = 1 + d.bonusShare * (Math.min(1.2, 1 / lt) - 1);
  const compoundBase = model === 'compound' && i === 0;
  return {
    name: `R${i}`,
    ltv: compoundBase ? 0 : d.ltv,
    liquidationThreshold: compoundBase ? 0 : lt,
    liquidationBonus: bonus,
    protocolFeeRate: d.protocolFeeRate,
    reserveFactor: d.reserveFactor,
    rate: { baseRatePerYear: d.base, slope1PerYear: d.slope1, slope2PerYear: d.slope2, optimalUtilization: d.opt },
    supplyCapUnits: d.supplyCap ?? Infinity,
    borrowCapUnits: d.borrowCap ?? Infinity,
    borrowable: model === 'compound' ? compoundBase : d.borrowable || i === 0,
    collateral: model === 'compound' ? !compoundBase : d.collateral,
    isolated: model === 'aave' && d.isolated && i !== 0,
    debtCeilingUsd: d.ceiling ?? Infinity,
    borrowableInIsolation: d.borrowableInIsolation,
    eModeCategory: model === 'aave' ? d.category : 0,
    liquidationFactor: d.liquidationFactor,
  };
}

const poolArb = fc.record({
  model: fc.constantFrom<LendingModel>('aave', 'compound'),
  reserves: fc.array(reserveArb, { minLength: 2, maxLength: 4 }),
  eLtv: unit(0.5, 0.9),
  eLtShare: unit(0, 1),
  eBonusShare: unit(0, 1),
  closeFactor: unit(0.2, 1),
  fullCloseHealthFactor: unit(0.8, 1),
  fullCloseBelowUsd: unit(0, 5000),
  minLeftoverUsd: unit(0, 2000),
  storeFrontPriceFactor: unit(0, 1),
  targetReservesUnits: unit(-1e4, 1e5),
  graceSteps: fc.integer({ min: 0, max: 5 }),
  stepSeconds: unit(60, 30 * 86400),
  accounts: fc.integer({ min: 2, max: 5 }),
});

// Operation kinds (the cases of apply), borrows, price moves and liquidations weighted up; pause and
// freeze rare, since they last until toggled back.
const KINDS = [0, 1, 2, 2, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 9, 10, 11, 12, 13];

const opArb = fc.tuple(
  fc.nat({ max: KINDS.length - 1 }),
  fc.nat({ max: 1000 }),
  fc.nat({ max: 1000 }),
  fc.nat({ max: 1000 }),
  unit(0, 1.3),
);

function build(d: typeof poolArb extends fc.Arbitrary<infer T> ? T : never): LendingPool {
  const eLt = d.eLtv + d.eLtShare * (0.97 - d.eLtv);
  const params: PoolParams = {
    model: d.model,
    reserves: d.reserves.map((r, i) => toReserve(r, i, d.model)),
    eModes: [{ id: 1, ltv: d.eLtv, liquidationThreshold: eLt, liquidationBonus: 1 + d.eBonusShare * (1 / eLt - 1) }],
    closeFactor: d.closeFactor,
    fullCloseHealthFactor: d.fullCloseHealthFactor,
    fullCloseBelowUsd: d.fullCloseBelowUsd,
    minLeftoverUsd: d.minLeftoverUsd,
    baseAsset: 0,
    storeFrontPriceFactor: d.storeFrontPriceFactor,
    targetReservesUnits: d.targetReservesUnits,
    graceSteps: d.graceSteps,
    stepSeconds: d.stepSeconds,
  };
  const pool = new LendingPool(params, d.accounts);
  d.reserves.forEach((r, i) => (pool.oraclePriceUsd[i] = r.priceUsd));
  return pool;
}

/** The first index from `start` on (cyclically, below `n`) that passes `ok`, or `start`. */
function firstFrom(n: number, start: number, ok: (i: number) => boolean): number {
  for (let k = 0; k < n; k++) if (ok((start + k) % n)) return (start + k) % n;
  return start;
}

/** The first account from `start` on (cyclically) with a health factor below 1, or `start`. */
function unhealthyFrom(pool: LendingPool, start: number): number {
  return firstFrom(pool.accounts, start, (i) => pool.healthFactor(i) < 1);
}

/**
 * Applies one random operation; refusals are fine, only the books matter. Returns whether a
 * liquidation or an absorb went through.
 */
function apply(pool: LendingPool, op: [number, number, number, number, number], step: number): boolean {
  const [k, x, y, z, f] = op;
  const kind = KINDS[k % KINDS.length];
  const n = pool.assets;
  const account = x % pool.accounts;
  const asset = y % n;
  const other = z % n;
  const price = pool.oraclePriceUsd[asset];
  pool.setStep(step);
  switch (kind) {
    case 0:
      pool.supply(account, asset, (f * 20_000) / price);
      break;
    case 1:
      pool.withdraw(account, asset, f * pool.supplyUnits(account, asset));
      break;
    case 2: {
      // Compound lends only the base; a wrong-model refusal is tested elsewhere.
      const a = pool.params.model === 'compound' ? 0 : asset;
      const h = pool.health(account);
      pool.borrow(account, a, (f * Math.max(0, h.borrowPowerUsd - h.debtUsd)) / pool.oraclePriceUsd[a]);
      break;
    }
    case 3:
      pool.repay(account, asset, f * pool.debtUnits(account, asset));
      break;
    case 4:
      for (let k = 0; k <= z % 5; k++) pool.accrue();
      break;
    case 5:
      // -50% to +60%: volatile both ways, so that positions go under water whichever side moves.
      pool.oraclePriceUsd[asset] = price * (0.5 + (1.1 * f) / 1.3);
      break;
    case 6: {
      // The victim's debt and collateral from the drawn reserves on, so that most attempts can succeed.
      const victim = unhealthyFrom(pool, account);
      const debtAsset = firstFrom(n, asset, (a) => pool.debtUnits(victim, a) > 0);
      const collAsset = firstFrom(n, other, (a) => pool.supplyUnits(victim, a) > 0);
      const repay = f * pool.debtUnits(victim, debtAsset);
      return typeof pool.liquidate(victim, debtAsset, collAsset, repay) === 'object';
    }
    case 7:
      return typeof pool.absorb(unhealthyFrom(pool, account)) === 'object';
    case 8:
      pool.buyCollateral(asset, (f * pool.absorbedUnits(asset) * price) / pool.oraclePriceUsd[0]);
      break;
    case 9:
      pool.enqueueWithdraw(account, asset, f * pool.supplyUnits(account, asset));
      break;
    case 10:
      pool.processQueue();
      break;
    case 11:
      pool.setEMode(account, z % 2);
      break;
    case 12:
      // A pause, or the end of every pause: most of a sequence runs unpaused.
      if (f < 0.4) pool.pause(asset);
      else for (let a = 0; a < n; a++) if (pool.paused[a]) pool.unpause(a, step);
      break;
    default:
      if (f < 0.4) pool.setFrozen(asset, true);
      else for (let a = 0; a < n; a++) pool.setFrozen(a, false);
  }
  return false;
}

function booksProblem(pool: LendingPool): string | undefined {
  const b = pool.balance();
  if (!(Math.abs(b.heldUsd - b.externalUsd) <= 1e-9 * b.scaleUsd))
    return `held ${b.heldUsd} != external ${b.externalUsd} (scale ${b.scaleUsd})`;
  return pool.violation(true);
}

describe('the lending kernel', () => {
  it('keeps its books balanced after every operation, in both models', () => {
    let liquidations = 0;
    let absorbs = 0;
    fc.assert(
      fc.property(poolArb, fc.array(opArb, { minLength: 30, maxLength: 90 }), (d, ops) => {
        const pool = build(d);
        // Account 0 supplies every reserve (the lenders' cash); each other account one reserve, its
        // collateral, so that borrowing against it and liquidating it happen.
        for (let a = 0; a < pool.assets; a++) pool.supply(0, a, 50_000 / pool.oraclePriceUsd[a]);
        const collaterals = pool.params.reserves.flatMap((r, a) => (r.collateral ? [a] : []));
        for (let i = 1; i < pool.accounts && collaterals.length > 0; i++) {
          const a = collaterals[i % collaterals.length];
          pool.supply(i, a, 5000 / pool.oraclePriceUsd[a]);
        }
        ops.forEach((op, step) => {
          const done = apply(pool, op, step);
          const problem = booksProblem(pool);
          if (problem !== undefined) throw new Error(`op ${step} ${JSON.stringify(op)}: ${problem}`);
          if (done && pool.params.model === 'aave') liquidations++;
          if (done && pool.params.model === 'compound') absorbs++;
        });
      }),
      { seed: 23, numRuns: propertyRuns(300) },
    );
    // The property must exercise the liquidation paths, not only refuse them (seed 23, 300 cases:
    // 31 liquidations and 60 absorbs).
    expect(liquidations).toBeGreaterThan(5);
    expect(absorbs).toBeGreaterThan(5);
  });
});
