// Margin models of the market (MECHANISMS section 1): Hyperliquid leverage tiers with the
// maintenance deduction, Drift's square-root size premium, and volatility-scaled margin from an
// EWMA of realized volatility. Pure functions and a small volatility tracker: the venue applies
// them; nothing here mutates protocol state.
import type { Config } from './config.js';

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

/**
 * EWMA of squared log returns of the oracle price, one observation per step, and the maintenance
 * rate `max(base, z * sigma * sqrt(horizon))` it implies (capped at `maxRate`).
 */
export class VolatilityTracker {
  /** EWMA of the squared log return per step. */
  variance = 0;
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
  }

  /** Volatility over the horizon: `sigma_step * sqrt(horizonSteps)`. */
  horizonVolatility(): number {
    return Math.sqrt(this.variance * this.cfg.horizonSteps);
  }

  /** Maintenance rate for a base rate. */
  maintenanceRate(baseRate: number): number {
    return Math.min(Math.max(baseRate, this.cfg.z * this.horizonVolatility()), Math.max(baseRate, this.cfg.maxRate));
  }
}
