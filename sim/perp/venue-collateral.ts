// The venue's use of multi-asset collateral (collateral.ts, README "Collateral"): turning it on,
// posting collateral at genesis, and the market-value views of it. Margin counts the book's margin
// value in `equityAt` (the margin layer) and a shortfall seizes it (loss resolution); this layer
// does neither and does not price the assets (the book does).
import { AccountKind } from '../core/accounts.js';
import type { CollateralBook } from './collateral.js';
import { VenueCrossMargin } from './cross-margin.js';

/** Layer 4 of PerpVenue: multi-asset collateral. */
export abstract class VenueCollateral extends VenueCrossMargin {
  /**
   * Turns on multi-asset collateral: from now on margin counts each account's collateral balances at
   * price x (1 - haircut), and their holders are re-checked every step (collateral prices move their equity).
   */
  setCollateral(book: CollateralBook): void {
    this.collateral = book;
    this.collateralIds = [];
    for (let i = 0; i < this.accounts.count; i++)
      if (book.holds[i] === 1 && this.accounts.kind[i] === AccountKind.trader) this.collateralIds.push(i);
    this.rebuildHeaps();
  }

  /** Converts `usd` (USD) of account `i`'s cash into collateral asset `asset` (its place in `book.assets`) at its price (genesis). */
  postCollateral(i: number, asset: number, usd: number, book: CollateralBook): void {
    if (!(usd > 0)) return;
    this.accounts.addCash(i, -usd);
    book.credit(i, asset, usd);
  }

  /** Collateral assets held at their market value less the holders' revaluation gains, USD (the conservation check's view). */
  collateralHeldUsd(): number {
    const c = this.collateral;
    return c ? c.totalMarketValue() - c.revaluationUsd : 0;
  }

  /** Equity of account `i` with its collateral at market value (no haircut), USD: what it is worth, not what margin counts. */
  equityAtMarket(i: number): number {
    const c = this.collateral;
    return c ? this.equity(i) - c.marginValue(i) + c.marketValue(i) : this.equity(i);
  }
}
