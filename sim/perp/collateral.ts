// Multi-asset collateral (README "Collateral"): besides USD cash, traders post the assets of a list
// (`collateralAssets`: today a stablecoin, a volatile asset and the venue's own token). Each has a
// price process (a beta to the market's index plus its own GBM; a reflexive asset such as the venue
// token also falls with venue stress) and a haircut: margin tests count a balance at price x
// (1 - haircut). A shortfall is covered by selling the account's collateral at the market price, in
// list order, before it becomes bad debt. Holds balances and prices; the venue does the margin.
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';

/** What a timeline column reads an asset's price for (sim/perp/world.ts): stablecoin_price_usd, venue_token_price_usd. */
export type CollateralRole = 'stablecoin' | 'venueToken';

/** One collateral asset of the book, in the book's order. */
export interface CollateralAssetSpec {
  /** Its name: the config section, the random stream (`collateral.<name>`), a collateralPrice shock's `asset`. */
  readonly name: string;
  /** Share of each trader's margin posted in it at genesis. */
  readonly share: number;
  /** Price at step 0, USD. */
  readonly initialPriceUsd: number;
  /** Margin counts a balance at price x (1 - haircut). */
  readonly haircut: number;
  /** Annualized volatility of its own GBM component. */
  readonly annualVolatility: number;
  /** Beta of its log return to the market index's log return. */
  readonly indexBeta: number;
  /**
   * A reflexive asset: its log return falls by this times the share of open interest liquidated in the
   * previous step (venue stress). Absent: the asset does not react to the venue's liquidations.
   */
  readonly stressBeta?: number;
  /** The timeline column its price goes to, if any. */
  readonly role?: CollateralRole;
}

/**
 * The collateral assets of a config, in book order (the order of balances, prices, streams, the shock
 * schedule's columns and the sale of a shortfall). The one place that names them: an asset is added
 * here (and in its config section), and everything else iterates over this list.
 */
export function collateralAssets(cfg: Config['collateral']): CollateralAssetSpec[] {
  const spec = (name: string, c: Config['collateral']['stablecoin']) => ({
    name,
    share: c.share,
    initialPriceUsd: c.initialPriceUsd,
    haircut: c.haircut,
    annualVolatility: c.annualVolatility,
    indexBeta: c.indexBeta,
  });
  return [
    { ...spec('stablecoin', cfg.stablecoin), role: 'stablecoin' },
    spec('volatile', cfg.volatile),
    { ...spec('venueToken', cfg.venueToken), stressBeta: cfg.venueToken.stressBeta, role: 'venueToken' },
  ];
}

const SECONDS_PER_YEAR = 365 * 86_400;

export class CollateralBook {
  /** Balance of each asset per account, units; `balances[a][i]`, `a` the asset's place in `assets`. */
  readonly balances: Float64Array[];
  /** Price of each asset, USD. */
  readonly prices: Float64Array;
  readonly haircuts: Float64Array;
  /** Units held of each asset over all accounts. */
  readonly totalUnits: Float64Array;
  /** 1 for accounts holding any collateral asset (they are scanned each step instead of keyed in the heaps). */
  readonly holds: Uint8Array;
  /** Gains of collateral holders from price moves since the start, USD (external value in the conservation check). */
  revaluationUsd = 0;
  /** Collateral sold to cover shortfalls, USD. */
  seizedUsd = 0;
  private readonly dt: number;
  private readonly sigmas: Float64Array;
  private readonly betas: Float64Array;
  /** Each asset's stress beta, and whether it reacts to venue stress at all. */
  private readonly stressBetas: Float64Array;
  private readonly reflexive: Uint8Array;

  constructor(
    /** The assets, in book order (`collateralAssets(cfg)`). */
    readonly assets: readonly CollateralAssetSpec[],
    accounts: number,
    stepSeconds: number,
    /** One stream per asset, in the same order. */
    private readonly streams: readonly Stream[],
  ) {
    if (streams.length !== assets.length)
      throw new Error(`CollateralBook: ${assets.length} assets but ${streams.length} streams`);
    this.balances = assets.map(() => new Float64Array(accounts));
    this.prices = Float64Array.from(assets, (a) => a.initialPriceUsd);
    this.haircuts = Float64Array.from(assets, (a) => a.haircut);
    this.sigmas = Float64Array.from(assets, (a) => a.annualVolatility);
    this.betas = Float64Array.from(assets, (a) => a.indexBeta);
    this.stressBetas = Float64Array.from(assets, (a) => a.stressBeta ?? 0);
    this.reflexive = Uint8Array.from(assets, (a) => (a.stressBeta === undefined ? 0 : 1));
    this.totalUnits = new Float64Array(assets.length);
    this.holds = new Uint8Array(accounts);
    this.dt = stepSeconds / SECONDS_PER_YEAR;
  }

  /** The place of the asset with `role` in the list, or -1 when none has it. */
  indexOfRole(role: CollateralRole): number {
    return this.assets.findIndex((a) => a.role === role);
  }

  /** The place of the asset named `name` in the list, or -1. */
  indexOf(name: string): number {
    return this.assets.findIndex((a) => a.name === name);
  }

  /** Margin value of account `i`'s collateral: balances at price x (1 - haircut), USD. */
  marginValue(i: number): number {
    let v = 0;
    for (let a = 0; a < this.prices.length; a++) {
      const b = this.balances[a][i];
      if (b !== 0) v += b * this.prices[a] * (1 - this.haircuts[a]);
    }
    return v;
  }

  /** Market value of account `i`'s collateral, USD. */
  marketValue(i: number): number {
    let v = 0;
    for (let a = 0; a < this.prices.length; a++) v += this.balances[a][i] * this.prices[a];
    return v;
  }

  /** Market value of all posted collateral, USD. */
  totalMarketValue(): number {
    let v = 0;
    for (let a = 0; a < this.prices.length; a++) v += this.totalUnits[a] * this.prices[a];
    return v;
  }

  /** Credits `usd` worth of asset `a` to account `i` at its current price. */
  credit(i: number, a: number, usd: number): void {
    const units = usd / this.prices[a];
    this.balances[a][i] += units;
    this.totalUnits[a] += units;
    this.holds[i] = 1;
  }

  /**
   * Sells account `i`'s collateral at the market price, in list order (today stablecoin, volatile,
   * venue token), until `usd` is raised or nothing is left. Returns the USD raised.
   */
  seize(i: number, usd: number): number {
    let raised = 0;
    for (let a = 0; a < this.prices.length && raised < usd; a++) {
      const b = this.balances[a][i];
      if (!(b > 0)) continue;
      const units = Math.min(b, (usd - raised) / this.prices[a]);
      this.balances[a][i] = b - units;
      this.totalUnits[a] -= units;
      raised += units * this.prices[a];
    }
    this.seizedUsd += raised;
    return raised;
  }

  /**
   * Moves every asset one step: log return = beta x the index's log return + its own GBM + the scenario's
   * collateral shocks (`extraLogReturn[a]`, in list order); a reflexive asset also falls by its `stressBeta`
   * x the share of open interest liquidated in the previous step (venue stress). Books the holders' revaluation.
   */
  advance(indexLogReturn: number, extraLogReturn: ArrayLike<number>, liquidatedShare: number): void {
    for (let a = 0; a < this.prices.length; a++) {
      const sigma = this.sigmas[a];
      // One normal per asset per step, drawn whether or not it is used: streams stay aligned.
      const z = this.streams[a].normal();
      let r = this.betas[a] * indexLogReturn + extraLogReturn[a];
      if (sigma > 0) r += -0.5 * sigma * sigma * this.dt + sigma * Math.sqrt(this.dt) * z;
      if (this.reflexive[a] === 1) r -= this.stressBetas[a] * liquidatedShare;
      const before = this.prices[a];
      const after = before * Math.exp(r);
      this.prices[a] = after;
      this.revaluationUsd += this.totalUnits[a] * (after - before);
    }
  }
}
