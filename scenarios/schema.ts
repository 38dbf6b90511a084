// The scenario file schema: name, description, parameter overrides and the shock list.
// Shock primitives act on the exogenous world only (index, volatility, depth, oracle, keepers; in
// lending runs also gas, supplier runs and reserve pauses). In a lending run `market` names a
// lending asset: a price shock without it moves the common index, with it that asset's own price.
import { z } from 'zod';
import { MAX_MAGNITUDE, MAX_RUN_STEPS } from '../sim/config/index.js';
import { GOVERNABLE_PATHS } from '../sim/controls/governance.js';

/** Most shocks in one scenario file. */
export const MAX_SHOCKS = 1000;

/** A step of the run: 0 to the most steps a run may have (MAX_RUN_STEPS). */
const step = () => z.number().int().nonnegative().max(MAX_RUN_STEPS);
/**
 * Multi-market runs: the market the shock hits (a name under `markets`); absent: every market.
 * Lending runs: the asset it hits (a name under `lending.assets`); absent: the common index.
 */
const market = () => z.string().min(1).max(32).optional();
/** A duration in steps: 1 to MAX_RUN_STEPS. */
const steps = () => z.number().int().positive().max(MAX_RUN_STEPS);
/** A relative price move: above -100%, at most +1,000%. */
const pct = () => z.number().gt(-1).max(10);

/** Multiplies the index by (1 + pct) at `step`. */
export const PriceJumpShock = z.strictObject({
  kind: z.literal('priceJump'),
  market: market(),
  /** Step at which the jump happens. */
  step: step(),
  /** Relative change, e.g. -0.2 for -20%. */
  pct: pct(),
});

/** Moves the index by a total of (1 + pct), spread evenly in log terms over `steps` steps. */
export const PriceDriftShock = z.strictObject({
  kind: z.literal('priceDrift'),
  market: market(),
  step: step(),
  steps: steps(),
  pct: pct(),
});

/** Multiplies the index volatility by `multiplier` for `steps` steps. */
export const VolatilityShock = z.strictObject({
  kind: z.literal('volatility'),
  market: market(),
  step: step(),
  steps: steps(),
  multiplier: z.number().nonnegative().max(100),
});

/** Multiplies the venue's baseline depth by `factor` for `steps` steps; afterwards it regenerates. */
export const DepthDrainShock = z.strictObject({
  kind: z.literal('depthDrain'),
  market: market(),
  step: step(),
  steps: steps(),
  factor: z.number().positive().max(100),
});

/** The oracle publishes nothing for `steps` steps. */
export const OracleFreezeShock = z.strictObject({
  kind: z.literal('oracleFreeze'),
  market: market(),
  step: step(),
  steps: steps(),
});

/** A share of the liquidators is offline for `steps` steps. */
export const LiquidatorOutageShock = z.strictObject({
  kind: z.literal('liquidatorOutage'),
  market: market(),
  step: step(),
  steps: steps(),
  /** Fraction of liquidators offline (the first ones by index). Default 1. */
  share: z.number().min(0).max(1).default(1),
});

/** From `step` on, the index follows a historical series' returns instead of its GBM. */
export const ReplayShock = z.strictObject({
  kind: z.literal('replay'),
  market: market(),
  step: step().default(0),
  /** CSV in the shared/data format, relative to the scenario file. */
  file: z.string().min(1).max(4096),
  /** Multiplier on the series' log returns (2 doubles every move). Default 1. */
  scale: z.number().min(-100).max(100).default(1),
  /** Steps of the resampled series skipped before the replay starts. Default 0. */
  offsetSteps: z.number().int().nonnegative().max(100_000_000).default(0),
  /** Steps replayed; default: until the series or the run ends. */
  steps: steps().optional(),
  /** 'hold' the last close, or 'linear' interpolation between closes. Default 'linear'. */
  method: z.enum(['hold', 'linear']).default('linear'),
  /** Visit each bar's low and high inside the bar. Default true. */
  visitExtremes: z.boolean().default(true),
});

/** A governance proposal: at `step`, propose `value` for a parameter, effective after `delaySteps` (a timelock). */
export const ParamChangeShock = z.strictObject({
  kind: z.literal('paramChange'),
  market: market(),
  step: step(),
  /** One of the governable parameters (sim/controls/governance.ts). */
  path: z.enum(GOVERNABLE_PATHS),
  value: z.number().min(-MAX_MAGNITUDE).max(MAX_MAGNITUDE),
  /** Timelock, steps. Default 0. */
  delaySteps: z.number().int().nonnegative().max(MAX_RUN_STEPS).default(0),
});

/** Moves a collateral asset's price by a total of (1 + pct) over `steps` steps (a stablecoin depeg: -0.1). */
export const CollateralPriceShock = z.strictObject({
  kind: z.literal('collateralPrice'),
  step: step(),
  steps: steps(),
  asset: z.enum(['stablecoin', 'volatile', 'venueToken']),
  pct: pct(),
});

/** Multi-market runs: the markets' index returns have correlation `value` for `steps` steps (in a crash, 1). */
export const CorrelationShock = z.strictObject({
  kind: z.literal('correlation'),
  step: step(),
  steps: steps(),
  value: z.number().min(-1).max(1),
});

/** Lending runs: multiplies the liquidators' gas cost per liquidation by `multiplier` for `steps` steps. */
export const GasSpikeShock = z.strictObject({
  kind: z.literal('gasSpike'),
  step: step(),
  steps: steps(),
  multiplier: z.number().nonnegative().max(10_000),
});

/**
 * CDP runs: the stablecoin holders' demand at $1 is multiplied by `multiplier` for `steps` steps (a
 * flight from the coin below 1, a rush into it above 1); the price then clears against it.
 */
export const StablecoinDemandShock = z.strictObject({
  kind: z.literal('stablecoinDemand'),
  step: step(),
  steps: steps(),
  multiplier: z.number().positive().max(100),
});

/** Lending runs: at `step`, a share of the suppliers ask to withdraw everything (of `asset`; absent: of every asset). */
export const SupplierRunShock = z.strictObject({
  kind: z.literal('supplierRun'),
  step: step(),
  /** Fraction of the suppliers who run (the first ones by index). */
  share: z.number().min(0).max(1),
  /** The lending asset withdrawn; absent: every asset. */
  asset: z.string().min(1).max(32).optional(),
});

/** Lending runs: the reserve of `asset` is paused for `steps` steps, then unpaused (a grace period may follow, lending.graceSteps). */
export const ReservePauseShock = z.strictObject({
  kind: z.literal('reservePause'),
  step: step(),
  steps: steps(),
  /** The lending asset whose reserve is paused. */
  asset: z.string().min(1).max(32),
});

/**
 * A governance proposal on a lending pool: at `step`, propose `value` for an asset's LTV, liquidation
 * threshold or bonus, in force after `delaySteps` (the `governance` section's steward bounds apply).
 */
export const ReserveParamChangeShock = z.strictObject({
  kind: z.literal('reserveParamChange'),
  step: step(),
  /** The lending asset whose parameter changes. */
  asset: z.string().min(1).max(32),
  field: z.enum(['ltv', 'liquidationThreshold', 'liquidationBonus']),
  value: z.number().min(0).max(2),
  /** Timelock, steps. Default 0. */
  delaySteps: z.number().int().nonnegative().max(MAX_RUN_STEPS).default(0),
});

/** The shock kinds that act on a lending pool only (a config with a lending section). */
export const LENDING_ONLY_SHOCK_KINDS = [
  'gasSpike',
  'supplierRun',
  'reservePause',
  'reserveParamChange',
  'stablecoinDemand',
] as const;

export const ShockSchema = z.discriminatedUnion('kind', [
  CorrelationShock,
  CollateralPriceShock,
  PriceJumpShock,
  PriceDriftShock,
  VolatilityShock,
  DepthDrainShock,
  OracleFreezeShock,
  LiquidatorOutageShock,
  ReplayShock,
  ParamChangeShock,
  GasSpikeShock,
  SupplierRunShock,
  ReservePauseShock,
  ReserveParamChangeShock,
  StablecoinDemandShock,
]);

export type Shock = z.infer<typeof ShockSchema>;

/** The market a shock names, if any (multi-market runs). */
export function shockMarket(shock: Shock): string | undefined {
  return 'market' in shock ? shock.market : undefined;
}
export type ShockKind = Shock['kind'];
export const SHOCK_KINDS: ShockKind[] = [
  'priceJump',
  'priceDrift',
  'volatility',
  'depthDrain',
  'oracleFreeze',
  'liquidatorOutage',
  'replay',
  'paramChange',
  'correlation',
  'collateralPrice',
  'gasSpike',
  'supplierRun',
  'reservePause',
  'reserveParamChange',
  'stablecoinDemand',
];

export const ScenarioFileSchema = z.strictObject({
  /** Short kebab-case name. */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case name'),
  /** One line saying what the scenario stresses. */
  description: z.string().min(1).max(10_000),
  /** Parameter overrides, nested as in the config (validated against it). */
  params: z.record(z.string(), z.unknown()).default({}),
  /** Shocks acting on the exogenous world; at most MAX_SHOCKS. */
  shocks: z.array(ShockSchema).max(MAX_SHOCKS, `expected at most ${MAX_SHOCKS} shocks`),
});

export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;
