// The run's length and resolution, and the exogenous market (the index price process and the
// venue's order book). Schemas only: no protocol rule, no cross-section check, no I/O.
import { z } from 'zod';
import { num, nonNeg, positive, rate, posCount } from './fields.js';

export const RunSchema = z
  .strictObject({
    steps: posCount()
      .max(1_000_000)
      .default(1440)
      .describe('Number of steps simulated; the default is one day of one-minute steps.'),
    stepSeconds: positive().default(60).describe('Seconds of market time per step.'),
  })
  .describe('Length and resolution of a run.');

export const MarketSchema = z
  .strictObject({
    initialPriceUsd: positive().default(3000).describe('Index price at step 0, USD.'),
    annualVolatility: nonNeg().default(0.6).describe("Annualized volatility of the index's GBM (fraction)."),
    annualDrift: num().default(0).describe("Annualized drift of the index's GBM (fraction)."),
    jumpsPerDay: nonNeg().default(0).describe('Mean number of random index jumps per day (Poisson).'),
    jumpMeanLog: num().default(0).describe('Mean log size of a random jump (fraction; -0.02 is about -2%).'),
    jumpStdLog: nonNeg().default(0.02).describe('Standard deviation of the log size of a random jump.'),
    depthUsdPerPct: positive()
      .default(15_000_000)
      .describe(
        "Venue book depth at baseline: USD that moves the mark by 1%. The default is about a quarter of the default book's open interest.",
      ),
    bookWidthPct: positive()
      .default(5)
      .describe('Width of the resting book on each side, in %, used to measure how much of it trades consume.'),
    minBookFill: rate().default(0.1).describe('Floor of the fraction of the book left after consumption (0..1).'),
    depthHalfLifeSteps: positive()
      .default(5)
      .describe('Half-life in steps for consumed depth to regenerate toward baseline.'),
  })
  .describe("The exogenous index price and the venue's order book.");
