// Lending users: suppliers that run from a stressed reserve, borrowers that keep their health factor
// up, and loopers (leveraged positions in correlated assets) that deleverage. Each population owns a
// list of pool accounts; supplies, withdrawals and repays come from and go to the users' outside
// wallets (a managed borrower can always repay). They decide from the read-only view and append
// actions; they never mutate the pool or any other agent, and remember only their own past choices.
import type { Decider } from '../../sim/core/protocol.js';
import type { Stream } from '../../sim/core/rng.js';
import type { LendingAction, LendingView } from '../../sim/lending/types.js';

export interface SuppliersOptions {
  /** A supplier withdraws once its reserve's utilization is above this, fraction (0..1). */
  withdrawAboveUtilization: number;
  /** A supplier withdraws once the first collateral asset's market price is this % below its price at the first decide (0: off). */
  withdrawOnDrawdownPct: number;
  /** The supply rate a yield-seeking supplier compares its reserve's against, fraction per year (0 or absent: off). */
  targetSupplyRatePerYear?: number;
  /** Share of its step-0 balance a yield-seeking supplier adds or withdraws per step, fraction (0 or absent: off). */
  yieldFlowSharePerStep?: number;
}

/** The first reserve that counts as collateral (the reference for the drawdown trigger), or -1. */
export function firstCollateralAsset(view: LendingView): number {
  return view.pool.params.reserves.findIndex((r) => r.collateral);
}

/**
 * Suppliers: each withdraws its whole balance of its asset, once, with `queue: true` (what the cash
 * cannot pay waits in the withdrawal queue), when the first of these holds: its reserve's utilization
 * is above withdrawAboveUtilization; the first collateral asset's market price has fallen
 * withdrawOnDrawdownPct % from its price at the first decide; or a supplier run (view.supplierRunShare
 * > 0) is on and the supplier is among the first ceil(share x n) of the n suppliers of its asset in
 * the run order, a random permutation drawn once from the stream at construction. A supplier that has
 * run stays out for good.
 *
 * Yield seeking (on when targetSupplyRatePerYear and yieldFlowSharePerStep are both > 0): otherwise,
 * each step a supplier compares its reserve's supply rate (borrow rate x utilization x
 * (1 − reserveFactor), per year) with the target: above it, it supplies yieldFlowSharePerStep of its
 * balance at the first decide; below it, it withdraws that much with `queue: false`, at most what it
 * holds; at the target it does nothing.
 */
export class Suppliers implements Decider<LendingView, LendingAction> {
  readonly name = 'lending-suppliers';
  /** Whether supplier k (index in `accounts`) has withdrawn already. */
  readonly withdrawn: boolean[];
  /** Supplier k's place in its asset's run order (0 first). */
  private readonly runRank: number[];
  /** Number of suppliers of each asset (by asset index). */
  private readonly perAsset = new Map<number, number>();
  /** Market price of the first collateral asset at the first decide, USD (NaN before). */
  private referencePriceUsd = NaN;
  /** Supplier k's balance of its asset at the first decide, units (undefined before). */
  private startUnits: number[] | undefined;

  constructor(
    private readonly opts: SuppliersOptions,
    private readonly accounts: readonly number[],
    /** Each supplier's asset, by index in `accounts`. */
    private readonly assetOf: readonly number[],
    stream: Stream,
  ) {
    this.withdrawn = accounts.map(() => false);
    const order = stream.shuffle(accounts.map((_, k) => k));
    this.runRank = accounts.map(() => 0);
    for (const k of order) {
      const a = assetOf[k];
      const r = this.perAsset.get(a) ?? 0;
      this.runRank[k] = r;
      this.perAsset.set(a, r + 1);
    }
  }

  /** Supply rate of reserve `asset` now, fraction per year: borrow rate x utilization x (1 − reserveFactor). */
  static supplyRatePerYear(view: LendingView, asset: number): number {
    const pool = view.pool;
    return pool.borrowRatePerYear(asset) * pool.utilization(asset) * (1 - pool.params.reserves[asset].reserveFactor);
  }

  decide(view: LendingView, out: LendingAction[]): void {
    const pool = view.pool;
    const ref = firstCollateralAsset(view);
    if (Number.isNaN(this.referencePriceUsd) && ref >= 0) this.referencePriceUsd = view.marketPriceUsd[ref];
    this.startUnits ??= this.accounts.map((account, k) => pool.supplyUnits(account, this.assetOf[k]));
    const start = this.startUnits;
    const pct = this.opts.withdrawOnDrawdownPct;
    const drawdown = pct > 0 && ref >= 0 && view.marketPriceUsd[ref] <= this.referencePriceUsd * (1 - pct / 100);
    const target = this.opts.targetSupplyRatePerYear ?? 0;
    const share = this.opts.yieldFlowSharePerStep ?? 0;
    const seeking = target > 0 && share > 0;
    for (let k = 0; k < this.accounts.length; k++) {
      if (this.withdrawn[k]) continue;
      const account = this.accounts[k];
      const asset = this.assetOf[k];
      const units = pool.supplyUnits(account, asset);
      if (units > 0) {
        const run = view.supplierRunShare[asset];
        const inRun = run > 0 && this.runRank[k] < Math.ceil(run * (this.perAsset.get(asset) ?? 0) - 1e-9);
        if (pool.utilization(asset) > this.opts.withdrawAboveUtilization || drawdown || inRun) {
          out.push({ kind: 'withdraw', account, asset, units, queue: true });
          this.withdrawn[k] = true;
          continue;
        }
      }
      if (!seeking) continue;
      const flow = share * start[k];
      if (!(flow > 0)) continue;
      const r = Suppliers.supplyRatePerYear(view, asset);
      if (r > target) out.push({ kind: 'supply', account, asset, units: flow });
      else if (r < target && units > 0)
        out.push({ kind: 'withdraw', account, asset, units: Math.min(flow, units), queue: false });
    }
  }
}

export interface BorrowersOptions {
  /** Share of the accounts that manage their position (the first round(share x n)), fraction. */
  managedShare: number;
  /** A managed account acts when its health factor is below this (and at least 1). */
  actBelowHealthFactor: number;
  /** The health factor a managed account restores. */
  targetHealthFactor: number;
}

/**
 * Debt-asset units to repay so that an account of health `h` is back at `targetHealthFactor`:
 * the debt value needed is thresholdValueUsd / target, so repay (debtUsd − threshold/target) / price,
 * at most `debtUnits`; 0 when the account is already there.
 */
export function repayToTarget(
  h: { thresholdValueUsd: number; debtUsd: number },
  targetHealthFactor: number,
  debtPriceUsd: number,
  debtUnits: number,
): number {
  const excessUsd = h.debtUsd - h.thresholdValueUsd / targetHealthFactor;
  if (!(excessUsd > 0) || !(debtPriceUsd > 0)) return 0;
  return Math.min(debtUnits, excessUsd / debtPriceUsd);
}

/**
 * Borrowers: accounts holding `collateralAsset` and owing `debtAsset`. The first round(managedShare x n)
 * manage: when 1 ≤ HF < actBelowHealthFactor they repay `debtAsset` from outside funds to bring HF
 * back to targetHealthFactor exactly (repayToTarget, oracle prices). Below 1 it is too late (the
 * account is the liquidators'); the unmanaged ones never act. The stream is held for the population's
 * seeding contract; the rule draws nothing from it.
 */
export class Borrowers implements Decider<LendingView, LendingAction> {
  readonly name: string = 'lending-borrowers';
  /** Number of managed accounts (the first ones in `accounts`). */
  readonly managed: number;

  constructor(
    protected readonly opts: BorrowersOptions,
    protected readonly accounts: readonly number[],
    readonly collateralAsset: number,
    readonly debtAsset: number,
    protected readonly stream: Stream,
  ) {
    this.managed = Math.min(accounts.length, Math.round(opts.managedShare * accounts.length));
  }

  decide(view: LendingView, out: LendingAction[]): void {
    const pool = view.pool;
    const o = this.opts;
    const price = pool.oraclePriceUsd[this.debtAsset];
    for (let k = 0; k < this.managed; k++) {
      const account = this.accounts[k];
      const hf = pool.healthFactor(account);
      if (!(hf >= 1 && hf < o.actBelowHealthFactor)) continue;
      const debt = pool.debtUnits(account, this.debtAsset);
      if (!(debt > 0)) continue;
      const units = repayToTarget(pool.health(account), o.targetHealthFactor, price, debt);
      if (units > 0) out.push({ kind: 'repay', account, asset: this.debtAsset, units });
    }
  }
}

/**
 * Loopers: leveraged positions that supplied `collateralAsset`, borrowed the correlated `debtAsset`
 * and resupplied it (typically in e-mode), so their health moves with the two assets' relative price
 * (a depeg) and with the debt's interest. Same management rule as Borrowers: the managed ones
 * deleverage when 1 ≤ HF < actBelowHealthFactor by repaying debt back to targetHealthFactor. The repay
 * stands for the unwind (sell collateral, repay debt, as a flash-loan deleverage does) funded from the
 * outside wallet: a paired withdraw would be applied in the shuffled order and could be refused.
 */
export class Loopers extends Borrowers {
  override readonly name: string = 'lending-loopers';
}
