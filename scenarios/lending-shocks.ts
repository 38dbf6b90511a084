// Compiles a scenario's shocks for a lending run into per-step arrays: the common index's schedule
// (price, volatility, depth and oracle shocks without `market`), one schedule per asset (the shocks
// whose `market` names it: its own price, its DEX pool's depth, its oracle), and the lending-only
// effects (gas multiplier, supplier runs, reserve pauses). Built on compileShocks; knows the assets'
// names and order (the lending section's key order) and nothing of the pool or the agents.
import { UserError } from '../sim/core/errors.js';
import type { Config } from '../sim/config/index.js';
import type { PriceSeries } from './price-series.js';
import { shockMarket, type Shock } from './schema.js';
import { compileShocks, isLendingOnly, type ShockSchedule } from './shocks.js';

/** Per-step effects of a scenario's shocks on a lending run. Per-asset arrays are at `A * step + asset`. */
export interface LendingSchedule {
  /** The common index: the shocks without `market` (every asset moves by its indexBeta). */
  common: ShockSchedule;
  /** One schedule per asset, in the lending section's order: only the shocks naming that asset. */
  assets: ShockSchedule[];
  /** Multiplier on the liquidators' gas cost at the step (1 without a gasSpike). */
  gasMultiplier: Float64Array;
  /** Share of the suppliers asked to withdraw everything of the asset at the step, at `A * step + asset` (0: none). */
  supplierRunShare: Float64Array;
  /** 1 while the asset's reserve is paused at the step, at `A * step + asset`. */
  paused: Uint8Array;
  /** Steps at which some shock starts, in scenario order, for reports. */
  shockStarts: { step: number; kind: Shock['kind'] }[];
  /** Governance proposals on reserve parameters (reserveParamChange), in step order (file order within a step). */
  proposals: {
    step: number;
    asset: number;
    field: 'ltv' | 'liquidationThreshold' | 'liquidationBonus';
    value: number;
    delaySteps: number;
  }[];
}

/** Why a shock kind does not apply to a lending run (undefined: it does). */
const PERP_ONLY: Partial<Record<Shock['kind'], string>> = {
  paramChange: 'its governable parameters are the perp protocol',
  correlation: 'it needs a multi-market perp config',
  collateralPrice: "it moves the perp's collateral assets (in a lending run, use priceDrift with market: <asset>)",
  stablecoinDemand: 'it moves the demand for a CDP stablecoin (a config with a cdp section)',
};

/**
 * Builds the lending schedule of `shocks` for the config's run length and lending assets. `series`
 * holds the parsed CSV of each replay shock, keyed by its index in `shocks`. A shock naming an
 * unknown asset, starting past the run, of a perp-only kind, or a liquidatorOutage with a `market`,
 * is a UserError naming `file` and the shock. `perpOnly: 'skip'` (a contagion world, where the perp
 * venue takes them) leaves the perp-only kinds out instead of refusing them.
 */
export function compileLendingShocks(
  shocks: readonly Shock[],
  series: ReadonlyMap<number, PriceSeries>,
  cfg: { run: { steps: number; stepSeconds: number }; lending?: Config['lending'] },
  file: string,
  perpOnly: 'refuse' | 'skip' = 'refuse',
): LendingSchedule {
  if (!cfg.lending) throw new UserError(file, '', 'lending shocks need a config with a lending section');
  const names = Object.keys(cfg.lending.assets);
  const A = names.length;
  const { steps, stepSeconds } = cfg.run;
  const out: Omit<LendingSchedule, 'common' | 'assets'> = {
    gasMultiplier: new Float64Array(steps).fill(1),
    supplierRunShare: new Float64Array(steps * A),
    paused: new Uint8Array(steps * A),
    shockStarts: [],
    proposals: [],
  };
  const assetIndex = (i: number, field: string, name: string): number => {
    const a = names.indexOf(name);
    if (a < 0)
      throw new UserError(file, `shocks[${i}].${field}`, `unknown asset '${name}' (assets: ${names.join(', ')})`);
    return a;
  };
  const skipped = (shock: Shock) => perpOnly === 'skip' && PERP_ONLY[shock.kind] !== undefined;
  shocks.forEach((shock, i) => {
    if (skipped(shock)) return;
    const why = PERP_ONLY[shock.kind];
    if (why) throw new UserError(file, `shocks[${i}].kind`, `'${shock.kind}' does not apply to a lending run: ${why}`);
    if (shock.step >= steps)
      throw new UserError(file, `shocks[${i}].step`, `${shock.step} is past the run's last step (${steps - 1})`);
    const named = shockMarket(shock);
    if (named !== undefined) {
      if (shock.kind === 'liquidatorOutage')
        throw new UserError(
          file,
          `shocks[${i}].market`,
          'a liquidatorOutage takes no market in a lending run (the liquidators serve the whole pool)',
        );
      assetIndex(i, 'market', named);
    }
    out.shockStarts.push({ step: shock.step, kind: shock.kind });
    const end = (n: number) => Math.min(steps, shock.step + n);
    switch (shock.kind) {
      case 'gasSpike':
        for (let t = shock.step; t < end(shock.steps); t++) out.gasMultiplier[t] *= shock.multiplier;
        break;
      case 'supplierRun': {
        const which = shock.asset === undefined ? names.map((_, a) => a) : [assetIndex(i, 'asset', shock.asset)];
        for (const a of which) {
          const k = A * shock.step + a;
          out.supplierRunShare[k] = Math.max(out.supplierRunShare[k], shock.share);
        }
        break;
      }
      case 'reservePause': {
        const a = assetIndex(i, 'asset', shock.asset);
        for (let t = shock.step; t < end(shock.steps); t++) out.paused[A * t + a] = 1;
        break;
      }
      case 'reserveParamChange':
        out.proposals.push({
          step: shock.step,
          asset: assetIndex(i, 'asset', shock.asset),
          field: shock.field,
          value: shock.value,
          delaySteps: shock.delaySteps,
        });
        break;
      default:
        break;
    }
  });
  // Proposals in step order; same-step proposals keep their file order (the sort is stable).
  out.proposals.sort((a, b) => a.step - b.step);
  const compile = (market: string | undefined) =>
    compileShocks(
      shocks,
      series,
      steps,
      stepSeconds,
      file,
      market,
      [],
      (shock) => !skipped(shock) && !isLendingOnly(shock) && shockMarket(shock) === market,
    );
  return { common: compile(undefined), assets: names.map((name) => compile(name)), ...out };
}
