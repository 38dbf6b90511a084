// Real-time monitoring: detectors over live metrics (oracle-vs-index divergence, liquidation rate,
// insurance-fund drawdown, open-interest concentration in few accounts), each with a threshold.
// A detector firing is an alert, recorded per step as a bitmask. Passive: it changes nothing in the
// world; the guardian (sim/controls/governance.ts) may act on it.
import type { Config } from '../config/index.js';

/** Detector names and their bit in the `alerts` timeline column. */
export const DETECTORS = {
  oracleDivergence: 1,
  liquidationRate: 2,
  insuranceDrawdown: 4,
  concentration: 8,
} as const;
export type DetectorName = keyof typeof DETECTORS;

/** What the monitor sees at the end of a step. */
export interface MonitorInput {
  indexPriceUsd: number;
  oraclePriceUsd: number;
  /** Notional liquidated during the step, USD. */
  liquidatedNotionalUsd: number;
  /** Traders' open interest, both sides, USD. */
  openInterestUsd: number;
  insuranceFundUsd: number;
  /** Share of open interest held by the largest accounts, or NaN when not measured this step. */
  concentrationShare: number;
}

export class Monitor {
  /** First step with any alert, or -1. */
  firstAlertStep = -1;
  /** Steps with at least one alert. */
  alertSteps = 0;
  private fundPeak: number;
  private lastConcentration = 0;

  constructor(
    private readonly cfg: Config['monitoring'],
    initialInsuranceUsd: number,
  ) {
    this.fundPeak = initialInsuranceUsd;
  }

  /** Evaluates every detector; returns the bitmask of those firing (0 when monitoring is off). */
  observe(step: number, m: MonitorInput): number {
    const cfg = this.cfg;
    if (!cfg.enabled) return 0;
    let alerts = 0;
    if (cfg.oracleDivergencePct > 0 && Math.abs(m.oraclePriceUsd / m.indexPriceUsd - 1) > cfg.oracleDivergencePct)
      alerts |= DETECTORS.oracleDivergence;
    if (
      cfg.liquidationRatePct > 0 &&
      m.openInterestUsd > 0 &&
      m.liquidatedNotionalUsd / m.openInterestUsd > cfg.liquidationRatePct
    )
      alerts |= DETECTORS.liquidationRate;
    this.fundPeak = Math.max(this.fundPeak, m.insuranceFundUsd);
    if (
      cfg.insuranceDrawdownPct > 0 &&
      this.fundPeak > 0 &&
      1 - m.insuranceFundUsd / this.fundPeak > cfg.insuranceDrawdownPct
    )
      alerts |= DETECTORS.insuranceDrawdown;
    if (!Number.isNaN(m.concentrationShare)) this.lastConcentration = m.concentrationShare;
    if (cfg.concentrationShare > 0 && this.lastConcentration > cfg.concentrationShare)
      alerts |= DETECTORS.concentration;
    if (alerts !== 0) {
      this.alertSteps++;
      if (this.firstAlertStep < 0) this.firstAlertStep = step;
    }
    return alerts;
  }
}

/** Share of the total absolute size held by the `n` largest positions among the given accounts. */
export function topShare(sizes: Float64Array, ids: readonly number[], n: number): number {
  if (n <= 0 || ids.length === 0) return 0;
  // A small sorted buffer of the n largest |size| (n is small: a few to a few dozen).
  const top = new Float64Array(Math.min(n, ids.length));
  let total = 0;
  for (const i of ids) {
    const s = Math.abs(sizes[i]);
    total += s;
    if (s <= top[top.length - 1]) continue;
    let k = top.length - 1;
    while (k > 0 && top[k - 1] < s) {
      top[k] = top[k - 1];
      k--;
    }
    top[k] = s;
  }
  if (total <= 0) return 0;
  let sum = 0;
  for (const s of top) sum += s;
  return sum / total;
}
