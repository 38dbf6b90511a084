// The run's length and resolution, and the exogenous market (the index price process and the
// venue's order book). Schemas only: no protocol rule, no cross-section check, no I/O.
import { z } from 'zod';
import { num, nonNeg, positive, rate, posCount } from './fields.js';

/** Length and resolution of a run. */
export const RunSchema = z.strictObject({
  /** Number of steps simulated. Default 1440 (one day of one-minute steps). */
  steps: posCount().max(1_000_000).default(1440),
  /** Seconds of market time per step. Default 60. */
  stepSeconds: positive().default(60),
});

/** The exogenous index price and the venue's order book. */
export const MarketSchema = z.strictObject({
  /** Index price at step 0, USD. Default 3000. */
  initialPriceUsd: positive().default(3000),
  /** Annualized volatility of the index's GBM (fraction). Default 0.6. */
  annualVolatility: nonNeg().default(0.6),
  /** Annualized drift of the index's GBM (fraction). Default 0. */
  annualDrift: num().default(0),
  /** Mean number of random index jumps per day (Poisson). Default 0. */
  jumpsPerDay: nonNeg().default(0),
  /** Mean log size of a random jump (fraction; -0.02 is about -2%). Default 0. */
  jumpMeanLog: num().default(0),
  /** Standard deviation of the log size of a random jump. Default 0.02. */
  jumpStdLog: nonNeg().default(0.02),
  /** Venue book depth at baseline: USD that moves the mark by 1%. Default 15,000,000 (about a quarter of the default book's open interest). */
  depthUsdPerPct: positive().default(15_000_000),
  /** Width of the resting book on each side, in %, used to measure how much of it trades consume. Default 5. */
  bookWidthPct: positive().default(5),
  /** Floor of the fraction of the book left after consumption (0..1). Default 0.1. */
  minBookFill: rate().default(0.1),
  /** Half-life in steps for consumed depth to regenerate toward baseline. Default 5. */
  depthHalfLifeSteps: positive().default(5),
});
