// The venue's cross-margin hooks: the `CrossLink` interface the venue calls (implemented by
// market-link.ts, which owns the scan over markets), and the venue's side of it: turning cross margin
// on, and the per-market figures and transfers the link asks each market for. It does not implement
// the link and knows nothing of the other markets beyond the interface.
import { VenueLiqScan } from './liq-scan.js';
import type { CrossLink } from './venue-types.js';

/** Layer 3 of PerpVenue: the venue's side of cross margin (what the CrossLink asks each market). */
export abstract class VenueCrossMargin extends VenueLiqScan {
  /**
   * Cross-margins the trader accounts flagged in `cross` with their sub-accounts in the other markets
   * of `link`: margin tests count their equity and margin there, and a shortfall here draws on them.
   */
  setCrossMargin(link: CrossLink, cross: Uint8Array): void {
    this.link = link;
    this.cross = cross;
    this.rebuildHeaps();
  }

  /** Whether account `i` is cross-margined with other markets. */
  isCross(i: number): boolean {
    return this.cross !== undefined && this.cross[i] === 1;
  }

  /** Equity that can cover a shortfall of account `i` here: its own, plus its other markets' under cross margin, USD. */
  protected coverableEquity(i: number): number {
    const e = this.equity(i);
    return this.link && this.cross![i] === 1 ? e + this.link.otherEquity(i, this.self) : e;
  }

  /** Initial margin of account `i`'s position here at the oracle price, USD. */
  initialOf(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : this.initialRateToHold(q, this.oraclePriceUsd) * Math.abs(q) * this.oraclePriceUsd;
  }

  /**
   * Moves up to `usd` of account `i`'s positive equity here out (to another market of its cross-margin
   * account): collateral first, then, as a deficit carried in the position, unrealized profit. Returns the amount, USD.
   */
  transferOut(i: number, usd: number): number {
    const x = Math.min(usd, Math.max(0, this.equity(i)));
    if (!(x > 0)) return 0;
    const a = this.accounts;
    a.addCash(i, -x);
    if (a.cash[i] < 0 && a.size[i] !== 0) this.carryDeficit(i);
    this.rekey(i);
    return x;
  }

  /** Flags cross-margined account `i` (found liquidatable by the link's scan at step `step`) if it holds a position here. */
  flagCross(i: number, step: number): void {
    const a = this.accounts;
    if (a.flagStep[i] >= 0 || a.size[i] === 0) return;
    a.flagStep[i] = step;
    this.flagged.push(i);
  }

  /** Equity of account `i` here at the price its margin test uses (the oracle, or its confidence-adjusted side), USD. */
  marginEquity(i: number): number {
    const q = this.accounts.size[i];
    return this.equityAt(i, q >= 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd);
  }

  /** Notional of account `i`'s position here at its margin-test price, USD. */
  marginNotional(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : Math.abs(q) * (q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd);
  }

  /** Maintenance margin of account `i`'s position here at its margin-test price, USD. */
  marginMaintenance(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : this.maintenanceUsd(q, q > 0 ? this.longMarginPriceUsd : this.shortMarginPriceUsd);
  }

  /** Equity of account `i` here at the index price, USD. */
  equityAtIndex(i: number): number {
    return this.equityAt(i, this.indexPriceUsd);
  }

  /** Maintenance margin of account `i`'s position here at the index price, USD. */
  maintenanceAtIndex(i: number): number {
    const q = this.accounts.size[i];
    return q === 0 ? 0 : this.maintenanceUsd(q, this.indexPriceUsd);
  }
}
