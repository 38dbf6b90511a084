// Multi-asset collateral: the stablecoin, volatile asset and venue token posted beside USD cash,
// with their haircuts and price processes. Schemas only: the valuation lives in sim/perp/, no I/O.
import { z } from 'zod';
import { num, nonNeg, positive, rate } from './fields.js';

/** One collateral asset: the share of traders' margin posted in it, its haircut and its price process. */
const collateralAsset = (d: { share: number; haircut: number; vol: number; beta: number }) =>
  z.strictObject({
    share: rate()
      .default(d.share)
      .describe(
        "Share of each trader's margin posted in this asset at the start (the rest is USD cash); the three assets' shares sum to at most 1.",
      ),
    haircut: num()
      .min(0)
      .lt(1)
      .default(d.haircut)
      .describe('Haircut: margin counts a balance at price x (1 - haircut).'),
    initialPriceUsd: positive().max(1e9).default(1).describe('Price at step 0, USD.'),
    annualVolatility: nonNeg()
      .max(20)
      .default(d.vol)
      .describe("Annualized volatility of the asset's own GBM component."),
    indexBeta: num()
      .min(-10)
      .max(10)
      .default(d.beta)
      .describe("Beta of the asset's log return to the market index's log return."),
  });

export const CollateralSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Switches multi-asset collateral on.'),
    stablecoin: collateralAsset({ share: 0.5, haircut: 0, vol: 0, beta: 0 })
      .prefault({})
      .describe(
        'A USD stablecoin: no volatility of its own and no beta to the index (a depeg comes from a `collateralPrice` shock).',
      ),
    volatile: collateralAsset({ share: 0.3, haircut: 0.17, vol: 0.3, beta: 1 })
      .prefault({})
      .describe(
        "A volatile asset moving with the market; its default haircut is 1 - Aave's WETH liquidation threshold (83%).",
      ),
    venueToken: collateralAsset({ share: 0.2, haircut: 0.5, vol: 1.0, beta: 1.5 })
      .extend({
        stressBeta: nonNeg()
          .max(100)
          .default(5)
          .describe(
            "Venue stress: the token's log return falls by this times the share of open interest liquidated in the previous step.",
          ),
      })
      .prefault({})
      .describe(
        "The venue's own token: volatile, with a beta above 1, and falling when the venue liquidates; its default haircut of 0.5 is a modeling choice.",
      ),
  })
  .superRefine((c, ctx) => {
    if (c.stablecoin.share + c.volatile.share + c.venueToken.share > 1 + 1e-12)
      ctx.addIssue({
        code: 'custom',
        path: ['venueToken', 'share'],
        message: 'the three shares must sum to at most 1',
      });
  })
  .describe(
    'Multi-asset collateral (README "Collateral"): a stablecoin, a volatile asset and the venue\'s token beside USD cash. Off by default (all margin in USD cash).',
  );
