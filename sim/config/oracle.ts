// The protocol's oracle (sources, aggregation, smoothing, delay, staleness, confidence) and the thin
// spot pool it may read. Schemas only: the oracle's arithmetic lives in sim/market/, no I/O here.
import { z } from 'zod';
import { nonNeg, positive, rate, count, posCount, MAX_USD, MAX_STEPS } from './fields.js';

export const SpotPoolSchema = z
  .strictObject({
    liquidityUsd: positive()
      .max(MAX_USD)
      .default(2_000_000)
      .describe('USD on each side of the pool at the start (its depth).'),
    feeRate: rate()
      .default(0.003)
      .describe("Swap fee (fraction of the USD traded). The default is Uniswap's 0.3% tier."),
    arbitrageShare: rate()
      .default(0.3)
      .describe('Share of the log gap to the index that external arbitrage closes each step.'),
  })
  .describe('A thin constant-product spot pool: an oracle source any agent can trade against.');

export const OracleSchema = z
  .strictObject({
    venueWeight: rate()
      .default(0.33)
      .describe("Weight of the venue's own mark price in the oracle's source composite (0..1); the rest is the index."),
    latencySteps: count()
      .max(MAX_STEPS)
      .max(10_000)
      .default(0)
      .describe(
        'Steps between a source price and the oracle seeing it; 0 means within the step (a fast push or pull oracle).',
      ),
    deviationThreshold: nonNeg()
      .max(1)
      .default(0.001)
      .describe("Relative change of the source that triggers a push (fraction). The default is dYdX's 0.1%."),
    heartbeatSteps: posCount()
      .max(MAX_STEPS)
      .default(60)
      .describe('Steps after which the oracle pushes even without deviation.'),
    aggregation: z
      .enum(['composite', 'median', 'pool'])
      .default('composite')
      .describe(
        "How the sources are combined: 'composite' blends the index and the venue mark by `venueWeight`; 'median' takes the median of the index, the venue mark and the spot pool; 'pool' reads the thin spot pool alone (a manipulable oracle, README \"Attacks\").",
      ),
    indexNoiseStd: nonNeg()
      .max(1)
      .default(0)
      .describe('Relative noise of the index source each step (log standard deviation): external venues disagree.'),
    smoothing: z
      .enum(['none', 'twap', 'ema'])
      .default('none')
      .describe("Smoothing of the aggregated price: 'none', a TWAP or an EMA over `smoothingSteps`."),
    smoothingSteps: posCount()
      .max(MAX_STEPS)
      .max(100_000)
      .default(1)
      .describe('Window of the TWAP (steps), or span of the EMA (alpha = 2 / (span + 1)).'),
    delaySteps: count()
      .max(MAX_STEPS)
      .max(100_000)
      .default(0)
      .describe(
        "Fixed delay: the protocol prices with the (smoothed) value from this many steps ago, as Maker's OSM (3,600 s).",
      ),
    maxChangePerUpdate: nonNeg()
      .max(10)
      .default(0)
      .describe('Largest relative change of the published price in one publication (HIP-3: 0.01); 0 means no cap.'),
    staleAfterSteps: count()
      .max(MAX_STEPS)
      .default(0)
      .describe('Steps without a publication after which the price counts as stale; 0 means never.'),
    staleAction: z
      .enum(['keep', 'halt-trading', 'halt-liquidations', 'halt-all'])
      .default('keep')
      .describe(
        'What the protocol does while the price is stale: keep using it, or refuse trades, liquidations, or both.',
      ),
    confidenceK: nonNeg()
      .max(100)
      .default(0)
      .describe(
        'Confidence-aware margin (Pyth style): margin tests value longs at price - k * confidence and shorts at price + k * confidence, where the confidence is half the spread of the sources. 0 turns it off.',
      ),
    spotPool: SpotPoolSchema.prefault({}),
  })
  .describe("The protocol's oracle: a composite source read with latency, published by a push rule.");
