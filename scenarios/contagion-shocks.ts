// Compiles a scenario's shocks for a contagion world (a config with `contagion` and `lending`): the
// perp venue's schedule takes the shocks without a `market` that are not lending-only (the common
// world: its index, depth, oracle, keepers); the lending pool's takes every shock that is not
// perp-only, as compileLendingShocks does (`market` names a lending asset). A shock without `market`
// thus acts on both protocols (with a shared index its price part moves the perp index, which the
// lending assets read). Pure; no I/O.
import type { Config } from '../sim/config/index.js';
import { collateralAssets } from '../sim/perp/collateral.js';
import { compileCdpShocks, type CdpSchedule } from './cdp-shocks.js';
import { compileLendingShocks, type LendingSchedule } from './lending-shocks.js';
import type { PriceSeries } from './price-series.js';
import { shockMarket, type Shock } from './schema.js';
import { compileShocks, isLendingOnly, type ShockSchedule } from './shocks.js';

/** The schedules of a contagion world (the CDP's with a cdp section). */
export interface ContagionSchedules {
  perp: ShockSchedule;
  lending: LendingSchedule;
  cdp?: CdpSchedule;
}

/** Shock kinds that never act on a contagion world's CDP part (the perp venue's or the pool's). */
const NOT_CDP_PART: readonly string[] = [
  'paramChange',
  'correlation',
  'collateralPrice',
  'supplierRun',
  'reservePause',
  'reserveParamChange',
];

export function compileContagionShocks(
  shocks: readonly Shock[],
  series: ReadonlyMap<number, PriceSeries>,
  cfg: Pick<Config, 'run' | 'collateral' | 'lending' | 'cdp'>,
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
  if (!cfg.cdp) return { perp, lending };
  // The CDP part takes the shocks of its kinds without a `market` or naming one of its collaterals
  // (a shock naming a lending asset of the same name acts on both).
  const names = Object.keys(cfg.cdp.collateral);
  const kept: Shock[] = [];
  const keptSeries = new Map<number, PriceSeries>();
  shocks.forEach((shock, i) => {
    const m = shockMarket(shock);
    if (NOT_CDP_PART.includes(shock.kind) || (m !== undefined && !names.includes(m))) return;
    const s = series.get(i);
    if (s) keptSeries.set(kept.length, s);
    kept.push(shock);
  });
  return { perp, lending, cdp: compileCdpShocks(kept, keptSeries, cfg, file) };
}
