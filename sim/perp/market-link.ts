// The cross-margin link over the markets of one venue (README "Several markets"): a cross-margined account's
// sub-accounts in every market form one margin account, so its equity in each market backs all its
// positions and a shortfall in one is covered from the others first. Reads and moves value only
// through the venues' own methods; knows nothing of the step loop.
import type { CrossLink, PerpVenue } from './perp-venue.js';

/** Cross margin over the markets' venues: an account's sub-accounts in every market form one margin account. */
export class MarketLink implements CrossLink {
  /**
   * Cumulative price movement: the sum over steps of the largest absolute log move of any market's
   * margin-test prices (plus its funding index move relative to the price). An account with margin
   * slack `s`, gross notional `G` and summed maintenance below `G` cannot cross maintenance before the
   * movement grows by `log(1 + s / (2 G))` (equity and maintenance each move by at most `G` times the
   * relative move), so it is re-checked only then or when it changes (`touch`).
   */
  private moved = 0;
  private readonly nextCheck: Float64Array;
  private readonly lastLong: Float64Array;
  private readonly lastShort: Float64Array;
  private readonly lastFunding: Float64Array;
  private readonly lastRate: Float64Array;
  /**
   * Skipping needs maintenance rates below 1 that move only with price: flat and tier tables. The
   * volatility model moves rates without prices and the sqrt premium is unbounded in size: with either,
   * every cross account is checked every step.
   */
  private readonly skipping: boolean;

  constructor(
    private readonly venues: readonly PerpVenue[],
    /** Cross-margined trader accounts. */
    private readonly crossIds: readonly number[],
    accounts = venues.length ? venues[0].accounts.count : 0,
  ) {
    this.nextCheck = new Float64Array(accounts).fill(-Infinity);
    this.lastLong = Float64Array.from(venues, (v) => v.longMarginPriceUsd);
    this.lastShort = Float64Array.from(venues, (v) => v.shortMarginPriceUsd);
    this.lastFunding = Float64Array.from(venues, (v) => v.fundingIndexUsd);
    this.lastRate = Float64Array.from(venues, (v) => v.maintenanceMarginRate);
    this.skipping = venues.every((v) => v.modelKind === 'flat' || v.modelKind === 'tiers');
  }

  touch(i: number): void {
    this.nextCheck[i] = -Infinity;
  }

  otherEquityAtIndex(i: number, self: object): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.equityAtIndex(i);
    return s;
  }

  otherMaintenanceAtIndex(i: number, self: object): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.maintenanceAtIndex(i);
    return s;
  }

  otherEquity(i: number, self: object): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.marginEquity(i);
    return s;
  }

  otherMaintenance(i: number, self: object): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.marginMaintenance(i);
    return s;
  }

  /**
   * Flags every cross-margined account whose equity summed over the markets is below its summed
   * maintenance margin, in each market where it holds a position (the same test as the venues' own
   * isLiquidatable, done once per account for all markets). Runs after every market's scan.
   */
  scan(step: number): void {
    const venues = this.venues;
    let move = 0;
    let reset = !this.skipping;
    for (let m = 0; m < venues.length; m++) {
      const v = venues[m];
      const d = Math.max(
        Math.abs(Math.log(v.longMarginPriceUsd / this.lastLong[m])),
        Math.abs(Math.log(v.shortMarginPriceUsd / this.lastShort[m])),
      );
      move = Math.max(move, d + Math.abs(v.fundingIndexUsd - this.lastFunding[m]) / v.oraclePriceUsd);
      if (v.maintenanceMarginRate !== this.lastRate[m]) reset = true;
      this.lastLong[m] = v.longMarginPriceUsd;
      this.lastShort[m] = v.shortMarginPriceUsd;
      this.lastFunding[m] = v.fundingIndexUsd;
      this.lastRate[m] = v.maintenanceMarginRate;
    }
    // NaN (a zero price) or a rate change: check everything.
    if (!(move < Infinity)) reset = true;
    this.moved += reset ? 0 : move;
    const next = this.nextCheck;
    for (const i of this.crossIds) {
      if (!reset && this.moved < next[i]) continue;
      let e = 0;
      let mm = 0;
      let gross = 0;
      for (const v of venues) {
        e += v.marginEquity(i);
        mm += v.marginMaintenance(i);
        gross += v.marginNotional(i);
      }
      if (mm > 0 && e < mm) {
        for (const v of venues) v.flagCross(i, step);
        next[i] = -Infinity;
      } else next[i] = gross > 0 ? this.moved + Math.log1p((e - mm) / (2 * gross)) : Infinity;
    }
  }

  otherInitial(i: number, self: object): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.initialOf(i);
    return s;
  }

  absorb(i: number, self: object, usd: number): number {
    let moved = 0;
    for (const v of this.venues) {
      if (v === self || moved >= usd) continue;
      moved += v.transferOut(i, usd - moved);
    }
    return moved;
  }
}
