// Circuit breakers the venue can switch on: a price-band halt (oracle move within a window, or mark
// deviation from the oracle's TWAP), a withdrawal rate limit (dYdX style capacity), and the counters
// the run reports. The venue asks these objects; they never touch accounts.
import type { Config } from '../config/index.js';

/** Price-band halt: trips when the oracle moves more than `movePct` within `windowSteps`, or the mark
 * strays more than `markDeviationPct` from the oracle's TWAP over the window; then halts `haltSteps`. */
export class PriceBandBreaker {
  private readonly oracle: Float64Array;
  private filled = 0;
  private next = 0;
  /** Step until which (exclusive) the market is halted. */
  haltUntilStep = -1;
  trips = 0;
  /** Step of each trip, for reports. */
  readonly tripSteps: number[] = [];

  constructor(private readonly cfg: Config['breakers']['priceBand']) {
    this.oracle = new Float64Array(Math.max(1, cfg.windowSteps + 1));
  }

  /** Observes the step's oracle and mark; returns whether the market is halted during this step. */
  observe(step: number, oraclePriceUsd: number, markPriceUsd: number): boolean {
    const cfg = this.cfg;
    if (!cfg.enabled) return false;
    const n = this.oracle.length;
    this.oracle[this.next] = oraclePriceUsd;
    this.next = (this.next + 1) % n;
    if (this.filled < n) this.filled++;
    if (step >= this.haltUntilStep) {
      // Oldest price in the window, and the window's TWAP.
      const oldest = this.oracle[this.filled < n ? 0 : this.next];
      let sum = 0;
      for (let k = 0; k < this.filled; k++) sum += this.oracle[k];
      const twap = sum / this.filled;
      const moved = cfg.movePct > 0 && Math.abs(oraclePriceUsd / oldest - 1) > cfg.movePct;
      const strayed = cfg.markDeviationPct > 0 && Math.abs(markPriceUsd / twap - 1) > cfg.markDeviationPct;
      if (moved || strayed) {
        this.haltUntilStep = step + cfg.haltSteps;
        this.trips++;
        this.tripSteps.push(step);
      }
    }
    return step < this.haltUntilStep;
  }
}

/** Withdrawal rate limit: capacity regenerates toward max(floor, share of TVL) over `periodSteps`. */
export class WithdrawalLimiter {
  private capacityUsd = Infinity;
  refusedUsd = 0;

  constructor(private readonly cfg: Config['breakers']['withdrawals']) {}

  /** Called once per step with the venue's total collateral (TVL), USD. */
  regenerate(tvlUsd: number): void {
    if (!this.cfg.enabled) return;
    const baseline = Math.max(this.cfg.floorUsd, this.cfg.tvlShare * tvlUsd);
    if (!Number.isFinite(this.capacityUsd)) this.capacityUsd = baseline;
    else this.capacityUsd = Math.min(baseline, this.capacityUsd + baseline / this.cfg.periodSteps);
  }

  /** Takes `usd` from the capacity if it fits; otherwise records the refusal and returns false. */
  allow(usd: number): boolean {
    if (!this.cfg.enabled) return true;
    if (usd > this.capacityUsd) {
      this.refusedUsd += usd;
      return false;
    }
    this.capacityUsd -= usd;
    return true;
  }
}
