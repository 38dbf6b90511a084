// The perpetual-futures venue's parameters: margin, fees, liquidation, loss resolution, and its
// funding, margin model, insurance fund, backstop vault and ADL sub-sections. Schemas only: the
// mechanisms live in sim/perp/, no I/O here.
import { z } from 'zod';
import { num, nonNeg, positive, rate, posCount, MAX_USD, MAX_STEPS } from './fields.js';

export const FundingSchema = z
  .strictObject({
    intervalSteps: posCount().max(MAX_STEPS).default(60).describe('Steps between funding payments.'),
    interestRate8h: num()
      .min(-1)
      .max(1)
      .default(0.0001)
      .describe('Interest component of the funding rate per 8 hours (fraction).'),
    premiumClamp8h: nonNeg().max(1).default(0.0005).describe('Clamp of (interest - premium) per 8 hours (fraction).'),
    maxRatePerHour: nonNeg().max(1).default(0.04).describe('Cap on the absolute funding rate per hour (fraction).'),
  })
  .describe('Funding: premium-based, Hyperliquid form, accrued through a cumulative index.');

export const MarginTiersSchema = z
  .strictObject({
    preset: z
      .enum(['hl-btc', 'hl-eth', 'hl-sol', 'hl-alt', 'custom'])
      .default('hl-eth')
      .describe(
        "Tier table: Hyperliquid's 'hl-btc' (40x up to 150M USD, 20x above), 'hl-eth' (25x up to 100M, 15x above), 'hl-sol' (20x up to 70M, 10x above), 'hl-alt' (10x up to 20M, 5x above), or 'custom' (the fields below).",
      ),
    boundScale: positive()
      .max(1e6)
      .default(1)
      .describe("Multiplier on the preset's (or custom) tier bounds in USD, to scale a table to a small world."),
    maxLeverage1: num()
      .max(1000)
      .min(1)
      .default(25)
      .describe('Custom table: maximum leverage of the first tier (from 0 USD).'),
    maxLeverage2: num()
      .max(1000)
      .min(1)
      .default(15)
      .describe('Custom table: maximum leverage of the second tier; at most `maxLeverage1`.'),
    lowerBound2Usd: positive()
      .max(MAX_USD)
      .default(100_000_000)
      .describe('Custom table: notional where the second tier starts, USD.'),
    maxLeverage3: num()
      .max(1000)
      .min(1)
      .default(10)
      .describe('Custom table: maximum leverage of a third tier; at most `maxLeverage2`.'),
    lowerBound3Usd: nonNeg()
      .max(MAX_USD)
      .default(0)
      .describe(
        'Custom table: notional where the third tier starts, USD, above `lowerBound2Usd`; 0 means no third tier.',
      ),
  })
  .superRefine((t, ctx) => {
    if (t.preset !== 'custom') return;
    if (t.maxLeverage2 > t.maxLeverage1)
      ctx.addIssue({
        code: 'custom',
        path: ['maxLeverage2'],
        message: `must not exceed maxLeverage1 (${t.maxLeverage1})`,
      });
    if (t.lowerBound3Usd > 0 && !(t.lowerBound3Usd > t.lowerBound2Usd))
      ctx.addIssue({
        code: 'custom',
        path: ['lowerBound3Usd'],
        message: `must be above lowerBound2Usd (${t.lowerBound2Usd}), or 0`,
      });
    if (t.lowerBound3Usd > 0 && t.maxLeverage3 > t.maxLeverage2)
      ctx.addIssue({
        code: 'custom',
        path: ['maxLeverage3'],
        message: `must not exceed maxLeverage2 (${t.maxLeverage2})`,
      });
  })
  .describe('Hyperliquid leverage tiers: maximum leverage by position notional (README "Margin models").');

export const VolatilityMarginSchema = z
  .strictObject({
    z: nonNeg()
      .max(100)
      .default(3)
      .describe("Multiple of the horizon's volatility that maintenance margin must cover."),
    horizonSteps: posCount()
      .max(MAX_STEPS)
      .default(60)
      .describe('Horizon the margin must cover, steps (the time to liquidate a position).'),
    ewmaHalfLifeSteps: positive()
      .max(MAX_STEPS)
      .default(30)
      .describe('Half-life of the EWMA of squared oracle log returns, steps.'),
    maxRate: num().gt(0).max(0.9).default(0.5).describe('Cap on the maintenance rate (fraction).'),
    forecast: z
      .enum(['none', 'garch'])
      .default('none')
      .describe(
        "Predictive variant. 'none': the EWMA alone. 'garch': a GARCH(1,1) of the same step log returns with fixed `garchAlpha`, `garchBeta` and omega by variance targeting toward `garchTarget`; the margin covers `max(EWMA, forecast)` variance over the horizon (README \"Margin models\").",
      ),
    garchTarget: z
      .enum(['ewma', 'sample'])
      .default('ewma')
      .describe(
        "The GARCH's long-run variance (omega by variance targeting): 'ewma', the EWMA variance (a local level the forecast reverts to over the horizon); 'sample', the running mean of all squared returns so far (slower: on vol-regime-crash it never moves margin before the EWMA).",
      ),
    garchAlpha: nonNeg().max(1).default(0.1).describe('GARCH(1,1) weight of the last squared return.'),
    garchBeta: nonNeg()
      .max(1)
      .default(0.85)
      .describe('GARCH(1,1) weight of the last conditional variance; `garchAlpha + garchBeta` must be below 1.'),
  })
  .superRefine((v, ctx) => {
    if (v.garchAlpha + v.garchBeta >= 1)
      ctx.addIssue({ code: 'custom', path: ['garchBeta'], message: 'garchAlpha + garchBeta must be below 1' });
  })
  .describe(
    'Volatility-scaled margin (a modeling choice: no surveyed venue computes margin from realized volatility).',
  );

export const MarginModelSchema = z
  .strictObject({
    kind: z
      .enum(['flat', 'tiers', 'sqrt', 'volatility'])
      .default('flat')
      .describe(
        "'flat': the protocol's rates; 'tiers': Hyperliquid leverage tiers with the maintenance deduction; 'sqrt': Drift's size premium `max(base, 0.8 base + sqrtImfFactor * sqrt(|size|))` on both rates; 'volatility': maintenance `max(base, z * sigma * sqrt(horizonSteps))` from an EWMA of realized volatility, initial margin scaled alike.",
      ),
    tiers: MarginTiersSchema.prefault({}),
    sqrtImfFactor: nonNeg()
      .max(1)
      .default(0.0005)
      .describe("Drift's imfFactor: the rate added per square root of position size in units of the asset."),
    volatility: VolatilityMarginSchema.prefault({}),
  })
  .describe('How the market\'s margin requirements are computed (README "Margin models").');

export const InsuranceSchema = z
  .strictObject({
    tradingFeeShare: rate()
      .default(0)
      .describe(
        "Share of every trading fee (traders', liquidators' and the backstop vault's taker fees) paid into the insurance fund instead of protocol revenue. The fund's share of liquidation fees is `1 - liquidatorFeeShare`.",
      ),
    claimCapUsd: nonNeg()
      .max(MAX_USD)
      .default(0)
      .describe(
        "Largest cumulative amount the fund pays for this market's bad debt, USD (Drift's per-market insurance claim cap); the excess is uncovered. 0 means no cap.",
      ),
  })
  .describe(
    'Insurance fund inflows and claims beyond the initial size `protocol.insuranceFundUsd` (README "Insurance fund, backstop vault and auto-deleveraging").',
  );

export const BackstopSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Whether the vault exists (its own account, after the traders).'),
    capitalUsd: nonNeg()
      .max(MAX_USD)
      .default(5_000_000)
      .describe('LP capital deposited in the vault at step 0, USD (counted as a deposit).'),
    triggerFraction: rate()
      .default(2 / 3)
      .describe(
        "The vault takes over a liquidatable position whose equity is below this share of its maintenance margin (Hyperliquid: 2/3), at the oracle price, keeping the account's remaining equity.",
      ),
    unwindFractionPerStep: rate()
      .default(0.1)
      .describe('Share of its inventory the vault sells into the book each step (taker fee paid).'),
    onBookRefusal: z
      .boolean()
      .default(true)
      .describe(
        'Also take over a position whose book liquidation was refused for slippage or the per-step liquidation cap.',
      ),
  })
  .describe("A protocol-run backstop liquidator (Hyperliquid's liquidator vault), funded by LPs.");

export const AdlSchema = z
  .strictObject({
    ranking: z
      .enum(['bitmex', 'hyperliquid', 'random'])
      .default('bitmex')
      .describe(
        "Order in which opposite-side accounts are deleveraged. 'bitmex': PnL% x effective leverage when PnL% > 0, else PnL% / effective leverage; 'hyperliquid': (oracle / entry for longs, entry / oracle for shorts) x notional / equity; 'random': dYdX, from a seeded random start through the accounts in index order. Highest rank first.",
      ),
  })
  .describe('Auto-deleveraging (ADL) of opposite positions when the insurance fund cannot cover a bankruptcy.');

export const ProtocolSchema = z
  .strictObject({
    initialMarginRate: num()
      .gt(0)
      .max(1)
      .default(0.05)
      .describe('Initial margin rate (fraction of notional) to open or increase a position; 0.05 is 20x leverage.'),
    maintenanceMarginRate: num()
      .gt(0)
      .lt(1)
      .default(0.03)
      .describe('Maintenance margin rate: equity below notional times this is liquidatable; at most the initial rate.'),
    takerFeeRate: rate().default(0.0005).describe('Taker fee rate on traded notional (0.0005 is 5 bp).'),
    liquidationFeeRate: rate()
      .default(0.015)
      .describe(
        "Liquidation fee rate on the closed notional, capped at the account's remaining equity. The default is dYdX's maximum.",
      ),
    liquidatorFeeShare: rate()
      .default(0.5)
      .describe('Share of the liquidation fee paid to the liquidator; the rest goes to the insurance fund.'),
    liquidationMode: z
      .enum(['partial', 'full'])
      .default('partial')
      .describe("'partial' closes just enough to restore initial margin; 'full' closes the whole position."),
    minLiquidationNotionalUsd: nonNeg()
      .max(MAX_USD)
      .default(1_000)
      .describe(
        "Smallest notional a partial liquidation closes (the whole position if smaller), USD. The default is dYdX's.",
      ),
    insuranceFundUsd: nonNeg().max(MAX_USD).default(1_000_000).describe('Insurance fund at step 0, USD.'),
    socializeLosses: z
      .boolean()
      .default(true)
      .describe('Spread uncovered bad debt pro rata over accounts in profit (a haircut on their unrealized profit).'),
    lossResolution: z
      .enum(['socialize', 'adl', 'none'])
      .default('socialize')
      .describe(
        "What happens to bad debt the insurance fund cannot cover. 'socialize': a haircut on accounts in profit at the end of the step; 'adl': a bankrupt position whose shortfall the fund cannot cover is closed against opposite positions at its bankruptcy price (no bad debt); 'none': left unresolved. `socializeLosses: false` with the default 'socialize' means 'none' (the older spelling).",
      ),
    insurance: InsuranceSchema.prefault({}),
    backstop: BackstopSchema.prefault({}),
    adl: AdlSchema.prefault({}),
    withdrawUnrealizedProfit: z
      .boolean()
      .default(false)
      .describe(
        'Whether an account may withdraw against unrealized profit (equity above initial margin), as Mango allowed borrowing against it; false limits withdrawals to collateral (cash).',
      ),
    funding: FundingSchema.prefault({}),
    marginModel: MarginModelSchema.prefault({}),
  })
  .superRefine((p, ctx) => {
    if (p.maintenanceMarginRate > p.initialMarginRate)
      ctx.addIssue({
        code: 'custom',
        path: ['maintenanceMarginRate'],
        message: `must not exceed initialMarginRate (${p.initialMarginRate})`,
      });
  })
  .describe('The perpetual-futures venue: margin, fees, liquidation and loss resolution.');
