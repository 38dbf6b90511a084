// Lending attackers. The oracle manipulator (Mango Markets 2022; the thin-collateral exploits of
// Cream and Inverse Finance) pumps the thin DEX pool an oracle reads, supplies the units it bought at
// the pumped price and borrows all it can of another asset, then walks away with the loan, leaving the
// pool with collateral worth far less than the debt. The borrow squeezer borrows a thin asset against
// honest collateral and then buys that asset on its DEX so its own debt outgrows its collateral faster
// than liquidators (who must buy the thin asset to repay) can close it. Both decide from the read-only
// view and append actions (swaps in the round before the oracle reads the DEX, supply and borrow in
// the round after); they never mutate the pool, the DEX or any other agent. The arithmetic is in small
// exported pure functions.
import type { Decider } from '../../sim/core/protocol.js';
import type { LendingAction, LendingPoolView, LendingView } from '../../sim/lending/types.js';

/** A constant-product pool's reserves: base units and quote USD (price = quoteUsd / baseUnits). */
export interface CpmmReserves {
  readonly baseUnits: number;
  readonly quoteUsd: number;
}

/** Share of the borrow power the attackers use (a little headroom against rounding refusals). */
export const BORROW_POWER_USE = 0.999;

/** Steps over which the borrow squeezer spends the second half of its capital on the DEX. */
export const SQUEEZE_STEPS = 10;

/**
 * Base units to buy from a constant-product pool to lift its price by `pumpPct` %: the new price
 * P·(1 + pumpPct/100) needs base reserve x' = x/√(1 + pumpPct/100), so units = x − x'.
 */
export function unitsToPumpCpmm(reserves: CpmmReserves, pumpPct: number): number {
  if (!(pumpPct > 0)) return 0;
  const x = reserves.baseUnits;
  return x - x / Math.sqrt(1 + pumpPct / 100);
}

/** Base units to buy to bring a constant-product pool's price to `priceUsd` (0 when it is already there): x − √(k / P). */
export function unitsToPriceCpmm(reserves: CpmmReserves, priceUsd: number): number {
  const x = reserves.baseUnits;
  return Math.max(0, x - Math.sqrt((x * reserves.quoteUsd) / priceUsd));
}

/** Base units `usd` buys from a constant-product pool with fee `feeRate` (fee on the input): x·γU/(y + γU). */
export function cpmmBuyUnitsForUsd(reserves: CpmmReserves, feeRate: number, usd: number): number {
  if (!(usd > 0)) return 0;
  const g = (1 - feeRate) * usd;
  return (reserves.baseUnits * g) / (reserves.quoteUsd + g);
}

/** USD it costs to buy `units` from a constant-product pool with fee `feeRate`: y·u/((x − u)·γ); Infinity at or past the reserve. */
export function cpmmBuyCostUsd(reserves: CpmmReserves, feeRate: number, units: number): number {
  if (!(units > 0)) return 0;
  if (units >= reserves.baseUnits) return Infinity;
  return (reserves.quoteUsd * units) / ((reserves.baseUnits - units) * (1 - feeRate));
}

/** LTV of `asset` as collateral of `account`: its e-mode's when the asset is in the account's category. */
export function ltvFor(pool: LendingPoolView, account: number, asset: number): number {
  const reserve = pool.params.reserves[asset];
  const category = pool.eMode(account);
  if (category !== 0 && reserve.eModeCategory === category) {
    const mode = pool.params.eModes.find((e) => e.id === category);
    if (mode) return mode.ltv;
  }
  return reserve.ltv;
}

/**
 * The most of `borrowAsset` the attacker borrows: BORROW_POWER_USE of its free borrow power at the
 * oracle prices (the account's borrow power, plus `addedPowerUsd` for a supply proposed in the same
 * round, less its debt) over the oracle price, no more than the reserve's cash nor its borrow-cap room.
 */
export function maxBorrowUnits(
  pool: LendingPoolView,
  account: number,
  borrowAsset: number,
  addedPowerUsd: number,
): number {
  const h = pool.health(account);
  const free = h.borrowPowerUsd + addedPowerUsd - h.debtUsd;
  const price = pool.oraclePriceUsd[borrowAsset];
  if (!(free > 0) || !(price > 0)) return 0;
  const capRoom = pool.params.reserves[borrowAsset].borrowCapUnits - pool.totalDebtUnits(borrowAsset);
  return Math.max(0, Math.min((BORROW_POWER_USE * free) / price, pool.cashUnits(borrowAsset), capRoom));
}

export interface OracleManipulatorOptions {
  /** The thin asset it pumps on its DEX and supplies as collateral. */
  asset: number;
  /** The asset it borrows against the pumped collateral. */
  borrowAsset: number;
  /** USD it may spend on the pump. */
  capitalUsd: number;
  /** Step of the pump (the supply and borrow are at step + 1). */
  step: number;
  /** How far it lifts the DEX price, % (50: to 1.5 times). */
  pumpPct: number;
}

/**
 * Oracle manipulator. At `step`, before the oracle: buys unitsToPumpCpmm(dex, pumpPct) of `asset`,
 * within what capitalUsd buys (cpmmBuyUnitsForUsd), and remembers the units (locally; the protocol
 * is assumed to fill the swap as asked). At the same step, after the oracle has read the pumped DEX:
 * supplies those units and borrows maxBorrowUnits of `borrowAsset` (99.9% of the power the supply
 * adds at the pumped oracle price, within the cash and the borrow cap). Then nothing: it keeps the loan.
 */
export class OracleManipulator implements Decider<LendingView, LendingAction> {
  readonly name = 'lending-oracle-manipulator';
  /** Units of `asset` it bought in the pump (0 before). */
  boughtUnits = 0;

  constructor(
    private readonly opts: OracleManipulatorOptions,
    /** Its index among the attackers (names it in swaps). */
    readonly attacker: number,
    /** Its pool account. */
    readonly account: number,
  ) {}

  /** Pre-oracle round: the pump at `step`. */
  decide(view: LendingView, out: LendingAction[]): void {
    const o = this.opts;
    if (view.step !== o.step) return;
    const dex = view.dex[o.asset];
    const units = Math.min(
      unitsToPumpCpmm(dex.reserves, o.pumpPct),
      cpmmBuyUnitsForUsd(dex.reserves, dex.feeRate, o.capitalUsd),
    );
    if (!(units > 0)) return;
    this.boughtUnits = units;
    out.push({ kind: 'swap', attacker: this.attacker, asset: o.asset, units });
  }

  /** Post-oracle round of the same step: the supply and the borrow. */
  decidePostOracle(view: LendingView, out: LendingAction[]): void {
    const o = this.opts;
    if (view.step !== o.step || !(this.boughtUnits > 0)) return;
    const pool = view.pool;
    const units = this.boughtUnits;
    out.push({ kind: 'supply', account: this.account, asset: o.asset, units });
    const added = pool.params.reserves[o.asset].collateral
      ? units * pool.oraclePriceUsd[o.asset] * ltvFor(pool, this.account, o.asset)
      : 0;
    const borrow = maxBorrowUnits(pool, this.account, o.borrowAsset, added);
    if (borrow > 0) out.push({ kind: 'borrow', account: this.account, asset: o.borrowAsset, units: borrow });
  }
}

export interface BorrowSqueezerOptions {
  /** The thin asset it borrows and then buys up. */
  asset: number;
  /** The asset it supplies as collateral. */
  collateralAsset: number;
  /** USD: half buys the collateral, half the squeeze. */
  capitalUsd: number;
  /** Step of the supply and borrow (post-oracle); the squeeze runs from step + 1. */
  step: number;
  /** The squeeze stops once the DEX price is this % above its price at `step` (0: no stop). */
  pumpPct: number;
}

/**
 * USD the squeezer spends at pre-oracle step `step` (a tenth of its second half per step from
 * `start` + 1 for SQUEEZE_STEPS steps, 0 otherwise).
 */
export function squeezeBudgetUsd(start: number, capitalUsd: number, step: number): number {
  if (step <= start || step > start + SQUEEZE_STEPS) return 0;
  return capitalUsd / 2 / SQUEEZE_STEPS;
}

/**
 * Borrow squeezer. At `step` after the oracle: supplies capitalUsd/2 of `collateralAsset` (units at its
 * market price) and borrows maxBorrowUnits of `asset`; it remembers the DEX price of `asset` then. From
 * step + 1 to step + SQUEEZE_STEPS before the oracle: buys `asset` on its DEX with a tenth of the other
 * half each step (cpmmBuyUnitsForUsd), no further than pumpPct % above the remembered price when
 * pumpPct > 0 (unitsToPriceCpmm). Then nothing: it keeps the loan and the units bought.
 */
export class BorrowSqueezer implements Decider<LendingView, LendingAction> {
  readonly name = 'lending-borrow-squeezer';
  /** DEX price of `asset` at `step`, USD (NaN before). */
  startPriceUsd = NaN;

  constructor(
    private readonly opts: BorrowSqueezerOptions,
    /** Its index among the attackers (names it in swaps). */
    readonly attacker: number,
    /** Its pool account. */
    readonly account: number,
  ) {}

  /** Pre-oracle round: the squeeze buys. */
  decide(view: LendingView, out: LendingAction[]): void {
    const o = this.opts;
    if (Number.isNaN(this.startPriceUsd)) return;
    const usd = squeezeBudgetUsd(o.step, o.capitalUsd, view.step);
    if (!(usd > 0)) return;
    const dex = view.dex[o.asset];
    let units = cpmmBuyUnitsForUsd(dex.reserves, dex.feeRate, usd);
    if (o.pumpPct > 0)
      units = Math.min(units, unitsToPriceCpmm(dex.reserves, this.startPriceUsd * (1 + o.pumpPct / 100)));
    if (units > 0) out.push({ kind: 'swap', attacker: this.attacker, asset: o.asset, units });
  }

  /**
   * Post-oracle round: the supply and the borrow at `step`; afterwards, once the squeeze has made its
   * own position liquidatable at the pumped oracle price, it liquidates itself (a second address of
   * the same attacker), repaying with the borrowed units it holds: each unit repaid at the pumped
   * price returns more collateral than the position's own ratio, so it takes its collateral back
   * for part of the debt and the rest is left to the pool as bad debt.
   */
  decidePostOracle(view: LendingView, out: LendingAction[]): void {
    const o = this.opts;
    if (view.step > o.step && view.pool.healthFactor(this.account) < 1) {
      const debt = view.pool.debtUnits(this.account, o.asset);
      if (debt > 0)
        out.push({
          kind: 'attackerLiquidate',
          attacker: this.attacker,
          account: this.account,
          debtAsset: o.asset,
          collateralAsset: o.collateralAsset,
          repayUnits: debt,
        });
      return;
    }
    if (view.step !== o.step) return;
    const pool = view.pool;
    const c = o.collateralAsset;
    const units = o.capitalUsd / 2 / view.marketPriceUsd[c];
    if (!(units > 0)) return;
    this.startPriceUsd = view.dex[o.asset].priceUsd;
    out.push({ kind: 'supply', account: this.account, asset: c, units });
    const added = pool.params.reserves[c].collateral
      ? units * pool.oraclePriceUsd[c] * ltvFor(pool, this.account, c)
      : 0;
    const borrow = maxBorrowUnits(pool, this.account, o.asset, added);
    if (borrow > 0) out.push({ kind: 'borrow', account: this.account, asset: o.asset, units: borrow });
  }
}
