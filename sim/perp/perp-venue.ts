// The modeled perpetual-futures venue: margin (on the oracle price), trades against the makers'
// book, deposits and withdrawals with margin checks, funding through a cumulative index,
// liquidation by takeover at the oracle price, the insurance fund, the backstop vault, and the
// resolution of what the fund cannot cover (socialization or auto-deleveraging). Only this module
// mutates protocol state. It does no I/O; its only randomness is the ADL stream the engine hands it.
import type { Action, CrossAction, LiquidateAction, TradeAction } from '../../agents/types.js';
import { AccountKind, isPositionTaker, type AccountStore } from '../core/accounts.js';
import { WithdrawalLimiter } from '../controls/breakers.js';
import type { GovernablePath } from '../controls/governance.js';
import { DEFAULT_CONFIG, type Config } from '../config/index.js';
import { KeyedMaxHeap } from './liq-heap.js';
import {
  MARGIN_LEAD_MULTIPLE,
  sqrtRate,
  tieredMaintenanceUsd,
  tierOf,
  tierTable,
  VolatilityTracker,
  type Tier,
} from './margin-model.js';
import type { CollateralBook } from './collateral.js';
import type { Market } from '../market/market.js';
import type { Stream } from '../core/rng.js';

/** Why an action was refused (a recorded event, never an exception). */
export type RefusalReason =
  | 'initial-margin'
  | 'exceeds-collateral'
  | 'not-liquidatable'
  | 'liquidator-margin'
  | 'liquidator-slippage'
  | 'negative-equity'
  | 'halted'
  | 'open-interest-cap'
  | 'liquidations-halted'
  | 'liquidation-cap'
  | 'withdrawal-limit'
  | 'empty-order';

/** The insurance fund: one per venue, or one shared by the markets of a multi-market venue. */
export interface InsuranceFund {
  usd: number;
}

/**
 * Cross margin across the markets of a multi-market venue (sim/multi-market.ts): the equity and
 * margin an account has in the other markets, and moving value out of them to cover a shortfall here.
 */
export interface CrossLink {
  /** Equity of account `i` in the markets other than `self`, USD. */
  otherEquity(i: number, self: PerpVenue): number;
  /** Maintenance margin of account `i`'s positions in the other markets, USD. */
  otherMaintenance(i: number, self: PerpVenue): number;
  /** Initial margin of account `i`'s positions in the other markets, USD. */
  otherInitial(i: number, self: PerpVenue): number;
  /** Moves up to `usd` of account `i`'s positive equity in the other markets into `self`; returns the amount moved. */
  absorb(i: number, self: PerpVenue, usd: number): number;
  /** Account `i` changed in some market: its margin must be re-checked at the next scan. */
  touch(i: number): void;
  /** Equity and maintenance margin of account `i` in the other markets at their index prices (the induced test), USD. */
  otherEquityAtIndex(i: number, self: PerpVenue): number;
  otherMaintenanceAtIndex(i: number, self: PerpVenue): number;
}

export interface Outcome {
  ok: boolean;
  reason?: RefusalReason;
}

const OK: Outcome = { ok: true };

/**
 * One pair of liquidation heaps keyed for one affine maintenance piece `rate * N - dedUsd`: an
 * account in the lane is liquidatable by that piece iff the price crosses its key (README "Margin
 * models", "The liquidation key").
 */
interface Lane {
  rate: number;
  dedUsd: number;
  longs: KeyedMaxHeap;
  /** Shorts keyed by the negated key, so the max-heap yields the smallest key first. */
  shorts: KeyedMaxHeap;
}

/** Relative slack of the volatility model's heap rate over the rate in force (fewer rebuilds, a few more re-checks). */
const VOL_KEY_SLACK = 0.05;
/** Ratio between the rates of neighbouring lanes of the sqrt model (keys at most 1% of the rate conservative). */
const SQRT_LANE_RATIO = 1.01;

const REFUSALS = new Map<RefusalReason, Outcome>();
/** The refusal outcome of a reason (one shared object per reason: refusals are frequent and allocation is not free). */
const refuse = (reason: RefusalReason): Outcome => {
  let out = REFUSALS.get(reason);
  if (!out) REFUSALS.set(reason, (out = Object.freeze({ ok: false, reason })));
  return out;
};

/** Counters of one step, reset by the engine each step. */
export interface StepCounters {
  liquidations: number;
  liquidatedNotionalUsd: number;
  inducedLiquidations: number;
  refused: number;
}

/** Cumulative figures of the run. */
export interface VenueTotals {
  depositsUsd: number;
  withdrawalsUsd: number;
  tradingFeesUsd: number;
  liquidationFeesToInsuranceUsd: number;
  liquidationFeesToLiquidatorsUsd: number;
  badDebtUsd: number;
  uncoveredBadDebtUsd: number;
  socializedLossUsd: number;
  /** Uncovered bad debt that could not be socialized (no account in profit), USD. */
  unresolvedBadDebtUsd: number;
  liquidations: number;
  inducedLiquidations: number;
  liquidatedNotionalUsd: number;
  refusals: Record<RefusalReason, number>;
  /** Share of trading fees paid into the insurance fund (`protocol.insurance.tradingFeeShare`), USD; included in `tradingFeesUsd`. */
  tradingFeesToInsuranceUsd: number;
  /** Bad debt the insurance fund has paid (what `protocol.insurance.claimCapUsd` caps), USD. */
  insuranceClaimsUsd: number;
  /** Positions the backstop vault took over. */
  backstopTakeovers: number;
  /** Takeovers the vault refused because its equity would not cover initial margin of its inventory. */
  backstopRefused: number;
  /** Bankrupt positions closed by auto-deleveraging. */
  adlResolved: number;
  /** Opposite positions reduced by auto-deleveraging (one per counterparty fill). */
  adlEvents: number;
  /** Notional of those fills at the bankruptcy price, USD. */
  adlNotionalUsd: number;
}

/** Read-only view of the venue for agents and metrics. */
export interface VenueView {
  readonly oraclePriceUsd: number;
  readonly fundingIndexUsd: number;
  /** Funding rate of the last payment interval (fraction of price; positive: longs pay). */
  readonly lastFundingRate: number;
  readonly insuranceFundUsd: number;
  readonly initialMarginRate: number;
  readonly maintenanceMarginRate: number;
  readonly liquidationFeeRate: number;
  readonly liquidatorFeeShare: number;
  readonly takerFeeRate: number;
  readonly accounts: AccountStore;
  /** The margin model's effective maintenance rate (maintenance margin / notional at the oracle price) of account `i`. */
  maintenanceRateFor(i: number): number;
  /** The margin model's initial rate for account `i`'s position (before open-interest scaling). */
  initialRateFor(i: number): number;
  /** Accounts flagged liquidatable, in the order they were flagged. */
  readonly flagged: readonly number[];
  /** Whether trades, or liquidations, are refused this step (breakers, stale oracle, guardian). */
  readonly tradingHalted: boolean;
  readonly liquidationsHalted: boolean;
  equity(i: number): number;
  /** Units a liquidation of `i` would close now (signed like the position). */
  closeSizeFor(i: number): number;
  readonly totals: VenueTotals;
}

export class PerpVenue implements VenueView {
  oraclePriceUsd: number;
  indexPriceUsd: number;
  fundingIndexUsd = 0;
  /** Cross margin: the link to the other markets and which accounts are cross-margined (1); unset in a single market. */
  private link: CrossLink | undefined;
  private cross: Uint8Array | undefined;
  /** Multi-asset collateral (README "Collateral"), and the trader accounts holding some (scanned every step). */
  collateral: CollateralBook | undefined;
  private collateralIds: number[] = [];
  lastFundingRate = 0;
  private readonly fund: InsuranceFund;
  initialMarginRate: number;
  maintenanceMarginRate: number;
  liquidationFeeRate: number;
  liquidatorFeeShare: number;
  takerFeeRate: number;
  flagged: number[] = [];
  /** Set by the engine each step: trades (and liquidations) are refused while halted. */
  tradingHalted = false;
  liquidationsHalted = false;
  /** Prices at which margin tests value longs and shorts (the oracle price, less or plus k confidence). */
  longMarginPriceUsd: number;
  shortMarginPriceUsd: number;
  readonly withdrawalLimiter: WithdrawalLimiter;
  /** Largest notional liquidated per step (0: none) and hard open-interest cap per side (0: none), USD. */
  liquidationCapUsd: number;
  openInterestCapUsd: number;
  /** Uncovered bad debt of this step waiting for socialization at the end of the step. */
  pendingSocializationUsd = 0;
  /** Set by the engine each step: withdrawals are refused while halted (price band with haltWithdrawals). */
  withdrawalsHalted = false;
  /** Trading and liquidation fees, and book slippage against the mark, paid by attacker accounts, USD (README "Attacks"). */
  attackerFeesUsd = 0;
  attackerSlippageUsd = 0;
  readonly counters: StepCounters = { liquidations: 0, liquidatedNotionalUsd: 0, inducedLiquidations: 0, refused: 0 };
  readonly totals: VenueTotals = {
    depositsUsd: 0,
    withdrawalsUsd: 0,
    tradingFeesUsd: 0,
    liquidationFeesToInsuranceUsd: 0,
    liquidationFeesToLiquidatorsUsd: 0,
    badDebtUsd: 0,
    uncoveredBadDebtUsd: 0,
    socializedLossUsd: 0,
    unresolvedBadDebtUsd: 0,
    liquidations: 0,
    inducedLiquidations: 0,
    liquidatedNotionalUsd: 0,
    refusals: {
      'initial-margin': 0,
      'exceeds-collateral': 0,
      'not-liquidatable': 0,
      'liquidator-margin': 0,
      'liquidator-slippage': 0,
      'negative-equity': 0,
      halted: 0,
      'open-interest-cap': 0,
      'liquidations-halted': 0,
      'liquidation-cap': 0,
      'withdrawal-limit': 0,
      'empty-order': 0,
    },
    tradingFeesToInsuranceUsd: 0,
    insuranceClaimsUsd: 0,
    backstopTakeovers: 0,
    backstopRefused: 0,
    adlResolved: 0,
    adlEvents: 0,
    adlNotionalUsd: 0,
  };
  /** The backstop vault's account, or -1 when there is none (set by the engine through `setBackstop`). */
  backstopAccount = -1;
  /** The ADL stream (`streamFor(seed, 'adl')`), drawn only when a random-ranked ADL runs. */
  adlStream: Stream | undefined;
  /** Accounts whose book liquidation was refused this step (slippage, cap): the vault takes them over. */
  private readonly backstopQueue: number[] = [];
  /** ADL order of this step for a bankrupt long (index 0) and short (1), ranked at the step's first ADL of that side. */
  private readonly adlRanked: (number[] | undefined)[] = [undefined, undefined];
  /** The effective loss resolution (`socializeLosses: false` with 'socialize' is 'none'). */
  private readonly resolution: Config['protocol']['lossResolution'];
  /** Liquidation heaps, one lane per affine maintenance piece (one for flat and volatility, one per tier, one per sqrt rate bucket). */
  private readonly lanes: Lane[] = [];
  /** sqrt model: lane of each rate bucket. */
  private readonly sqrtLanes = new Map<number, Lane>();
  readonly modelKind: Config['protocol']['marginModel']['kind'];
  private readonly tiers: Tier[];
  private readonly sqrtFactor: number;
  private readonly vol: VolatilityTracker | undefined;
  /** Volatility model: the maintenance rate in force this step. */
  volRate: number;
  /** Largest market-wide maintenance rate in force so far (the volatility model's rate, else the base rate). */
  marginRateMax: number;
  /** Rebuilds of the heaps because the volatility model's rate left its slack. */
  marginRebuilds = 0;
  /** Oracle observations of the volatility tracker, and the first at which the margin rate and the EWMA rate passed the lead threshold (-1: not yet). */
  private volObservations = 0;
  private marginRiseObs = -1;
  private realizedRiseObs = -1;
  /** Scratch list of accounts popped from a heap but not liquidatable (re-keyed after the scan). */
  private readonly recheck: number[] = [];
  /** Scratch list of account ids (socialization). */
  private readonly scratchIds: Int32Array;
  private premiumSum = 0;
  private premiumSamples = 0;
  private readonly funding: Config['protocol']['funding'];
  private readonly fundingIntervalSeconds: number;

  constructor(
    private readonly cfg: Config['protocol'],
    stepSeconds: number,
    readonly accounts: AccountStore,
    private readonly market: Market,
    /** Account that takes the other side of every fill (the market makers' pooled book). */
    private readonly makerAccount: number,
    initialPriceUsd: number,
    private readonly breakers: Config['breakers'] = DEFAULT_CONFIG.breakers,
    /** Confidence multiplier of margin prices (oracle.confidenceK); 0 margins at the oracle price. */
    private readonly confidenceK = 0,
    /** A fund shared with other markets (its initial size is counted by the owner); default: a fund of this venue's own. */
    sharedFund?: InsuranceFund,
  ) {
    this.withdrawalLimiter = new WithdrawalLimiter(breakers.withdrawals);
    this.liquidationCapUsd = breakers.maxLiquidationNotionalPerStepUsd;
    this.openInterestCapUsd = breakers.openInterest.maxPerSideUsd;
    this.longMarginPriceUsd = initialPriceUsd;
    this.shortMarginPriceUsd = initialPriceUsd;
    // Room for one entry per account; the heaps grow (by doubling) as lazy deletion leaves stale entries.
    const mm = cfg.marginModel;
    this.modelKind = mm.kind;
    this.tiers = tierTable(mm.tiers);
    this.sqrtFactor = mm.sqrtImfFactor;
    this.vol = mm.kind === 'volatility' ? new VolatilityTracker(mm.volatility, initialPriceUsd) : undefined;
    this.volRate = cfg.maintenanceMarginRate;
    this.marginRateMax = cfg.maintenanceMarginRate;
    const pieces = mm.kind === 'tiers' ? this.tiers.map((t) => [t.mmr, t.dedUsd]) : mm.kind === 'sqrt' ? [] : [[0, 0]];
    for (const [rate, dedUsd] of pieces)
      this.lanes.push({
        rate,
        dedUsd,
        longs: new KeyedMaxHeap(accounts.count + 1024),
        shorts: new KeyedMaxHeap(accounts.count + 1024),
      });
    this.scratchIds = new Int32Array(accounts.count);
    this.oraclePriceUsd = initialPriceUsd;
    this.indexPriceUsd = initialPriceUsd;
    if (sharedFund) this.fund = sharedFund;
    else {
      this.fund = { usd: cfg.insuranceFundUsd };
      this.totals.depositsUsd += cfg.insuranceFundUsd;
    }
    const resolution = cfg.lossResolution ?? 'socialize';
    this.resolution = resolution === 'socialize' && !cfg.socializeLosses ? 'none' : resolution;
    this.initialMarginRate = cfg.initialMarginRate;
    this.maintenanceMarginRate = cfg.maintenanceMarginRate;
    this.liquidationFeeRate = cfg.liquidationFeeRate;
    this.liquidatorFeeShare = cfg.liquidatorFeeShare;
    this.takerFeeRate = cfg.takerFeeRate;
    this.setLaneRates();
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

  /**
   * Cross-margins the trader accounts flagged in `cross` with their sub-accounts in the other markets
   * of `link`: margin tests count their equity and margin there, and a shortfall here draws on them.
   */
  setCrossMargin(link: CrossLink, cross: Uint8Array): void {
    this.link = link;
    this.cross = cross;
    this.rebuildHeaps();
  }

  /**
   * Turns on multi-asset collateral: from now on margin counts each account's collateral balances at
   * price x (1 - haircut), and their holders are re-checked every step (collateral prices move their equity).
   */
  setCollateral(book: CollateralBook): void {
    this.collateral = book;
    this.collateralIds = [];
    for (let i = 0; i < this.accounts.count; i++)
      if (book.holds[i] === 1 && this.accounts.kind[i] === AccountKind.trader) this.collateralIds.push(i);
    this.rebuildHeaps();
  }

  /** Converts `usd` of account `i`'s cash into collateral asset `asset` at its price (genesis). */
  postCollateral(i: number, asset: number, usd: number, book: CollateralBook): void {
    if (!(usd > 0)) return;
    this.accounts.addCash(i, -usd);
    book.credit(i, asset, usd);
  }

  /** Collateral assets held at their market value less the holders' revaluation gains, USD (the conservation check's view). */
  collateralHeldUsd(): number {
    const c = this.collateral;
    return c ? c.totalMarketValue() - c.revaluationUsd : 0;
  }

  /** Equity of account `i` with its collateral at market value (no haircut), USD: what it is worth, not what margin counts. */
  equityAtMarket(i: number): number {
    const c = this.collateral;
    return c ? this.equity(i) - c.marginValue(i) + c.marketValue(i) : this.equity(i);
  }

  /** Equity that can cover a shortfall of account `i` here: its own, plus its other markets' under cross margin, USD. */
  private coverableEquity(i: number): number {
    const e = this.equity(i);
    return this.link && this.cross![i] === 1 ? e + this.link.otherEquity(i, this) : e;
  }

  /** Whether account `i` is cross-margined with other markets. */
  isCross(i: number): boolean {
    return this.cross !== undefined && this.cross[i] === 1;
  }

  /** Initial margin of account `i`'s position here at the oracle price, USD. */
  initialOf(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : this.initialRateToHold(q, this.oraclePriceUsd) * Math.abs(q) * this.oraclePriceUsd;
  }

  /**
   * Moves up to `usd` of account `i`'s positive equity here out (to another market of its cross-margin
   * account): collateral first, then, as a deficit carried in the position, unrealized profit. Returns the amount.
   */
  transferOut(i: number, usd: number): number {
    const x = Math.min(usd, Math.max(0, this.equity(i)));
    if (!(x > 0)) return 0;
    const a = this.accounts;
    a.addCash(i, -x);
    if (a.cash[i] < 0 && a.size[i] !== 0) this.carryDeficit(i);
    this.rekey(i);
    return x;
  }

  // ---- queries ----

  /** Equity at the oracle price: collateral + unrealized PnL - funding owed, USD. */
  equity(i: number): number {
    return this.equityAt(i, this.oraclePriceUsd);
  }

  equityAt(i: number, priceUsd: number): number {
    const a = this.accounts;
    const q = a.size[i];
    const e = a.cash[i] + q * priceUsd - a.cost[i] - q * (this.fundingIndexUsd - a.fundingSnap[i]);
    return this.collateral === undefined ? e : e + this.collateral.marginValue(i);
  }

  isLiquidatable(i: number): boolean {
    const q = this.accounts.size[i];
    if (q === 0 || !isPositionTaker(this.accounts.kind[i])) return false;
    const p = q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
    if (this.link && this.cross![i] === 1)
      return (
        this.equityAt(i, p) + this.link.otherEquity(i, this) <
        this.maintenanceUsd(q, p) + this.link.otherMaintenance(i, this)
      );
    return this.equityAt(i, p) < this.maintenanceUsd(q, p);
  }

  /** Maintenance margin of a position of `q` units valued at `p`, USD, by the margin model. */
  maintenanceUsd(q: number, p: number): number {
    switch (this.modelKind) {
      case 'flat':
        return this.maintenanceMarginRate * Math.abs(q) * p;
      case 'tiers':
        return tieredMaintenanceUsd(this.tiers, Math.abs(q) * p);
      case 'sqrt':
        return sqrtRate(this.maintenanceMarginRate, this.sqrtFactor, Math.abs(q)) * Math.abs(q) * p;
      case 'volatility':
        return this.volRate * Math.abs(q) * p;
    }
  }

  /** Initial rate of a position of `q` units valued at `p` by the margin model, before open-interest scaling. */
  initialRate(q: number, p: number): number {
    switch (this.modelKind) {
      case 'flat':
        return this.initialMarginRate;
      case 'tiers':
        return tierOf(this.tiers, Math.abs(q) * p).imr;
      case 'sqrt':
        return sqrtRate(this.initialMarginRate, this.sqrtFactor, Math.abs(q));
      case 'volatility':
        // Initial margin keeps its ratio to maintenance as the volatility raises the latter.
        return Math.min(
          1,
          Math.max(this.initialMarginRate, (this.volRate * this.initialMarginRate) / this.maintenanceMarginRate),
        );
    }
  }

  maintenanceRateFor(i: number): number {
    if (this.modelKind === 'flat') return this.maintenanceMarginRate;
    const q = this.accounts.size[i];
    const n = Math.abs(q) * this.oraclePriceUsd;
    return n > 0
      ? this.maintenanceUsd(q, this.oraclePriceUsd) / n
      : this.maintenanceUsd(1, this.oraclePriceUsd) / this.oraclePriceUsd;
  }

  initialRateFor(i: number): number {
    return this.initialRate(this.accounts.size[i], this.oraclePriceUsd);
  }

  /** Initial rate required to hold `q` units at `p`: the model's rate, scaled by open interest when enabled. */
  private initialRateToHold(q: number, p: number): number {
    return this.modelKind === 'flat' ? this.initialMarginRateNow() : this.initialMarginRateNow(this.initialRate(q, p));
  }

  /** Initial margin rate for a new position given traders' open interest (dYdX OI-scaled IMF when enabled). */
  initialMarginRateNow(imr: number = this.initialMarginRate): number {
    const oi = this.breakers.openInterest;
    if (!(oi.imfScaleHighUsd > 0)) return imr;
    const t = this.accounts.totals;
    const open = (t.traderLong + t.traderShort) * this.oraclePriceUsd;
    const s = Math.min(1, Math.max(0, (open - oi.imfScaleLowUsd) / (oi.imfScaleHighUsd - oi.imfScaleLowUsd)));
    return imr + s * (1 - imr);
  }

  closeSizeFor(i: number): number {
    const q = this.accounts.size[i];
    return q * this.closeFraction(i);
  }

  /** Fraction of the position a liquidation closes: all of it, or just enough to restore initial margin. */
  private closeFraction(i: number): number {
    // A cross-margined account's positions are closed whole, market by market (Hyperliquid books the full position).
    if (this.cfg.liquidationMode === 'full' || (this.cross !== undefined && this.cross[i] === 1)) return 1;
    // Sized at the price the margin test uses (the oracle, or its confidence-adjusted side price),
    // so that one liquidation restores initial margin in the test's own terms.
    const q = this.accounts.size[i];
    const p = q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
    const notional = Math.abs(q) * p;
    const e = this.equityAt(i, p);
    // The model's rate at the current size: rates never fall with size, so this closes enough.
    const imr = this.modelKind === 'flat' ? this.initialMarginRate : this.initialRate(q, p);
    const lfr = this.liquidationFeeRate;
    if (e <= 0 || imr <= lfr || notional <= 0) return 1;
    const f = Math.max((imr * notional - e) / ((imr - lfr) * notional), this.cfg.minLiquidationNotionalUsd / notional);
    return f >= 0.999 ? 1 : Math.max(f, 0);
  }

  // ---- genesis ----

  /** Credits collateral at genesis or by a deposit. */
  deposit(i: number, usd: number): void {
    if (!(usd > 0)) return;
    this.accounts.addCash(i, usd);
    this.accounts.netDeposits[i] += usd;
    this.totals.depositsUsd += usd;
    this.rekey(i);
  }

  /** An initial-book position opened against the makers at `entryPriceUsd`, with no fee or impact. */
  openGenesisPosition(i: number, size: number, entryPriceUsd: number): void {
    const a = this.accounts;
    const m = this.makerAccount;
    a.setPosition(i, a.size[i] + size, a.cost[i] + size * entryPriceUsd, this.fundingIndexUsd);
    a.setPosition(m, a.size[m] - size, a.cost[m] - size * entryPriceUsd, this.fundingIndexUsd);
    this.rekey(i);
  }

  // ---- step hooks ----

  /** Prices of the step: the published oracle (for margin) and the index (for the induced test). */
  setPrices(oraclePriceUsd: number, indexPriceUsd: number, confidenceUsd = 0): void {
    this.oraclePriceUsd = oraclePriceUsd;
    this.indexPriceUsd = indexPriceUsd;
    const band = this.confidenceK * confidenceUsd;
    this.longMarginPriceUsd = band > 0 ? Math.max(oraclePriceUsd - band, 1e-9 * oraclePriceUsd) : oraclePriceUsd;
    this.shortMarginPriceUsd = oraclePriceUsd + band;
    if (this.vol) {
      this.vol.observe(oraclePriceUsd);
      this.volRate = this.vol.maintenanceRate(this.maintenanceMarginRate);
      this.marginRateMax = Math.max(this.marginRateMax, this.volRate);
      const threshold = MARGIN_LEAD_MULTIPLE * this.maintenanceMarginRate;
      if (this.marginRiseObs < 0 && this.volRate > threshold) this.marginRiseObs = this.volObservations;
      if (this.realizedRiseObs < 0 && this.vol.ewmaMaintenanceRate(this.maintenanceMarginRate) > threshold)
        this.realizedRiseObs = this.volObservations;
      this.volObservations++;
    }
  }

  /**
   * Steps from the margin rate first passing `MARGIN_LEAD_MULTIPLE` times the base maintenance rate to
   * the EWMA (realized) volatility's rate first passing it; 0 unless both happen. Positive: margin moved first.
   */
  get marginLeadSteps(): number {
    return this.marginRiseObs >= 0 && this.realizedRiseObs >= 0 ? this.realizedRiseObs - this.marginRiseObs : 0;
  }

  /** Samples the premium and, at the end of an interval, moves the cumulative funding index. */
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

  /** Re-checks flagged accounts and flags those the price has pushed below maintenance. */
  refreshLiquidatable(step: number): void {
    const a = this.accounts;
    // Lazy deletion leaves stale entries behind; compact when they dominate.
    let entries = 0;
    for (const lane of this.lanes) entries += lane.longs.size + lane.shorts.size;
    if (entries > 3 * a.count * Math.max(1, this.lanes.length) + 1024) this.rebuildHeaps();
    else if (this.vol) {
      // Keys are conservative while the lane's rate is at least the rate in force; re-key when it is
      // not, or when it is well above (needless re-checks).
      const rate = this.lanes[0].rate;
      if (this.volRate > rate || this.volRate * (1 + VOL_KEY_SLACK) ** 2 < rate) {
        this.marginRebuilds++;
        this.rebuildHeaps();
      }
    }
    // Compact the flagged list in place: keep those still liquidatable, re-file the others.
    const flagged = this.flagged;
    let kept = 0;
    for (let k = 0; k < flagged.length; k++) {
      const i = flagged[k];
      if (a.flagStep[i] < 0) continue;
      if (this.isLiquidatable(i)) flagged[kept++] = i;
      else {
        a.flagStep[i] = -1;
        this.rekey(i);
      }
    }
    flagged.length = kept;
    const recheck = this.recheck;
    recheck.length = 0;
    for (const lane of this.lanes) {
      const r = lane.rate;
      this.drainHeap(lane.longs, this.longMarginPriceUsd - this.fundingIndexUsd / (1 - r), step);
      this.drainHeap(lane.shorts, -(this.shortMarginPriceUsd - this.fundingIndexUsd / (1 + r)), step);
    }
    for (const i of recheck) this.rekey(i);
    // Collateral holders' equity moves with the collateral prices: no fixed key, a scan each step.
    for (const i of this.collateralIds) {
      if (a.flagStep[i] < 0 && a.size[i] !== 0 && this.isLiquidatable(i)) {
        a.flagStep[i] = step;
        this.flagged.push(i);
      }
    }
    // Cross-margined accounts depend on every market's prices: the link scans them once for all markets (flagCross).
  }

  /** Flags cross-margined account `i` (found liquidatable by the link's scan) if it holds a position here. */
  flagCross(i: number, step: number): void {
    const a = this.accounts;
    if (a.flagStep[i] >= 0 || a.size[i] === 0) return;
    a.flagStep[i] = step;
    this.flagged.push(i);
  }

  /** Equity of account `i` here at the price its margin test uses (the oracle, or its confidence-adjusted side), USD. */
  marginEquity(i: number): number {
    const q = this.accounts.size[i];
    return this.equityAt(i, q >= 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd);
  }

  /** Notional of account `i`'s position here at its margin-test price, USD. */
  marginNotional(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : Math.abs(q) * (q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd);
  }

  /** Maintenance margin of account `i`'s position here at its margin-test price, USD. */
  marginMaintenance(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : this.maintenanceUsd(q, q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd);
  }

  /** Pops the accounts whose key the price has crossed (key > x): flags the liquidatable, queues the rest for a re-key. */
  private drainHeap(heap: KeyedMaxHeap, x: number, step: number): void {
    const a = this.accounts;
    while (heap.size > 0) {
      const i = heap.topId();
      if (heap.topVersion() !== a.version[i]) {
        heap.pop();
        continue;
      }
      if (!(x < heap.topKey())) break;
      heap.pop();
      // Already flagged through another lane (tiers file an account in every lane).
      if (a.flagStep[i] >= 0) continue;
      if (this.isLiquidatable(i)) {
        a.flagStep[i] = step;
        this.flagged.push(i);
      } else this.recheck.push(i);
    }
  }

  /** Accounts flagged liquidatable and not liquidated since (the flagged list is compacted only at the next scan). */
  pendingLiquidations(): number {
    let n = 0;
    for (const i of this.flagged) if (this.accounts.flagStep[i] >= 0) n++;
    return n;
  }

  /** Applies one agent action; refusals are counted, never thrown. */
  apply(action: Action): Outcome {
    let out: Outcome;
    switch (action.kind) {
      case 'trade':
        out = this.trade(action);
        break;
      case 'deposit':
        this.deposit(action.account, action.amountUsd);
        out = OK;
        break;
      case 'withdraw':
        out = this.withdraw(action.account, action.amountUsd);
        break;
      case 'liquidate':
        out = this.liquidate(action);
        break;
      case 'cross':
        out = this.selfMatch(action);
        break;
      case 'quote':
        this.market.setMakerFactor(action.depthFactor);
        out = OK;
        break;
    }
    if (!out.ok) {
      this.counters.refused++;
      this.totals.refusals[out.reason!]++;
    }
    return out;
  }

  /** Socializes the step's uncovered bad debt (design "One step", item 6). */
  endStep(): void {
    const u = this.pendingSocializationUsd;
    if (u <= 0) return;
    this.pendingSocializationUsd = 0;
    if (this.resolution !== 'socialize') {
      this.totals.unresolvedBadDebtUsd += u;
      return;
    }
    const a = this.accounts;
    const p = this.oraclePriceUsd;
    // One pass finds the accounts in profit; the haircut then touches only those.
    const winners = this.scratchIds;
    let count = 0;
    let profit = 0;
    for (let i = 0; i < a.count; i++) {
      const pnl = a.size[i] * p - a.cost[i];
      if (pnl > 0) {
        profit += pnl;
        winners[count++] = i;
      }
    }
    const taken = Math.min(u, profit);
    if (taken > 0) {
      const ratio = taken / profit;
      for (let k = 0; k < count; k++) {
        const i = winners[k];
        const pnl = a.size[i] * p - a.cost[i];
        // A haircut on unrealized profit: raising the cost basis lowers the PnL, not the collateral.
        a.setPosition(i, a.size[i], a.cost[i] + pnl * ratio, a.fundingSnap[i]);
        this.rekey(i);
      }
    }
    this.totals.socializedLossUsd += taken;
    this.totals.unresolvedBadDebtUsd += u - taken;
  }

  resetCounters(): void {
    const c = this.counters;
    c.liquidations = 0;
    c.liquidatedNotionalUsd = 0;
    c.inducedLiquidations = 0;
    c.refused = 0;
    this.adlRanked[0] = this.adlRanked[1] = undefined;
  }

  // ---- actions ----

  private trade(action: TradeAction): Outcome {
    const i = action.account;
    const size = action.size;
    if (action.depositUsd > 0) this.deposit(i, action.depositUsd);
    if (!(size !== 0 && Number.isFinite(size))) return refuse('empty-order');
    if (this.tradingHalted) return refuse('halted');
    const a = this.accounts;
    this.settleFunding(i);
    const q = a.size[i];
    const fill = this.market.quote(size);
    const price = fill.priceUsd;
    const fee = this.takerFeeRate * Math.abs(size) * price;
    const next = positionAfter(q, a.cost[i], size, price);
    const increases = Math.abs(next.size) > Math.abs(q) || next.size * q < 0;
    if (isPositionTaker(a.kind[i])) {
      const p = next.size >= 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      let equityAfter = a.cash[i] + next.realized - fee + next.size * p - next.cost;
      let otherInitial = 0;
      if (this.collateral !== undefined) equityAfter += this.collateral.marginValue(i);
      if (this.link && this.cross![i] === 1) {
        equityAfter += this.link.otherEquity(i, this);
        otherInitial = this.link.otherInitial(i, this);
      }
      if (increases && equityAfter < this.initialRateToHold(next.size, p) * Math.abs(next.size) * p + otherInitial)
        return refuse('initial-margin');
      const cap = this.openInterestCapUsd;
      if (increases && cap > 0) {
        const t = a.totals;
        const side =
          next.size > 0 ? t.traderLong - Math.max(q, 0) + next.size : t.traderShort - Math.max(-q, 0) - next.size;
        if (side * this.oraclePriceUsd > cap) return refuse('open-interest-cap');
      }
      // An underwater account cannot trade its loss onto the insurance fund: only a liquidation closes it.
      if (equityAfter < 0) return refuse('negative-equity');
    }
    if (a.kind[i] === AccountKind.attacker) {
      this.attackerFeesUsd += fee;
      this.attackerSlippageUsd += Math.abs(size) * Math.abs(price - this.market.markPriceUsd);
    }
    this.market.execute(size);
    a.setPosition(i, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(i, next.realized - fee);
    this.collectTradingFee(fee);
    this.fillMaker(-size, price);
    this.settleCash(i);
    return OK;
  }

  private withdraw(i: number, usd: number): Outcome {
    const a = this.accounts;
    if (!(usd > 0)) return refuse('empty-order');
    if (this.withdrawalsHalted) return refuse('halted');
    // Against unrealized profit only when the protocol allows it, and never beyond the venue's collateral.
    if (usd > a.cash[i] && !(this.cfg.withdrawUnrealizedProfit && a.size[i] !== 0 && usd <= a.totals.cash))
      return refuse('exceeds-collateral');
    if (this.link && this.cross![i] === 1) {
      const p = a.size[i] > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      const held = a.size[i] === 0 ? 0 : this.initialRateToHold(a.size[i], p) * Math.abs(a.size[i]) * p;
      if (this.equityAt(i, p) + this.link.otherEquity(i, this) - usd < held + this.link.otherInitial(i, this))
        return refuse('initial-margin');
    } else if (a.size[i] !== 0) {
      const p = a.size[i] > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      if (this.equityAt(i, p) - usd < this.initialRateToHold(a.size[i], p) * Math.abs(a.size[i]) * p)
        return refuse('initial-margin');
    }
    if (!this.withdrawalLimiter.allow(usd)) return refuse('withdrawal-limit');
    a.addCash(i, -usd);
    a.netDeposits[i] -= usd;
    this.totals.withdrawalsUsd += usd;
    if (a.cash[i] < 0) this.carryDeficit(i);
    this.rekey(i);
    return OK;
  }

  private liquidate(action: LiquidateAction): Outcome {
    const i = action.account;
    const l = action.liquidator;
    const a = this.accounts;
    if (this.liquidationsHalted) return refuse('liquidations-halted');
    if (!this.isLiquidatable(i)) {
      if (a.flagStep[i] >= 0) {
        a.flagStep[i] = -1;
        this.rekey(i);
      }
      return refuse('not-liquidatable');
    }
    const p = this.oraclePriceUsd;
    let f = this.closeFraction(i);
    const q = a.size[i];
    const cap = this.liquidationCapUsd;
    if (cap > 0) {
      // Maker `hole` style: a liquidation is cut down to the room left under the step's cap.
      const room = cap - this.counters.liquidatedNotionalUsd;
      if (room <= 0) return this.bookRefused(i, 'liquidation-cap');
      f = Math.min(f, room / (Math.abs(q) * p));
    }
    // A liquidator whose capacity is below the position takes a part of it.
    if (action.maxNotionalUsd !== undefined) f = Math.min(f, action.maxNotionalUsd / (Math.abs(q) * p));
    const closeSize = q * f;
    const closeNotional = Math.abs(closeSize) * p;
    if (f === 1 && this.resolution === 'adl') {
      // The account pays the liquidator's share whatever its equity: ADL when that would leave a
      // shortfall the fund cannot cover.
      this.settleFunding(i);
      const toLiquidator = this.liquidationFeeRate * closeNotional * this.liquidatorFeeShare;
      if (toLiquidator - this.coverableEquity(i) > this.insuranceAvailableUsd()) {
        this.coverFromElsewhere(i);
        this.deleverage(i);
        return OK;
      }
    }
    // The liquidator must be able to carry the position it takes over, if only for a moment.
    if (this.equity(l) < this.initialMarginRate * closeNotional) return refuse('liquidator-margin');
    const fillPrice = this.market.quote(-closeSize).priceUsd;
    if (closeSize > 0 ? fillPrice < action.worstPriceUsd : fillPrice > action.worstPriceUsd)
      return this.bookRefused(i, 'liquidator-slippage');

    const induced = this.inducedAt(i);
    this.settleFunding(i);
    const cost = a.cost[i];
    // Takeover at the oracle price: the account realizes that share of its PnL.
    a.setPosition(i, f === 1 ? 0 : q - closeSize, f === 1 ? 0 : cost * (1 - f), this.fundingIndexUsd);
    a.addCash(i, f * (q * p - cost));
    const total = this.liquidationFeeRate * closeNotional;
    const toLiquidator = total * this.liquidatorFeeShare;
    a.addCash(i, -toLiquidator);
    a.addCash(l, toLiquidator);
    const toInsurance = Math.min(total - toLiquidator, Math.max(0, this.equity(i)));
    a.addCash(i, -toInsurance);
    this.insuranceFundUsd += toInsurance;
    this.totals.liquidationFeesToLiquidatorsUsd += toLiquidator;
    this.totals.liquidationFeesToInsuranceUsd += toInsurance;
    // An attacker liquidated by its own account pays the liquidator share to itself: not a cost.
    if (a.kind[i] === AccountKind.attacker)
      this.attackerFeesUsd += (a.kind[l] === AccountKind.attacker ? 0 : toLiquidator) + toInsurance;

    // The liquidator takes the position at the oracle price and sells it straight into the book.
    this.settleFunding(l);
    if (action.keep) return this.keepTakeover(i, l, closeSize, closeNotional, induced);
    a.setPosition(l, a.size[l] + closeSize, a.cost[l] + closeSize * p, this.fundingIndexUsd);
    const fill = this.market.execute(-closeSize);
    const next = positionAfter(a.size[l], a.cost[l], -closeSize, fill.priceUsd);
    const fee = this.takerFeeRate * Math.abs(closeSize) * fill.priceUsd;
    a.setPosition(l, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(l, next.realized - fee);
    this.collectTradingFee(fee);
    if (a.kind[l] === AccountKind.attacker) this.attackerFeesUsd += fee;
    this.fillMaker(closeSize, fill.priceUsd);

    a.flagStep[i] = -1;
    this.settleCash(i);
    this.settleCash(l);

    this.countLiquidation(closeNotional, induced);
    return OK;
  }

  private countLiquidation(notionalUsd: number, induced: boolean): void {
    const c = this.counters;
    c.liquidations++;
    c.liquidatedNotionalUsd += notionalUsd;
    if (induced) c.inducedLiquidations++;
    this.totals.liquidations++;
    this.totals.liquidatedNotionalUsd += notionalUsd;
    if (induced) this.totals.inducedLiquidations++;
  }

  /** A book liquidation refused because the book cannot absorb it: queued for the backstop vault when enabled. */
  private bookRefused(i: number, reason: 'liquidation-cap' | 'liquidator-slippage'): Outcome {
    if (this.backstopAccount >= 0 && this.cfg.backstop.onBookRefusal && !this.backstopQueue.includes(i))
      this.backstopQueue.push(i);
    return refuse(reason);
  }

  /** Whether account `i`'s liquidation is one the index price would not have triggered (the induced test). */
  private inducedAt(i: number): boolean {
    const index = this.indexPriceUsd;
    const q = this.accounts.size[i];
    if (this.link && this.cross![i] === 1)
      // Cross margin: summed equity and maintenance at every market's index.
      return (
        this.equityAt(i, index) + this.link.otherEquityAtIndex(i, this) >=
        this.maintenanceUsd(q, index) + this.link.otherMaintenanceAtIndex(i, this)
      );
    return this.equityAt(i, index) >= this.maintenanceUsd(q, index);
  }

  /**
   * Before auto-deleveraging account `i`, what else backs it covers its loss first, as in
   * resolveShortfall: its collateral assets are sold at market, then, under cross margin, its
   * positive equity in the other markets is drawn, so the bankruptcy price counts them.
   */
  private coverFromElsewhere(i: number): void {
    const a = this.accounts;
    if (this.collateral !== undefined && this.collateral.holds[i] === 1) {
      const raised = this.collateral.seize(i, Infinity);
      if (raised > 0) a.addCash(i, raised);
    }
    if (this.link && this.cross![i] === 1) {
      const need = -this.equity(i);
      if (need > 0) {
        const moved = this.link.absorb(i, this, need);
        if (moved > 0) a.addCash(i, moved);
      }
    }
  }

  /** Equity of account `i` here at the index price, USD. */
  equityAtIndex(i: number): number {
    return this.equityAt(i, this.indexPriceUsd);
  }

  /** Maintenance margin of account `i`'s position here at the index price, USD. */
  maintenanceAtIndex(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : this.maintenanceUsd(q, this.indexPriceUsd);
  }

  // ---- insurance fund, backstop vault and auto-deleveraging ----

  /** A trading fee: the insurance fund's share (`insurance.tradingFeeShare`) goes to the fund, the rest is revenue. */
  private collectTradingFee(fee: number): void {
    this.totals.tradingFeesUsd += fee;
    const share = this.cfg.insurance.tradingFeeShare;
    if (share > 0) {
      const toFund = fee * share;
      this.insuranceFundUsd += toFund;
      this.totals.tradingFeesToInsuranceUsd += toFund;
    }
  }

  /** What the insurance fund can still pay for this market's bad debt: its balance, within the claim cap, USD. */
  insuranceAvailableUsd(): number {
    return Math.min(Math.max(0, this.insuranceFundUsd), this.insuranceClaimRoomUsd());
  }

  /** What the claim cap still allows the fund to pay for this market, USD (Infinity without a cap). */
  insuranceClaimRoomUsd(): number {
    const cap = this.cfg.insurance.claimCapUsd;
    return cap > 0 ? Math.max(0, cap - this.totals.insuranceClaimsUsd) : Infinity;
  }

  /** Makes account `v` (funded by the caller through `deposit`) the backstop vault. */
  setBackstop(v: number): void {
    this.backstopAccount = v;
  }

  /** The backstop vault's equity at the oracle price, USD (0 without a vault). */
  backstopEquityUsd(): number {
    return this.backstopAccount >= 0 ? this.equity(this.backstopAccount) : 0;
  }

  /**
   * The backstop vault's turn, after the agents' actions: it takes over each flagged account whose equity
   * (at its margin price) is below `triggerFraction` of its maintenance margin, and each whose book
   * liquidation was refused this step, then sells `unwindFractionPerStep` of its inventory into the book.
   * Nothing happens while liquidations (takeovers), or trades (the unwind), are halted.
   */
  runBackstop(): void {
    const v = this.backstopAccount;
    if (v < 0) return;
    const a = this.accounts;
    const queue = this.backstopQueue;
    if (!this.liquidationsHalted) {
      const trigger = this.cfg.backstop.triggerFraction;
      for (const i of this.flagged) {
        // A cross-margined account's equity here backs its other markets: the vault leaves it to the book.
        if (a.flagStep[i] < 0 || this.isCross(i) || !this.isLiquidatable(i)) continue;
        const q = a.size[i];
        const p = q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
        if (queue.includes(i) || this.equityAt(i, p) < trigger * this.maintenanceUsd(q, p)) this.takeOver(i);
      }
      // Queued accounts still flagged were handled above.
      for (const i of queue) if (a.flagStep[i] < 0 && !this.isCross(i) && this.isLiquidatable(i)) this.takeOver(i);
    }
    queue.length = 0;
    if (!this.tradingHalted) this.unwindBackstop();
  }

  /** The vault takes account `i`'s whole position over at the oracle price and keeps its remaining equity. */
  private takeOver(i: number): void {
    const a = this.accounts;
    const v = this.backstopAccount;
    const p = this.oraclePriceUsd;
    this.settleFunding(i);
    this.settleFunding(v);
    const q = a.size[i];
    const e = this.equity(i);
    if (e < 0 && this.resolution === 'adl' && -this.coverableEquity(i) > this.insuranceAvailableUsd()) {
      this.coverFromElsewhere(i);
      this.deleverage(i);
      return;
    }
    // Capacity: the vault's equity after the takeover must cover initial margin of its whole inventory.
    if (this.equity(v) + Math.max(e, 0) < this.initialMarginRate * Math.abs(a.size[v] + q) * p) {
      this.totals.backstopRefused++;
      return;
    }
    const induced = this.inducedAt(i);
    const cost = a.cost[i];
    a.setPosition(i, 0, 0, this.fundingIndexUsd);
    a.addCash(i, q * p - cost);
    if (e > 0) {
      a.addCash(i, -e);
      a.addCash(v, e);
    }
    const next = positionAfter(a.size[v], a.cost[v], q, p);
    a.setPosition(v, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(v, next.realized);
    a.flagStep[i] = -1;
    this.settleCash(i);
    this.settleCash(v);
    this.totals.backstopTakeovers++;
    this.countLiquidation(Math.abs(q) * p, induced);
  }

  /** The vault sells `unwindFractionPerStep` of its inventory into the book (all of it when under 1 USD), paying the taker fee. */
  private unwindBackstop(): void {
    const a = this.accounts;
    const v = this.backstopAccount;
    const q = a.size[v];
    if (q === 0) return;
    let d = -q * this.cfg.backstop.unwindFractionPerStep;
    if (Math.abs(q + d) * this.oraclePriceUsd < 1) d = -q;
    if (d === 0) return;
    this.settleFunding(v);
    const fill = this.market.execute(d);
    const next = positionAfter(q, a.cost[v], d, fill.priceUsd);
    const fee = this.takerFeeRate * Math.abs(d) * fill.priceUsd;
    a.setPosition(v, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(v, next.realized - fee);
    this.collectTradingFee(fee);
    this.fillMaker(-d, fill.priceUsd);
    this.settleCash(v);
  }

  /**
   * ADL rank of account `j` holding the side opposite a bankrupt position (higher first), or NaN when it
   * is not a candidate (no opposite position, or no positive equity to give up). README "Insurance fund,
   * backstop vault and auto-deleveraging".
   */
  adlScore(j: number, ranking: 'bitmex' | 'hyperliquid'): number {
    const a = this.accounts;
    const q = a.size[j];
    const p = this.oraclePriceUsd;
    const e = this.equity(j);
    if (q === 0 || !(e > 0)) return NaN;
    const notional = Math.abs(q) * p;
    const leverage = notional / e;
    if (ranking === 'bitmex') {
      const basis = Math.abs(a.cost[j]) > 0 ? Math.abs(a.cost[j]) : notional;
      const pnlPct = (q * p - a.cost[j]) / basis;
      return pnlPct > 0 ? pnlPct * leverage : pnlPct / leverage;
    }
    const entry = a.cost[j] / q;
    const ratio = entry > 0 ? (q > 0 ? p / entry : entry / p) : q > 0 ? Infinity : 0;
    return ratio * leverage;
  }

  /** Opposite-side accounts of a position of sign `side`, in ADL order (excluding `i`). */
  adlOrder(i: number, side: number): number[] {
    const a = this.accounts;
    const ranking = this.cfg.adl.ranking;
    const out: number[] = [];
    if (ranking === 'random') {
      // dYdX: from a seeded random start, through the accounts in index order.
      const n = a.count;
      const start = this.adlStream ? this.adlStream.int(n) : 0;
      for (let k = 0; k < n; k++) {
        const j = (start + k) % n;
        if (j !== i && a.size[j] * side < 0 && this.equity(j) > 0) out.push(j);
      }
      return out;
    }
    const scores: number[] = [];
    for (let j = 0; j < a.count; j++) {
      if (j === i || !(a.size[j] * side < 0)) continue;
      const s = this.adlScore(j, ranking);
      if (!Number.isNaN(s)) {
        scores[j] = s;
        out.push(j);
      }
    }
    return out.sort((x, y) => scores[y] - scores[x] || x - y);
  }

  /**
   * The ADL order for bankrupt account `i`: the random ranking draws a start per resolution; the scored
   * rankings are computed once per step and side (at the step's first ADL of that side) and reused within
   * the step, as exchanges refresh their ranking periodically, not after every fill.
   */
  private adlOrderNow(i: number, side: number): readonly number[] {
    if (this.cfg.adl.ranking === 'random') return this.adlOrder(i, side);
    const k = side > 0 ? 0 : 1;
    return (this.adlRanked[k] ??= this.adlOrder(i, side));
  }

  /**
   * Auto-deleveraging: closes bankrupt account `i`'s whole position against opposite positions in ADL order
   * at its bankruptcy price (where its equity is zero), so no bad debt arises. A counterparty gives up at
   * most its equity (its fill is cut so its equity stays non-negative); whatever no counterparty can take
   * is closed against the makers' book at the oracle price, its shortfall handled as usual.
   */
  private deleverage(i: number): void {
    const a = this.accounts;
    const p = this.oraclePriceUsd;
    this.settleFunding(i);
    const q = a.size[i];
    const side = Math.sign(q);
    const induced = this.inducedAt(i);
    const bankruptcy = (a.cost[i] - a.cash[i]) / q;
    let last = -1;
    for (const j of this.adlOrderNow(i, side)) {
      const remaining = Math.abs(a.size[i]);
      if (remaining === 0) break;
      // A ranking of earlier in the step may list accounts that have since closed or flipped, or the bankrupt account itself.
      if (j === i || !(a.size[j] * side < 0)) continue;
      this.settleFunding(j);
      const qj = a.size[j];
      // j's delta is side units per unit taken; trading at the bankruptcy price instead of p costs it side * (bankruptcy - p) per unit.
      const lossPerUnit = side * (bankruptcy - p);
      // A hair under the limit, so that rounding never leaves the counterparty with negative equity.
      const room = lossPerUnit > 0 ? (this.equity(j) / lossPerUnit) * (1 - 1e-9) : Infinity;
      const take = Math.min(remaining, Math.abs(qj), room);
      if (!(take > 0)) continue;
      const nj = positionAfter(qj, a.cost[j], side * take, bankruptcy);
      a.setPosition(j, nj.size, nj.cost, this.fundingIndexUsd);
      a.addCash(j, nj.realized);
      // The last fill closes exactly what is left.
      const ni = positionAfter(a.size[i], a.cost[i], take === remaining ? -a.size[i] : -side * take, bankruptcy);
      a.setPosition(i, ni.size, ni.cost, this.fundingIndexUsd);
      a.addCash(i, ni.realized);
      this.settleCash(j);
      last = j;
      this.totals.adlEvents++;
      this.totals.adlNotionalUsd += take * Math.abs(bankruptcy);
    }
    const remaining = Math.abs(a.size[i]);
    if (remaining > 0) {
      // No counterparty left: the rest is closed against the makers' book at the oracle price.
      const r = a.size[i];
      const cost = a.cost[i];
      a.setPosition(i, 0, 0, this.fundingIndexUsd);
      a.addCash(i, r * p - cost);
      this.fillMaker(r, p);
    } else if (last >= 0 && a.cash[i] !== 0 && Math.abs(a.cash[i]) <= 1e-9 * Math.abs(q * bankruptcy) + 1e-9) {
      // Rounding residue of the bankruptcy price: the last counterparty absorbs it, so no dust becomes bad debt.
      const residue = a.cash[i];
      a.addCash(i, -residue);
      a.addCash(last, residue);
      this.settleCash(last);
    }
    a.flagStep[i] = -1;
    this.settleCash(i);
    this.totals.adlResolved++;
    this.countLiquidation(Math.abs(q) * p, induced);
  }

  /**
   * The end of a liquidation whose liquidator keeps the position (`keep`: the liquidation hunter covers
   * its short with it): it takes `closeSize` units over at the oracle price, netted against its own
   * position, and sells nothing into the book; then the same bookkeeping as a liquidation.
   */
  private keepTakeover(i: number, l: number, closeSize: number, closeNotional: number, induced: boolean): Outcome {
    const a = this.accounts;
    const kept = positionAfter(a.size[l], a.cost[l], closeSize, this.oraclePriceUsd);
    a.setPosition(l, kept.size, kept.cost, this.fundingIndexUsd);
    a.addCash(l, kept.realized);
    a.flagStep[i] = -1;
    this.settleCash(i);
    this.settleCash(l);
    const c = this.counters;
    c.liquidations++;
    c.liquidatedNotionalUsd += closeNotional;
    if (induced) c.inducedLiquidations++;
    this.totals.liquidations++;
    this.totals.liquidatedNotionalUsd += closeNotional;
    if (induced) this.totals.inducedLiquidations++;
    return OK;
  }

  /**
   * A self-matched trade: `buyer` buys `size` units from `seller` at the venue's mark price, outside the
   * book (no impact, no maker fill); each side pays the taker fee and passes the margin, open-interest and
   * negative-equity checks of a trade (README "Attacks").
   */
  private selfMatch(action: CrossAction): Outcome {
    const { buyer, seller, size } = action;
    if (!(size > 0 && Number.isFinite(size)) || buyer === seller) return refuse('empty-order');
    if (this.tradingHalted) return refuse('halted');
    const a = this.accounts;
    this.settleFunding(buyer);
    this.settleFunding(seller);
    const price = this.market.markPriceUsd;
    const fee = this.takerFeeRate * size * price;
    const qb = a.size[buyer];
    const qs = a.size[seller];
    const nb = positionAfter(qb, a.cost[buyer], size, price);
    const ns = positionAfter(qs, a.cost[seller], -size, price);
    const t = a.totals;
    let long = t.traderLong;
    let short = t.traderShort;
    for (const [i, q, next] of [
      [buyer, qb, nb],
      [seller, qs, ns],
    ] as const) {
      if (!isPositionTaker(a.kind[i])) continue;
      const p = next.size >= 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
      const equityAfter = a.cash[i] + next.realized - fee + next.size * p - next.cost;
      const increases = Math.abs(next.size) > Math.abs(q) || next.size * q < 0;
      if (increases && equityAfter < this.initialRateToHold(next.size, p) * Math.abs(next.size) * p)
        return refuse('initial-margin');
      if (equityAfter < 0) return refuse('negative-equity');
      long += Math.max(next.size, 0) - Math.max(q, 0);
      short += Math.max(-next.size, 0) - Math.max(-q, 0);
    }
    const cap = this.openInterestCapUsd;
    const p = this.oraclePriceUsd;
    if (cap > 0 && ((long > t.traderLong && long * p > cap) || (short > t.traderShort && short * p > cap)))
      return refuse('open-interest-cap');
    for (const [i, next] of [
      [buyer, nb],
      [seller, ns],
    ] as const) {
      a.setPosition(i, next.size, next.cost, this.fundingIndexUsd);
      a.addCash(i, next.realized - fee);
      this.collectTradingFee(fee);
      if (a.kind[i] === AccountKind.attacker) this.attackerFeesUsd += fee;
      this.settleCash(i);
    }
    return OK;
  }

  // ---- internals ----

  /** The makers' book takes the other side of a fill. */
  private fillMaker(size: number, priceUsd: number): void {
    const a = this.accounts;
    const m = this.makerAccount;
    this.settleFunding(m);
    const next = positionAfter(a.size[m], a.cost[m], size, priceUsd);
    a.setPosition(m, next.size, next.cost, this.fundingIndexUsd);
    a.addCash(m, next.realized);
    this.settleCash(m);
  }

  /**
   * Keeps collateral non-negative after a change of account `i`. An open position's cash deficit
   * (realized losses, fees or funding beyond its collateral) is carried in the cost basis, which
   * leaves equity unchanged and moves the break-even price; a flat account with negative cash is
   * bad debt. Then re-files the account for the liquidation scan.
   */
  private settleCash(i: number): void {
    const a = this.accounts;
    if (a.cash[i] < 0) {
      if (a.size[i] !== 0) this.carryDeficit(i);
      else this.resolveShortfall(i);
    }
    this.rekey(i);
  }

  /** Moves a negative cash balance of an open position into its cost basis; equity and key are unchanged. */
  private carryDeficit(i: number): void {
    const a = this.accounts;
    const c = a.cash[i];
    a.addCash(i, -c);
    a.setPosition(i, a.size[i], a.cost[i] - c, a.fundingSnap[i]);
  }

  /** Moves funding owed since the last settlement into collateral. Leaves the liquidation key unchanged. */
  private settleFunding(i: number): void {
    const a = this.accounts;
    const owed = a.size[i] * (this.fundingIndexUsd - a.fundingSnap[i]);
    if (owed !== 0) a.addCash(i, -owed);
    if (a.fundingSnap[i] !== this.fundingIndexUsd) a.setPosition(i, a.size[i], a.cost[i], this.fundingIndexUsd);
    if (a.cash[i] < 0 && a.size[i] !== 0) this.carryDeficit(i);
  }

  /** A closed account with negative collateral: the insurance fund pays what it can, the rest is uncovered. */
  private resolveShortfall(i: number): void {
    const a = this.accounts;
    if (this.collateral !== undefined && this.collateral.holds[i] === 1) {
      // The account's collateral assets are sold at the market price to cover the shortfall first.
      const raised = this.collateral.seize(i, -a.cash[i]);
      if (raised > 0) a.addCash(i, raised);
      if (!(a.cash[i] < 0)) return;
    }
    if (this.link && this.cross![i] === 1) {
      // Cross margin: the account's equity in the other markets covers the shortfall first.
      const moved = this.link.absorb(i, this, -a.cash[i]);
      if (moved > 0) a.addCash(i, moved);
      if (!(a.cash[i] < 0)) return;
    }
    const shortfall = -a.cash[i];
    const covered = Math.min(this.insuranceAvailableUsd(), shortfall);
    this.insuranceFundUsd -= covered;
    this.totals.insuranceClaimsUsd += covered;
    const uncovered = shortfall - covered;
    a.addCash(i, shortfall);
    this.totals.badDebtUsd += shortfall;
    this.totals.uncoveredBadDebtUsd += uncovered;
    this.pendingSocializationUsd += uncovered;
  }

  /**
   * Applies a governance change of a governable parameter. Returns an error text when the change
   * would leave the parameters invalid (the maintenance rate above the initial rate), else ''.
   */
  setParameter(path: GovernablePath, value: number): string {
    switch (path) {
      case 'protocol.maintenanceMarginRate':
        if (!(value > 0 && value <= this.initialMarginRate))
          return `maintenance rate ${value} must be in (0, initialMarginRate ${this.initialMarginRate}]`;
        this.maintenanceMarginRate = value;
        this.marginRateMax = Math.max(this.marginRateMax, value);
        // Every liquidation key depends on the maintenance rate.
        this.rebuildHeaps();
        return '';
      case 'protocol.initialMarginRate':
        if (!(value >= this.maintenanceMarginRate && value <= 1))
          return `initial rate ${value} must be in [maintenanceMarginRate ${this.maintenanceMarginRate}, 1]`;
        this.initialMarginRate = value;
        return '';
      case 'protocol.liquidationFeeRate':
      case 'protocol.liquidatorFeeShare':
      case 'protocol.takerFeeRate':
        if (!(value >= 0 && value <= 1)) return `${path} ${value} must be in [0, 1]`;
        if (path === 'protocol.liquidationFeeRate') this.liquidationFeeRate = value;
        else if (path === 'protocol.liquidatorFeeShare') this.liquidatorFeeShare = value;
        else this.takerFeeRate = value;
        return '';
      case 'breakers.maxLiquidationNotionalPerStepUsd':
      case 'breakers.openInterest.maxPerSideUsd':
        if (!(value >= 0)) return `${path} ${value} must be non-negative`;
        if (path === 'breakers.maxLiquidationNotionalPerStepUsd') this.liquidationCapUsd = value;
        else this.openInterestCapUsd = value;
        return '';
    }
  }

  /** Re-files a trader in the liquidation heap of its side under its current key. */
  private rekey(i: number): void {
    const a = this.accounts;
    if (!isPositionTaker(a.kind[i])) return;
    const v = ++a.version[i];
    if (this.cross !== undefined && this.cross[i] === 1) {
      // A cross account changed: the link re-checks it at its next scan.
      this.link!.touch(i);
      return;
    }
    if (a.flagStep[i] >= 0) return;
    if (this.collateral !== undefined && this.collateral.holds[i] === 1) return;
    const q = a.size[i];
    if (q === 0) return;
    const c = a.cash[i];
    const k = a.cost[i];
    const f0 = a.fundingSnap[i];
    if (this.modelKind === 'tiers') {
      // Maintenance is the largest of the tiers' affine pieces: liquidatable iff some piece's key is crossed.
      for (const lane of this.lanes) fileInLane(lane, q, c, k, f0, i, v);
    } else if (this.modelKind === 'sqrt') {
      fileInLane(this.sqrtLane(sqrtRate(this.maintenanceMarginRate, this.sqrtFactor, Math.abs(q))), q, c, k, f0, i, v);
    } else fileInLane(this.lanes[0], q, c, k, f0, i, v);
  }

  /** sqrt model: the lane of the smallest bucket rate at or above `rate` (a conservative key). */
  private sqrtLane(rate: number): Lane {
    let b = Math.ceil(Math.log(rate) / Math.log(SQRT_LANE_RATIO) - 1e-9);
    while (SQRT_LANE_RATIO ** b < rate) b++;
    let lane = this.sqrtLanes.get(b);
    if (!lane) {
      lane = { rate: SQRT_LANE_RATIO ** b, dedUsd: 0, longs: new KeyedMaxHeap(64), shorts: new KeyedMaxHeap(64) };
      this.sqrtLanes.set(b, lane);
      this.lanes.push(lane);
    }
    return lane;
  }

  /** Rates of the flat and volatility lanes: the maintenance rate, or the volatility rate with slack. */
  private setLaneRates(): void {
    if (this.modelKind === 'flat') this.lanes[0].rate = this.maintenanceMarginRate;
    else if (this.vol) {
      this.volRate = this.vol.maintenanceRate(this.maintenanceMarginRate);
      const r = this.volRate;
      this.lanes[0].rate = r <= this.maintenanceMarginRate ? r : Math.min(r * (1 + VOL_KEY_SLACK), 0.95);
    }
  }

  /** Rebuilds the heaps from scratch (after genesis or a change of the maintenance rate). */
  rebuildHeaps(): void {
    this.setLaneRates();
    for (const lane of this.lanes) {
      lane.longs.clear();
      lane.shorts.clear();
    }
    for (let i = 0; i < this.accounts.count; i++) this.rekey(i);
  }
}

/**
 * Files an account in a lane under its key. For a piece `rate * N - ded` a long is liquidatable iff
 * `p - F / (1 - rate) < (cost / q - f0 - cash / q - ded / q) / (1 - rate)` and a short iff
 * `p - F / (1 + rate) > ((cash - cost + ded) / |q| - f0) / (1 + rate)`, F the funding index: the key is
 * fixed until the account changes, and the funding index moves the lane's threshold only.
 */
function fileInLane(lane: Lane, q: number, c: number, k: number, f0: number, i: number, v: number): void {
  const r = lane.rate;
  const ded = lane.dedUsd;
  if (ded === 0) {
    if (q > 0) lane.longs.push((k / q - f0 - c / q) / (1 - r), i, v);
    else lane.shorts.push(-((c - k) / -q - f0) / (1 + r), i, v);
  } else if (q > 0) lane.longs.push((k / q - f0 - c / q - ded / q) / (1 - r), i, v);
  else lane.shorts.push(-((c - k + ded) / -q - f0) / (1 + r), i, v);
}

/** A position after trading `delta` units at `priceUsd`: closing parts realize PnL against the cost basis. */
export function positionAfter(
  size: number,
  cost: number,
  delta: number,
  priceUsd: number,
): { size: number; cost: number; realized: number } {
  if (size === 0 || Math.sign(size) === Math.sign(delta)) {
    return { size: size + delta, cost: cost + delta * priceUsd, realized: 0 };
  }
  const closed = Math.min(Math.abs(delta), Math.abs(size));
  const share = closed / Math.abs(size);
  const realized = share * (size * priceUsd - cost);
  if (Math.abs(delta) < Math.abs(size)) {
    return { size: size + delta, cost: cost * (1 - share), realized };
  }
  const rest = size + delta;
  return { size: rest, cost: rest * priceUsd, realized };
}
