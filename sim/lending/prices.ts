// The lending world's prices: a common index (the scenario's market process and its shocks without
// a `market`, sim/market/market.ts), and each asset's market price moving with the index by its beta
// plus a GBM of its own and the shocks that name it (a replay naming an asset drives that asset
// alone). The DEX pools are arbitraged toward these prices elsewhere. In a contagion world the common
// index may be another protocol's (an IndexSource: the perp venue's), read instead of advanced here.
// Pure; no I/O.
import type { ShockSchedule } from '../../scenarios/shocks.js';
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';
import { Market } from '../market/market.js';
import { YEAR_SECONDS } from './types.js';

/** One asset's price process. */
export interface AssetProcess {
  readonly initialPriceUsd: number;
  readonly annualVolatility: number;
  readonly indexBeta: number;
}

/** An index price read from elsewhere (a contagion world's perp venue), already moved when the prices advance. */
export interface IndexSource {
  readonly indexPriceUsd: number;
}

export class AssetPrices {
  /** Market price per asset, USD. */
  readonly priceUsd: Float64Array;
  private readonly index: IndexSource;
  /** The index this advances itself; undefined when it reads an external one. */
  private readonly ownIndex: Market | undefined;
  private readonly dtYears: number;
  private lastIndexUsd: number;
  /** Per asset: a price set from outside for the next advance (a contagion link's), NaN: none. */
  private pinnedUsd: Float64Array | undefined;

  constructor(
    marketCfg: Config['market'],
    stepSeconds: number,
    common: ShockSchedule,
    private readonly own: readonly ShockSchedule[],
    private readonly assets: readonly AssetProcess[],
    pathStream: Stream,
    jumpStream: Stream,
    /** One stream per asset for its own GBM component. */
    private readonly streams: readonly Stream[],
    /** The common index to read instead of advancing one (then `common`'s price shocks and the path streams are unused). */
    external?: IndexSource,
  ) {
    this.ownIndex = external ? undefined : new Market(marketCfg, stepSeconds, common, pathStream, jumpStream);
    this.index = external ?? this.ownIndex!;
    this.lastIndexUsd = this.index.indexPriceUsd;
    this.dtYears = stepSeconds / YEAR_SECONDS;
    this.priceUsd = Float64Array.from(assets, (a) => a.initialPriceUsd);
  }

  /** The common index, USD. */
  get indexUsd(): number {
    return this.index.indexPriceUsd;
  }

  /** Asset `a`'s market price after the next advance is `priceUsd` (its own draws still made, so the streams stay aligned). */
  pin(a: number, priceUsd: number): void {
    this.pinnedUsd ??= new Float64Array(this.assets.length).fill(NaN);
    this.pinnedUsd[a] = priceUsd;
  }

  /** Moves the index and every asset one step. */
  advance(step: number): void {
    this.ownIndex?.advance(step);
    const indexLog = Math.log(this.index.indexPriceUsd / this.lastIndexUsd);
    this.lastIndexUsd = this.index.indexPriceUsd;
    for (let a = 0; a < this.assets.length; a++) {
      const p = this.assets[a];
      const s = this.own[a];
      // One normal per asset per step whatever the regime, so the streams stay aligned across scenarios.
      const z = this.streams[a].normal();
      let r = s.extraLogReturn[step];
      if (s.replayActive[step]) r += s.replayLogReturn[step];
      else {
        const sigma = p.annualVolatility * s.volMultiplier[step];
        r += p.indexBeta * indexLog - 0.5 * sigma * sigma * this.dtYears + sigma * Math.sqrt(this.dtYears) * z;
      }
      this.priceUsd[a] *= Math.exp(r);
    }
    const pinned = this.pinnedUsd;
    if (pinned)
      for (let a = 0; a < pinned.length; a++)
        if (!Number.isNaN(pinned[a])) {
          this.priceUsd[a] = pinned[a];
          pinned[a] = NaN;
        }
  }
}
