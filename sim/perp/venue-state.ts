// The perpetual venue's shared state (the base of the layer chain under perp-venue.ts): prices, rates,
// funding, the insurance fund, flags, counters and totals, and the settlement primitives every
// mechanism goes through (funding, cash deficits, the makers' fill). It knows no margin model, no
// liquidation heap and no loss resolution: those are the layers above, reached through the two
// abstract hooks `rekey` and `resolveShortfall`. Only the venue's layers mutate this state.
import { AccountKind, type AccountStore } from '../core/accounts.js';
import { DEFAULT_CONFIG, type Config } from '../config/index.js';
import type { CollateralBook } from './collateral.js';
import type { Market } from '../market/market.js';
import {
  emptyTotals,
  positionAfter,
  type CrossLink,
  type InsuranceFund,
  type StepCounters,
  type VenueTotals,
} from './venue-types.js';

/** Number of account kinds (the length of the per-kind tallies, indexed by AccountKind code). */
const KIND_COUNT = Object.keys(AccountKind).length;

/** The venue's constructor parameters (every layer takes them unchanged). */
export type VenueArgs = ConstructorParameters<typeof VenueState>;

/** Layer 0 of PerpVenue: the state every mechanism shares and the settlement primitives. */
export abstract class VenueState {
  /** Published oracle price (margin), and index price (the induced test), USD. */
  oraclePriceUsd: number;
  indexPriceUsd: number;
  /** Prices at which margin tests value longs and shorts (the oracle price, less or plus k confidence), USD. */
  longMarginPriceUsd: number;
  shortMarginPriceUsd: number;
  /** Cumulative funding index, USD per unit. */
  fundingIndexUsd = 0;
  /** Funding rate of the last payment interval (fraction of price; positive: longs pay). */
  lastFundingRate = 0;
  /** Cross margin: the link to the other markets and which accounts are cross-margined (1); unset in a single market. */
  protected link: CrossLink | undefined;
  protected cross: Uint8Array | undefined;
  /** Multi-asset collateral (README "Collateral"), and the trader accounts holding some (scanned every step). */
  collateral: CollateralBook | undefined;
  protected collateralIds: number[] = [];
  protected readonly fund: InsuranceFund;
  /** Rates in force (governance may change them): fractions of notional, or of a fee. */
  initialMarginRate: number;
  maintenanceMarginRate: number;
  liquidationFeeRate: number;
  liquidatorFeeShare: number;
  takerFeeRate: number;
  /** Accounts flagged liquidatable, in the order they were flagged. */
  flagged: number[] = [];
  /** Set by the engine each step: trades (and liquidations) are refused while halted. */
  tradingHalted = false;
  liquidationsHalted = false;
  readonly counters: StepCounters = {
    liquidations: 0,
    liquidatedNotionalUsd: 0,
    liquidatedNetLongUsd: 0,
    inducedLiquidations: 0,
    refused: 0,
  };
  readonly totals: VenueTotals = emptyTotals();
  /**
   * Fees each account kind has paid (indexed by AccountKind code): trading fees, and liquidation fees
   * paid to the insurance fund or to an account of another kind (a liquidator share paid within one
   * kind is a transfer inside it, not a cost), USD. A generic tally; the attack ledger reads it.
   */
  readonly feesPaidByKindUsd = new Float64Array(KIND_COUNT);
  /** Book slippage against the mark price paid on trade actions, by account kind (as `feesPaidByKindUsd`), USD. */
  readonly slippagePaidByKindUsd = new Float64Array(KIND_COUNT);
  /** This object as the cross link sees it (the layers make one class; PerpVenue is the only concrete one). */
  protected readonly self: object;
  private premiumSum = 0;
  private premiumSamples = 0;
  private readonly funding: Config['protocol']['funding'];
  private readonly fundingIntervalSeconds: number;

  constructor(
    /** The protocol parameters. */
    protected readonly cfg: Config['protocol'],
    /** Length of one step, seconds. */
    stepSeconds: number,
    readonly accounts: AccountStore,
    protected readonly market: Market,
    /** Account that takes the other side of every fill (the market makers' pooled book). */
    protected readonly makerAccount: number,
    /** Oracle and index price at genesis, USD. */
    initialPriceUsd: number,
    /** Circuit breakers (liquidation cap, open-interest cap and scaling, withdrawal limits). */
    protected readonly breakers: Config['breakers'] = DEFAULT_CONFIG.breakers,
    /** Confidence multiplier of margin prices (oracle.confidenceK); 0 margins at the oracle price. */
    protected readonly confidenceK = 0,
    /** A fund shared with other markets (its initial size is counted by the owner); default: a fund of this venue's own. */
    sharedFund?: InsuranceFund,
  ) {
    this.self = this;
    this.longMarginPriceUsd = initialPriceUsd;
    this.shortMarginPriceUsd = initialPriceUsd;
    this.oraclePriceUsd = initialPriceUsd;
    this.indexPriceUsd = initialPriceUsd;
    if (sharedFund) this.fund = sharedFund;
    else {
      this.fund = { usd: cfg.insuranceFundUsd };
      this.totals.depositsUsd += cfg.insuranceFundUsd;
    }
    this.initialMarginRate = cfg.initialMarginRate;
    this.maintenanceMarginRate = cfg.maintenanceMarginRate;
    this.liquidationFeeRate = cfg.liquidationFeeRate;
    this.liquidatorFeeShare = cfg.liquidatorFeeShare;
    this.takerFeeRate = cfg.takerFeeRate;
    this.funding = cfg.funding;
    this.fundingIntervalSeconds = cfg.funding.intervalSteps * stepSeconds;
  }

  /** Insurance fund balance, USD (shared by all markets of a multi-market venue). */
  get insuranceFundUsd(): number {
    return this.fund.usd;
  }

  set insuranceFundUsd(usd: number) {
    this.fund.usd = usd;
  }

  /** Samples the premium and, at the end of an interval, moves the cumulative funding index (`step`: the step index; `markPriceUsd`: the book's mark, USD). */
  accrueFunding(step: number, markPriceUsd: number): void {
    const p = this.oraclePriceUsd;
    this.premiumSum += (markPriceUsd - p) / p;
    this.premiumSamples++;
    if ((step + 1) % this.funding.intervalSteps !== 0) return;
    const avg = this.premiumSum / this.premiumSamples;
    const c = this.funding.premiumClamp8h;
    const rate8h = avg + Math.min(c, Math.max(-c, this.funding.interestRate8h - avg));
    const cap = (this.funding.maxRatePerHour * this.fundingIntervalSeconds) / 3600;
    const rate = Math.min(cap, Math.max(-cap, (rate8h * this.fundingIntervalSeconds) / 28_800));
    this.fundingIndexUsd += rate * p;
    this.lastFundingRate = rate;
    this.premiumSum = 0;
    this.premiumSamples = 0;
  }

  /** Re-files account `i` for the liquidation scan after a change (the liquidation-scan layer). */
  protected abstract rekey(i: number): void;

  /** Resolves the negative collateral of closed account `i` (the loss-resolution layer). */
  protected abstract resolveShortfall(i: number): void;

  /** Moves funding owed since the last settlement into collateral. Leaves the liquidation key unchanged. */
  protected settleFunding(i: number): void {
    const a = this.accounts;
    const owed = a.size[i] * (this.fundingIndexUsd - a.fundingSnap[i]);
    if (owed !== 0) a.addCash(i, -owed);
    if (a.fundingSnap[i] !== this.fundingIndexUsd) a.setPosition(i, a.size[i], a.cost[i], this.fundingIndexUsd);
    if (a.cash[i] < 0 && a.size[i] !== 0) this.carryDeficit(i);
  }

  /** Moves a negative cash balance of an open position into its cost basis; equity and key are unchanged. */
  protected carryDeficit(i: number): void {
    const a = this.accounts;
    const c = a.cash[i];
    a.addCash(i, -c);
    a.setPosition(i, a.size[i], a.cost[i] - c, a.fundingSnap[i]);
  }

  /**
   * Keeps collateral non-negative after a change of account `i`. An open position's cash deficit
   * (realized losses, fees or funding beyond its collateral) is carried in the cost basis, which
   * leaves equity unchanged and moves the break-even price; a flat account with negative cash is
   * bad debt. Then re-files the account for the liquidation scan.
   */
  protected settleCash(i: number): void {
    const a = this.accounts;
    if (a.cash[i] < 0) {
      if (a.size[i] !== 0) this.carryDeficit(i);
      else this.resolveShortfall(i);
    }
    this.rekey(i);
  }

  /** The makers' book takes the other side of a fill of `size` units at `priceUsd`. */
  protected fillMaker(size: number, priceUsd: number): void {
    const a = this.accounts;
    const m = this.makerAccount;
    this.settleFunding(m);
    const next = positionAfter(a.size[m], a.cost[m], size, priceUsd);
    a.setPosition(m, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(m, next.realized);
    this.settleCash(m);
  }
}
