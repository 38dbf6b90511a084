// Compiling a scenario's shocks for a resolved config: the perp venue's per-market schedules
// (scenarios/shocks.ts), or a lending pool's (scenarios/lending-shocks.ts) for a config with a
// `lending` section. The one entry point the engine, the sweep plan and `validate` call. No I/O.
import { UserError } from '../sim/core/errors.js';
import { choleskyFactor, correlationMatrix, type Config } from '../sim/config/index.js';
import { compileContagionShocks } from './contagion-shocks.js';
import { compileLendingShocks } from './lending-shocks.js';
import { compileCdpShocks } from './cdp-shocks.js';
import type { PriceSeries } from './price-series.js';
import { shockMarket, type Shock } from './schema.js';
import { collateralAssets } from '../sim/perp/collateral.js';
import { compileShocks, isLendingOnly, lendingOnlyError, type ShockSchedule } from './shocks.js';

/**
 * Compiles a scenario's shocks for a run config: one schedule per market (one, unnamed, for a single
 * market). Also checks what only the config can tell: that each named market exists and that a
 * collateralPrice shock has collateral to move; a lending-only shock kind in a perp run is refused.
 * For a lending config (a `lending` section) the shocks are compiled and checked as
 * compileLendingShocks does (`market` names an asset) and the one schedule is its common (index) one;
 * for a contagion world (`contagion` too) both protocols' schedules are checked and the perp venue's returned;
 * likewise for a CDP config (a `cdp` section without `lending`: compileCdpShocks, `market` names a collateral).
 * UserErrors name the shock.
 */
export function compileForConfig(
  shocks: readonly Shock[],
  series: ReadonlyMap<number, PriceSeries>,
  config: {
    run: { steps: number; stepSeconds: number };
    markets: Record<string, unknown>;
    collateral: Config['collateral'];
    multiMarket: Config['multiMarket'];
    lending?: Config['lending'];
    contagion?: Config['contagion'];
    cdp?: Config['cdp'];
  },
  file: string,
): { market: string | undefined; schedule: ShockSchedule }[] {
  // A contagion world (scenarios/contagion-shocks.ts): both protocols' schedules; the perp venue's is returned.
  if (config.contagion && config.lending)
    return [{ market: undefined, schedule: compileContagionShocks(shocks, series, config, file).perp }];
  if (config.cdp && !config.lending)
    return [{ market: undefined, schedule: compileCdpShocks(shocks, series, config, file).common }];
  if (config.lending)
    return [{ market: undefined, schedule: compileLendingShocks(shocks, series, config, file).common }];
  const names = Object.keys(config.markets);
  shocks.forEach((shock, i) => {
    if (isLendingOnly(shock)) throw lendingOnlyError(file, i, shock.kind);
    if (shock.kind === 'collateralPrice' && !config.collateral.enabled)
      throw new UserError(file, `shocks[${i}].kind`, 'a collateralPrice shock needs collateral.enabled: true');
    const named = shockMarket(shock);
    if (named !== undefined && names.length > 0 && !names.includes(named))
      throw new UserError(file, `shocks[${i}].market`, `unknown market '${named}' (markets: ${names.join(', ')})`);
    if (shock.kind === 'correlation' && names.length > 0) {
      const m = correlationMatrix(
        { ...config.multiMarket, correlation: shock.value, correlationMatrix: [] },
        names.length,
      );
      if (!choleskyFactor(m))
        throw new UserError(
          file,
          `shocks[${i}].value`,
          `a correlation of ${shock.value} between every pair of ${names.length} markets is not a valid correlation matrix (at least ${(-1 / (names.length - 1)).toFixed(3)})`,
        );
    }
  });
  const { steps, stepSeconds } = config.run;
  const collateral = collateralAssets(config.collateral).map((a) => a.name);
  return (names.length ? names : [undefined]).map((market) => ({
    market,
    schedule: compileShocks(shocks, series, steps, stepSeconds, file, market, collateral),
  }));
}
