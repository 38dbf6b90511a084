// Hand-built CdpViews for the CDP agents' tests: a real CdpVaults kernel (test/helpers/cdp-fixtures.ts)
// with each ilk's DEX pool at the market price, the config's defaults for the agents, a stream that
// counts its draws, and the unsafe and running-auction lists computed from the kernel as the protocol
// would. Test code only.
import { CdpSchema, type CdpConfig } from '../../sim/config/cdp.js';
import { Stream } from '../../sim/core/rng.js';
import { SpotPool } from '../../sim/market/spot-pool.js';
import type { CdpView } from '../../sim/lending/cdp-run-types.js';
import type { CdpVaults } from '../../sim/lending/cdp-vaults.js';

/** A cdp config section from the defaults with `over` applied (validated as a user's would be). */
export function cdpConfig(over: Record<string, unknown> = {}): CdpConfig {
  return CdpSchema.parse(over);
}

/** A stream that counts its draws (every distribution goes through uniform's generator once or more). */
export class CountingStream extends Stream {
  draws = 0;
  override uniform(): number {
    this.draws++;
    return super.uniform();
  }
  override int(n: number): number {
    this.draws++;
    return super.int(n);
  }
  override normal(): number {
    this.draws++;
    return super.normal();
  }
  override exponential(mean: number): number {
    this.draws++;
    return super.exponential(mean);
  }
}

/** What a test view may set; the rest comes from the kernel and these defaults. */
export interface ViewOptions {
  step?: number;
  /** Market price per ilk (default: the kernel's OSM prices). */
  marketPriceUsd?: number[];
  /** Each ilk's DEX depth, USD per side (default 20M), and fee (default 0.3%). */
  dexLiquidityUsd?: number;
  dexFeeRate?: number;
  /** The DEX's starting price per ilk (default the market price). */
  dexPriceUsd?: number[];
  stablePriceUsd?: number;
  gasUsd?: number;
  gasMultiplier?: number;
  keeperOutage?: number;
  /** Stablecoin of each keeper (default 2M each for 5 keepers). */
  keeperStableUnits?: number[];
  ownerReserveUnits?: number[];
  attackerStableUnits?: number[];
  attackerUsd?: number[];
  /** Extra fields (a view field the contract lacks today, read defensively by the agents). */
  extra?: Record<string, unknown>;
}

/** The view of `cdp` now: unsafe vaults not in an auction and running auctions from the kernel itself. */
export function viewOf(cdp: CdpVaults, o: ViewOptions = {}): CdpView {
  const market = o.marketPriceUsd ?? Array.from(cdp.priceUsd);
  const dexPrice = o.dexPriceUsd ?? market;
  const dex = market.map(
    (_, i) =>
      new SpotPool(
        { liquidityUsd: o.dexLiquidityUsd ?? 20e6, feeRate: o.dexFeeRate ?? 0.003, arbitrageShare: 0.3 },
        dexPrice[i],
      ),
  );
  const activeAuctions = cdp.auctions.filter((a) => a.active).map((a) => a.id);
  const unsafe: number[] = [];
  for (let v = 0; v < cdp.vaults; v++) if (cdp.art[v] > 0 && !cdp.isSafe(v)) unsafe.push(v);
  const view: CdpView = {
    step: o.step ?? 0,
    nowSeconds: cdp.nowSeconds,
    cdp,
    marketPriceUsd: Float64Array.from(market),
    dex,
    stablePriceUsd: o.stablePriceUsd ?? 1,
    gasUsd: o.gasUsd ?? 10,
    gasMultiplier: o.gasMultiplier ?? 1,
    keeperOutage: o.keeperOutage ?? 0,
    keeperStableUnits: Float64Array.from(o.keeperStableUnits ?? [2e6, 2e6, 2e6, 2e6, 2e6]),
    unsafe,
    activeAuctions,
    ownerReserveUnits: Float64Array.from(o.ownerReserveUnits ?? new Array<number>(cdp.vaults).fill(0)),
    attackerStableUnits: Float64Array.from(o.attackerStableUnits ?? [0]),
    attackerUsd: Float64Array.from(o.attackerUsd ?? [0]),
  };
  return { ...view, ...(o.extra ?? {}) } as CdpView;
}
