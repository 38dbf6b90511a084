// Compiles a scenario's shocks for a CDP run into per-step arrays: the common index's schedule (the
// shocks without `market`), one schedule per collateral type (the shocks whose `market` names it:
// its own price, its DEX pool's depth, its oracle), and the CDP effects (the keepers' gas
// multiplier, the stablecoin holders' demand multiplier). Built on compileShocks; knows the
// collateral names and order (the cdp section's key order) and nothing of the vaults or the agents.
import { UserError } from '../sim/core/errors.js';
import type { Config } from '../sim/config/index.js';
import type { PriceSeries } from './price-series.js';
import { shockMarket, type Shock } from './schema.js';
import { compileShocks, isLendingOnly, type ShockSchedule } from './shocks.js';

/** Per-step effects of a scenario's shocks on a CDP run. */
export interface CdpSchedule {
  /** The common index: the shocks without `market` (every collateral moves by its indexBeta). */
  common: ShockSchedule;
  /** One schedule per collateral type, in the cdp section's order: only the shocks naming it. */
  collateral: ShockSchedule[];
  /** Multiplier on the keepers' gas cost at the step (1 without a gasSpike). */
  gasMultiplier: Float64Array;
  /** Multiplier on the stablecoin holders' demand at $1 at the step (1 without a stablecoinDemand). */
  demandMultiplier: Float64Array;
  /** Steps at which some shock starts, in scenario order, for reports. */
  shockStarts: { step: number; kind: Shock['kind'] }[];
}

/** Why a shock kind does not apply to a CDP run (undefined: it does). */
const NOT_CDP: Partial<Record<Shock['kind'], string>> = {
  paramChange: 'its governable parameters are the perp protocol',
  correlation: 'it needs a multi-market perp config',
  collateralPrice: "it moves the perp's collateral assets (in a CDP run, use priceDrift with market: <collateral>)",
  supplierRun: 'it acts on a lending pool',
  reservePause: 'it acts on a lending pool',
  reserveParamChange: 'it acts on a lending pool',
};

/**
 * Builds the CDP schedule of `shocks` for the config's run length and collateral types. `series`
 * holds the parsed CSV of each replay shock, keyed by its index in `shocks`. A shock naming an
 * unknown collateral, starting past the run, of a kind that does not apply, or a liquidatorOutage
 * with a `market`, is a UserError naming `file` and the shock.
 */
export function compileCdpShocks(
  shocks: readonly Shock[],
  series: ReadonlyMap<number, PriceSeries>,
  cfg: { run: { steps: number; stepSeconds: number }; cdp?: Config['cdp'] },
  file: string,
): CdpSchedule {
  if (!cfg.cdp) throw new UserError(file, '', 'CDP shocks need a config with a cdp section');
  const names = Object.keys(cfg.cdp.collateral);
  const { steps, stepSeconds } = cfg.run;
  const gasMultiplier = new Float64Array(steps).fill(1);
  const demandMultiplier = new Float64Array(steps).fill(1);
  const shockStarts: CdpSchedule['shockStarts'] = [];
  shocks.forEach((shock, i) => {
    const why = NOT_CDP[shock.kind];
    if (why) throw new UserError(file, `shocks[${i}].kind`, `'${shock.kind}' does not apply to a CDP run: ${why}`);
    if (shock.step >= steps)
      throw new UserError(file, `shocks[${i}].step`, `${shock.step} is past the run's last step (${steps - 1})`);
    const named = shockMarket(shock);
    if (named !== undefined) {
      if (shock.kind === 'liquidatorOutage')
        throw new UserError(
          file,
          `shocks[${i}].market`,
          'a liquidatorOutage takes no market in a CDP run (the keepers serve every collateral)',
        );
      if (!names.includes(named))
        throw new UserError(
          file,
          `shocks[${i}].market`,
          `unknown collateral '${named}' (collateral: ${names.join(', ')})`,
        );
    }
    shockStarts.push({ step: shock.step, kind: shock.kind });
    const end = (n: number) => Math.min(steps, shock.step + n);
    if (shock.kind === 'gasSpike')
      for (let t = shock.step; t < end(shock.steps); t++) gasMultiplier[t] *= shock.multiplier;
    else if (shock.kind === 'stablecoinDemand')
      for (let t = shock.step; t < end(shock.steps); t++) demandMultiplier[t] *= shock.multiplier;
  });
  const compile = (market: string | undefined) =>
    compileShocks(
      shocks,
      series,
      steps,
      stepSeconds,
      file,
      market,
      [],
      (shock) => !isLendingOnly(shock) && shockMarket(shock) === market,
    );
  return {
    common: compile(undefined),
    collateral: names.map((name) => compile(name)),
    gasMultiplier,
    demandMultiplier,
    shockStarts,
  };
}
