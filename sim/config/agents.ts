// The honest agent populations: traders, market makers, liquidators and arbitrageurs. Schemas
// only: the agents' behaviour lives in agents/, no I/O here.
import { z } from 'zod';
import { num, nonNeg, positive, rate, count, posCount } from './fields.js';

export const TradersSchema = z
  .strictObject({
    count: count().max(5_000_000).default(10_000).describe('Number of trader accounts. Default 10,000.'),
    longShare: rate().default(0.6).describe('Fraction of initial positions that are long. Default 0.6.'),
    notionalMinUsd: positive()
      .default(2_000)
      .describe('Smallest position notional, USD (Pareto scale). Default 2,000.'),
    notionalTailIndex: num()
      .gt(0)
      .default(1.5)
      .describe('Pareto tail index of position notional (smaller is heavier). Default 1.5.'),
    notionalMaxUsd: positive().default(5_000_000).describe("Cap on one position's notional, USD. Default 5,000,000."),
    leverageMedian: num().min(1).default(5).describe('Median leverage of positions (lognormal). Default 5.'),
    leverageDispersion: nonNeg().default(0.6).describe('Log-standard deviation of leverage. Default 0.6.'),
    entrySpreadLog: nonNeg()
      .default(0.05)
      .describe('Log-standard deviation of entry prices around the initial price. Default 0.05.'),
    arrivalsPerStep: nonNeg().default(3).describe('Mean trader arrivals per step (Poisson). Default 3.'),
    momentumShare: rate()
      .default(0.3)
      .describe('Fraction of arrivals that trade momentum (the rest trade noise). Default 0.3.'),
    momentumLookbackSteps: posCount().default(15).describe('Lookback of the momentum signal, steps. Default 15.'),
    tradeSizeScale: positive()
      .default(0.5)
      .describe('Size of a new trade relative to a freshly drawn position notional. Default 0.5.'),
    closeProbability: rate()
      .default(0.3)
      .describe('Probability that an arriving trader with a position closes it. Default 0.3.'),
    topUpProbability: rate()
      .default(0.5)
      .describe(
        'Probability that an arriving trader near liquidation deposits to restore initial margin. Default 0.5.',
      ),
    topUpTriggerRatio: num()
      .min(1)
      .default(1.5)
      .describe('Equity over maintenance margin below which a trader considers a top-up. Default 1.5.'),
    withdrawProbability: rate()
      .default(0.1)
      .describe('Probability that an arriving trader with spare margin withdraws part of it. Default 0.1.'),
  })
  .describe('Leveraged traders: an initial book of positions plus Poisson-arriving noise and momentum traders.');

export const MarketMakersSchema = z
  .strictObject({
    capitalUsd: positive()
      .default(50_000_000)
      .describe('Collateral of the pooled market-maker account, USD. Default 50,000,000.'),
    windowSteps: posCount()
      .max(100_000)
      .default(10)
      .describe('Window of realized volatility and drawdown, steps. Default 10.'),
    pullVolatility: nonNeg()
      .default(2.0)
      .describe('Annualized realized volatility of the mark above which makers pull depth. Default 2.0.'),
    pullDrawdown: nonNeg()
      .default(0.05)
      .describe('Drawdown of the mark within the window above which makers pull depth (fraction). Default 0.05.'),
    pullFraction: rate().default(0.5).describe('Fraction of depth pulled while stressed. Default 0.5.'),
    returnAfterSteps: count().default(30).describe('Calm steps before pulled depth returns. Default 30.'),
  })
  .describe("Market makers: supply the book's depth and pull part of it when volatility or drawdown cross thresholds.");

export const LiquidatorsSchema = z
  .strictObject({
    count: count().max(1000).default(5).describe('Number of independent liquidators. Default 5.'),
    capitalUsd: nonNeg().default(2_000_000).describe('Capital of each liquidator, USD. Default 2,000,000.'),
    leverage: positive()
      .default(5)
      .describe('Notional a liquidator can take over per step, as a multiple of its capital. Default 5.'),
    latencySteps: count()
      .max(10_000)
      .default(0)
      .describe(
        'Steps between an account becoming liquidatable and a liquidator acting on it; 0 means within the same step. Default 0.',
      ),
    riskPremium: nonNeg()
      .default(0.001)
      .describe('Risk premium demanded on top of slippage, as a fraction of notional. Default 0.001.'),
    partialAboveCapacity: z
      .boolean()
      .default(false)
      .describe(
        'Whether a liquidator takes a part (up to its capacity) of a position larger than its whole capacity; otherwise such a position is never liquidated (it stays flagged and ends as latent bad debt). Default false (the behaviour the measured figures rest on; README "Attacks", Limits).',
      ),
  })
  .describe('Liquidators: finite capital, reaction latency, act only when the fee beats expected slippage.');

export const ArbitrageursSchema = z
  .strictObject({
    count: count().max(1000).default(3).describe('Number of arbitrageurs. Default 3.'),
    capitalUsd: nonNeg().default(3_000_000).describe('Capital of each arbitrageur, USD. Default 3,000,000.'),
    leverage: positive().default(5).describe('Gross notional limit as a multiple of capital. Default 5.'),
    closeFraction: rate()
      .default(0.5)
      .describe('Fraction of the basis the arbitrageurs together close per step. Default 0.5.'),
    minBasis: nonNeg().default(0.001).describe('Basis below which arbitrage does not pay (fraction). Default 0.001.'),
    unwindFraction: rate()
      .default(0.05)
      .describe('Fraction of inventory unwound per step while the basis is inside the band. Default 0.05.'),
  })
  .describe('Arbitrageurs: close the mark-index basis with finite capital, hedged off-venue.');

export const AgentsSchema = z.strictObject({
  traders: TradersSchema.prefault({}),
  marketMakers: MarketMakersSchema.prefault({}),
  liquidators: LiquidatorsSchema.prefault({}),
  arbitrageurs: ArbitrageursSchema.prefault({}),
});
