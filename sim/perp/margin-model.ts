// Margin models of the market (MECHANISMS section 1): Hyperliquid leverage tiers with the
// maintenance deduction, Drift's square-root size premium, and volatility-scaled margin from an
// EWMA of realized volatility. Pure functions and a small volatility tracker: the venue applies
// them; nothing here mutates protocol state.
import type { Config } from '../config/index.js';

type TiersConfig = Config['protocol']['marginModel']['tiers'];

/** One tier of a leverage table: from `lowerBoundUsd` of notional, leverage up to `maxLeverage`. */
export interface Tier {
  lowerBoundUsd: number;
  maxLeverage: number;
  /** Maintenance rate `1 / (2 * maxLeverage)`. */
  mmr: number;
  /** Initial rate `1 / maxLeverage`. */
  imr: number;
  /** Maintenance deduction, USD: `ded_n = ded_(n-1) + lowerBound_n * (mmr_n - mmr_(n-1))`, `ded_0 = 0`. */
  dedUsd: number;
}

/** Hyperliquid's tables (MECHANISMS table 9, source H1): [lower bound USD, max leverage]. */
const PRESETS: Record<Exclude<TiersConfig['preset'], 'custom'>, [number, number][]> = {
  'hl-btc': [
    [0, 40],
    [150_000_000, 20],
  ],
  'hl-eth': [
    [0, 25],
    [100_000_000, 15],
  ],
  'hl-sol': [
    [0, 20],
    [70_000_000, 10],
  ],
  'hl-alt': [
    [0, 10],
    [20_000_000, 5],
  ],
};

/** The tier table of a config, bounds scaled by `boundScale`, with rates and deductions. */
export function tierTable(cfg: TiersConfig): Tier[] {
  let rows: [number, number][];
  if (cfg.preset === 'custom') {
    rows = [
      [0, cfg.maxLeverage1],
      [cfg.lowerBound2Usd, cfg.maxLeverage2],
    ];
    if (cfg.lowerBound3Usd > 0) rows.push([cfg.lowerBound3Usd, cfg.maxLeverage3]);
  } else rows = PRESETS[cfg.preset];
  const out: Tier[] = [];
  for (const [bound, lev] of rows) {
    const lowerBoundUsd = bound * cfg.boundScale;
    const mmr = 1 / (2 * lev);
    const prev = out[out.length - 1];
    const dedUsd = prev ? prev.dedUsd + lowerBoundUsd * (mmr - prev.mmr) : 0;
    out.push({ lowerBoundUsd, maxLeverage: lev, mmr, imr: 1 / lev, dedUsd });
  }
  return out;
}

/** The tier a notional falls in (the last whose lower bound it exceeds). */
export function tierOf(tiers: readonly Tier[], notionalUsd: number): Tier {
  let t = tiers[0];
  for (let n = 1; n < tiers.length; n++) if (notionalUsd > tiers[n].lowerBoundUsd) t = tiers[n];
  return t;
}

/**
 * Hyperliquid maintenance margin `N * mmr_n - ded_n` of the notional's tier. The deduction makes it
 * continuous and convex in N, so it equals the largest of the tiers' affine pieces.
 */
export function tieredMaintenanceUsd(tiers: readonly Tier[], notionalUsd: number): number {
  let mm = 0;
  for (const t of tiers) mm = Math.max(mm, notionalUsd * t.mmr - t.dedUsd);
  return mm;
}

/** Drift's size premium: `max(base, 0.8 * base + factor * sqrt(|size|))`, size in units of the asset. */
export function sqrtRate(baseRate: number, factor: number, absSize: number): number {
  return Math.max(baseRate, 0.8 * baseRate + factor * Math.sqrt(absSize));
}

/** Margin-lead threshold: the rate must pass this multiple of the base maintenance rate (`margin_lead_steps`). */
export const MARGIN_LEAD_MULTIPLE = 1.5;

/**
 * One GARCH(1,1) update (a modeling choice, fitted online in the simplest way): `alpha` and `beta` are fixed and
 * omega is set by variance targeting, `omega = (1 - alpha - beta) * longRunVariance`, so
 * `sigma2_next = omega + alpha * r^2 + beta * sigma2`.
 */
export function garchNext(sigma2: number, r: number, alpha: number, beta: number, longRunVariance: number): number {
  return (1 - alpha - beta) * longRunVariance + alpha * r * r + beta * sigma2;
}

/**
 * Sum of the GARCH(1,1) variance forecasts for the next `h` steps, given the one-step forecast `sigma2Next`:
 * `E[sigma2_(t+k)] = V + p^(k-1) (sigma2Next - V)` with persistence `p = alpha + beta`, summed over k = 1..h.
 */
export function garchHorizonVariance(
  sigma2Next: number,
  h: number,
  persistence: number,
  longRunVariance: number,
): number {
  const geometric = persistence === 0 ? 1 : (1 - Math.pow(persistence, h)) / (1 - persistence);
  return h * longRunVariance + (sigma2Next - longRunVariance) * geometric;
}

/**
 * EWMA of squared log returns of the oracle price, one observation per step, and the maintenance
 * rate `max(base, z * sigma * sqrt(horizon))` it implies (capped at `maxRate`). With `forecast: 'garch'`
 * a GARCH(1,1) of the same returns runs alongside (long-run variance: the running mean of squared
 * returns) and the horizon variance is the larger of the EWMA's and the GARCH forecast's.
 */
export class VolatilityTracker {
  /** EWMA of the squared log return per step. */
  variance = 0;
  /** GARCH(1,1) one-step-ahead conditional variance (0 without the forecast). */
  garchVariance = 0;
  /** Running mean of squared log returns. */
  sampleVariance = 0;
  /** The GARCH's variance target: the running mean, or the EWMA variance (`garchTarget`). */
  longRunVariance = 0;
  private observations = 0;
  private lastPriceUsd: number;
  private readonly decay: number;

  constructor(
    private readonly cfg: Config['protocol']['marginModel']['volatility'],
    initialPriceUsd: number,
  ) {
    this.lastPriceUsd = initialPriceUsd;
    this.decay = Math.pow(0.5, 1 / cfg.ewmaHalfLifeSteps);
  }

  observe(priceUsd: number): void {
    const r = Math.log(priceUsd / this.lastPriceUsd);
    this.lastPriceUsd = priceUsd;
    this.variance = this.decay * this.variance + (1 - this.decay) * r * r;
    if (this.cfg.forecast === 'garch') {
      this.observations++;
      this.sampleVariance += (r * r - this.sampleVariance) / this.observations;
      this.longRunVariance = this.cfg.garchTarget === 'ewma' ? this.variance : this.sampleVariance;
      this.garchVariance = garchNext(
        this.garchVariance,
        r,
        this.cfg.garchAlpha,
        this.cfg.garchBeta,
        this.longRunVariance,
      );
    }
  }

  /** Volatility over the horizon from the EWMA alone: `sigma_step * sqrt(horizonSteps)`. */
  ewmaHorizonVolatility(): number {
    return Math.sqrt(this.variance * this.cfg.horizonSteps);
  }

  /** Volatility over the horizon: the EWMA's, or with the forecast the larger of it and the GARCH forecast's. */
  horizonVolatility(): number {
    const ewma = this.variance * this.cfg.horizonSteps;
    if (this.cfg.forecast === 'none') return Math.sqrt(ewma);
    const garch = garchHorizonVariance(
      this.garchVariance,
      this.cfg.horizonSteps,
      this.cfg.garchAlpha + this.cfg.garchBeta,
      this.longRunVariance,
    );
    return Math.sqrt(Math.max(ewma, garch));
  }

  private rateFor(baseRate: number, horizonVol: number): number {
    return Math.min(Math.max(baseRate, this.cfg.z * horizonVol), Math.max(baseRate, this.cfg.maxRate));
  }

  /** Maintenance rate for a base rate. */
  maintenanceRate(baseRate: number): number {
    return this.rateFor(baseRate, this.horizonVolatility());
  }

  /** The rate the EWMA alone would set (the realized-volatility reference of `margin_lead_steps`). */
  ewmaMaintenanceRate(baseRate: number): number {
    return this.rateFor(baseRate, this.ewmaHorizonVolatility());
  }
}
