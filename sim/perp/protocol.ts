// The perpetual-futures venue as a Protocol (sim/core/protocol.ts): one MarketWorld per market,
// stepped together by the core step loop. A single-market run is a venue of one market. With
// several markets (README "Several markets") their index returns are correlated through a Cholesky
// factor of the correlation matrix (a `correlation` shock can set every pair to one value for a
// while), accounts are shared by index, cross-margined traders' equity in every market backs all
// their positions, and the insurance fund is shared. Pure; no I/O.
import type { ShockSchedule } from '../../scenarios/shocks.js';
import { choleskyFactor, correlationMatrix, marketConfigs, type Config } from '../config/index.js';
import { UserError } from '../core/errors.js';
import type { AnyStage, Protocol, ValueBalance } from '../core/protocol.js';
import { aggregateStep } from '../core/registry.js';
import { streamFor, type Stream } from '../core/rng.js';
import { heldUsd, venueViolation } from './conservation.js';
import { MarketLink } from './market-link.js';
import type { PerpVenue } from './perp-venue.js';
import { PERP_STATS, statContext, venueEnd, type RunEnd, type RunStatKey, type StatContext } from './statistics.js';
import { PERP_COLUMNS, type Timeline, type TimelineColumn } from './timeline.js';
import { accountLayout, MarketWorld, type AccountLayout } from './world.js';

export class PerpProtocol implements Protocol<TimelineColumn, RunStatKey, StatContext> {
  readonly columns = PERP_COLUMNS;
  readonly stats = PERP_STATS;
  readonly worlds: MarketWorld[];
  /** The markets' names; `['']` for a single-market run. */
  readonly names: string[];
  readonly layout: AccountLayout;
  readonly venues: PerpVenue[];
  /** 1 for cross-margined accounts (several markets only). */
  readonly cross: Uint8Array;
  private readonly link: MarketLink | undefined;
  /** The shared insurance fund of several markets; undefined for one market (the venue's own fund). */
  private readonly fund: { usd: number } | undefined;
  readonly stages: readonly AnyStage[];
  /** One market's timeline is the venue's; several markets' are aggregated into the loop's. */
  readonly timeline: Timeline | undefined;
  // Correlated index draws of several markets.
  private readonly path: Stream | undefined;
  private readonly baseFactor: number[][] = [];
  private readonly factors = new Map<number, number[][]>();
  private readonly eps: Float64Array;
  private readonly z: Float64Array;

  constructor(
    readonly cfg: Config,
    schedules: readonly ShockSchedule[],
    readonly seed: number,
    /** The scenario's source, named in errors found while running. */
    private readonly source: string,
  ) {
    const several = Object.keys(cfg.markets).length > 0;
    const markets = several ? marketConfigs(cfg) : [{ name: '', config: cfg }];
    this.names = markets.map((m) => m.name);
    this.layout = several
      ? accountLayout(
          cfg.agents,
          markets.some((m) => m.config.protocol.backstop.enabled),
        )
      : accountLayout(cfg.agents, cfg.protocol.backstop.enabled, cfg.attackers);
    this.fund = several ? { usd: cfg.protocol.insuranceFundUsd } : undefined;
    this.worlds = markets.map(
      ({ name, config }, n) =>
        new MarketWorld(
          config,
          schedules[n],
          this.layout,
          // One market keeps the unprefixed stream names, so its runs match a single-market venue's.
          several ? (s) => streamFor(seed, `${name}/${s}`) : (s) => streamFor(seed, s),
          this.fund,
        ),
    );
    this.venues = this.worlds.map((w) => w.venue);
    this.timeline = several ? undefined : this.worlds[0].tl;
    const k = this.worlds.length;
    this.eps = new Float64Array(k);
    this.z = new Float64Array(k);
    this.cross = new Uint8Array(this.layout.kinds.length);
    if (several) {
      const traders = this.layout.traderIds;
      const crossIds = traders.slice(0, Math.round(cfg.multiMarket.crossMarginShare * traders.length));
      for (const i of crossIds) this.cross[i] = 1;
      this.link = new MarketLink(this.venues, crossIds);
      for (const v of this.venues) v.setCrossMargin(this.link, this.cross);
      this.baseFactor = choleskyFactor(correlationMatrix(cfg.multiMarket, k))!;
      this.path = streamFor(seed, 'markets.path');
    }
    // Each step: the markets' index draws (several markets), each market's stages up to its oracle in
    // market order, the liquidatable scan of every market, then each market's round of agents.
    this.stages = [
      ...(this.path
        ? [{ kind: 'phase' as const, name: 'index draws', run: (step: number) => this.drawIndexNormals(step) }]
        : []),
      ...this.worlds.flatMap((w) => w.preScanStages()),
      { kind: 'phase', name: 'liquidation scan', run: (step: number) => this.scan(step) },
      ...this.worlds.map((w) => w.mainStage()),
    ];
  }

  /** Before the markets move: one correlated normal per market (several markets only). */
  private drawIndexNormals(step: number): void {
    const worlds = this.worlds;
    const k = worlds.length;
    const { eps, z } = this;
    for (let m = 0; m < k; m++) eps[m] = this.path!.normal();
    const l = this.factorAt(worlds[0].schedule.correlation[step], k);
    for (let m = 0; m < k; m++) {
      let s = 0;
      for (let j = 0; j <= m; j++) s += l[m][j] * eps[j];
      z[m] = s;
      worlds[m].z = s;
    }
  }

  private factorAt(c: number, k: number): number[][] {
    if (Number.isNaN(c)) return this.baseFactor;
    let f = this.factors.get(c);
    if (!f) {
      const uniform = correlationMatrix({ ...this.cfg.multiMarket, correlation: c, correlationMatrix: [] }, k);
      f = choleskyFactor(uniform);
      if (!f) throw new UserError(this.source, 'shocks', `correlation ${c} is not valid for ${k} markets`);
      this.factors.set(c, f);
    }
    return f;
  }

  private scan(step: number): void {
    // Every market has its prices before any scan: cross margin reads them all.
    for (const w of this.worlds) w.scan(step);
    this.link?.scan(step);
  }

  record(step: number, tl: Timeline): void {
    const worlds = this.worlds;
    for (const w of worlds) w.record(step);
    // A venue of one market records into the market's timeline (`timeline`): nothing to aggregate.
    if (worlds.length === 1) return;
    aggregateStep(PERP_COLUMNS, tl, this.worldTimelines, step);
  }

  private get worldTimelines(): Timeline[] {
    return (this.worldTimelines_ ??= this.worlds.map((w) => w.tl));
  }

  private worldTimelines_: Timeline[] | undefined;

  balance(): ValueBalance {
    const fund = this.fund;
    // Value moves between markets (cross margin) and through the shared fund: conservation holds for the sum.
    let held = fund ? fund.usd : 0;
    let external = fund ? this.cfg.protocol.insuranceFundUsd : 0;
    let scale = external;
    for (const v of this.venues) {
      held += heldUsd(v, fund === undefined);
      external += v.totals.depositsUsd - v.totals.withdrawalsUsd;
      scale += v.totals.depositsUsd;
    }
    return { heldUsd: held, externalUsd: external, scaleUsd: Math.max(1, scale) };
  }

  violation(full: boolean): string | undefined {
    for (const v of this.venues) {
      const broken = venueViolation(v, full, this.cfg.invariants.tolerance);
      if (broken) return broken;
    }
    return undefined;
  }

  statContext(tl: Timeline): StatContext {
    const metrics = this.cfg.metrics;
    const fund0 = this.cfg.protocol.insuranceFundUsd;
    if (this.worlds.length === 1) {
      const w = this.worlds[0];
      const { latent, traderPnl } = w.traderEnd();
      return statContext(tl, w.runEnd(latent, traderPnl, fund0), metrics);
    }
    const ends = this.marketEnds(fund0);
    const m = this.names.indexOf(metrics.market);
    return m >= 0 ? statContext(this.worlds[m].tl, ends[m], metrics) : statContext(tl, venueEnd(ends, tl), metrics);
  }

  /**
   * End-of-run figures of each market. Latent bad debt: an isolated position's negative equity counts in
   * its market; a cross-margined account counts only if its equity summed over the markets is negative,
   * split over the markets in proportion to their negative parts.
   */
  private marketEnds(initialFundUsd: number): RunEnd[] {
    const worlds = this.worlds;
    const k = worlds.length;
    const latent = new Float64Array(k);
    const pnl = new Float64Array(k);
    const e = new Float64Array(k);
    for (const i of this.layout.traderIds) {
      let total = 0;
      let negative = 0;
      for (let m = 0; m < k; m++) {
        const venue = worlds[m].venue;
        e[m] = venue.equity(i);
        pnl[m] += e[m] - venue.accounts.netDeposits[i];
        total += e[m];
        if (e[m] < 0) negative -= e[m];
      }
      if (negative === 0) continue;
      const share = this.cross[i] === 1 ? Math.max(0, -total) / negative : 1;
      for (let m = 0; m < k; m++) if (e[m] < 0) latent[m] -= e[m] * share;
    }
    return worlds.map((w, m) => w.runEnd(latent[m], pnl[m], initialFundUsd));
  }
}
