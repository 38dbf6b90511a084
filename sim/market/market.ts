// The exogenous index price and the venue's order book. The index follows a GBM with optional
// jumps (or a replayed series); the venue mark is the index times exp(basis), where trades push
// the basis by a linear-in-log impact and arbitrage pulls it back. Depth is consumed by trades and
// regenerates toward its baseline with a half-life. Knows nothing of accounts or margin.
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';
import type { ShockSchedule } from '../../scenarios/shocks.js';

const SECONDS_PER_YEAR = 365 * 86_400;
/** Largest |log(mark / index)| the book can reach: the mark stays within 10x of the index. */
const MAX_BASIS_LOG = Math.log(10);

/** A price quote for a market order, before it is executed. */
export interface Fill {
  /** Average execution price, USD. */
  priceUsd: number;
  /** Log change of the mark the order causes. */
  impactLog: number;
}

/** Read-only view of the market that agents and the protocol may look at. */
export interface MarketView {
  readonly indexPriceUsd: number;
  readonly markPriceUsd: number;
  /** log(mark / index). */
  readonly basisLog: number;
  /** Current depth: USD that moves the mark by 1%. */
  readonly depthUsdPerPct: number;
  /** Quote for a market order of `size` units (positive buys). Does not change the market. */
  quote(size: number): Fill;
}

export class Market implements MarketView {
  indexPriceUsd: number;
  basisLog = 0;
  /** Fraction of the book left after consumption, in [minBookFill, 1]. */
  private bookFill = 1;
  /** Share of baseline depth market makers currently provide (they pull part when stressed). */
  private makerFactor = 1;
  private depthMultiplier = 1;
  private readonly dtYears: number;
  private readonly regen: number;
  private nextJumpStep: number;
  private readonly jumpMeanSteps: number;

  constructor(
    private readonly cfg: Config['market'],
    stepSeconds: number,
    private readonly schedule: ShockSchedule,
    private readonly pathStream: Stream,
    private readonly jumpStream: Stream,
  ) {
    this.indexPriceUsd = cfg.initialPriceUsd;
    this.dtYears = stepSeconds / SECONDS_PER_YEAR;
    this.regen = Math.pow(0.5, 1 / cfg.depthHalfLifeSteps);
    const jumpsPerStep = (cfg.jumpsPerDay * stepSeconds) / 86_400;
    this.jumpMeanSteps = jumpsPerStep > 0 ? 1 / jumpsPerStep : Infinity;
    this.nextJumpStep = this.jumpStream.exponential(this.jumpMeanSteps);
  }

  get markPriceUsd(): number {
    return this.indexPriceUsd * Math.exp(this.basisLog);
  }

  /** Depth the makers would show with a full book. */
  private fullDepth(): number {
    return this.cfg.depthUsdPerPct * this.depthMultiplier * this.makerFactor;
  }

  get depthUsdPerPct(): number {
    return this.fullDepth() * this.bookFill;
  }

  /** Moves the index one step and lets the book regenerate (design "One step", item 2); `correlatedZ` replaces the path stream's normal. */
  advance(step: number, correlatedZ?: number): void {
    const s = this.schedule;
    this.depthMultiplier = s.depthMultiplier[step];
    this.bookFill = 1 - (1 - this.bookFill) * this.regen;
    // One normal per step whatever the regime, so the stream stays aligned across scenarios (in a
    // multi-market run the markets' normals are drawn together and correlated: sim/perp/protocol.ts).
    const z = correlatedZ ?? this.pathStream.normal();
    let logReturn = s.extraLogReturn[step];
    if (s.replayActive[step]) {
      logReturn += s.replayLogReturn[step];
      // The series carries its own jumps: random ones due during a replay are skipped, not saved up.
      while (this.nextJumpStep <= step + 1) this.nextJumpStep += this.jumpStream.exponential(this.jumpMeanSteps);
    } else {
      const sigma = this.cfg.annualVolatility * s.volMultiplier[step];
      logReturn += (this.cfg.annualDrift - 0.5 * sigma * sigma) * this.dtYears + sigma * Math.sqrt(this.dtYears) * z;
      while (this.nextJumpStep <= step + 1) {
        logReturn += this.cfg.jumpMeanLog + this.cfg.jumpStdLog * this.jumpStream.normal();
        this.nextJumpStep += this.jumpStream.exponential(this.jumpMeanSteps);
      }
    }
    this.indexPriceUsd *= Math.exp(logReturn);
  }

  /** Sets the share of baseline depth the market makers provide (0..1). */
  setMakerFactor(factor: number): void {
    this.makerFactor = Math.min(1, Math.max(0, factor));
  }

  quote(size: number): Fill {
    const mark = this.markPriceUsd;
    const depth = Math.max(this.depthUsdPerPct, 1e-9);
    // The mark stays within a factor MAX_BASIS of the index: past that the linear-in-log book would
    // overflow float64 on a thin book, so a huge order fills as if the book were bottomless there.
    const raw = (size * mark) / (100 * depth);
    const impactLog = Math.min(MAX_BASIS_LOG, Math.max(-MAX_BASIS_LOG, this.basisLog + raw)) - this.basisLog;
    // Average price of walking a book whose log price is linear in traded notional.
    const avg = Math.abs(impactLog) < 1e-9 ? 1 + impactLog / 2 : Math.expm1(impactLog) / impactLog;
    return { priceUsd: mark * avg, impactLog };
  }

  /** Executes a market order of `size` units against the book: moves the mark and consumes depth. */
  execute(size: number): Fill {
    const fill = this.quote(size);
    const full = this.fullDepth();
    const notional = Math.abs(size) * this.markPriceUsd;
    this.basisLog += fill.impactLog;
    if (full > 0) {
      this.bookFill = Math.max(this.cfg.minBookFill, this.bookFill - notional / (full * this.cfg.bookWidthPct));
    }
    return fill;
  }
}
