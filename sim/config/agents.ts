// The honest agent populations: traders, market makers, liquidators and arbitrageurs. Schemas
// only: the agents' behaviour lives in agents/, no I/O here.
import { z } from 'zod';
import { num, nonNeg, positive, rate, count, posCount } from './fields.js';

/** Leveraged traders: an initial book of positions plus Poisson-arriving noise and momentum traders. */
export const TradersSchema = z.strictObject({
  /** Number of trader accounts. Default 10,000. */
  count: count().max(5_000_000).default(10_000),
  /** Fraction of initial positions that are long. Default 0.6. */
  longShare: rate().default(0.6),
  /** Smallest position notional, USD (Pareto scale). Default 2,000. */
  notionalMinUsd: positive().default(2_000),
  /** Pareto tail index of position notional (smaller is heavier). Default 1.5. */
  notionalTailIndex: num().gt(0).default(1.5),
  /** Cap on one position's notional, USD. Default 5,000,000. */
  notionalMaxUsd: positive().default(5_000_000),
  /** Median leverage of positions (lognormal). Default 5. */
  leverageMedian: num().min(1).default(5),
  /** Log-standard deviation of leverage. Default 0.6. */
  leverageDispersion: nonNeg().default(0.6),
  /** Log-standard deviation of entry prices around the initial price. Default 0.05. */
  entrySpreadLog: nonNeg().default(0.05),
  /** Mean trader arrivals per step (Poisson). Default 3. */
  arrivalsPerStep: nonNeg().default(3),
  /** Fraction of arrivals that trade momentum (the rest trade noise). Default 0.3. */
  momentumShare: rate().default(0.3),
  /** Lookback of the momentum signal, steps. Default 15. */
  momentumLookbackSteps: posCount().default(15),
  /** Size of a new trade relative to a freshly drawn position notional. Default 0.5. */
  tradeSizeScale: positive().default(0.5),
  /** Probability that an arriving trader with a position closes it. Default 0.3. */
  closeProbability: rate().default(0.3),
  /** Probability that an arriving trader near liquidation deposits to restore initial margin. Default 0.5. */
  topUpProbability: rate().default(0.5),
  /** Equity over maintenance margin below which a trader considers a top-up. Default 1.5. */
  topUpTriggerRatio: num().min(1).default(1.5),
  /** Probability that an arriving trader with spare margin withdraws part of it. Default 0.1. */
  withdrawProbability: rate().default(0.1),
});

/** Market makers: supply the book's depth and pull part of it when volatility or drawdown cross thresholds. */
export const MarketMakersSchema = z.strictObject({
  /** Collateral of the pooled market-maker account, USD. Default 50,000,000. */
  capitalUsd: positive().default(50_000_000),
  /** Window of realized volatility and drawdown, steps. Default 10. */
  windowSteps: posCount().max(100_000).default(10),
  /** Annualized realized volatility of the mark above which makers pull depth. Default 2.0. */
  pullVolatility: nonNeg().default(2.0),
  /** Drawdown of the mark within the window above which makers pull depth (fraction). Default 0.05. */
  pullDrawdown: nonNeg().default(0.05),
  /** Fraction of depth pulled while stressed. Default 0.5. */
  pullFraction: rate().default(0.5),
  /** Calm steps before pulled depth returns. Default 30. */
  returnAfterSteps: count().default(30),
});

/** Liquidators: finite capital, reaction latency, act only when the fee beats expected slippage. */
export const LiquidatorsSchema = z.strictObject({
  /** Number of independent liquidators. Default 5. */
  count: count().max(1000).default(5),
  /** Capital of each liquidator, USD. Default 2,000,000. */
  capitalUsd: nonNeg().default(2_000_000),
  /** Notional a liquidator can take over per step, as a multiple of its capital. Default 5. */
  leverage: positive().default(5),
  /** Steps between an account becoming liquidatable and a liquidator acting on it; 0 means within the same step. Default 0. */
  latencySteps: count().max(10_000).default(0),
  /** Risk premium demanded on top of slippage, as a fraction of notional. Default 0.001. */
  riskPremium: nonNeg().default(0.001),
  /**
   * Whether a liquidator takes a part (up to its capacity) of a position larger than its whole capacity;
   * otherwise such a position is never liquidated (it stays flagged and ends as latent bad debt). Default
   * false (the behaviour the measured figures rest on; README "Attacks", Limits).
   */
  partialAboveCapacity: z.boolean().default(false),
});

/** Arbitrageurs: close the mark-index basis with finite capital, hedged off-venue. */
export const ArbitrageursSchema = z.strictObject({
  /** Number of arbitrageurs. Default 3. */
  count: count().max(1000).default(3),
  /** Capital of each arbitrageur, USD. Default 3,000,000. */
  capitalUsd: nonNeg().default(3_000_000),
  /** Gross notional limit as a multiple of capital. Default 5. */
  leverage: positive().default(5),
  /** Fraction of the basis the arbitrageurs together close per step. Default 0.5. */
  closeFraction: rate().default(0.5),
  /** Basis below which arbitrage does not pay (fraction). Default 0.001. */
  minBasis: nonNeg().default(0.001),
  /** Fraction of inventory unwound per step while the basis is inside the band. Default 0.05. */
  unwindFraction: rate().default(0.05),
});

export const AgentsSchema = z.strictObject({
  traders: TradersSchema.prefault({}),
  marketMakers: MarketMakersSchema.prefault({}),
  liquidators: LiquidatorsSchema.prefault({}),
  arbitrageurs: ArbitrageursSchema.prefault({}),
});
