// Compiles a scenario's shocks for a contagion world (a config with `contagion` and `lending`): the
// perp venue's schedule takes the shocks without a `market` that are not lending-only (the common
// world: its index, depth, oracle, keepers); the lending pool's takes every shock that is not
// perp-only, as compileLendingShocks does (`market` names a lending asset). A shock without `market`
// thus acts on both protocols (with a shared index its price part moves the perp index, which the
// lending assets read). Pure; no I/O.
import type { Config } from '../sim/config/index.js';
import { collateralAssets } from '../sim/perp/collateral.js';
import { compileLendingShocks, type LendingSchedule } from './lending-shocks.js';
import type { PriceSeries } from './price-series.js';
import { shockMarket, type Shock } from './schema.js';
import { compileShocks, isLendingOnly, type ShockSchedule } from './shocks.js';

/** The two schedules of a contagion world. */
export interface ContagionSchedules {
  perp: ShockSchedule;
  lending: LendingSchedule;
}

export function compileContagionShocks(
  shocks: readonly Shock[],
  series: ReadonlyMap<number, PriceSeries>,
  cfg: Pick<Config, 'run' | 'collateral' | 'lending'>,
  file: string,
): ContagionSchedules {
  const lending = compileLendingShocks(shocks, series, cfg, file, 'skip');
  const perp = compileShocks(
    shocks,
    series,
    cfg.run.steps,
    cfg.run.stepSeconds,
    file,
    undefined,
    collateralAssets(cfg.collateral).map((a) => a.name),
    (shock) => !isLendingOnly(shock) && shockMarket(shock) === undefined,
  );
  return { perp, lending };
}
