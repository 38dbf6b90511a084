// The venue's margin layer: equity, maintenance and initial margin by the margin model
// (margin-model.ts: flat, tiers, sqrt, volatility), the step's prices and margin-test prices, and the
// open-interest scaling of initial margin. Queries only, apart from `setPrices`: it moves no money,
// files nothing in the liquidation heaps and refuses nothing (the layers above act on its answers).
import { isPositionTaker } from '../core/accounts.js';
import {
  MARGIN_LEAD_MULTIPLE,
  sqrtRate,
  tieredMaintenanceUsd,
  tierOf,
  tierTable,
  VolatilityTracker,
  type Tier,
} from './margin-model.js';
import { VenueState } from './venue-state.js';

/** Layer 1 of PerpVenue: equity and margin by the margin model. */
export abstract class VenueMargin extends VenueState {
  /** The margin model (`protocol.marginModel.kind`). */
  readonly modelKind = this.cfg.marginModel.kind;
  protected readonly tiers: Tier[] = tierTable(this.cfg.marginModel.tiers);
  protected readonly sqrtFactor = this.cfg.marginModel.sqrtImfFactor;
  // Built at construction, when the oracle price is still the initial price.
  protected readonly vol: VolatilityTracker | undefined =
    this.modelKind === 'volatility'
      ? new VolatilityTracker(this.cfg.marginModel.volatility, this.oraclePriceUsd)
      : undefined;
  /** Volatility model: the maintenance rate in force this step (fraction of notional). */
  volRate = this.cfg.maintenanceMarginRate;
  /** Largest market-wide maintenance rate in force so far (the volatility model's rate, else the base rate). */
  marginRateMax = this.cfg.maintenanceMarginRate;
  /** Oracle observations of the volatility tracker, and the first at which the margin rate and the EWMA rate passed the lead threshold (-1: not yet). */
  private volObservations = 0;
  private marginRiseObs = -1;
  private realizedRiseObs = -1;

  /** Prices of the step: the published oracle (for margin) and the index (for the induced test), and the oracle's confidence, USD. */
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

  /** Equity at the oracle price: collateral + unrealized PnL - funding owed, USD. */
  equity(i: number): number {
    return this.equityAt(i, this.oraclePriceUsd);
  }

  /** Equity of account `i` with its position valued at `priceUsd` (collateral assets at margin value), USD. */
  equityAt(i: number, priceUsd: number): number {
    const a = this.accounts;
    const q = a.size[i];
    const e = a.cash[i] + q * priceUsd - a.cost[i] - q * (this.fundingIndexUsd - a.fundingSnap[i]);
    return this.collateral === undefined ? e : e + this.collateral.marginValue(i);
  }

  /** Whether account `i` is below maintenance at its margin-test price (with its other markets under cross margin). */
  isLiquidatable(i: number): boolean {
    const q = this.accounts.size[i];
    if (q === 0 || !isPositionTaker(this.accounts.kind[i])) return false;
    const p = q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd;
    if (this.link && this.cross![i] === 1)
      return (
        this.equityAt(i, p) + this.link.otherEquity(i, this.self) <
        this.maintenanceUsd(q, p) + this.link.otherMaintenance(i, this.self)
      );
    return this.equityAt(i, p) < this.maintenanceUsd(q, p);
  }

  /** Maintenance margin of a position of `q` units valued at `p` USD per unit, USD, by the margin model. */
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

  /** Initial rate (fraction of notional) of a position of `q` units valued at `p` USD by the margin model, before open-interest scaling. */
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

  /** The margin model's effective maintenance rate of account `i` (maintenance margin / notional at the oracle price). */
  maintenanceRateFor(i: number): number {
    if (this.modelKind === 'flat') return this.maintenanceMarginRate;
    const q = this.accounts.size[i];
    const n = Math.abs(q) * this.oraclePriceUsd;
    return n > 0
      ? this.maintenanceUsd(q, this.oraclePriceUsd) / n
      : this.maintenanceUsd(1, this.oraclePriceUsd) / this.oraclePriceUsd;
  }

  /** The margin model's initial rate for account `i`'s position at the oracle price (before open-interest scaling). */
  initialRateFor(i: number): number {
    return this.initialRate(this.accounts.size[i], this.oraclePriceUsd);
  }

  /** Initial rate required to hold `q` units at `p`: the model's rate, scaled by open interest when enabled. */
  protected initialRateToHold(q: number, p: number): number {
    return this.modelKind === 'flat' ? this.initialMarginRateNow() : this.initialMarginRateNow(this.initialRate(q, p));
  }

  /** Initial margin rate for a new position of model rate `imr` given traders' open interest (dYdX OI-scaled IMF when enabled). */
  initialMarginRateNow(imr: number = this.initialMarginRate): number {
    const oi = this.breakers.openInterest;
    if (!(oi.imfScaleHighUsd > 0)) return imr;
    const t = this.accounts.totals;
    const open = (t.traderLong + t.traderShort) * this.oraclePriceUsd;
    const s = Math.min(1, Math.max(0, (open - oi.imfScaleLowUsd) / (oi.imfScaleHighUsd - oi.imfScaleLowUsd)));
    return imr + s * (1 - imr);
  }
}
