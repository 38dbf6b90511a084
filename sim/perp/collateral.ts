// Multi-asset collateral (README "Collateral"): besides USD cash, traders post a stablecoin, a
// volatile asset and the venue's own token. Each has a price process (a beta to the market's index
// plus its own GBM; the venue token also falls with venue stress) and a haircut: margin tests count
// a balance at price x (1 - haircut). A shortfall is covered by selling the account's collateral at
// the market price before it becomes bad debt. Holds balances and prices; the venue does the margin.
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';

export const COLLATERAL_ASSETS = ['stablecoin', 'volatile', 'venueToken'] as const;
export type CollateralAsset = (typeof COLLATERAL_ASSETS)[number];

const SECONDS_PER_YEAR = 365 * 86_400;

export class CollateralBook {
  /** Balance of each asset per account, units; `balances[a][i]`. */
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

  constructor(
    private readonly cfg: Config['collateral'],
    accounts: number,
    stepSeconds: number,
    private readonly streams: readonly Stream[],
  ) {
    const k = COLLATERAL_ASSETS.length;
    this.balances = COLLATERAL_ASSETS.map(() => new Float64Array(accounts));
    this.prices = Float64Array.from(COLLATERAL_ASSETS, (a) => cfg[a].initialPriceUsd);
    this.haircuts = Float64Array.from(COLLATERAL_ASSETS, (a) => cfg[a].haircut);
    this.sigmas = Float64Array.from(COLLATERAL_ASSETS, (a) => cfg[a].annualVolatility);
    this.betas = Float64Array.from(COLLATERAL_ASSETS, (a) => cfg[a].indexBeta);
    this.totalUnits = new Float64Array(k);
    this.holds = new Uint8Array(accounts);
    this.dt = stepSeconds / SECONDS_PER_YEAR;
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
   * Sells account `i`'s collateral at the market price, in asset order (stablecoin, volatile, venue
   * token), until `usd` is raised or nothing is left. Returns the USD raised.
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
   * collateral shocks; the venue token also falls by `stressBeta` x the share of open interest liquidated
   * in the previous step (venue stress). Books the holders' revaluation.
   */
  advance(indexLogReturn: number, extraLogReturn: ArrayLike<number>, liquidatedShare: number): void {
    for (let a = 0; a < this.prices.length; a++) {
      const sigma = this.sigmas[a];
      // One normal per asset per step, drawn whether or not it is used: streams stay aligned.
      const z = this.streams[a].normal();
      let r = this.betas[a] * indexLogReturn + extraLogReturn[a];
      if (sigma > 0) r += -0.5 * sigma * sigma * this.dt + sigma * Math.sqrt(this.dt) * z;
      if (a === 2) r -= this.cfg.venueToken.stressBeta * liquidatedShare;
      const before = this.prices[a];
      const after = before * Math.exp(r);
      this.prices[a] = after;
      this.revaluationUsd += this.totalUnits[a] * (after - before);
    }
  }
}
