// Compiles a scenario's shock list into per-step arrays the step loop reads in O(1):
// extra index log-returns, volatility and depth multipliers, oracle freeze and liquidator outage,
// collateral price moves (lending runs: scenarios/lending-shocks.ts, built on compileShocks). Knows
// nothing of the protocol or the agents beyond the names and order of
// the collateral assets (collateralAssets, sim/perp/collateral.ts), which lay out the collateral columns.
import { UserError } from '../sim/core/errors.js';
import { collateralAssets } from '../sim/perp/collateral.js';
import { resampleSeries, type PriceSeries } from './price-series.js';
import { LENDING_ONLY_SHOCK_KINDS, shockMarket, type Shock } from './schema.js';
import type { Proposal } from '../sim/controls/governance.js';
import { DEFAULT_CONFIG } from '../sim/config/index.js';

/** Per-step effects of all shocks of a scenario. Arrays have one entry per step. */
export interface ShockSchedule {
  /** Log-return added to the index at the step (jumps and drifts). */
  extraLogReturn: Float64Array;
  /** Multiplier on index volatility. */
  volMultiplier: Float64Array;
  /** Multiplier on the venue's baseline depth. */
  depthMultiplier: Float64Array;
  /** 1 when the oracle is frozen. */
  oracleFrozen: Uint8Array;
  /** Share of liquidators offline. */
  liquidatorOutage: Float64Array;
  /** 1 when a replay drives the index (its log-return is in replayLogReturn). */
  replayActive: Uint8Array;
  /** The replayed series' log-return over the step. */
  replayLogReturn: Float64Array;
  /** Multi-market runs: correlation of the markets' index returns at the step (NaN: the configured one). */
  correlation: Float64Array;
  /** The collateral assets' names, in list order (collateralAssets): the layout of `collateralLogReturn`. */
  collateralAssets: readonly string[];
  /** Collateral assets' extra log return at the step, at `k * step + asset` (k = collateralAssets.length). */
  collateralLogReturn: Float64Array;
  /** Governance proposals, in scenario order. */
  proposals: Proposal[];
  /** Steps at which some shock starts, for reports. */
  shockStarts: { step: number; kind: Shock['kind'] }[];
}

/** The collateral assets of the default config, by name: the layout when no config is given. */
const DEFAULT_COLLATERAL: readonly string[] = collateralAssets(DEFAULT_CONFIG.collateral).map((a) => a.name);

/**
 * Builds the schedule for `steps` steps of `stepSeconds` seconds. `series` holds the parsed CSV of each
 * replay shock, keyed by its index in `shocks`. `collateral` names the collateral assets in list order
 * (the default config's when absent). A shock that starts past the horizon, or moves an asset not in the
 * list, is a UserError.
 */
export function compileShocks(
  shocks: readonly Shock[],
  series: ReadonlyMap<number, PriceSeries>,
  steps: number,
  stepSeconds: number,
  file: string,
  /** Multi-market runs: the market compiled for (shocks naming another market are skipped); absent: a single market. */
  market?: string,
  collateral: readonly string[] = DEFAULT_COLLATERAL,
  /** Lending runs (scenarios/lending-shocks.ts): only the shocks this accepts are compiled, the rest skipped. */
  only?: (shock: Shock, index: number) => boolean,
): ShockSchedule {
  const k = collateral.length;
  const s: ShockSchedule = {
    extraLogReturn: new Float64Array(steps),
    volMultiplier: new Float64Array(steps).fill(1),
    depthMultiplier: new Float64Array(steps).fill(1),
    oracleFrozen: new Uint8Array(steps),
    liquidatorOutage: new Float64Array(steps),
    replayActive: new Uint8Array(steps),
    replayLogReturn: new Float64Array(steps),
    correlation: new Float64Array(steps).fill(NaN),
    collateralAssets: collateral,
    collateralLogReturn: new Float64Array(k * steps),
    proposals: [],
    shockStarts: [],
  };
  shocks.forEach((shock, i) => {
    if (only && !only(shock, i)) return;
    if (isLendingOnly(shock)) throw lendingOnlyError(file, i, shock.kind);
    if (shock.step >= steps)
      throw new UserError(file, `shocks[${i}].step`, `${shock.step} is past the run's last step (${steps - 1})`);
    const named = shockMarket(shock);
    if (market === undefined && (shock.kind === 'correlation' || named !== undefined))
      throw new UserError(
        file,
        shock.kind === 'correlation' ? `shocks[${i}].kind` : `shocks[${i}].market`,
        'needs a multi-market config (markets: ...)',
      );
    if (named !== undefined && named !== market) return;
    s.shockStarts.push({ step: shock.step, kind: shock.kind });
    const end = (n: number) => Math.min(steps, shock.step + n);
    switch (shock.kind) {
      case 'priceJump':
        s.extraLogReturn[shock.step] += Math.log1p(shock.pct);
        break;
      case 'priceDrift': {
        const per = Math.log1p(shock.pct) / shock.steps;
        for (let t = shock.step; t < end(shock.steps); t++) s.extraLogReturn[t] += per;
        break;
      }
      case 'volatility':
        for (let t = shock.step; t < end(shock.steps); t++) s.volMultiplier[t] *= shock.multiplier;
        break;
      case 'depthDrain':
        for (let t = shock.step; t < end(shock.steps); t++) s.depthMultiplier[t] *= shock.factor;
        break;
      case 'oracleFreeze':
        for (let t = shock.step; t < end(shock.steps); t++) s.oracleFrozen[t] = 1;
        break;
      case 'liquidatorOutage':
        for (let t = shock.step; t < end(shock.steps); t++)
          s.liquidatorOutage[t] = Math.max(s.liquidatorOutage[t], shock.share);
        break;
      case 'collateralPrice': {
        const a = collateral.indexOf(shock.asset);
        if (a < 0)
          throw new UserError(
            file,
            `shocks[${i}].asset`,
            `unknown collateral asset '${shock.asset}' (assets: ${collateral.join(', ')})`,
          );
        const per = Math.log1p(shock.pct) / shock.steps;
        for (let t = shock.step; t < end(shock.steps); t++) s.collateralLogReturn[k * t + a] += per;
        break;
      }
      case 'correlation':
        for (let t = shock.step; t < end(shock.steps); t++) s.correlation[t] = shock.value;
        break;
      case 'paramChange':
        s.proposals.push({ step: shock.step, path: shock.path, value: shock.value, delaySteps: shock.delaySteps });
        break;
      case 'replay': {
        const data = series.get(i);
        if (!data) throw new UserError(file, `shocks[${i}].file`, 'series was not loaded');
        const path = resampleSeries(data, {
          stepSeconds,
          method: shock.method,
          visitExtremes: shock.visitExtremes,
        });
        const available = path.length - 1 - shock.offsetSteps;
        if (available <= 0)
          throw new UserError(file, `shocks[${i}].offsetSteps`, `the series has only ${path.length} steps`);
        const n = Math.min(available, shock.steps ?? available, steps - shock.step);
        for (let k = 0; k < n; k++) {
          const a = path[shock.offsetSteps + k];
          const b = path[shock.offsetSteps + k + 1];
          s.replayActive[shock.step + k] = 1;
          s.replayLogReturn[shock.step + k] = shock.scale * Math.log(b / a);
        }
        break;
      }
    }
  });
  // Proposals are taken in step order (stable: same-step proposals keep their file order).
  s.proposals.sort((x, y) => x.step - y.step);
  return s;
}

/** Whether the shock acts on a lending pool only (gasSpike, supplierRun, reservePause). */
export function isLendingOnly(shock: Shock): boolean {
  return (LENDING_ONLY_SHOCK_KINDS as readonly string[]).includes(shock.kind);
}

/** The UserError of a lending-only shock in a perp run. */
export function lendingOnlyError(file: string, i: number, kind: string): UserError {
  return new UserError(
    file,
    `shocks[${i}].kind`,
    kind === 'stablecoinDemand'
      ? `'${kind}' applies to CDP runs only (a config with a cdp section)`
      : `'${kind}' applies to lending runs only (a config with a lending section)`,
  );
}
