// The pool-lending kernel's state and read-only views: structure-of-arrays balances (scaled by the
// reserves' indices, Aave-style), per-reserve books and flow tallies, the health arithmetic and the
// conservation check. Mutators live in pool.ts (users) and liquidation.ts (liquidations); this
// module changes no balance except through the scaled-balance helpers they call. Floats, not
// EVM-exact integers: the books balance to float error, checked with a tolerance.
//
// Books of reserve a (all in units): cash + debt = supply + treasury + absorbed - deficit, where
// supply and debt are the scaled totals times their index. Absorbed collateral (Compound) is a claim
// of the protocol next to its treasury, kept apart because it is sold, not lent.
import { borrowRatePerYear as curveRate, utilization as utilizationOf } from './rates.js';
import type { Health, LendingPoolView, PoolParams, ReserveParams } from './types.js';

/** Relative tolerance of the books' identities and of the per-account sums. */
export const BOOKS_TOLERANCE = 1e-9;

/** The pool's state and views; LendingPool (pool.ts) adds the mutators. */
export class LendingPoolState implements LendingPoolView {
  readonly params: PoolParams;
  readonly accounts: number;
  /** Number of reserves (assets). */
  readonly assets: number;
  /** Oracle price per asset, USD; the protocol writes it each step (starts at 1). */
  readonly oraclePriceUsd: Float64Array;
  /** Supply of (account, asset) at [account x assets + asset], scaled units (x liquidityIndex = units). */
  readonly supplyScaled: Float64Array;
  /** Debt of (account, asset) at [account x assets + asset], scaled units (x borrowIndex = units). */
  readonly debtScaled: Float64Array;
  /** E-mode category per account (0: none). */
  readonly eModeOf: Uint8Array;
  /** Per reserve: units per scaled supply unit (starts at 1). */
  readonly liquidityIndex: Float64Array;
  /** Per reserve: units per scaled debt unit (starts at 1). */
  readonly borrowIndex: Float64Array;
  readonly totalSupplyScaled: Float64Array;
  readonly totalDebtScaled: Float64Array;
  /** Per reserve: units held by the pool (supplied and not lent). */
  readonly cash: Float64Array;
  /** Per reserve: the protocol's claim, units (Compound "reserves"; may be negative there). */
  readonly treasury: Float64Array;
  /** Per reserve: debt burned as bad debt (Aave v3.3 deficit), units. */
  readonly deficit: Float64Array;
  /** Per reserve: collateral absorbed by the protocol and held for sale (Compound), units. */
  readonly absorbed: Float64Array;
  /** Per isolated collateral reserve: debt borrowed against it, USD at borrow time. */
  readonly isolationDebtUsd: Float64Array;
  /** Per reserve: 1 when paused (no supply, withdraw, borrow, repay or liquidation). */
  readonly paused: Uint8Array;
  /** Per reserve: 1 when frozen (no supply or borrow). */
  readonly frozen: Uint8Array;
  /** Per reserve: liquidations are refused before this step (grace period after an unpause). */
  readonly graceUntilStep: Float64Array;
  /** Per reserve: units that entered the pool's cash from outside, cumulative. */
  readonly inUnits: Float64Array;
  /** Per reserve: units that left the pool's cash to the outside, cumulative. */
  readonly outUnits: Float64Array;
  /** Largest supply plus debt of each reserve so far, units (the books' tolerance is relative to it). */
  protected readonly peakUnits: Float64Array;
  /** The step the protocol is at (setStep), for the grace period. */
  currentStep = 0;
  /** E-mode id -> index in params.eModes + 1 (0: unknown id). */
  protected readonly eModeIndex = new Uint16Array(256);
  /** Per reserve: the withdrawal queue's accounts and units (FIFO from queueHead). */
  protected readonly queueAccounts: number[][];
  protected readonly queueUnits: number[][];
  protected readonly queueHead: Int32Array;
  protected readonly queueTotal: Float64Array;

  // Scratch results of value(), so the health arithmetic allocates nothing.
  protected vThresholdUsd = 0;
  protected vBorrowPowerUsd = 0;
  protected vCollateralUsd = 0;
  protected vDebtUsd = 0;

  /**
   * @param params the pool's rules and reserves (1..64 reserves; e-mode ids 1..255)
   * @param accounts number of accounts (indices 0..accounts-1), fixed for the run
   */
  constructor(params: PoolParams, accounts: number) {
    const n = params.reserves.length;
    if (n === 0 || n > 64) throw new Error(`LendingPool: 1..64 reserves expected, got ${n}`);
    if (!Number.isInteger(accounts) || accounts < 0) throw new Error(`LendingPool: bad account count ${accounts}`);
    if (params.model === 'compound' && !(params.baseAsset >= 0 && params.baseAsset < n))
      throw new Error(`LendingPool: base asset ${params.baseAsset} out of range`);
    this.params = params;
    this.accounts = accounts;
    this.assets = n;
    this.oraclePriceUsd = new Float64Array(n).fill(1);
    this.supplyScaled = new Float64Array(accounts * n);
    this.debtScaled = new Float64Array(accounts * n);
    this.eModeOf = new Uint8Array(accounts);
    this.liquidityIndex = new Float64Array(n).fill(1);
    this.borrowIndex = new Float64Array(n).fill(1);
    this.totalSupplyScaled = new Float64Array(n);
    this.totalDebtScaled = new Float64Array(n);
    this.cash = new Float64Array(n);
    this.treasury = new Float64Array(n);
    this.deficit = new Float64Array(n);
    this.absorbed = new Float64Array(n);
    this.isolationDebtUsd = new Float64Array(n);
    this.paused = new Uint8Array(n);
    this.frozen = new Uint8Array(n);
    this.graceUntilStep = new Float64Array(n).fill(-Infinity);
    this.inUnits = new Float64Array(n);
    this.outUnits = new Float64Array(n);
    this.peakUnits = new Float64Array(n);
    params.eModes.forEach((e, i) => {
      if (!(Number.isInteger(e.id) && e.id >= 1 && e.id <= 255)) throw new Error(`LendingPool: bad e-mode id ${e.id}`);
      this.eModeIndex[e.id] = i + 1;
    });
    this.queueAccounts = Array.from({ length: n }, () => []);
    this.queueUnits = Array.from({ length: n }, () => []);
    this.queueHead = new Int32Array(n);
    this.queueTotal = new Float64Array(n);
  }

  /** Throws on an account or asset index out of range (a programming error, not a refusal). */
  protected check(account: number, asset: number): void {
    if (!(account >= 0 && account < this.accounts && Number.isInteger(account)))
      throw new Error(`LendingPool: account ${account} out of range`);
    this.checkAsset(asset);
  }

  protected checkAsset(asset: number): void {
    if (!(asset >= 0 && asset < this.assets && Number.isInteger(asset)))
      throw new Error(`LendingPool: asset ${asset} out of range`);
  }

  /** Sets the step the grace period is measured against. */
  setStep(step: number): void {
    this.currentStep = step;
  }

  // --- scaled-balance helpers (the only writers of supplyScaled / debtScaled) ---

  /** Adds `units` to the account's supply of `asset` (and the total). */
  mintSupply(account: number, asset: number, units: number): void {
    const s = units / this.liquidityIndex[asset];
    this.supplyScaled[account * this.assets + asset] += s;
    this.totalSupplyScaled[asset] += s;
    this.growPeak(asset);
  }

  /** Takes `units` (at most the balance) from the account's supply; the whole balance clears exactly. */
  burnSupply(account: number, asset: number, units: number): void {
    const k = account * this.assets + asset;
    const have = this.supplyScaled[k];
    // Clearing a balance outright keeps float residue from leaving dust of either sign behind.
    const s = Math.min(have, units / this.liquidityIndex[asset]);
    const take = units >= have * this.liquidityIndex[asset] ? have : s;
    this.supplyScaled[k] = have - take;
    this.totalSupplyScaled[asset] -= take;
  }

  /** Adds `units` to the account's debt in `asset`. */
  mintDebt(account: number, asset: number, units: number): void {
    const s = units / this.borrowIndex[asset];
    this.debtScaled[account * this.assets + asset] += s;
    this.totalDebtScaled[asset] += s;
    this.growPeak(asset);
  }

  /**
   * Keeps the largest supply plus debt a reserve has held, in units: the books' tolerance is relative
   * to it, because a reserve emptied after holding millions keeps float residue of that size.
   */
  private growPeak(asset: number): void {
    const size =
      this.totalSupplyScaled[asset] * this.liquidityIndex[asset] +
      this.totalDebtScaled[asset] * this.borrowIndex[asset];
    if (size > this.peakUnits[asset]) this.peakUnits[asset] = size;
  }

  /** Takes `units` (at most the debt) off the account's debt; the whole debt clears exactly. */
  burnDebt(account: number, asset: number, units: number): void {
    const k = account * this.assets + asset;
    const have = this.debtScaled[k];
    const s = Math.min(have, units / this.borrowIndex[asset]);
    const take = units >= have * this.borrowIndex[asset] ? have : s;
    this.debtScaled[k] = have - take;
    this.totalDebtScaled[asset] -= take;
  }

  // --- risk parameters under e-mode ---

  /** Whether an account in category `category` gets the category's parameters for `asset`. */
  protected inCategory(category: number, asset: number): boolean {
    return category !== 0 && this.params.reserves[asset].eModeCategory === category;
  }

  /** An account's LTV, liquidation threshold or bonus for `asset`: its e-mode category's inside the category. */
  riskOf(account: number, asset: number, field: 'ltv' | 'liquidationThreshold' | 'liquidationBonus'): number {
    const c = this.eModeOf[account];
    if (this.inCategory(c, asset)) return this.params.eModes[this.eModeIndex[c] - 1][field];
    return this.params.reserves[asset][field];
  }

  /** Liquidation bonus (multiplier) for seizing `asset` from `account`: the e-mode one inside its category. */
  bonusOf(account: number, asset: number): number {
    return this.riskOf(account, asset, 'liquidationBonus');
  }

  /** The index of e-mode id `id` in params.eModes plus 1, or 0 for an unknown id. */
  eModeSlot(id: number): number {
    return id >= 0 && id <= 255 && Number.isInteger(id) ? this.eModeIndex[id] : 0;
  }

  /**
   * Values the account as if in e-mode `category` into the scratch fields (USD): threshold value,
   * borrow power, collateral and debt. Only supplies of collateral-enabled reserves count.
   */
  protected value(account: number, category: number): void {
    const n = this.assets;
    const base = account * n;
    const em = category !== 0 ? this.params.eModes[this.eModeIndex[category] - 1] : undefined;
    let th = 0;
    let bp = 0;
    let coll = 0;
    let debt = 0;
    for (let a = 0; a < n; a++) {
      const p = this.oraclePriceUsd[a];
      const d = this.debtScaled[base + a];
      if (d > 0) debt += d * this.borrowIndex[a] * p;
      const s = this.supplyScaled[base + a];
      if (s <= 0) continue;
      const r: ReserveParams = this.params.reserves[a];
      if (!r.collateral) continue;
      const v = s * this.liquidityIndex[a] * p;
      coll += v;
      const inside = em !== undefined && r.eModeCategory === category;
      th += v * (inside ? em.liquidationThreshold : r.liquidationThreshold);
      bp += v * (inside ? em.ltv : r.ltv);
    }
    this.vThresholdUsd = th;
    this.vBorrowPowerUsd = bp;
    this.vCollateralUsd = coll;
    this.vDebtUsd = debt;
  }

  /** The isolated collateral reserve the account holds (isolation mode), or -1. */
  isolationAsset(account: number): number {
    const base = account * this.assets;
    for (let a = 0; a < this.assets; a++) {
      const r = this.params.reserves[a];
      if (r.isolated && r.collateral && this.supplyScaled[base + a] > 0) return a;
    }
    return -1;
  }

  /** Lowers the isolation debt of the account's isolated collateral by units x price of `asset` now (floored at 0). */
  reduceIsolationDebtOf(account: number, asset: number, units: number): void {
    const iso = this.isolationAsset(account);
    if (iso < 0) return;
    this.isolationDebtUsd[iso] = Math.max(0, this.isolationDebtUsd[iso] - units * this.oraclePriceUsd[asset]);
  }

  /** Whether the account holds a collateral-enabled supply in any reserve. */
  hasCollateral(account: number): boolean {
    const base = account * this.assets;
    for (let a = 0; a < this.assets; a++)
      if (this.params.reserves[a].collateral && this.supplyScaled[base + a] > 0) return true;
    return false;
  }

  // --- LendingPoolView ---

  supplyUnits(account: number, asset: number): number {
    this.check(account, asset);
    return this.supplyScaled[account * this.assets + asset] * this.liquidityIndex[asset];
  }

  debtUnits(account: number, asset: number): number {
    this.check(account, asset);
    return this.debtScaled[account * this.assets + asset] * this.borrowIndex[asset];
  }

  eMode(account: number): number {
    this.check(account, 0);
    return this.eModeOf[account];
  }

  health(account: number): Health {
    this.check(account, 0);
    this.value(account, this.eModeOf[account]);
    const debtUsd = this.vDebtUsd;
    return {
      thresholdValueUsd: this.vThresholdUsd,
      borrowPowerUsd: this.vBorrowPowerUsd,
      collateralUsd: this.vCollateralUsd,
      debtUsd,
      healthFactor: debtUsd > 0 ? this.vThresholdUsd / debtUsd : Infinity,
    };
  }

  healthFactor(account: number): number {
    this.check(account, 0);
    this.value(account, this.eModeOf[account]);
    return this.vDebtUsd > 0 ? this.vThresholdUsd / this.vDebtUsd : Infinity;
  }

  cashUnits(asset: number): number {
    this.checkAsset(asset);
    return this.cash[asset];
  }

  totalSupplyUnits(asset: number): number {
    this.checkAsset(asset);
    return this.totalSupplyScaled[asset] * this.liquidityIndex[asset];
  }

  totalDebtUnits(asset: number): number {
    this.checkAsset(asset);
    return this.totalDebtScaled[asset] * this.borrowIndex[asset];
  }

  utilization(asset: number): number {
    return utilizationOf(this.cashUnits(asset), this.totalDebtUnits(asset));
  }

  borrowRatePerYear(asset: number): number {
    return curveRate(this.params.reserves[asset].rate, this.utilization(asset));
  }

  reservesUnits(asset: number): number {
    this.checkAsset(asset);
    return this.treasury[asset];
  }

  absorbedUnits(asset: number): number {
    this.checkAsset(asset);
    return this.absorbed[asset];
  }

  storeFrontPriceUsd(asset: number): number {
    this.checkAsset(asset);
    const lf = this.params.reserves[asset].liquidationFactor;
    return this.oraclePriceUsd[asset] * (1 - this.params.storeFrontPriceFactor * (1 - lf));
  }

  liquidationAllowed(asset: number): boolean {
    this.checkAsset(asset);
    return this.paused[asset] === 0 && this.currentStep >= this.graceUntilStep[asset];
  }

  queuedUnits(asset: number): number {
    this.checkAsset(asset);
    return this.queueTotal[asset];
  }

  // --- conservation ---

  /**
   * The pool's books in USD at the oracle prices, from running totals only (O(assets)):
   * heldUsd = sum of P x (supply + treasury + absorbed - deficit - debt), what the books say the
   * pool's cash is; externalUsd = sum of P x (in - out), what came in from outside less what left.
   * They are equal when the books balance; scaleUsd = max(1, sum of P x (cash + debt + the reserve's peak size)) sizes the tolerance.
   */
  balance(): { heldUsd: number; externalUsd: number; scaleUsd: number } {
    let held = 0;
    let external = 0;
    let scale = 0;
    for (let a = 0; a < this.assets; a++) {
      const p = this.oraclePriceUsd[a];
      const supply = this.totalSupplyScaled[a] * this.liquidityIndex[a];
      const debt = this.totalDebtScaled[a] * this.borrowIndex[a];
      held += p * (supply + this.treasury[a] + this.absorbed[a] - this.deficit[a] - debt);
      external += p * (this.inUnits[a] - this.outUnits[a]);
      scale += p * (Math.abs(this.cash[a]) + debt + this.peakUnits[a]);
    }
    return { heldUsd: held, externalUsd: external, scaleUsd: Math.max(1, scale) };
  }

  /**
   * What is wrong with the books, or undefined. Always: per reserve cash + debt = supply + treasury +
   * absorbed - deficit, cash = in - out, cash, deficit and absorbed not negative (to 1e-9 relative).
   * With `full`, also O(accounts x assets): the accounts' scaled balances sum to the totals and none is negative.
   */
  violation(full: boolean): string | undefined {
    const n = this.assets;
    for (let a = 0; a < n; a++) {
      const supply = this.totalSupplyScaled[a] * this.liquidityIndex[a];
      const debt = this.totalDebtScaled[a] * this.borrowIndex[a];
      const scale =
        1 +
        Math.abs(this.cash[a]) +
        Math.abs(debt) +
        Math.abs(supply) +
        Math.abs(this.treasury[a]) +
        this.absorbed[a] +
        this.peakUnits[a];
      const tol = BOOKS_TOLERANCE * scale;
      const r = this.params.reserves[a].name;
      const gap = this.cash[a] + debt - (supply + this.treasury[a] + this.absorbed[a] - this.deficit[a]);
      if (!(Math.abs(gap) <= tol))
        return `reserve ${r}: cash + debt - (supply + treasury + absorbed - deficit) = ${gap}`;
      const flow = this.cash[a] - (this.inUnits[a] - this.outUnits[a]);
      if (!(Math.abs(flow) <= tol)) return `reserve ${r}: cash - (in - out) = ${flow}`;
      if (!(this.cash[a] >= -tol)) return `reserve ${r}: negative cash ${this.cash[a]}`;
      if (!(this.deficit[a] >= -tol)) return `reserve ${r}: negative deficit ${this.deficit[a]}`;
      if (!(this.absorbed[a] >= -tol)) return `reserve ${r}: negative absorbed ${this.absorbed[a]}`;
      if (!(supply >= -tol && debt >= -tol)) return `reserve ${r}: negative total supply ${supply} or debt ${debt}`;
    }
    if (!full) return undefined;
    const sumS = new Float64Array(n);
    const sumD = new Float64Array(n);
    for (let i = 0; i < this.accounts; i++) {
      for (let a = 0; a < n; a++) {
        const s = this.supplyScaled[i * n + a];
        const d = this.debtScaled[i * n + a];
        if (!(s >= 0 && d >= 0))
          return `account ${i}: negative balance in ${this.params.reserves[a].name} (${s}, ${d})`;
        sumS[a] += s;
        sumD[a] += d;
      }
    }
    for (let a = 0; a < n; a++) {
      const r = this.params.reserves[a].name;
      const ts = this.totalSupplyScaled[a];
      const td = this.totalDebtScaled[a];
      // Scaled balances are at most the units (the indices start at 1 and grow), so the peak in units bounds them.
      const peak = this.peakUnits[a];
      if (!(Math.abs(sumS[a] - ts) <= BOOKS_TOLERANCE * Math.max(1, sumS[a], Math.abs(ts), peak)))
        return `reserve ${r}: accounts' supply ${sumS[a]} != total ${ts} (scaled)`;
      if (!(Math.abs(sumD[a] - td) <= BOOKS_TOLERANCE * Math.max(1, sumD[a], Math.abs(td), peak)))
        return `reserve ${r}: accounts' debt ${sumD[a]} != total ${td} (scaled)`;
    }
    return undefined;
  }
}
