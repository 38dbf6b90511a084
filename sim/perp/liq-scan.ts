// The venue's liquidation scan: accounts filed in max-heaps (liq-heap.ts) by the price at which they
// cross maintenance, one lane per affine piece of the margin model, so that each step pops only the
// accounts the price has crossed instead of testing every account (design "Speed"); plus the
// liquidation tallies the book, the backstop vault and ADL share (counters, the induced test). It
// flags accounts; it moves no money and closes no position.
import { isPositionTaker } from '../core/accounts.js';
import { KeyedMaxHeap } from './liq-heap.js';
import { sqrtRate } from './margin-model.js';
import { VenueMargin } from './venue-margin.js';
import type { VenueArgs } from './venue-state.js';

/**
 * One pair of liquidation heaps keyed for one affine maintenance piece `rate * N - dedUsd`: an
 * account in the lane is liquidatable by that piece iff the price crosses its key (README "Margin
 * models", "The liquidation key").
 */
interface Lane {
  /** Maintenance rate of the piece, fraction of notional. */
  rate: number;
  /** Deduction of the piece, USD. */
  dedUsd: number;
  longs: KeyedMaxHeap;
  /** Shorts keyed by the negated key, so the max-heap yields the smallest key first. */
  shorts: KeyedMaxHeap;
}

/** Relative slack of the volatility model's heap rate over the rate in force (fewer rebuilds, a few more re-checks). */
const VOL_KEY_SLACK = 0.05;
/** Ratio between the rates of neighbouring lanes of the sqrt model (keys at most 1% of the rate conservative). */
const SQRT_LANE_RATIO = 1.01;

/** Layer 2 of PerpVenue: the liquidation heaps and scan, and the liquidation tallies. */
export abstract class VenueLiqScan extends VenueMargin {
  /** Liquidation heaps, one lane per affine maintenance piece (one for flat and volatility, one per tier, one per sqrt rate bucket). */
  protected readonly lanes: Lane[] = [];
  /** sqrt model: lane of each rate bucket. */
  private readonly sqrtLanes = new Map<number, Lane>();
  /** Rebuilds of the heaps because the volatility model's rate left its slack. */
  marginRebuilds = 0;
  /** Scratch list of accounts popped from a heap but not liquidatable (re-keyed after the scan). */
  private readonly recheck: number[] = [];

  constructor(...args: VenueArgs) {
    super(...args);
    // Room for one entry per account; the heaps grow (by doubling) as lazy deletion leaves stale entries.
    const n = this.accounts.count + 1024;
    const kind = this.modelKind;
    const pieces = kind === 'tiers' ? this.tiers.map((t) => [t.mmr, t.dedUsd]) : kind === 'sqrt' ? [] : [[0, 0]];
    for (const [rate, dedUsd] of pieces)
      this.lanes.push({ rate, dedUsd, longs: new KeyedMaxHeap(n), shorts: new KeyedMaxHeap(n) });
    this.setLaneRates();
  }

  /** Re-files a trader in the liquidation heap of its side under its current key. */
  protected override rekey(i: number): void {
    const a = this.accounts;
    if (!isPositionTaker(a.kind[i])) return;
    const v = ++a.version[i];
    if (this.cross !== undefined && this.cross[i] === 1) {
      // A cross account changed: the link re-checks it at its next scan.
      this.link!.touch(i);
      return;
    }
    if (a.flagStep[i] >= 0) return;
    if (this.collateral !== undefined && this.collateral.holds[i] === 1) return;
    const q = a.size[i];
    if (q === 0) return;
    const c = a.cash[i];
    const k = a.cost[i];
    const f0 = a.fundingSnap[i];
    if (this.modelKind === 'tiers') {
      // Maintenance is the largest of the tiers' affine pieces: liquidatable iff some piece's key is crossed.
      for (const lane of this.lanes) fileInLane(lane, q, c, k, f0, i, v);
    } else if (this.modelKind === 'sqrt') {
      fileInLane(this.sqrtLane(sqrtRate(this.maintenanceMarginRate, this.sqrtFactor, Math.abs(q))), q, c, k, f0, i, v);
    } else fileInLane(this.lanes[0], q, c, k, f0, i, v);
  }

  /** sqrt model: the lane of the smallest bucket rate at or above `rate` (a conservative key). */
  private sqrtLane(rate: number): Lane {
    let b = Math.ceil(Math.log(rate) / Math.log(SQRT_LANE_RATIO) - 1e-9);
    while (SQRT_LANE_RATIO ** b < rate) b++;
    let lane = this.sqrtLanes.get(b);
    if (!lane) {
      lane = { rate: SQRT_LANE_RATIO ** b, dedUsd: 0, longs: new KeyedMaxHeap(64), shorts: new KeyedMaxHeap(64) };
      this.sqrtLanes.set(b, lane);
      this.lanes.push(lane);
    }
    return lane;
  }

  /** Rates of the flat and volatility lanes: the maintenance rate, or the volatility rate with slack. */
  private setLaneRates(): void {
    if (this.modelKind === 'flat') this.lanes[0].rate = this.maintenanceMarginRate;
    else if (this.vol) {
      this.volRate = this.vol.maintenanceRate(this.maintenanceMarginRate);
      const r = this.volRate;
      this.lanes[0].rate = r <= this.maintenanceMarginRate ? r : Math.min(r * (1 + VOL_KEY_SLACK), 0.95);
    }
  }

  /** Rebuilds the heaps from scratch (after genesis or a change of the maintenance rate). */
  rebuildHeaps(): void {
    this.setLaneRates();
    for (const lane of this.lanes) {
      lane.longs.clear();
      lane.shorts.clear();
    }
    for (let i = 0; i < this.accounts.count; i++) this.rekey(i);
  }

  /** Re-checks flagged accounts and flags those the price has pushed below maintenance (`step`: the step index, recorded as the flag). */
  refreshLiquidatable(step: number): void {
    const a = this.accounts;
    // Lazy deletion leaves stale entries behind; compact when they dominate.
    let entries = 0;
    for (const lane of this.lanes) entries += lane.longs.size + lane.shorts.size;
    if (entries > 3 * a.count * Math.max(1, this.lanes.length) + 1024) this.rebuildHeaps();
    else if (this.vol) {
      // Keys are conservative while the lane's rate is at least the rate in force; re-key when it is
      // not, or when it is well above (needless re-checks).
      const rate = this.lanes[0].rate;
      if (this.volRate > rate || this.volRate * (1 + VOL_KEY_SLACK) ** 2 < rate) {
        this.marginRebuilds++;
        this.rebuildHeaps();
      }
    }
    // Compact the flagged list in place: keep those still liquidatable, re-file the others.
    const flagged = this.flagged;
    let kept = 0;
    for (let k = 0; k < flagged.length; k++) {
      const i = flagged[k];
      if (a.flagStep[i] < 0) continue;
      if (this.isLiquidatable(i)) flagged[kept++] = i;
      else {
        a.flagStep[i] = -1;
        this.rekey(i);
      }
    }
    flagged.length = kept;
    const recheck = this.recheck;
    recheck.length = 0;
    for (const lane of this.lanes) {
      const r = lane.rate;
      this.drainHeap(lane.longs, this.longMarginPriceUsd - this.fundingIndexUsd / (1 - r), step);
      this.drainHeap(lane.shorts, -(this.shortMarginPriceUsd - this.fundingIndexUsd / (1 + r)), step);
    }
    for (const i of recheck) this.rekey(i);
    // Collateral holders' equity moves with the collateral prices: no fixed key, a scan each step.
    for (const i of this.collateralIds) {
      if (a.flagStep[i] < 0 && a.size[i] !== 0 && this.isLiquidatable(i)) {
        a.flagStep[i] = step;
        this.flagged.push(i);
      }
    }
    // Cross-margined accounts depend on every market's prices: the link scans them once for all markets (flagCross).
  }

  /** Pops the accounts whose key the price has crossed (key > x): flags the liquidatable, queues the rest for a re-key. */
  private drainHeap(heap: KeyedMaxHeap, x: number, step: number): void {
    const a = this.accounts;
    while (heap.size > 0) {
      const i = heap.topId();
      if (heap.topVersion() !== a.version[i]) {
        heap.pop();
        continue;
      }
      if (!(x < heap.topKey())) break;
      heap.pop();
      // Already flagged through another lane (tiers file an account in every lane).
      if (a.flagStep[i] >= 0) continue;
      if (this.isLiquidatable(i)) {
        a.flagStep[i] = step;
        this.flagged.push(i);
      } else this.recheck.push(i);
    }
  }

  /** Accounts flagged liquidatable and not liquidated since (the flagged list is compacted only at the next scan). */
  pendingLiquidations(): number {
    let n = 0;
    for (const i of this.flagged) if (this.accounts.flagStep[i] >= 0) n++;
    return n;
  }

  /**
   * Counts a liquidation closing `notionalUsd` (USD, at the oracle price) of a position of sign `side`
   * (positive: a long) in the step counters and run totals.
   */
  protected countLiquidation(notionalUsd: number, induced: boolean, side: number): void {
    const c = this.counters;
    c.liquidations++;
    c.liquidatedNotionalUsd += notionalUsd;
    c.liquidatedNetLongUsd += side > 0 ? notionalUsd : -notionalUsd;
    if (induced) c.inducedLiquidations++;
    this.totals.liquidations++;
    this.totals.liquidatedNotionalUsd += notionalUsd;
    if (induced) this.totals.inducedLiquidations++;
  }

  /** Whether account `i`'s liquidation is one the index price would not have triggered (the induced test). */
  protected inducedAt(i: number): boolean {
    const index = this.indexPriceUsd;
    const q = this.accounts.size[i];
    if (this.link && this.cross![i] === 1)
      // Cross margin: summed equity and maintenance at every market's index.
      return (
        this.equityAt(i, index) + this.link.otherEquityAtIndex(i, this.self) >=
        this.maintenanceUsd(q, index) + this.link.otherMaintenanceAtIndex(i, this.self)
      );
    return this.equityAt(i, index) >= this.maintenanceUsd(q, index);
  }
}

/**
 * Files an account in a lane under its key. For a piece `rate * N - ded` a long is liquidatable iff
 * `p - F / (1 - rate) < (cost / q - f0 - cash / q - ded / q) / (1 - rate)` and a short iff
 * `p - F / (1 + rate) > ((cash - cost + ded) / |q| - f0) / (1 + rate)`, F the funding index: the key is
 * fixed until the account changes, and the funding index moves the lane's threshold only.
 */
function fileInLane(lane: Lane, q: number, c: number, k: number, f0: number, i: number, v: number): void {
  const r = lane.rate;
  const ded = lane.dedUsd;
  if (ded === 0) {
    if (q > 0) lane.longs.push((k / q - f0 - c / q) / (1 - r), i, v);
    else lane.shorts.push(-((c - k) / -q - f0) / (1 + r), i, v);
  } else if (q > 0) lane.longs.push((k / q - f0 - c / q - ded / q) / (1 - r), i, v);
  else lane.shorts.push(-((c - k + ded) / -q - f0) / (1 + r), i, v);
}
