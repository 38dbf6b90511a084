// The lending pool's resolved parameters from a config's `lending` section: the reserves in the
// section's asset order, the e-mode categories, the liquidation rules and the step length, with
// caps and ceilings of 0 meaning none (Infinity). Pure mapping: no state, no I/O.
import { UserError } from '../core/errors.js';
import type { Config, LendingConfig } from '../config/index.js';
import type { EModeParams, PoolParams, ReserveParams } from './types.js';

const none = (x: number) => (x === 0 ? Infinity : x);

/** The config's lending section; a UserError when the config has none (not a lending run). */
function lendingOf(cfg: Config): LendingConfig {
  if (!cfg.lending) throw new UserError('config', 'lending', 'not a lending run (the config has no lending section)');
  return cfg.lending;
}

/** The pool's asset names, in the section's order (the index of an asset in every per-asset array). */
export function lendingAssetNames(cfg: Config): string[] {
  return Object.keys(lendingOf(cfg).assets);
}

/** The pool's resolved parameters (sim/lending/types.ts) from the config's lending section. */
export function resolvePoolParams(cfg: Config): PoolParams {
  const l = lendingOf(cfg);
  const names = Object.keys(l.assets);
  const reserves: ReserveParams[] = names.map((name) => {
    const a = l.assets[name];
    return {
      name,
      ltv: a.ltv,
      liquidationThreshold: a.liquidationThreshold,
      liquidationBonus: a.liquidationBonus,
      protocolFeeRate: a.protocolFeeRate,
      reserveFactor: a.reserveFactor,
      rate: { ...a.rate },
      supplyCapUnits: none(a.supplyCapUnits),
      borrowCapUnits: none(a.borrowCapUnits),
      borrowable: a.borrowable,
      collateral: a.collateral,
      isolated: a.isolated,
      debtCeilingUsd: none(a.debtCeilingUsd),
      borrowableInIsolation: a.borrowableInIsolation,
      eModeCategory: a.eModeCategory,
      liquidationFactor: a.liquidationFactor,
    };
  });
  const eModes: EModeParams[] = Object.entries(l.eModes)
    .map(([id, e]) => ({
      id: Number(id),
      ltv: e.ltv,
      liquidationThreshold: e.liquidationThreshold,
      liquidationBonus: e.liquidationBonus,
    }))
    .sort((x, y) => x.id - y.id);
  const baseAsset = names.indexOf(l.compound.baseAsset);
  return {
    model: l.model,
    reserves,
    eModes,
    closeFactor: l.closeFactor,
    fullCloseHealthFactor: l.fullCloseHealthFactor,
    fullCloseBelowUsd: l.fullCloseBelowUsd,
    minLeftoverUsd: l.minLeftoverUsd,
    // An Aave pool whose default base name is not one of its assets has no base (-1); Compound's is checked.
    baseAsset,
    storeFrontPriceFactor: l.compound.storeFrontPriceFactor,
    targetReservesUnits: l.compound.targetReservesUnits,
    graceSteps: l.graceSteps,
    stepSeconds: cfg.run.stepSeconds,
  };
}
