// Lending liquidators: independent keepers with finite capital (USD) that repay the debt of accounts
// below health factor 1 and sell the collateral they receive at once into the collateral's DEX pool.
// They act only when the sale beats what they pay (MECHANISMS section 8's participation rule: the
// bonus less the CPMM slippage, gas and a minimum profit must be positive), so a thin DEX or a gas
// spike starves them and underwater positions stay open. Aave model: `liquidate` at the close factor;
// Compound model: `absorb` and `buyCollateral`. Decides from the read-only view and appends actions;
// never mutates the pool, the DEX or any other agent (the protocol applies and may refuse them).
import { cpmmBuyCostUsd } from './attackers.js';
import type { Decider } from '../../sim/core/protocol.js';
import type { Stream } from '../../sim/core/rng.js';
import type { DexView, LendingAction, LendingPoolView, LendingView } from '../../sim/lending/types.js';

export interface LendingLiquidatorsOptions {
  /** Number of liquidators (liquidator index 0..count-1). */
  count: number;
  /** Starting capital of each liquidator, USD (the view's liquidatorCapitalUsd is what they hold now). */
  capitalUsd: number;
  /** Gas of one liquidation at normal times, USD (the view's gasUsd is what it costs now). */
  gasUsd: number;
  /** Least expected profit of one liquidation or purchase worth acting on, USD. */
  minProfitUsd: number;
  /** Most liquidations (or absorbs) one liquidator makes per step. */
  maxPerStep: number;
}

/** Local copy of a DEX pool's reserves (what the liquidator expects after its own sales this step). */
interface Reserves {
  baseUnits: number;
  quoteUsd: number;
}

/** One Aave liquidation as a liquidator plans it. */
export interface LiquidationPlan {
  debtAsset: number;
  collateralAsset: number;
  /** Debt to repay, debt-asset units. */
  repayUnits: number;
  /** Collateral taken from the account (liquidator's share plus the protocol fee), units. */
  seizedUnits: number;
  /** The liquidator's share of `seizedUnits` (what it sells), units. */
  receivedUnits: number;
  /** What it pays: repaid x market price of the debt asset, plus gas, USD. */
  costUsd: number;
}

/**
 * USD received for selling `units` into a constant-product pool with fee `feeRate`
 * (MECHANISMS section 8: Δy = y·γΔx/(x + γΔx), γ = 1 − fee).
 */
export function cpmmSellProceedsUsd(reserves: Readonly<Reserves>, feeRate: number, units: number): number {
  if (!(units > 0)) return 0;
  const g = (1 - feeRate) * units;
  return (reserves.quoteUsd * g) / (reserves.baseUnits + g);
}

/** The liquidation bonus (multiplier) of `collateralAsset` for `account`: its e-mode's when the asset is in it. */
export function liquidationBonusFor(pool: LendingPoolView, account: number, collateralAsset: number): number {
  const reserve = pool.params.reserves[collateralAsset];
  const category = pool.eMode(account);
  if (category !== 0 && reserve.eModeCategory === category) {
    const mode = pool.params.eModes.find((e) => e.id === category);
    if (mode) return mode.liquidationBonus;
  }
  return reserve.liquidationBonus;
}

/**
 * The Aave liquidation a liquidator with `capitalUsd` would propose on `account`, or undefined:
 * the debt reserve of largest value and the collateral reserve of largest value (oracle prices,
 * reserves whose liquidation is allowed); repay the close-factor maximum (1.0 at HF ≤
 * fullCloseHealthFactor or when either side in those reserves is below fullCloseBelowUsd, else
 * closeFactor), no more than the collateral covers at the bonus, or the whole debt when a partial
 * repay would leave less than minLeftoverUsd of debt or collateral; capped by the capital less gas.
 * Undefined when nothing can be repaid, or when the capital cap would leave dust (the pool refuses it).
 */
export function planLiquidation(view: LendingView, account: number, capitalUsd: number): LiquidationPlan | undefined {
  const pool = view.pool;
  const params = pool.params;
  const p = pool.oraclePriceUsd;
  const n = params.reserves.length;
  let debtAsset = -1;
  let debtUsd = 0;
  let collateralAsset = -1;
  let collateralUsd = 0;
  for (let a = 0; a < n; a++) {
    if (!pool.liquidationAllowed(a)) continue;
    const d = pool.debtUnits(account, a) * p[a];
    if (d > debtUsd) {
      debtUsd = d;
      debtAsset = a;
    }
    if (!params.reserves[a].collateral) continue;
    const c = pool.supplyUnits(account, a) * p[a];
    if (c > collateralUsd) {
      collateralUsd = c;
      collateralAsset = a;
    }
  }
  if (debtAsset < 0 || collateralAsset < 0) return undefined;
  const pd = p[debtAsset];
  const pc = p[collateralAsset];
  const debt = pool.debtUnits(account, debtAsset);
  const collateral = pool.supplyUnits(account, collateralAsset);
  const bonus = liquidationBonusFor(pool, account, collateralAsset);
  const full =
    pool.healthFactor(account) <= params.fullCloseHealthFactor ||
    debtUsd < params.fullCloseBelowUsd ||
    collateralUsd < params.fullCloseBelowUsd;
  // Repay that would seize all the collateral at the bonus.
  const coverable = (collateral * pc) / (pd * bonus);
  let repay = Math.min(full ? debt : params.closeFactor * debt, coverable);
  if (leavesDust(params.minLeftoverUsd, debt, repay, pd, collateral, pc, bonus)) repay = Math.min(debt, coverable);
  const affordable = (capitalUsd - view.gasUsd) / view.marketPriceUsd[debtAsset];
  if (repay > affordable) {
    repay = affordable;
    if (leavesDust(params.minLeftoverUsd, debt, repay, pd, collateral, pc, bonus)) return undefined;
  }
  if (!(repay > 0)) return undefined;
  const seized = Math.min(collateral, (repay * pd * bonus) / pc);
  const fee = params.reserves[collateralAsset].protocolFeeRate * (seized - seized / bonus);
  return {
    debtAsset,
    collateralAsset,
    repayUnits: repay,
    seizedUnits: seized,
    receivedUnits: seized - fee,
    // The liquidator buys the debt it repays on the debt asset's DEX pool (fee and slippage included).
    costUsd: cpmmBuyCostUsd(view.dex[debtAsset].reserves, view.dex[debtAsset].feeRate, repay) + view.gasUsd,
  };
}

/** Whether repaying `repay` of `debt` is partial and leaves less than `minLeftoverUsd` of debt or collateral. */
function leavesDust(
  minLeftoverUsd: number,
  debt: number,
  repay: number,
  pd: number,
  collateral: number,
  pc: number,
  bonus: number,
): boolean {
  if (repay >= debt) return false;
  const seized = (repay * pd * bonus) / pc;
  if (seized >= collateral) return false;
  return (debt - repay) * pd < minLeftoverUsd || (collateral - seized) * pc < minLeftoverUsd;
}

/**
 * Base units worth buying of absorbed `asset` at store-front price `storeUsd` (USD per unit) to resell
 * into `dex`: up to the size at which the DEX's marginal proceeds after fee fall to the store-front
 * price ((x + γu)² = γxy/s), within what is absorbed and what `budgetUsd` pays. Returns collateral units.
 */
export function collateralWorthBuying(dex: DexView, storeUsd: number, absorbed: number, budgetUsd: number): number {
  const { baseUnits: x, quoteUsd: y } = dex.reserves;
  const g = 1 - dex.feeRate;
  if (!(storeUsd > 0) || !(x > 0)) return 0;
  const edge = (Math.sqrt((g * x * y) / storeUsd) - x) / g;
  return Math.max(0, Math.min(edge, absorbed, budgetUsd / storeUsd));
}

export class LendingLiquidators implements Decider<LendingView, LendingAction> {
  readonly name = 'lending-liquidators';
  private readonly order: number[] = [];
  private local: Reserves[] = [];
  /** Units it has sold on each asset's CEX book this step (its own impact there). */
  private cexSold = new Float64Array(0);

  constructor(
    private readonly opts: LendingLiquidatorsOptions,
    /** One stream per liquidator (its random start in the liquidatable list). */
    private readonly streams: readonly Stream[],
  ) {}

  /** Liquidators offline now: the first ceil(outage x count) by index. */
  offlineCount(view: LendingView): number {
    return Math.min(this.opts.count, Math.max(0, Math.ceil(view.liquidatorOutage * this.opts.count - 1e-9)));
  }

  decide(view: LendingView, out: LendingAction[]): void {
    if (view.pool.params.model === 'compound') this.decideCompound(view, out);
    else this.decideAave(view, out);
  }

  /** Copies the DEX reserves into the liquidator's local book of what it has sold this step. */
  private resetLocal(view: LendingView): Reserves[] {
    const n = view.dex.length;
    while (this.local.length < n) this.local.push({ baseUnits: 0, quoteUsd: 0 });
    for (let a = 0; a < n; a++) {
      this.local[a].baseUnits = view.dex[a].reserves.baseUnits;
      this.local[a].quoteUsd = view.dex[a].reserves.quoteUsd;
    }
    return this.local;
  }

  private decideAave(view: LendingView, out: LendingAction[]): void {
    const list = view.liquidatable;
    const n = list.length;
    if (n === 0) return;
    const o = this.opts;
    for (let l = this.offlineCount(view); l < o.count; l++) {
      const start = this.streams[l].int(n);
      const book = this.resetLocal(view);
      if (this.cexSold.length !== view.cex.length) this.cexSold = new Float64Array(view.cex.length);
      else this.cexSold.fill(0);
      let capital = view.liquidatorCapitalUsd[l];
      let made = 0;
      for (let j = 0; j < n && made < o.maxPerStep; j++) {
        if (!(capital > view.gasUsd)) break;
        const account = list[(start + j) % n];
        const plan = planLiquidation(view, account, capital);
        if (!plan) continue;
        const c = plan.collateralAsset;
        const dex = book[c];
        const dexProceeds = cpmmSellProceedsUsd(dex, view.dex[c].feeRate, plan.receivedUnits);
        // The CEX book (when the asset has one), after what it sold there already this step: selling
        // into a linear-in-log book pays the same in one piece or in two, so the difference is exact.
        const cex = view.cex[c];
        const sold = this.cexSold[c];
        const cexProceeds = cex.quoteSellUsd(sold + plan.receivedUnits) - cex.quoteSellUsd(sold);
        const onCex = cexProceeds > dexProceeds;
        const proceeds = onCex ? cexProceeds : dexProceeds;
        if (!(proceeds - plan.costUsd > o.minProfitUsd)) continue;
        out.push({
          kind: 'liquidate',
          liquidator: l,
          account,
          debtAsset: plan.debtAsset,
          collateralAsset: c,
          repayUnits: plan.repayUnits,
          ...(onCex ? { venue: 'cex' as const } : {}),
        });
        made++;
        // Conservative: the cost leaves its capital now, the proceeds are not counted until they arrive.
        capital -= plan.costUsd;
        if (onCex) this.cexSold[c] += plan.receivedUnits;
        else {
          dex.baseUnits += plan.receivedUnits;
          dex.quoteUsd -= proceeds;
        }
      }
    }
  }

  /**
   * Compound: the first online liquidator absorbs each liquidatable account (up to maxPerStep, in its
   * random order) when gas is below the account's expected resale gain (for each collateral asset, the
   * DEX proceeds of its units less their cost at the store-front price, positive parts). Then every
   * online liquidator buys absorbed collateral while the base reserves are below target, each asset up
   * to where the DEX pays the store-front price (collateralWorthBuying), when proceeds less the cost
   * at the base asset's market price and gas beat minProfitUsd.
   */
  private decideCompound(view: LendingView, out: LendingAction[]): void {
    const pool = view.pool;
    const params = pool.params;
    const base = params.baseAsset;
    const o = this.opts;
    const first = this.offlineCount(view);
    if (first >= o.count) return;
    const list = view.liquidatable;
    const n = list.length;
    if (n > 0 && pool.liquidationAllowed(base)) {
      const start = this.streams[first].int(n);
      let made = 0;
      for (let j = 0; j < n && made < o.maxPerStep; j++) {
        const account = list[(start + j) % n];
        const gain = this.absorbGain(view, account);
        if (gain === undefined || !(gain > view.gasUsd)) continue;
        out.push({ kind: 'absorb', liquidator: first, account });
        made++;
      }
    }
    if (!(pool.reservesUnits(base) < params.targetReservesUnits)) return;
    const assets = this.order;
    assets.length = 0;
    for (let a = 0; a < params.reserves.length; a++)
      if (a !== base && pool.absorbedUnits(a) > 0 && pool.liquidationAllowed(a)) assets.push(a);
    if (assets.length === 0) return;
    const pBase = pool.oraclePriceUsd[base];
    const mBase = view.marketPriceUsd[base];
    for (let l = first; l < o.count; l++) {
      let capital = view.liquidatorCapitalUsd[l];
      for (const a of assets) {
        const store = pool.storeFrontPriceUsd(a);
        // Collateral units per USD paid: units = baseUnits x P_base(oracle) / store; USD paid = baseUnits x P_base(market).
        const usdPerUnit = (store * mBase) / pBase;
        const budget = ((capital - view.gasUsd) / usdPerUnit) * store;
        const units = collateralWorthBuying(view.dex[a], store, pool.absorbedUnits(a), budget);
        if (!(units > 0)) continue;
        const baseUnits = (units * store) / pBase;
        const cost = baseUnits * mBase + view.gasUsd;
        const proceeds = cpmmSellProceedsUsd(view.dex[a].reserves, view.dex[a].feeRate, units);
        if (!(proceeds - cost > o.minProfitUsd)) continue;
        out.push({ kind: 'buyCollateral', liquidator: l, asset: a, baseUnits });
        capital -= cost;
      }
    }
  }

  /** Expected resale gain of an account's collateral after absorb, USD; undefined when a reserve it holds cannot be liquidated. */
  private absorbGain(view: LendingView, account: number): number | undefined {
    const pool = view.pool;
    const params = pool.params;
    let gain = 0;
    for (let a = 0; a < params.reserves.length; a++) {
      if (a === params.baseAsset) continue;
      const units = pool.supplyUnits(account, a);
      if (!(units > 0)) continue;
      if (!pool.liquidationAllowed(a)) return undefined;
      const proceeds = cpmmSellProceedsUsd(view.dex[a].reserves, view.dex[a].feeRate, units);
      gain += Math.max(0, proceeds - units * pool.storeFrontPriceUsd(a));
    }
    return gain;
  }
}
