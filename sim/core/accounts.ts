// The account store: structure-of-arrays in typed arrays, with running ledger totals that every
// mutation keeps current, so value conservation is checkable in O(1) per step. Holds state only:
// margin, liquidation and fees live in the protocol.

/** What an account is for; only traders and attackers are liquidatable and count in open interest. `backstop`: the protocol's backstop vault. */
export const AccountKind = { trader: 0, maker: 1, arbitrageur: 2, liquidator: 3, attacker: 4, backstop: 5 } as const;
export type AccountKindCode = (typeof AccountKind)[keyof typeof AccountKind];

/** Traders and attackers: margined, liquidatable, and counted in open interest (makers, arbitrageurs and liquidators are not). */
export function isPositionTaker(kind: number): boolean {
  return kind === AccountKind.trader || kind === AccountKind.attacker;
}

/** Running sums over all accounts. */
export interface AccountTotals {
  /** Sum of collateral, USD. */
  cash: number;
  /** Sum of position sizes, units (zero while every fill has a counterparty). */
  size: number;
  /** Sum of cost bases (size times entry, less socialized haircuts), USD. */
  cost: number;
  /** Sum of size times the funding index at the last settlement, USD. */
  sizeFunding: number;
  /** Sum of long sizes of trader and attacker accounts (the open interest of OI caps), units. */
  traderLong: number;
  /** Sum of short sizes of trader and attacker accounts (positive), units. */
  traderShort: number;
}

/**
 * What agents may read of the account store: every column read-only, the running totals, no
 * mutators (deposits, fills and liquidations go through actions the protocol applies).
 */
export interface AccountsView {
  readonly count: number;
  readonly cash: ArrayLike<number>;
  readonly size: ArrayLike<number>;
  readonly cost: ArrayLike<number>;
  readonly fundingSnap: ArrayLike<number>;
  readonly kind: ArrayLike<number>;
  readonly netDeposits: ArrayLike<number>;
  /** Step at which the account was flagged liquidatable, or -1. */
  readonly flagStep: ArrayLike<number>;
  readonly totals: Readonly<AccountTotals>;
}

export class AccountStore implements AccountsView {
  readonly count: number;
  /** Collateral (cash), USD. */
  readonly cash: Float64Array;
  /** Signed position size, units of the base asset (positive long). */
  readonly size: Float64Array;
  /** Signed cost basis: size times average entry, less socialized haircuts, USD. */
  readonly cost: Float64Array;
  /** Cumulative funding index at the account's last funding settlement, USD per unit. */
  readonly fundingSnap: Float64Array;
  /** AccountKind code. */
  readonly kind: Uint8Array;
  /** Bumped whenever the account's liquidation key changes (lazy deletion in the heaps). */
  readonly version: Int32Array;
  /** Step at which the account was flagged liquidatable, or -1. */
  readonly flagStep: Int32Array;
  /** Deposits less withdrawals, USD. */
  readonly netDeposits: Float64Array;
  readonly totals: AccountTotals = { cash: 0, size: 0, cost: 0, sizeFunding: 0, traderLong: 0, traderShort: 0 };

  constructor(kinds: readonly AccountKindCode[]) {
    const n = kinds.length;
    this.count = n;
    this.cash = new Float64Array(n);
    this.size = new Float64Array(n);
    this.cost = new Float64Array(n);
    this.fundingSnap = new Float64Array(n);
    this.kind = Uint8Array.from(kinds);
    this.version = new Int32Array(n);
    this.flagStep = new Int32Array(n).fill(-1);
    this.netDeposits = new Float64Array(n);
  }

  addCash(i: number, usd: number): void {
    this.cash[i] += usd;
    this.totals.cash += usd;
  }

  /** Replaces an account's position; funding must have been settled first. */
  setPosition(i: number, size: number, cost: number, fundingSnap: number): void {
    const t = this.totals;
    t.size += size - this.size[i];
    t.cost += cost - this.cost[i];
    t.sizeFunding += size * fundingSnap - this.size[i] * this.fundingSnap[i];
    if (isPositionTaker(this.kind[i])) {
      const old = this.size[i];
      t.traderLong += Math.max(size, 0) - Math.max(old, 0);
      t.traderShort += Math.max(-size, 0) - Math.max(-old, 0);
    }
    this.size[i] = size;
    this.cost[i] = cost;
    this.fundingSnap[i] = fundingSnap;
  }

  /** Sums recomputed from every account, to check the running totals. */
  recomputeTotals(): AccountTotals {
    let cash = 0;
    let size = 0;
    let cost = 0;
    let sizeFunding = 0;
    let traderLong = 0;
    let traderShort = 0;
    for (let i = 0; i < this.count; i++) {
      const q = this.size[i];
      cash += this.cash[i];
      size += q;
      cost += this.cost[i];
      sizeFunding += q * this.fundingSnap[i];
      if (isPositionTaker(this.kind[i])) {
        if (q > 0) traderLong += q;
        else traderShort -= q;
      }
    }
    return { cash, size, cost, sizeFunding, traderLong, traderShort };
  }
}
