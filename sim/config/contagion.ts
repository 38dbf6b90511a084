// The contagion section: one world holding the perp venue and a lending pool on the same prices
// (docs/contagion.md). Its links say how the two protocols touch: the lending assets move with the
// perp venue's index, and the perp venue's forced selling reaches a lending asset's DEX pool. The
// lending pool may read its own oracle section. Schemas only: the cross-section checks (it needs a
// `lending` section, a known asset) are in config-schema.ts, the links themselves in sim/contagion/. No I/O.
import { z } from 'zod';
import { assetName, rate } from './fields.js';
import { OracleSchema } from './oracle.js';

export const ContagionLinksSchema = z
  .strictObject({
    sharedIndex: z
      .boolean()
      .default(true)
      .describe(
        "true (default): the lending assets move with the perp venue's index (each by its indexBeta, plus its own GBM and shocks) instead of the lending section's own independent index path; false: the two protocols' index paths are independent draws.",
      ),
    perpFlowAsset: assetName()
      .default('WETH')
      .describe(
        "The lending asset (a key of lending.assets) whose DEX pool receives the perp venue's forced flow (default 'WETH').",
      ),
    perpFlowShare: rate()
      .default(1)
      .describe(
        "Fraction (0-1) of the perp venue's net liquidation notional of each step (longs closed less shorts closed, USD at the oracle price) sold into (or, when negative, bought from) that DEX pool after the perp venue's step; default 1, 0 switches the link off.",
      ),
    stablecoinAsset: assetName()
      .optional()
      .describe(
        "The depeg link (needs a `cdp` section): a lending asset (a key of lending.assets) whose market price is the CDP stablecoin's clearing price of each step, set after the CDP clears and before the pool's step, so the pool's oracle and its DEX arbitrage follow the peg. Absent (default): no depeg link.",
      ),
    cdpCollateralDex: z
      .boolean()
      .optional()
      .describe(
        "With a `cdp` section: true (the default when absent): the CDP keepers sell auctioned collateral named like a lending asset (a cdp.collateral key that is also a lending.assets key) into the lending pool's DEX pool for that asset instead of the CDP's own, so CDP liquidations push the DEX the lending oracle reads; false: each protocol keeps its own DEX pools.",
      ),
  })
  .describe('How the perp venue, the lending pool and (with a `cdp` section) the CDP are linked (docs/contagion.md).');

export const ContagionSchema = z
  .strictObject({
    links: ContagionLinksSchema.prefault({}),
    lendingOracle: OracleSchema.optional().describe(
      "The lending pool's oracle section (every field as in `oracle`, defaults likewise); absent (default): the pool uses the top-level `oracle` section, as the perp venue does. With `aggregation: pool` each lending asset's oracle reads its DEX pool.",
    ),
  })
  .describe(
    "Contagion (docs/contagion.md): one world holds the perp venue (the top-level sections), the lending pool (the `lending` section, required) and, with a `cdp` section, a CDP on the same prices, stepped together: the perp venue's step first, then the perp flow link, then the CDP's step and the stablecoin link, then the pool's. Absent (default): one protocol runs alone.",
  );
