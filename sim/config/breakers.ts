// Circuit breakers and throughput limits: the price band, the withdrawal rate limit, open-interest
// controls and the per-step liquidation cap. Schemas only: the breakers live in sim/controls/, no
// I/O here.
import { z } from 'zod';
import { nonNeg, rate, posCount, MAX_USD, MAX_STEPS } from './fields.js';

export const PriceBandSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Switches the breaker on.'),
    movePct: nonNeg()
      .max(10)
      .default(0.1)
      .describe('Oracle move within the window that trips it (fraction); 0 disables this trigger.'),
    markDeviationPct: nonNeg()
      .max(10)
      .default(0.1)
      .describe(
        "Mark deviation from the oracle's TWAP over the window that trips it (fraction); 0 disables. The default is Drift's 10% band.",
      ),
    windowSteps: posCount().max(100_000).default(5).describe('Window of the move and of the TWAP, steps.'),
    haltSteps: posCount().max(MAX_STEPS).default(30).describe('Steps the market stays halted after a trip.'),
    haltLiquidations: z.boolean().default(false).describe('Whether liquidations halt too (otherwise only trading).'),
    haltWithdrawals: z.boolean().default(false).describe('Whether withdrawals halt too while the band is tripped.'),
  })
  .describe('Price-band halt (Drift/Synthetix style bands): trading, and optionally liquidations, stop for a while.');

export const WithdrawalLimitSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Switches the limit on.'),
    floorUsd: nonNeg()
      .max(MAX_USD)
      .default(1_000_000)
      .describe("Capacity floor, USD. The default is dYdX's 1 h limit."),
    tvlShare: rate()
      .default(0.01)
      .describe("Capacity as a share of total collateral (TVL). The default is dYdX's 1 h limit."),
    periodSteps: posCount()
      .max(MAX_STEPS)
      .default(60)
      .describe('Steps over which an empty capacity regenerates to its baseline.'),
  })
  .describe('Withdrawal rate limit (dYdX): capacity max(floor, share of TVL), regenerating over a period.');

export const OpenInterestSchema = z
  .strictObject({
    maxPerSideUsd: nonNeg()
      .max(MAX_USD)
      .default(0)
      .describe("Hard cap on traders' (and attackers') open interest per side, USD at the oracle price; 0 means none."),
    capInitialBook: z
      .boolean()
      .default(false)
      .describe(
        'Whether the initial book respects the cap too (the cap was in force while the book built up): a genesis position that would take its side past the cap is not opened (the trader starts flat). Otherwise the cap refuses only new increases.',
      ),
    imfScaleLowUsd: nonNeg()
      .max(MAX_USD)
      .default(40_000_000)
      .describe(
        "Open interest (both sides) where initial margin starts rising toward 100%, USD. The default is dYdX's mid-cap value.",
      ),
    imfScaleHighUsd: nonNeg()
      .max(MAX_USD)
      .default(0)
      .describe(
        "Open interest where initial margin reaches 100% (1x); 0 (the default) turns the scaling off; dYdX's mid-cap markets use 100,000,000. Must be above `imfScaleLowUsd`, or 0.",
      ),
  })
  .superRefine((o, ctx) => {
    if (o.imfScaleHighUsd > 0 && !(o.imfScaleHighUsd > o.imfScaleLowUsd))
      ctx.addIssue({
        code: 'custom',
        path: ['imfScaleHighUsd'],
        message: `must be above imfScaleLowUsd (${o.imfScaleLowUsd}), or 0 to turn the scaling off`,
      });
  })
  .describe('Open-interest controls: a hard cap per side and initial margin scaled by open interest (dYdX).');

export const BreakersSchema = z
  .strictObject({
    priceBand: PriceBandSchema.prefault({}),
    withdrawals: WithdrawalLimitSchema.prefault({}),
    openInterest: OpenInterestSchema.prefault({}),
    maxLiquidationNotionalPerStepUsd: nonNeg()
      .max(MAX_USD)
      .default(0)
      .describe('Largest notional liquidated per step, USD (Maker `hole` style throughput cap); 0 means none.'),
  })
  .describe('Circuit breakers and throughput limits; every one is off by default.');
