// The pool-lending kernel's liquidations: Aave v3's (close factor, bonus, protocol fee, dust rule,
// v3.3 bad debt to a reserve deficit) and Compound v3's (absorb at the liquidation factor paid from
// the protocol's reserves, then buy-collateral at the store-front price). Functions of the pool's
// state; they refuse (return a reason) rather than throw for anything an agent can cause, and they
// move value only between the pool's books and the liquidator's cash, tallied in inUnits/outUnits.
import type { LendingPoolState } from './pool-state.js';
import type { LendingRefusal, LiquidationOutcome } from './types.js';

/**
 * Aave liquidation: the liquidator repays up to `repayUnits` of the account's debt in `debtAsset`
 * and takes its collateral in `collateralAsset` (underlying) at the oracle prices plus the bonus.
 * Refused, in this order: 'wrong-model', 'paused' (either reserve), 'grace-period' (either reserve),
 * 'empty' (repayUnits <= 0), 'no-debt' (none in debtAsset), 'healthy' (HF >= 1), 'no-collateral',
 * 'liquidity' (the collateral reserve's cash cannot pay the liquidator's share), 'dust'.
 *
 * Close factor: closeFactor x the reserve's debt, or all of it at HF <= fullCloseHealthFactor or when
 * the position's collateral or debt in these reserves is worth < fullCloseBelowUsd. Seized =
 * repaid x P_debt / P_coll x bonus, capped by the balance (repaid scaled down); the protocol keeps
 * protocolFeeRate x (seized - seized / bonus) in the collateral reserve's treasury. When no
 * collateral is left and debt is, every remaining debt is burned into its reserve's deficit.
 */
export function liquidateAccount(
  pool: LendingPoolState,
  account: number,
  debtAsset: number,
  collateralAsset: number,
  repayUnits: number,
): LiquidationOutcome | LendingRefusal {
  const p = pool.params;
  // Index checks first: out-of-range is a programming error and throws.
  const debt = pool.debtUnits(account, debtAsset);
  const coll = pool.supplyUnits(account, collateralAsset);
  if (p.model !== 'aave') return 'wrong-model';
  if (pool.paused[debtAsset] || pool.paused[collateralAsset]) return 'paused';
  if (!pool.liquidationAllowed(debtAsset) || !pool.liquidationAllowed(collateralAsset)) return 'grace-period';
  if (!(repayUnits > 0)) return 'empty';
  if (!(debt > 0)) return 'no-debt';
  const hf = pool.healthFactor(account);
  if (hf >= 1) return 'healthy';
  const cr = p.reserves[collateralAsset];
  if (!cr.collateral || !(coll > 0)) return 'no-collateral';

  const pDebt = pool.oraclePriceUsd[debtAsset];
  const pColl = pool.oraclePriceUsd[collateralAsset];
  const full =
    hf <= p.fullCloseHealthFactor || coll * pColl < p.fullCloseBelowUsd || debt * pDebt < p.fullCloseBelowUsd;
  const maxRepay = full ? debt : p.closeFactor * debt;
  let repaid = Math.min(repayUnits, maxRepay);
  const bonus = pool.bonusOf(account, collateralAsset);
  let seized = ((repaid * pDebt) / pColl) * bonus;
  if (seized >= coll) {
    seized = coll;
    repaid = Math.min(repaid, (coll * pColl) / (pDebt * bonus));
  }
  const fee = cr.protocolFeeRate * (seized - seized / bonus);
  const toLiquidator = seized - fee;
  if (pool.cash[collateralAsset] < toLiquidator) return 'liquidity';
  const debtLeft = repaid >= debt ? 0 : debt - repaid;
  const collLeft = seized >= coll ? 0 : coll - seized;
  if (debtLeft > 0 && collLeft > 0 && (debtLeft * pDebt < p.minLeftoverUsd || collLeft * pColl < p.minLeftoverUsd))
    return 'dust';

  // The debt repaid enters as the liquidator's cash; the isolation debt falls with it (Aave does so).
  pool.reduceIsolationDebtOf(account, debtAsset, repaid);
  pool.burnDebt(account, debtAsset, repaid >= debt ? Infinity : repaid);
  pool.cash[debtAsset] += repaid;
  pool.inUnits[debtAsset] += repaid;
  pool.burnSupply(account, collateralAsset, seized >= coll ? Infinity : seized);
  pool.treasury[collateralAsset] += fee;
  pool.cash[collateralAsset] -= toLiquidator;
  pool.outUnits[collateralAsset] += toLiquidator;

  const deficitUnits = new Array<number>(pool.assets).fill(0);
  if (!pool.hasCollateral(account)) {
    for (let a = 0; a < pool.assets; a++) {
      const d = pool.debtUnits(account, a);
      if (!(d > 0)) continue;
      pool.reduceIsolationDebtOf(account, a, d);
      pool.burnDebt(account, a, Infinity);
      pool.deficit[a] += d;
      deficitUnits[a] = d;
    }
  }
  return { repaidUnits: repaid, seizedUnits: seized, protocolFeeUnits: fee, deficitUnits };
}

/**
 * Compound absorb: the protocol takes all the account's collateral (into `absorbed`), credits it
 * sum of C x P x liquidationFactor / P_base base units and wipes its base debt D; a credit above D
 * becomes a base supply of the account. The base reserves (treasury) fall by max(credit, D) and may
 * go negative. Refused, in this order: 'wrong-model', 'paused' or 'grace-period' (the base reserve
 * or a reserve of the account's collateral), 'no-debt', 'healthy' (HF >= 1).
 */
export function absorbAccount(
  pool: LendingPoolState,
  account: number,
): { seizedUnits: number[]; debtUnits: number; creditUnits: number } | LendingRefusal {
  const p = pool.params;
  const b = p.baseAsset;
  const debt = pool.debtUnits(account, p.model === 'compound' ? b : 0);
  if (p.model !== 'compound') return 'wrong-model';
  const base = account * pool.assets;
  let paused = pool.paused[b] !== 0;
  let grace = !pool.liquidationAllowed(b);
  for (let a = 0; a < pool.assets; a++) {
    if (a === b || !p.reserves[a].collateral || !(pool.supplyScaled[base + a] > 0)) continue;
    paused ||= pool.paused[a] !== 0;
    grace ||= !pool.liquidationAllowed(a);
  }
  if (paused) return 'paused';
  if (grace) return 'grace-period';
  if (!(debt > 0)) return 'no-debt';
  if (pool.healthFactor(account) >= 1) return 'healthy';

  const pBase = pool.oraclePriceUsd[b];
  const seizedUnits = new Array<number>(pool.assets).fill(0);
  let credit = 0;
  for (let a = 0; a < pool.assets; a++) {
    const r = p.reserves[a];
    if (a === b || !r.collateral) continue;
    const c = pool.supplyUnits(account, a);
    if (!(c > 0)) continue;
    pool.burnSupply(account, a, Infinity);
    pool.absorbed[a] += c;
    seizedUnits[a] = c;
    credit += (c * pool.oraclePriceUsd[a] * r.liquidationFactor) / pBase;
  }
  pool.burnDebt(account, b, Infinity);
  if (credit > debt) pool.mintSupply(account, b, credit - debt);
  pool.treasury[b] -= Math.max(credit, debt);
  return { seizedUnits, debtUnits: debt, creditUnits: credit };
}

/**
 * Compound buy-collateral: pays `baseUnits` of the base asset for absorbed `asset` at the
 * store-front price P x (1 - storeFrontPriceFactor x (1 - liquidationFactor)); the buyer gets
 * min(absorbed, baseUnits x P_base / price, cash) units and pays units x price / P_base, which goes
 * to the base reserves. Refused, in this order: 'wrong-model', 'reserves-at-target' (base reserves
 * >= targetReservesUnits), 'empty' (baseUnits <= 0, the base asset itself, or nothing absorbed),
 * 'liquidity' (no cash of the asset).
 */
export function buyAbsorbedCollateral(
  pool: LendingPoolState,
  asset: number,
  baseUnits: number,
): { units: number } | LendingRefusal {
  const p = pool.params;
  const price = pool.storeFrontPriceUsd(asset);
  if (p.model !== 'compound') return 'wrong-model';
  const b = p.baseAsset;
  if (pool.treasury[b] >= p.targetReservesUnits) return 'reserves-at-target';
  if (!(baseUnits > 0) || asset === b || !(pool.absorbed[asset] > 0)) return 'empty';
  if (!(pool.cash[asset] > 0)) return 'liquidity';
  const pBase = pool.oraclePriceUsd[b];
  const units = Math.min(pool.absorbed[asset], (baseUnits * pBase) / price, pool.cash[asset]);
  const paid = (units * price) / pBase;
  pool.cash[b] += paid;
  pool.treasury[b] += paid;
  pool.inUnits[b] += paid;
  pool.cash[asset] -= units;
  pool.absorbed[asset] -= units;
  pool.outUnits[asset] += units;
  return { units };
}
