// The run's length and resolution, and the exogenous market (the index price process and the
// venue's order book). Schemas only: no protocol rule, no cross-section check, no I/O.
import { z } from 'zod';
import {
  num,
  nonNeg,
  positive,
  rate,
  posCount,
  MAX_ACCOUNT_STEPS,
  MAX_RUN_STEPS,
  MAX_STEPS,
  MAX_USD,
} from './fields.js';

export const RunSchema = z
  .strictObject({
    steps: posCount()
      .max(MAX_RUN_STEPS)
      .default(1440)
      .describe(
        `Number of steps simulated; the default is one day of one-minute steps. At most ${MAX_RUN_STEPS.toLocaleString('en-US')}, and run.steps x accounts x markets at most ${MAX_ACCOUNT_STEPS.toExponential()} (the work bound: accounts are the traders, liquidators, arbitrageurs, the market maker and the attackers' accounts).`,
      ),
    stepSeconds: positive().max(604_800).default(60).describe('Seconds of market time per step (at most a week).'),
  })
  .describe('Length and resolution of a run.');

export const MarketSchema = z
  .strictObject({
    initialPriceUsd: positive().max(1e9).default(3000).describe('Index price at step 0, USD (at most 1e9).'),
    annualVolatility: nonNeg()
      .max(20)
      .default(0.6)
      .describe("Annualized volatility of the index's GBM (fraction; at most 20, i.e. 2,000%)."),
    annualDrift: num()
      .min(-100)
      .max(100)
      .default(0)
      .describe("Annualized drift of the index's GBM (fraction; from -100 to 100)."),
    jumpsPerDay: nonNeg()
      .max(10_000)
      .default(0)
      .describe('Mean number of random index jumps per day (Poisson; at most 10,000).'),
    jumpMeanLog: num()
      .min(-5)
      .max(5)
      .default(0)
      .describe('Mean log size of a random jump (fraction; -0.02 is about -2%; from -5 to 5).'),
    jumpStdLog: nonNeg()
      .max(5)
      .default(0.02)
      .describe('Standard deviation of the log size of a random jump (at most 5).'),
    depthUsdPerPct: positive()
      .max(MAX_USD)
      .default(15_000_000)
      .describe(
        "Venue book depth at baseline: USD that moves the mark by 1%. The default is about a quarter of the default book's open interest.",
      ),
    bookWidthPct: positive()
      .max(100)
      .default(5)
      .describe('Width of the resting book on each side, in %, used to measure how much of it trades consume.'),
    minBookFill: rate().default(0.1).describe('Floor of the fraction of the book left after consumption (0..1).'),
    depthHalfLifeSteps: positive()
      .max(MAX_STEPS)
      .default(5)
      .describe('Half-life in steps for consumed depth to regenerate toward baseline.'),
  })
  .describe("The exogenous index price and the venue's order book.");
