// The model's parameters: one schema (zod) that validates user overrides, fills defaults and
// documents every field with its unit and default. Dotted paths (`protocol.maintenanceMarginRate`)
// address fields in `--set` and sweep grids. Pure data: no I/O here.
import { z } from 'zod';

const num = () => z.number().finite();
const nonNeg = () => num().nonnegative();
const positive = () => num().positive();
const rate = () => num().min(0).max(1);
const count = () => z.number().int().nonnegative();
const posCount = () => z.number().int().positive();

/** Length and resolution of a run. */
export const RunSchema = z.strictObject({
  /** Number of steps simulated. Default 1440 (one day of one-minute steps). */
  steps: posCount().max(1_000_000).default(1440),
  /** Seconds of market time per step. Default 60. */
  stepSeconds: positive().default(60),
});

/** The exogenous index price and the venue's order book. */
export const MarketSchema = z.strictObject({
  /** Index price at step 0, USD. Default 3000. */
  initialPriceUsd: positive().default(3000),
  /** Annualized volatility of the index's GBM (fraction). Default 0.6. */
  annualVolatility: nonNeg().default(0.6),
  /** Annualized drift of the index's GBM (fraction). Default 0. */
  annualDrift: num().default(0),
  /** Mean number of random index jumps per day (Poisson). Default 0. */
  jumpsPerDay: nonNeg().default(0),
  /** Mean log size of a random jump (fraction; -0.02 is about -2%). Default 0. */
  jumpMeanLog: num().default(0),
  /** Standard deviation of the log size of a random jump. Default 0.02. */
  jumpStdLog: nonNeg().default(0.02),
  /** Venue book depth at baseline: USD that moves the mark by 1%. Default 15,000,000 (about a quarter of the default book's open interest). */
  depthUsdPerPct: positive().default(15_000_000),
  /** Width of the resting book on each side, in %, used to measure how much of it trades consume. Default 5. */
  bookWidthPct: positive().default(5),
  /** Floor of the fraction of the book left after consumption (0..1). Default 0.1. */
  minBookFill: rate().default(0.1),
  /** Half-life in steps for consumed depth to regenerate toward baseline. Default 5. */
  depthHalfLifeSteps: positive().default(5),
});

/** A thin constant-product spot pool: an oracle source any agent can trade against. */
export const SpotPoolSchema = z.strictObject({
  /** USD on each side of the pool at the start (its depth). Default 2,000,000. */
  liquidityUsd: positive().default(2_000_000),
  /** Swap fee (fraction of the USD traded). Default 0.003 (Uniswap 0.3%). */
  feeRate: rate().default(0.003),
  /** Share of the log gap to the index that external arbitrage closes each step. Default 0.3. */
  arbitrageShare: rate().default(0.3),
});

/** The protocol's oracle: a composite source read with latency, published by a push rule. */
export const OracleSchema = z.strictObject({
  /** Weight of the venue's own mark price in the oracle's source composite (0..1); the rest is the index. Default 0.33. */
  venueWeight: rate().default(0.33),
  /** Steps between a source price and the oracle seeing it; 0 means within the step (a fast push or pull oracle). Default 0. */
  latencySteps: count().max(10_000).default(0),
  /** Relative change of the source that triggers a push (fraction). Default 0.001 (dYdX 0.1%). */
  deviationThreshold: nonNeg().default(0.001),
  /** Steps after which the oracle pushes even without deviation. Default 60. */
  heartbeatSteps: posCount().default(60),
  /**
   * How the sources are combined: 'composite' blends the index and the venue mark by `venueWeight`;
   * 'median' takes the median of the index, the venue mark and the spot pool; 'pool' reads the thin spot pool
   * alone (a manipulable oracle, README "Attacks"). Default 'composite'.
   */
  aggregation: z.enum(['composite', 'median', 'pool']).default('composite'),
  /** Relative noise of the index source each step (log standard deviation): external venues disagree. Default 0. */
  indexNoiseStd: nonNeg().default(0),
  /** Smoothing of the aggregated price: 'none', a TWAP or an EMA over `smoothingSteps`. Default 'none'. */
  smoothing: z.enum(['none', 'twap', 'ema']).default('none'),
  /** Window of the TWAP (steps), or span of the EMA (alpha = 2 / (span + 1)). Default 1. */
  smoothingSteps: posCount().max(100_000).default(1),
  /** Fixed delay: the protocol prices with the (smoothed) value from this many steps ago, as Maker's OSM (3,600 s). Default 0. */
  delaySteps: count().max(100_000).default(0),
  /** Largest relative change of the published price in one publication (HIP-3: 0.01); 0 means no cap. Default 0. */
  maxChangePerUpdate: nonNeg().default(0),
  /** Steps without a publication after which the price counts as stale; 0 means never. Default 0. */
  staleAfterSteps: count().default(0),
  /** What the protocol does while the price is stale: keep using it, or refuse trades, liquidations, or both. Default 'keep'. */
  staleAction: z.enum(['keep', 'halt-trading', 'halt-liquidations', 'halt-all']).default('keep'),
  /**
   * Confidence-aware margin (Pyth style): margin tests value longs at price - k * confidence and shorts at
   * price + k * confidence, where the confidence is half the spread of the sources. 0 turns it off. Default 0.
   */
  confidenceK: nonNeg().default(0),
  spotPool: SpotPoolSchema.prefault({}),
});

/** Funding: premium-based, Hyperliquid form, accrued through a cumulative index. */
export const FundingSchema = z.strictObject({
  /** Steps between funding payments. Default 60. */
  intervalSteps: posCount().default(60),
  /** Interest component per 8 hours (fraction). Default 0.0001 (0.01%). */
  interestRate8h: num().default(0.0001),
  /** Clamp of (interest - premium) per 8 hours (fraction). Default 0.0005. */
  premiumClamp8h: nonNeg().default(0.0005),
  /** Cap on the absolute funding rate per hour (fraction). Default 0.04. */
  maxRatePerHour: nonNeg().default(0.04),
});

/** Hyperliquid leverage tiers: maximum leverage by position notional (README "Margin models"). */
export const MarginTiersSchema = z
  .strictObject({
    /**
     * Tier table: Hyperliquid's 'hl-btc' (40x up to 150M USD, 20x above), 'hl-eth' (25x up to 100M, 15x
     * above), 'hl-sol' (20x up to 70M, 10x above), 'hl-alt' (10x up to 20M, 5x above), or 'custom' (the
     * fields below). Default 'hl-eth'.
     */
    preset: z.enum(['hl-btc', 'hl-eth', 'hl-sol', 'hl-alt', 'custom']).default('hl-eth'),
    /** Multiplier on the preset's (or custom) tier bounds in USD, to scale a table to a small world. Default 1. */
    boundScale: positive().default(1),
    /** Custom table: maximum leverage of the first tier (from 0 USD). Default 25. */
    maxLeverage1: num().min(1).default(25),
    /** Custom table: maximum leverage of the second tier. Default 15. */
    maxLeverage2: num().min(1).default(15),
    /** Custom table: notional where the second tier starts, USD. Default 100,000,000. */
    lowerBound2Usd: positive().default(100_000_000),
    /** Custom table: maximum leverage of a third tier. Default 10. */
    maxLeverage3: num().min(1).default(10),
    /** Custom table: notional where the third tier starts, USD; 0 means no third tier. Default 0. */
    lowerBound3Usd: nonNeg().default(0),
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
  });

/** Volatility-scaled margin (a modeling choice: no surveyed venue computes margin from realized volatility). */
export const VolatilityMarginSchema = z
  .strictObject({
    /** Multiple of the horizon's volatility that maintenance margin must cover. Default 3. */
    z: nonNeg().default(3),
    /** Horizon the margin must cover, steps (the time to liquidate a position). Default 60. */
    horizonSteps: posCount().default(60),
    /** Half-life of the EWMA of squared oracle log returns, steps. Default 30. */
    ewmaHalfLifeSteps: positive().default(30),
    /** Cap on the maintenance rate (fraction). Default 0.5. */
    maxRate: num().gt(0).max(0.9).default(0.5),
    /**
     * Predictive variant. 'none': the EWMA alone. 'garch': a GARCH(1,1) of the same step log returns with fixed
     * `garchAlpha`, `garchBeta` and omega by variance targeting toward `garchTarget`; the
     * margin covers `max(EWMA, forecast)` variance over the horizon (README "Margin models"). Default 'none'.
     */
    forecast: z.enum(['none', 'garch']).default('none'),
    /**
     * The GARCH's long-run variance (omega by variance targeting): 'ewma', the EWMA variance (a local level the
     * forecast reverts to over the horizon); 'sample', the running mean of all squared returns so far (slower: on
     * vol-regime-crash it never moves margin before the EWMA). Default 'ewma'.
     */
    garchTarget: z.enum(['ewma', 'sample']).default('ewma'),
    /** GARCH(1,1) weight of the last squared return. Default 0.1. */
    garchAlpha: nonNeg().default(0.1),
    /** GARCH(1,1) weight of the last conditional variance. Default 0.85. */
    garchBeta: nonNeg().default(0.85),
  })
  .superRefine((v, ctx) => {
    if (v.garchAlpha + v.garchBeta >= 1)
      ctx.addIssue({ code: 'custom', path: ['garchBeta'], message: 'garchAlpha + garchBeta must be below 1' });
  });

/** How the market's margin requirements are computed (README "Margin models"). */
export const MarginModelSchema = z.strictObject({
  /**
   * 'flat': the protocol's rates; 'tiers': Hyperliquid leverage tiers with the maintenance deduction;
   * 'sqrt': Drift's size premium `max(base, 0.8 base + sqrtImfFactor * sqrt(|size|))` on both rates;
   * 'volatility': maintenance `max(base, z * sigma * sqrt(horizonSteps))` from an EWMA of realized volatility,
   * initial margin scaled alike. Default 'flat'.
   */
  kind: z.enum(['flat', 'tiers', 'sqrt', 'volatility']).default('flat'),
  tiers: MarginTiersSchema.prefault({}),
  /** Drift's imfFactor: the rate added per square root of position size in units of the asset. Default 0.0005. */
  sqrtImfFactor: nonNeg().default(0.0005),
  volatility: VolatilityMarginSchema.prefault({}),
});

/** Insurance fund inflows and claims beyond the initial size `protocol.insuranceFundUsd` (README "Insurance fund, backstop vault and auto-deleveraging"). */
export const InsuranceSchema = z.strictObject({
  /**
   * Share of every trading fee (traders', liquidators' and the backstop vault's taker fees) paid into the
   * insurance fund instead of protocol revenue. The fund's share of liquidation fees is
   * `1 - liquidatorFeeShare`. Default 0.
   */
  tradingFeeShare: rate().default(0),
  /**
   * Largest cumulative amount the fund pays for this market's bad debt, USD (Drift's per-market insurance
   * claim cap); the excess is uncovered. 0 means no cap. Default 0.
   */
  claimCapUsd: nonNeg().default(0),
});

/** A protocol-run backstop liquidator (Hyperliquid's liquidator vault), funded by LPs. */
export const BackstopSchema = z.strictObject({
  /** Whether the vault exists (its own account, after the traders). Default false. */
  enabled: z.boolean().default(false),
  /** LP capital deposited in the vault at step 0, USD (counted as a deposit). Default 5,000,000. */
  capitalUsd: nonNeg().default(5_000_000),
  /**
   * The vault takes over a liquidatable position whose equity is below this share of its maintenance margin
   * (Hyperliquid: 2/3), at the oracle price, keeping the account's remaining equity. Default 2/3.
   */
  triggerFraction: rate().default(2 / 3),
  /** Share of its inventory the vault sells into the book each step (taker fee paid). Default 0.1. */
  unwindFractionPerStep: rate().default(0.1),
  /** Also take over a position whose book liquidation was refused for slippage or the per-step liquidation cap. Default true. */
  onBookRefusal: z.boolean().default(true),
});

/** Auto-deleveraging (ADL) of opposite positions when the insurance fund cannot cover a bankruptcy. */
export const AdlSchema = z.strictObject({
  /**
   * Order in which opposite-side accounts are deleveraged. 'bitmex': PnL% x effective leverage when PnL% > 0,
   * else PnL% / effective leverage; 'hyperliquid': (oracle / entry for longs, entry / oracle for shorts) x
   * notional / equity; 'random': dYdX, from a seeded random start through the accounts in index order.
   * Highest rank first. Default 'bitmex'.
   */
  ranking: z.enum(['bitmex', 'hyperliquid', 'random']).default('bitmex'),
});

/** The perpetual-futures venue: margin, fees, liquidation and loss resolution. */
export const ProtocolSchema = z
  .strictObject({
    /** Initial margin rate (fraction of notional) to open or increase. Default 0.05 (20x). */
    initialMarginRate: num().gt(0).max(1).default(0.05),
    /** Maintenance margin rate: equity below notional times this is liquidatable; at most the initial rate. Default 0.03. */
    maintenanceMarginRate: num().gt(0).lt(1).default(0.03),
    /** Taker fee rate on traded notional. Default 0.0005 (5 bp). */
    takerFeeRate: rate().default(0.0005),
    /** Liquidation fee rate on the closed notional, capped at the account's remaining equity. Default 0.015 (dYdX max). */
    liquidationFeeRate: rate().default(0.015),
    /** Share of the liquidation fee paid to the liquidator; the rest goes to the insurance fund. Default 0.5. */
    liquidatorFeeShare: rate().default(0.5),
    /** 'partial' closes just enough to restore initial margin; 'full' closes the whole position. Default 'partial'. */
    liquidationMode: z.enum(['partial', 'full']).default('partial'),
    /** Smallest notional a partial liquidation closes (the whole position if smaller), USD. Default 1,000 (dYdX). */
    minLiquidationNotionalUsd: nonNeg().default(1_000),
    /** Insurance fund at step 0, USD. Default 1,000,000. */
    insuranceFundUsd: nonNeg().default(1_000_000),
    /** Spread uncovered bad debt pro rata over accounts in profit (a haircut on their unrealized profit). Default true. */
    socializeLosses: z.boolean().default(true),
    /**
     * What happens to bad debt the insurance fund cannot cover. 'socialize': a haircut on accounts in profit
     * at the end of the step; 'adl': a bankrupt position whose shortfall the fund cannot cover is closed
     * against opposite positions at its bankruptcy price (no bad debt); 'none': left unresolved.
     * `socializeLosses: false` with the default 'socialize' means 'none' (the older spelling). Default 'socialize'.
     */
    lossResolution: z.enum(['socialize', 'adl', 'none']).default('socialize'),
    insurance: InsuranceSchema.prefault({}),
    backstop: BackstopSchema.prefault({}),
    adl: AdlSchema.prefault({}),
    /**
     * Whether an account may withdraw against unrealized profit (equity above initial margin), as Mango
     * allowed borrowing against it; false limits withdrawals to collateral (cash). Default false.
     */
    withdrawUnrealizedProfit: z.boolean().default(false),
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
  });

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

/** Price-band halt (Drift/Synthetix style bands): trading, and optionally liquidations, stop for a while. */
export const PriceBandSchema = z.strictObject({
  /** Switches the breaker on. Default false. */
  enabled: z.boolean().default(false),
  /** Oracle move within the window that trips it (fraction); 0 disables this trigger. Default 0.1 (10%). */
  movePct: nonNeg().default(0.1),
  /** Mark deviation from the oracle's TWAP over the window that trips it (fraction); 0 disables. Default 0.1 (Drift's 10% band). */
  markDeviationPct: nonNeg().default(0.1),
  /** Window of the move and of the TWAP, steps. Default 5. */
  windowSteps: posCount().max(100_000).default(5),
  /** Steps the market stays halted after a trip. Default 30. */
  haltSteps: posCount().default(30),
  /** Whether liquidations halt too (otherwise only trading). Default false. */
  haltLiquidations: z.boolean().default(false),
  /** Whether withdrawals halt too while the band is tripped. Default false. */
  haltWithdrawals: z.boolean().default(false),
});

/** Withdrawal rate limit (dYdX): capacity max(floor, share of TVL), regenerating over a period. */
export const WithdrawalLimitSchema = z.strictObject({
  /** Switches the limit on. Default false. */
  enabled: z.boolean().default(false),
  /** Capacity floor, USD. Default 1,000,000 (dYdX 1 h). */
  floorUsd: nonNeg().default(1_000_000),
  /** Capacity as a share of total collateral (TVL). Default 0.01 (dYdX 1 h). */
  tvlShare: rate().default(0.01),
  /** Steps over which an empty capacity regenerates to its baseline. Default 60 (1 h of one-minute steps). */
  periodSteps: posCount().default(60),
});

/** Open-interest controls: a hard cap per side and initial margin scaled by open interest (dYdX). */
export const OpenInterestSchema = z
  .strictObject({
    /** Hard cap on traders' (and attackers') open interest per side, USD at the oracle price; 0 means none. Default 0. */
    maxPerSideUsd: nonNeg().default(0),
    /**
     * Whether the initial book respects the cap too (the cap was in force while the book built up): a
     * genesis position that would take its side past the cap is not opened (the trader starts flat).
     * Otherwise the cap refuses only new increases. Default false.
     */
    capInitialBook: z.boolean().default(false),
    /** Open interest (both sides) where initial margin starts rising toward 100%, USD. Default 40,000,000 (dYdX mid-cap). */
    imfScaleLowUsd: nonNeg().default(40_000_000),
    /** Open interest where initial margin reaches 100% (1x); 0 turns the scaling off. Default 0 (dYdX mid-cap uses 100,000,000). */
    imfScaleHighUsd: nonNeg().default(0),
  })
  .superRefine((o, ctx) => {
    if (o.imfScaleHighUsd > 0 && !(o.imfScaleHighUsd > o.imfScaleLowUsd))
      ctx.addIssue({
        code: 'custom',
        path: ['imfScaleHighUsd'],
        message: `must be above imfScaleLowUsd (${o.imfScaleLowUsd}), or 0 to turn the scaling off`,
      });
  });

/** Circuit breakers and throughput limits; every one is off by default. */
export const BreakersSchema = z.strictObject({
  priceBand: PriceBandSchema.prefault({}),
  withdrawals: WithdrawalLimitSchema.prefault({}),
  openInterest: OpenInterestSchema.prefault({}),
  /** Largest notional liquidated per step, USD (Maker `hole` style throughput cap); 0 means none. Default 0. */
  maxLiquidationNotionalPerStepUsd: nonNeg().default(0),
});

/** Real-time monitoring: detectors over live metrics with thresholds; alerts change nothing by themselves. */
export const MonitoringSchema = z.strictObject({
  /** Switches the detectors on (they are passive: results other than the alert statistics do not change). Default true. */
  enabled: z.boolean().default(true),
  /** Oracle-vs-index divergence that raises an alert (fraction); 0 disables. Default 0.02. */
  oracleDivergencePct: nonNeg().default(0.02),
  /** Notional liquidated in one step, as a share of open interest, that raises an alert; 0 disables. Default 0.01. */
  liquidationRatePct: nonNeg().default(0.01),
  /** Insurance-fund drawdown from its peak that raises an alert (fraction); 0 disables. Default 0.25. */
  insuranceDrawdownPct: nonNeg().default(0.25),
  /** Number of largest accounts whose share of open interest is watched. Default 10. */
  concentrationTopAccounts: posCount().max(1000).default(10),
  /** Share of open interest in those accounts that raises an alert; 0 disables. Default 0.25. */
  concentrationShare: nonNeg().default(0.25),
  /** Steps between measurements of concentration (an O(accounts) scan). Default 60. */
  concentrationEverySteps: posCount().default(60),
});

/** The emergency guardian: pauses the market or liquidations after a detector fires. */
export const GuardianSchema = z.strictObject({
  /** Switches the guardian on. Default false. */
  enabled: z.boolean().default(false),
  /** The monitoring detector that triggers it. Default 'oracleDivergence'. */
  trigger: z
    .enum(['oracleDivergence', 'liquidationRate', 'insuranceDrawdown', 'concentration'])
    .default('oracleDivergence'),
  /** Steps between the detector firing and the pause (human or multisig reaction time). Default 5. */
  latencySteps: count().default(5),
  /** Steps the pause lasts. Default 60. */
  pauseSteps: posCount().default(60),
  /** What is paused: the market (trading), liquidations, or both. Default 'market'. */
  scope: z.enum(['market', 'liquidations', 'all']).default('market'),
  /** Steps after the unpause during which liquidations stay off (Aave grace period, at most 4 h). Default 0. */
  liquidationGraceSteps: count().default(0),
});

/** Governance: risk-steward bounds on scripted parameter changes, and the guardian. */
export const GovernanceSchema = z.strictObject({
  /** Largest absolute change of a parameter in one proposal; 0 means unbounded. Default 0. */
  maxAbsoluteChange: nonNeg().default(0),
  /** Largest relative change of a parameter in one proposal (Aave steward caps: 1.0 = 100%); 0 means unbounded. Default 0. */
  maxRelativeChange: nonNeg().default(0),
  /** Shortest timelock a proposal may carry, steps. Default 0. */
  minDelaySteps: count().default(0),
  /** Fewest steps between two changes of the same parameter (Aave steward: 3 days). Default 0. */
  minStepsBetweenUpdates: count().default(0),
  guardian: GuardianSchema.prefault({}),
});

export const AgentsSchema = z.strictObject({
  traders: TradersSchema.prefault({}),
  marketMakers: MarketMakersSchema.prefault({}),
  liquidators: LiquidatorsSchema.prefault({}),
  arbitrageurs: ArbitrageursSchema.prefault({}),
});

/**
 * Oracle manipulator (Mango Markets, October 2022; README "Attacks"): two colluding accounts self-match a
 * large position (long on A, short on B) at the venue's mark, the attacker buys the thin spot pool the
 * oracle reads, A withdraws against its unrealized profit at the pumped oracle price, and the venue keeps
 * the loss when the price returns.
 */
export const OracleManipulatorSchema = z.strictObject({
  kind: z.literal('oracle-manipulator'),
  /** Total capital of the attacker (both venue accounts and the spot budget), USD; must be above 0. */
  capitalUsd: num().positive('an attacker needs capital above 0 USD'),
  /** Step at which the attack starts (deposit and self-matched position). Default 60. */
  startStep: count().default(60),
  /** Share of the capital kept off-venue to buy the spot pool; the rest is split between the two accounts. Default 0.5. */
  spotShare: num().gt(0).lt(1).default(0.5),
  /** Share of the accounts' initial-margin capacity used for the self-matched position (0..1]. Default 0.9. */
  marginUse: num().gt(0).max(1).default(0.9),
  /** Pool price the attacker pumps toward and holds, as a multiple of the index. Default 2. */
  pumpMultiple: num().gt(1).default(2),
  /** Steps the attacker keeps the pool pumped (while its spot budget lasts). Default 30. */
  holdSteps: posCount().default(30),
  /** Steps over which the bought spot units are sold back into the pool after the hold. Default 30. */
  unwindSteps: posCount().default(30),
});

/**
 * Insurance-fund drainer (README "Attacks"): two colluding accounts repeatedly self-match a
 * maximum-leverage long/short pair, so that whenever a move carries the losing leg past bankruptcy
 * before its liquidation the insurance fund pays its shortfall while the winning leg keeps the move.
 */
export const InsuranceDrainerSchema = z.strictObject({
  kind: z.literal('insurance-drainer'),
  /** Total capital, deposited half in each account, USD; must be above 0. */
  capitalUsd: num().positive('an attacker needs capital above 0 USD'),
  /** Step of the first deposit. Default 0. */
  startStep: count().default(0),
  /** Step from which it opens no new round and stops acting. Default 1,000,000 (never). */
  stopStep: count().default(1_000_000),
  /** Share of each account's initial-margin capacity a pair uses (0..1]. Default 0.98 (maximum leverage). */
  marginUse: num().gt(0).max(1).default(0.98),
  /** Most rounds (pairs opened) in a run. Default 1,000. */
  maxRounds: posCount().default(1000),
});

/**
 * Liquidation hunter (README "Attacks"): sells into thin depth to push the mark (and an oracle that reads
 * it) through a cluster of long liquidation prices, liquidates the flagged longs itself, buys back.
 */
export const LiquidationHunterSchema = z.strictObject({
  kind: z.literal('liquidation-hunter'),
  /** Collateral deposited into its one account, USD; must be above 0. */
  capitalUsd: num().positive('an attacker needs capital above 0 USD'),
  /** Step of the deposit; the first push follows one step later. Default 60. */
  startStep: count().default(60),
  /** Notional sold into the book in one push, USD. Default 10,000,000. */
  pushNotionalUsd: positive().default(10_000_000),
  /** Steps the push is spread over. Default 3. */
  pushSteps: posCount().default(3),
  /** Steps after the push during which it keeps liquidating flagged longs. Default 5. */
  holdSteps: count().default(5),
  /** Steps over which it buys its short back. Default 5. */
  unwindSteps: posCount().default(5),
  /** Steps between the starts of two rounds. Default 120. */
  intervalSteps: posCount().default(120),
  /** Most rounds in a run. Default 1,000. */
  maxRounds: posCount().default(1000),
});

/**
 * Bad-debt farmer (README "Attacks"): concentrated open interest in a thin market across many colluding
 * accounts (maximum-leverage longs self-matched against one short), a push into the thin book that takes
 * the oracle past the longs' bankruptcy within one update, the short keeping the move.
 */
export const BadDebtFarmerSchema = z.strictObject({
  kind: z.literal('bad-debt-farmer'),
  /** Total capital (the long accounts' and the short account's collateral), USD; must be above 0. */
  capitalUsd: num().positive('an attacker needs capital above 0 USD'),
  /** Step of the deposits; the self-matched positions follow one step later, the push two. Default 60. */
  startStep: count().default(60),
  /** Number of long accounts the open interest is spread over. Default 20. */
  accounts: posCount().max(1000).default(20),
  /** Share of the capital deposited into the long accounts (the rest backs the short and its push). Default 0.4. */
  longShare: num().gt(0).lt(1).default(0.4),
  /** Share of each long account's initial-margin capacity used (0..1]. Default 0.98 (maximum leverage). */
  marginUse: num().gt(0).max(1).default(0.98),
  /** Notional the short account sells into the book to push the mark, USD. Default 30,000,000. */
  pushNotionalUsd: positive().default(30_000_000),
  /** Steps the push is spread over. Default 1. */
  pushSteps: posCount().default(1),
  /** Steps after the push during which it liquidates its own bankrupt longs. Default 5. */
  holdSteps: count().default(5),
  /** Steps over which it buys back the rest of its short. Default 30. */
  unwindSteps: posCount().default(30),
});

/**
 * Governance attacker (README "Attacks"): proposes, with the shortest timelock governance allows
 * (governance.minDelaySteps), margin at 50% and a 100% liquidation fee paid to the liquidator, then
 * liquidates every flagged account itself; honest traders close their positions meanwhile.
 */
export const GovernanceAttackerSchema = z.strictObject({
  kind: z.literal('governance-attacker'),
  /** Collateral of its liquidator account, USD; must be above 0. */
  capitalUsd: num().positive('an attacker needs capital above 0 USD'),
  /** Step of the malicious proposals (and of the deposit). Default 60. */
  proposeStep: count().default(60),
  /** Mean steps honest traders take to close their positions after the proposal (each leaves after a delay uniform in [1, 2x this]). Default 60. */
  honestExitMeanSteps: posCount().default(60),
});

/**
 * Stale-oracle front-runner (README "Attacks"): when the oracle lags the index by `minGapPct`, takes the
 * side the stale price flatters on the book and withdraws the unrealized profit the stale oracle shows.
 */
export const StaleOracleFrontRunnerSchema = z.strictObject({
  kind: z.literal('stale-oracle-front-runner'),
  /** Collateral of its account, USD; must be above 0. */
  capitalUsd: num().positive('an attacker needs capital above 0 USD'),
  /** Step of the deposit. Default 0. */
  startStep: count().default(0),
  /** Gap between the oracle and the index (fraction) at which it enters. Default 0.02. */
  minGapPct: num().gt(0).default(0.02),
  /** Share of its initial-margin capacity an entry uses (0..1]. Default 0.9. */
  marginUse: num().gt(0).max(1).default(0.9),
  /** Most positions it opens in a run. Default 1,000. */
  maxEntries: posCount().default(1000),
});

/** One adversarial agent with its own capital and strategy, discriminated on `kind`. */
export const AttackerSchema = z.discriminatedUnion('kind', [
  OracleManipulatorSchema,
  InsuranceDrainerSchema,
  LiquidationHunterSchema,
  BadDebtFarmerSchema,
  GovernanceAttackerSchema,
  StaleOracleFrontRunnerSchema,
]);
export type AttackerConfig = z.infer<typeof AttackerSchema>;
export type OracleManipulatorConfig = z.infer<typeof OracleManipulatorSchema>;
/** The attacker kinds, for error messages. */
export const ATTACKER_KINDS = [
  'oracle-manipulator',
  'insurance-drainer',
  'liquidation-hunter',
  'bad-debt-farmer',
  'governance-attacker',
  'stale-oracle-front-runner',
] as const;
export type BadDebtFarmerConfig = z.infer<typeof BadDebtFarmerSchema>;
export type StaleOracleFrontRunnerConfig = z.infer<typeof StaleOracleFrontRunnerSchema>;
export type GovernanceAttackerConfig = z.infer<typeof GovernanceAttackerSchema>;
export type LiquidationHunterConfig = z.infer<typeof LiquidationHunterSchema>;
export type InsuranceDrainerConfig = z.infer<typeof InsuranceDrainerSchema>;

/** How run statistics are measured. */
export const MetricsSchema = z.strictObject({
  /** Steps without liquidations a cascade wave may span before it ends. Default 2. */
  waveGapSteps: count().default(2),
  /** Multi-market runs: the market whose statistics the run reports (its own timeline and losses); '' (default) reports the whole venue. */
  market: z.string().default(''),
});

/** Invariant checking. */
export const InvariantsSchema = z.strictObject({
  /** Relative tolerance of value conservation. Default 1e-9. */
  tolerance: positive().default(1e-9),
  /** Steps between full recomputations of the ledger from every account (O(accounts)); the O(1) check runs every step. Default 240. */
  fullCheckEverySteps: posCount().default(240),
  /** Fault injection for testing error handling: the run throws an InvariantError at this step. -1 (default) never. */
  faultInjectionStep: z.number().int().min(-1).default(-1),
});

/** One collateral asset: the share of traders' margin posted in it, its haircut and its price process. */
const collateralAsset = (d: { share: number; haircut: number; vol: number; beta: number }) =>
  z.strictObject({
    /** Share of each trader's margin posted in this asset at the start (the rest is USD cash). */
    share: rate().default(d.share),
    /** Haircut: margin counts a balance at price x (1 - haircut). */
    haircut: num().min(0).lt(1).default(d.haircut),
    /** Price at step 0, USD. Default 1. */
    initialPriceUsd: positive().default(1),
    /** Annualized volatility of the asset's own GBM component. */
    annualVolatility: nonNeg().default(d.vol),
    /** Beta of the asset's log return to the market index's log return. */
    indexBeta: num().default(d.beta),
  });

/**
 * Multi-asset collateral (README "Collateral"): a stablecoin, a volatile asset and the venue's token
 * beside USD cash. Off by default (all margin in USD cash).
 */
export const CollateralSchema = z
  .strictObject({
    /** Switches multi-asset collateral on. Default false. */
    enabled: z.boolean().default(false),
    /** A USD stablecoin: share 0.5, haircut 0, no volatility, beta 0 (a depeg comes from a collateralPrice shock). */
    stablecoin: collateralAsset({ share: 0.5, haircut: 0, vol: 0, beta: 0 }).prefault({}),
    /** A volatile asset moving with the market: share 0.3, haircut 0.17 (1 - Aave's WETH liquidation threshold 83%), volatility 0.3 of its own, beta 1. */
    volatile: collateralAsset({ share: 0.3, haircut: 0.17, vol: 0.3, beta: 1 }).prefault({}),
    /** The venue's own token: share 0.2, haircut 0.5 (a modeling choice), volatility 1.0 of its own, beta 1.5. */
    venueToken: collateralAsset({ share: 0.2, haircut: 0.5, vol: 1.0, beta: 1.5 })
      .extend({
        /** Venue stress: the token's log return falls by this times the share of open interest liquidated in the previous step. Default 5. */
        stressBeta: nonNeg().default(5),
      })
      .prefault({}),
  })
  .superRefine((c, ctx) => {
    if (c.stablecoin.share + c.volatile.share + c.venueToken.share > 1 + 1e-12)
      ctx.addIssue({
        code: 'custom',
        path: ['venueToken', 'share'],
        message: 'the three shares must sum to at most 1',
      });
  });

/** Overrides of one market of a multi-market venue, nested as in the config, for the sections a market may set. */
const section = () => z.record(z.string(), z.unknown()).optional();
export const MarketOverridesSchema = z.strictObject({
  market: section(),
  oracle: section(),
  protocol: section(),
  breakers: section(),
  agents: section(),
});

/** How the markets of a multi-market venue move together and share collateral. */
export const MultiMarketSchema = z.strictObject({
  /** Correlation of every pair of markets' index returns, unless correlationMatrix is given. Default 0.7. */
  correlation: num().min(-1).max(1).default(0.7),
  /** Full correlation matrix of the index returns (markets in file order); empty uses `correlation`. Default []. */
  correlationMatrix: z.array(z.array(num().min(-1).max(1))).default([]),
  /** Share of trader accounts on cross margin (the first ones by id); the rest hold isolated positions. Default 1 (Hyperliquid's default mode). */
  crossMarginShare: rate().default(1),
});

const ConfigObjectSchema = z.strictObject({
  run: RunSchema.prefault({}),
  market: MarketSchema.prefault({}),
  oracle: OracleSchema.prefault({}),
  protocol: ProtocolSchema.prefault({}),
  breakers: BreakersSchema.prefault({}),
  governance: GovernanceSchema.prefault({}),
  monitoring: MonitoringSchema.prefault({}),
  agents: AgentsSchema.prefault({}),
  /** Adversarial agents (README "Attacks"), their accounts after the traders'. Default: none. */
  attackers: z.array(AttackerSchema).max(100).default([]),
  metrics: MetricsSchema.prefault({}),
  invariants: InvariantsSchema.prefault({}),
  collateral: CollateralSchema.prefault({}),
  /**
   * Several markets (README "Several markets"): market name -> overrides of that market's market, oracle,
   * protocol, breakers and agents sections on top of the rest of the config. Empty (default): one market.
   */
  markets: z
    .record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'expected a market name (letters, digits, - and _)'),
      MarketOverridesSchema,
    )
    .default({}),
  multiMarket: MultiMarketSchema.prefault({}),
});

export const ConfigSchema = ConfigObjectSchema.superRefine((cfg, ctx) => {
  const names = Object.keys(cfg.markets);
  if (cfg.metrics.market !== '' && !names.includes(cfg.metrics.market))
    ctx.addIssue({
      code: 'custom',
      path: ['metrics', 'market'],
      message: names.length
        ? `unknown market '${cfg.metrics.market}' (markets: ${names.join(', ')})`
        : 'needs a multi-market config (markets: ...)',
    });
  if (names.length === 0) return;
  if (cfg.attackers.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['attackers'],
      message: 'attackers need a single market (a limit of this version)',
    });
  if (cfg.collateral.enabled)
    ctx.addIssue({
      code: 'custom',
      path: ['collateral', 'enabled'],
      message: 'multi-asset collateral needs a single market (a limit of this version)',
    });
  if (names.length < 2) {
    ctx.addIssue({ code: 'custom', path: ['markets'], message: 'a multi-market venue needs at least two markets' });
    return;
  }
  const m = cfg.multiMarket.correlationMatrix;
  if (m.length > 0) {
    const bad = m.length !== names.length || m.some((row) => row.length !== names.length);
    if (bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['multiMarket', 'correlationMatrix'],
        message: `must be ${names.length} x ${names.length} (one row and column per market)`,
      });
      return;
    }
  }
  if (!choleskyFactor(correlationMatrix(cfg.multiMarket, names.length)))
    ctx.addIssue({
      code: 'custom',
      path: ['multiMarket', m.length > 0 ? 'correlationMatrix' : 'correlation'],
      message: 'is not a valid correlation matrix (symmetric, ones on the diagonal, positive semi-definite)',
    });
  for (const name of names) {
    const ov = cfg.markets[name];
    const agents = (ov.agents ?? {}) as Record<string, unknown>;
    for (const [pop, v] of Object.entries(agents)) {
      if (v !== null && typeof v === 'object' && 'count' in v)
        ctx.addIssue({
          code: 'custom',
          path: ['markets', name, 'agents', pop, 'count'],
          message: 'accounts are shared by the markets: set agent counts at the top level',
        });
    }
    if (ov.protocol && 'insuranceFundUsd' in ov.protocol)
      ctx.addIssue({
        code: 'custom',
        path: ['markets', name, 'protocol', 'insuranceFundUsd'],
        message: 'the insurance fund is shared by the markets: set protocol.insuranceFundUsd at the top level',
      });
    const parsed = ConfigObjectSchema.safeParse(mergeOverrides({ ...cfg, markets: {} }, ov));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      ctx.addIssue({ code: 'custom', path: ['markets', name, ...issue.path], message: issue.message });
    }
  }
});

/** The full, resolved parameter set of a run. */
export type Config = z.infer<typeof ConfigSchema>;

/** Nested partial overrides as a user writes them. */
export type ConfigOverrides = Record<string, unknown>;

/** The defaults, resolved once. */
export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

/** Every parameter's dotted path and its default value. */
export function parameterPaths(config: Config = DEFAULT_CONFIG): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: unknown, prefix: string): void => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else out.set(prefix, node);
  };
  walk(config, '');
  return out;
}

const MARKET_SECTIONS = ['market', 'oracle', 'protocol', 'breakers', 'agents'];

/**
 * The default of a settable parameter path, or undefined if there is no such parameter. Besides the
 * config's own paths, `markets.<name>.<section>.<field>` sets one market's value of a market, oracle,
 * protocol, breakers or agents field (README "Several markets").
 */
export function parameterDefault(path: string): { value: unknown } | undefined {
  const defaults = parameterPaths();
  if (defaults.has(path)) return { value: defaults.get(path) };
  const m = /^markets\.([A-Za-z][A-Za-z0-9_-]*)\.((\w+)\..+)$/.exec(path);
  if (m && MARKET_SECTIONS.includes(m[3]) && defaults.has(m[2])) return { value: defaults.get(m[2]) };
  return undefined;
}

/** Reads the value at a dotted path of a resolved config. */
export function getPath(config: Config, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Returns a copy of the overrides with the value set at a dotted path (creating objects on the way). */
export function setPath(overrides: ConfigOverrides, path: string, value: unknown): ConfigOverrides {
  const copy = structuredClone(overrides);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** `base` with the plain-object `overrides` merged in, recursively (arrays and values replace). */
export function mergeOverrides<T>(base: T, overrides: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides)) {
    const b = out[k];
    const plain = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = plain(v) && plain(b) ? mergeOverrides(b, v as Record<string, unknown>) : v;
  }
  return out as T;
}

const marketCache = new WeakMap<Config, { name: string; config: Config }[]>();

/** The resolved config of each market of a multi-market config, in file order ([] for one market). */
export function marketConfigs(cfg: Config): { name: string; config: Config }[] {
  let out = marketCache.get(cfg);
  if (!out) {
    out = Object.entries(cfg.markets).map(([name, ov]) => ({
      name,
      config: ConfigObjectSchema.parse(mergeOverrides({ ...cfg, markets: {} }, ov)) as Config,
    }));
    marketCache.set(cfg, out);
  }
  return out;
}

/** The markets' correlation matrix: the given one, or `correlation` off the diagonal. */
export function correlationMatrix(mm: Config['multiMarket'], k: number): number[][] {
  if (mm.correlationMatrix.length > 0) return mm.correlationMatrix;
  return Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => (r === c ? 1 : mm.correlation)));
}

/** Lower Cholesky factor of a symmetric positive-definite matrix with a unit diagonal, or undefined if it is not one. */
export function choleskyFactor(m: readonly (readonly number[])[]): number[][] | undefined {
  const k = m.length;
  const l = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < k; r++) {
    if (m[r][r] !== 1) return undefined;
    for (let c = 0; c <= r; c++) {
      if (m[r][c] !== m[c][r]) return undefined;
      let sum = m[r][c];
      for (let j = 0; j < c; j++) sum -= l[r][j] * l[c][j];
      if (r === c) {
        // Correlations of 1 (a crash) are allowed: a zero pivot copies the earlier factor.
        if (sum < -1e-12) return undefined;
        l[r][r] = Math.sqrt(Math.max(sum, 0));
      } else if (l[c][c] > 0) l[r][c] = sum / l[c][c];
      else if (Math.abs(sum) > 1e-9) return undefined;
    }
  }
  return l;
}
