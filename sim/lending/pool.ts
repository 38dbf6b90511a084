// The pool-lending kernel: an Aave v3 / Compound v3 style pool of reserves and accounts, with
// interest accrual, the users' actions (supply, withdraw and its queue, borrow, repay, e-mode), the
// admin switches (pause, freeze, grace period) and, delegated to liquidation.ts, liquidations. A user
// or agent mistake is a returned refusal reason, never an exception; only programming errors (an
// index out of range) throw. It knows nothing of agents, markets or the engine: the protocol drives it.
// Floats, not EVM-exact integers: the books balance to float error (pool-state.ts, balance()).
import { absorbAccount, buyAbsorbedCollateral, liquidateAccount } from './liquidation.js';
import { LendingPoolState } from './pool-state.js';
import { stepGrowthFactor } from './rates.js';
import type { LendingRefusal, LiquidationOutcome } from './types.js';

// A queued withdrawal smaller than this share of its request is treated as paid.
const QUEUE_EPSILON = 1e-12;

/**
 * A lending pool of `params.reserves` and `accounts` accounts (constructor of LendingPoolState:
 * `new LendingPool(params, accounts)`; prices start at $1, indices at 1, every balance at 0).
 */
export class LendingPool extends LendingPoolState {
  /**
   * One step of interest for every reserve (O(assets)): the debt grows by g = 1 + rate x stepSeconds
   * / year at the reserve's utilization now; the treasury gets reserveFactor of the interest and the
   * suppliers (through the liquidity index) the rest. With no supply, the suppliers' share also goes
   * to the treasury, so the books still balance.
   */
  accrue(): void {
    const step = this.params.stepSeconds;
    for (let a = 0; a < this.assets; a++) {
      const debt = this.totalDebtScaled[a] * this.borrowIndex[a];
      if (!(debt > 0)) continue;
      const r = this.params.reserves[a];
      const g = stepGrowthFactor(this.borrowRatePerYear(a), step);
      const interest = debt * (g - 1);
      this.borrowIndex[a] *= g;
      const supply = this.totalSupplyScaled[a] * this.liquidityIndex[a];
      const toSuppliers = interest * (1 - r.reserveFactor);
      // A supply that is float residue (or zero) cannot carry the suppliers' share without an index blow-up.
      if (supply > 1e-9 * (debt + Math.abs(this.cash[a]))) {
        this.liquidityIndex[a] *= 1 + toSuppliers / supply;
        this.treasury[a] += interest * r.reserveFactor;
      } else this.treasury[a] += interest;
    }
  }

  /** Supplies `units` of `asset` for `account`; refused 'empty', 'paused', 'frozen', 'supply-cap' or 'isolation'. */
  supply(account: number, asset: number, units: number): LendingRefusal | undefined {
    this.check(account, asset);
    if (!(units > 0)) return 'empty';
    if (this.paused[asset]) return 'paused';
    if (this.frozen[asset]) return 'frozen';
    const r = this.params.reserves[asset];
    if (this.totalSupplyUnits(asset) + units > r.supplyCapUnits) return 'supply-cap';
    if (r.collateral && this.breaksIsolation(account, asset)) return 'isolation';
    this.mintSupply(account, asset, units);
    this.cash[asset] += units;
    this.inUnits[asset] += units;
    return undefined;
  }

  /**
   * Whether a collateral supply of `asset` would mix isolated collateral with other collateral: an
   * isolated asset while the account holds other collateral, or other collateral next to an isolated one.
   */
  private breaksIsolation(account: number, asset: number): boolean {
    const base = account * this.assets;
    const isolated = this.params.reserves[asset].isolated;
    for (let a = 0; a < this.assets; a++) {
      if (a === asset || this.supplyScaled[base + a] <= 0) continue;
      const r = this.params.reserves[a];
      if (!r.collateral) continue;
      if (isolated || r.isolated) return true;
    }
    return false;
  }

  /**
   * Withdraws up to `units` of `asset`: pays min(units, balance, cash, what keeps the health factor
   * at or above 1 when the account has debt). Refused ('empty', 'paused', 'liquidity' when the cash is
   * 0, 'health-factor' when the health factor allows nothing) with units 0.
   */
  withdraw(account: number, asset: number, units: number): { units: number; refusal?: LendingRefusal } {
    this.check(account, asset);
    if (!(units > 0)) return { units: 0, refusal: 'empty' };
    if (this.paused[asset]) return { units: 0, refusal: 'paused' };
    const balance = this.supplyUnits(account, asset);
    if (!(balance > 0)) return { units: 0, refusal: 'empty' };
    if (!(this.cash[asset] > 0)) return { units: 0, refusal: 'liquidity' };
    let pay = Math.min(units, balance, this.cash[asset]);
    const r = this.params.reserves[asset];
    if (r.collateral) {
      this.value(account, this.eModeOf[account]);
      if (this.vDebtUsd > 0) {
        const lt = this.inCategory(this.eModeOf[account], asset)
          ? this.params.eModes[this.eModeSlot(this.eModeOf[account]) - 1].liquidationThreshold
          : r.liquidationThreshold;
        const perUnit = this.oraclePriceUsd[asset] * lt;
        if (perUnit > 0) {
          const room = (this.vThresholdUsd - this.vDebtUsd) / perUnit;
          if (!(room > 0)) return { units: 0, refusal: 'health-factor' };
          // A hair inside the limit, so float error cannot leave the account at HF 0.9999999 (liquidatable).
          pay = Math.min(pay, room * (1 - 1e-9));
        }
      }
    }
    this.burnSupply(account, asset, pay);
    this.cash[asset] -= pay;
    this.outUnits[asset] += pay;
    return { units: pay };
  }

  /** Queues a withdrawal of `units` of `asset` for processQueue; refused 'empty' when units <= 0. */
  enqueueWithdraw(account: number, asset: number, units: number): LendingRefusal | undefined {
    this.check(account, asset);
    if (!(units > 0)) return 'empty';
    this.queueAccounts[asset].push(account);
    this.queueUnits[asset].push(units);
    this.queueTotal[asset] += units;
    return undefined;
  }

  /**
   * Pays the withdrawal queues, FIFO per reserve, as far as cash allows: an entry whose balance is
   * gone, or whose health factor allows nothing, is dropped; one the cash cannot pay in full waits at
   * the head (and blocks the ones behind it, FIFO). A paused reserve pays nothing.
   */
  processQueue(): void {
    for (let a = 0; a < this.assets; a++) {
      const accounts = this.queueAccounts[a];
      const wanted = this.queueUnits[a];
      let head = this.queueHead[a];
      while (head < accounts.length && !this.paused[a]) {
        const account = accounts[head];
        const want = wanted[head];
        const res = this.withdraw(account, a, want);
        const left = want - res.units;
        const gone = !(this.supplyScaled[account * this.assets + a] > 0);
        if (left <= want * QUEUE_EPSILON || gone || res.refusal === 'health-factor' || res.refusal === 'empty') {
          this.queueTotal[a] -= want;
          head++;
          continue;
        }
        wanted[head] = left;
        this.queueTotal[a] -= res.units;
        break;
      }
      if (head === accounts.length) {
        accounts.length = 0;
        wanted.length = 0;
        head = 0;
        this.queueTotal[a] = 0;
      }
      this.queueHead[a] = head;
    }
  }

  /**
   * Borrows `units` of `asset`. Refused, in this order: 'empty', 'wrong-model' (Compound and not the
   * base asset), 'paused', 'frozen', 'not-borrowable', 'emode' (outside the account's category),
   * 'isolation' (in isolation mode and not borrowable in isolation), 'borrow-cap', 'liquidity'
   * (cash < units), 'borrow-power' (debt after > borrow power), 'debt-ceiling'.
   */
  borrow(account: number, asset: number, units: number): LendingRefusal | undefined {
    this.check(account, asset);
    if (!(units > 0)) return 'empty';
    const p = this.params;
    if (p.model === 'compound' && asset !== p.baseAsset) return 'wrong-model';
    if (this.paused[asset]) return 'paused';
    if (this.frozen[asset]) return 'frozen';
    const r = p.reserves[asset];
    if (!r.borrowable) return 'not-borrowable';
    const category = this.eModeOf[account];
    if (category !== 0 && r.eModeCategory !== category) return 'emode';
    const iso = this.isolationAsset(account);
    if (iso >= 0 && !r.borrowableInIsolation) return 'isolation';
    if (this.totalDebtUnits(asset) + units > r.borrowCapUnits) return 'borrow-cap';
    if (this.cash[asset] < units) return 'liquidity';
    const usd = units * this.oraclePriceUsd[asset];
    this.value(account, category);
    if (this.vDebtUsd + usd > this.vBorrowPowerUsd) return 'borrow-power';
    if (iso >= 0 && this.isolationDebtUsd[iso] + usd > p.reserves[iso].debtCeilingUsd) return 'debt-ceiling';
    if (iso >= 0) this.isolationDebtUsd[iso] += usd;
    this.mintDebt(account, asset, units);
    this.cash[asset] -= units;
    this.outUnits[asset] += units;
    return undefined;
  }

  /**
   * Repays min(units, debt) of the account's debt in `asset` and returns the units repaid (0 when
   * paused or units <= 0). In isolation mode the isolated collateral's debt falls by units x price now.
   */
  repay(account: number, asset: number, units: number): number {
    this.check(account, asset);
    if (!(units > 0) || this.paused[asset]) return 0;
    const pay = Math.min(units, this.debtUnits(account, asset));
    if (!(pay > 0)) return 0;
    this.reduceIsolationDebtOf(account, asset, pay);
    this.burnDebt(account, asset, pay);
    this.cash[asset] += pay;
    this.inUnits[asset] += pay;
    return pay;
  }

  /**
   * Puts the account in e-mode `id` (0 leaves e-mode). Refused 'emode' for an unknown id, a debt in
   * an asset outside the category, or a health factor below 1 under the new parameters.
   */
  setEMode(account: number, id: number): LendingRefusal | undefined {
    this.check(account, 0);
    if (id !== 0 && this.eModeSlot(id) === 0) return 'emode';
    const base = account * this.assets;
    if (id !== 0)
      for (let a = 0; a < this.assets; a++)
        if (this.debtScaled[base + a] > 0 && this.params.reserves[a].eModeCategory !== id) return 'emode';
    this.value(account, id);
    if (this.vDebtUsd > 0 && this.vThresholdUsd / this.vDebtUsd < 1) return 'emode';
    this.eModeOf[account] = id;
    return undefined;
  }

  /** Pauses a reserve: no supply, withdraw, borrow, repay or liquidation touching it. */
  pause(asset: number): void {
    this.checkAsset(asset);
    this.paused[asset] = 1;
  }

  /** Unpauses a reserve at `step`; liquidations touching it wait until step + graceSteps. */
  unpause(asset: number, step: number): void {
    this.checkAsset(asset);
    this.paused[asset] = 0;
    this.graceUntilStep[asset] = step + this.params.graceSteps;
  }

  /** Freezes (or unfreezes) a reserve: no new supply or borrow; withdraw, repay and liquidation go on. */
  setFrozen(asset: number, on: boolean): void {
    this.checkAsset(asset);
    this.frozen[asset] = on ? 1 : 0;
  }

  /** Aave liquidation of `account` (see liquidation.ts liquidateAccount). */
  liquidate(
    account: number,
    debtAsset: number,
    collateralAsset: number,
    repayUnits: number,
  ): LiquidationOutcome | LendingRefusal {
    return liquidateAccount(this, account, debtAsset, collateralAsset, repayUnits);
  }

  /** Compound absorb of `account` (see liquidation.ts absorbAccount). */
  absorb(account: number): { seizedUnits: number[]; debtUnits: number; creditUnits: number } | LendingRefusal {
    return absorbAccount(this, account);
  }

  /** Compound buy-collateral (see liquidation.ts buyAbsorbedCollateral). */
  buyCollateral(asset: number, baseUnits: number): { units: number } | LendingRefusal {
    return buyAbsorbedCollateral(this, asset, baseUnits);
  }
}
