// Circuit breakers and throughput limits: the price band, the withdrawal rate limit, open-interest
// controls and the per-step liquidation cap. Schemas only: the breakers live in sim/controls/, no
// I/O here.
import { z } from 'zod';
import { nonNeg, rate, posCount } from './fields.js';

export const PriceBandSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Switches the breaker on. Default false.'),
    movePct: nonNeg()
      .default(0.1)
      .describe('Oracle move within the window that trips it (fraction); 0 disables this trigger. Default 0.1 (10%).'),
    markDeviationPct: nonNeg()
      .default(0.1)
      .describe(
        "Mark deviation from the oracle's TWAP over the window that trips it (fraction); 0 disables. Default 0.1 (Drift's 10% band).",
      ),
    windowSteps: posCount().max(100_000).default(5).describe('Window of the move and of the TWAP, steps. Default 5.'),
    haltSteps: posCount().default(30).describe('Steps the market stays halted after a trip. Default 30.'),
    haltLiquidations: z
      .boolean()
      .default(false)
      .describe('Whether liquidations halt too (otherwise only trading). Default false.'),
    haltWithdrawals: z
      .boolean()
      .default(false)
      .describe('Whether withdrawals halt too while the band is tripped. Default false.'),
  })
  .describe('Price-band halt (Drift/Synthetix style bands): trading, and optionally liquidations, stop for a while.');

export const WithdrawalLimitSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Switches the limit on. Default false.'),
    floorUsd: nonNeg().default(1_000_000).describe('Capacity floor, USD. Default 1,000,000 (dYdX 1 h).'),
    tvlShare: rate().default(0.01).describe('Capacity as a share of total collateral (TVL). Default 0.01 (dYdX 1 h).'),
    periodSteps: posCount()
      .default(60)
      .describe(
        'Steps over which an empty capacity regenerates to its baseline. Default 60 (1 h of one-minute steps).',
      ),
  })
  .describe('Withdrawal rate limit (dYdX): capacity max(floor, share of TVL), regenerating over a period.');

export const OpenInterestSchema = z
  .strictObject({
    maxPerSideUsd: nonNeg()
      .default(0)
      .describe(
        "Hard cap on traders' (and attackers') open interest per side, USD at the oracle price; 0 means none. Default 0.",
      ),
    capInitialBook: z
      .boolean()
      .default(false)
      .describe(
        'Whether the initial book respects the cap too (the cap was in force while the book built up): a genesis position that would take its side past the cap is not opened (the trader starts flat). Otherwise the cap refuses only new increases. Default false.',
      ),
    imfScaleLowUsd: nonNeg()
      .default(40_000_000)
      .describe(
        'Open interest (both sides) where initial margin starts rising toward 100%, USD. Default 40,000,000 (dYdX mid-cap).',
      ),
    imfScaleHighUsd: nonNeg()
      .default(0)
      .describe(
        'Open interest where initial margin reaches 100% (1x); 0 turns the scaling off. Default 0 (dYdX mid-cap uses 100,000,000).',
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
      .default(0)
      .describe(
        'Largest notional liquidated per step, USD (Maker `hole` style throughput cap); 0 means none. Default 0.',
      ),
  })
  .describe('Circuit breakers and throughput limits; every one is off by default.');
