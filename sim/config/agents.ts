// The honest agent populations: traders, market makers, liquidators and arbitrageurs. Schemas
// only: the agents' behaviour lives in agents/, no I/O here.
import { z } from 'zod';
import { num, nonNeg, positive, rate, count, posCount, MAX_USD, MAX_STEPS } from './fields.js';

export const TradersSchema = z
  .strictObject({
    count: count()
      .max(1_000_000)
      .default(10_000)
      .describe('Number of trader accounts (at most 1,000,000; see also the work bound of `run.steps`).'),
    longShare: rate().default(0.6).describe('Fraction of initial positions that are long.'),
    notionalMinUsd: positive().max(MAX_USD).default(2_000).describe('Smallest position notional, USD (Pareto scale).'),
    notionalTailIndex: num()
      .max(100)
      .gt(0)
      .default(1.5)
      .describe('Pareto tail index of position notional (smaller is heavier).'),
    notionalMaxUsd: positive().max(MAX_USD).default(5_000_000).describe("Cap on one position's notional, USD."),
    leverageMedian: num().max(1000).min(1).default(5).describe('Median leverage of positions (lognormal).'),
    leverageDispersion: nonNeg().max(10).default(0.6).describe('Log-standard deviation of leverage.'),
    entrySpreadLog: nonNeg()
      .max(5)
      .default(0.05)
      .describe('Log-standard deviation of entry prices around the initial price.'),
    arrivalsPerStep: nonNeg().max(100_000).default(3).describe('Mean trader arrivals per step (Poisson).'),
    momentumShare: rate().default(0.3).describe('Fraction of arrivals that trade momentum (the rest trade noise).'),
    momentumLookbackSteps: posCount().max(MAX_STEPS).default(15).describe('Lookback of the momentum signal, steps.'),
    tradeSizeScale: positive()
      .max(1000)
      .default(0.5)
      .describe('Size of a new trade relative to a freshly drawn position notional.'),
    closeProbability: rate().default(0.3).describe('Probability that an arriving trader with a position closes it.'),
    topUpProbability: rate()
      .default(0.5)
      .describe('Probability that an arriving trader near liquidation deposits to restore initial margin.'),
    topUpTriggerRatio: num()
      .max(1000)
      .min(1)
      .default(1.5)
      .describe('Equity over maintenance margin below which a trader considers a top-up.'),
    withdrawProbability: rate()
      .default(0.1)
      .describe('Probability that an arriving trader with spare margin withdraws part of it.'),
  })
  .describe('Leveraged traders: an initial book of positions plus Poisson-arriving noise and momentum traders.');

export const MarketMakersSchema = z
  .strictObject({
    capitalUsd: positive()
      .max(MAX_USD)
      .default(50_000_000)
      .describe('Collateral of the pooled market-maker account, USD.'),
    windowSteps: posCount().max(100_000).default(10).describe('Window of realized volatility and drawdown, steps.'),
    pullVolatility: nonNeg()
      .max(100)
      .default(2.0)
      .describe('Annualized realized volatility of the mark above which makers pull depth.'),
    pullDrawdown: nonNeg()
      .max(1)
      .default(0.05)
      .describe('Drawdown of the mark within the window above which makers pull depth (fraction).'),
    pullFraction: rate().default(0.5).describe('Fraction of depth pulled while stressed.'),
    returnAfterSteps: count().max(MAX_STEPS).default(30).describe('Calm steps before pulled depth returns.'),
  })
  .describe("Market makers: supply the book's depth and pull part of it when volatility or drawdown cross thresholds.");

export const LiquidatorsSchema = z
  .strictObject({
    count: count().max(1000).default(5).describe('Number of independent liquidators.'),
    capitalUsd: nonNeg().max(MAX_USD).default(2_000_000).describe('Capital of each liquidator, USD.'),
    leverage: positive()
      .max(1000)
      .default(5)
      .describe('Notional a liquidator can take over per step, as a multiple of its capital.'),
    latencySteps: count()
      .max(MAX_STEPS)
      .max(10_000)
      .default(0)
      .describe(
        'Steps between an account becoming liquidatable and a liquidator acting on it; 0 means within the same step.',
      ),
    riskPremium: nonNeg()
      .max(1)
      .default(0.001)
      .describe('Risk premium demanded on top of slippage, as a fraction of notional.'),
    partialAboveCapacity: z
      .boolean()
      .default(false)
      .describe(
        'Whether a liquidator takes a part (up to its capacity) of a position larger than its whole capacity; otherwise such a position is never liquidated (it stays flagged and ends as latent bad debt). Off by default: the behaviour the measured figures rest on (README "Attacks", Limits).',
      ),
  })
  .describe('Liquidators: finite capital, reaction latency, act only when the fee beats expected slippage.');

export const ArbitrageursSchema = z
  .strictObject({
    count: count().max(1000).default(3).describe('Number of arbitrageurs.'),
    capitalUsd: nonNeg().max(MAX_USD).default(3_000_000).describe('Capital of each arbitrageur, USD.'),
    leverage: positive().max(1000).default(5).describe('Gross notional limit as a multiple of capital.'),
    closeFraction: rate().default(0.5).describe('Fraction of the basis the arbitrageurs together close per step.'),
    minBasis: nonNeg().max(1).default(0.001).describe('Basis below which arbitrage does not pay (fraction).'),
    unwindFraction: rate()
      .default(0.05)
      .describe('Fraction of inventory unwound per step while the basis is inside the band.'),
  })
  .describe('Arbitrageurs: close the mark-index basis with finite capital, hedged off-venue.');

export const AgentsSchema = z
  .strictObject({
    traders: TradersSchema.prefault({}),
    marketMakers: MarketMakersSchema.prefault({}),
    liquidators: LiquidatorsSchema.prefault({}),
    arbitrageurs: ArbitrageursSchema.prefault({}),
  })
  .describe('The honest agent populations: leveraged traders, market makers, liquidators and arbitrageurs.');
