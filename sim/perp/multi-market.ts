// Several markets in one venue (README "Several markets"): one MarketWorld per market, stepped
// together. Their index returns are correlated through a Cholesky factor of the correlation matrix
// (a `correlation` shock can set every pair to one value for a while, 1 in a crash); accounts are
// shared by index, and cross-margined traders' equity in every market backs all their positions;
// the insurance fund is shared. Pure, like runSimulation.
import type { ShockSchedule } from '../../scenarios/shocks.js';
import { choleskyFactor, correlationMatrix, marketConfigs } from '../config/index.js';
import type { RunResult, RunSpec } from '../engine.js';
import { ConservationCheck } from '../engine.js';
import { InvariantError, UserError } from '../core/errors.js';
import { computeRunStats, createTimeline, type RunEnd, type Timeline } from '../core/metrics.js';
import type { CrossLink, PerpVenue, RefusalReason } from './perp-venue.js';
import { streamFor } from '../core/rng.js';
import { accountLayout, MarketWorld } from './world.js';

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

  otherEquityAtIndex(i: number, self: PerpVenue): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.equityAtIndex(i);
    return s;
  }

  otherMaintenanceAtIndex(i: number, self: PerpVenue): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.maintenanceAtIndex(i);
    return s;
  }

  otherEquity(i: number, self: PerpVenue): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.marginEquity(i);
    return s;
  }

  otherMaintenance(i: number, self: PerpVenue): number {
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

  otherInitial(i: number, self: PerpVenue): number {
    let s = 0;
    for (const v of this.venues) if (v !== self) s += v.initialOf(i);
    return s;
  }

  absorb(i: number, self: PerpVenue, usd: number): number {
    let moved = 0;
    for (const v of this.venues) {
      if (v === self || moved >= usd) continue;
      moved += v.transferOut(i, usd - moved);
    }
    return moved;
  }
}

/** Runs a multi-market simulation (called by runSimulation when `markets` is set). */
export function runMultiMarket(spec: RunSpec, compiled: { schedule: ShockSchedule }[]): RunResult {
  const { config: cfg, scenario, seed } = spec;
  const markets = marketConfigs(cfg);
  const names = markets.map((m) => m.name);
  const steps = cfg.run.steps;
  const layout = accountLayout(
    cfg.agents,
    markets.some((m) => m.config.protocol.backstop.enabled),
  );
  const fund = { usd: cfg.protocol.insuranceFundUsd };
  const worlds = markets.map(
    ({ name, config }, n) =>
      new MarketWorld(config, compiled[n].schedule, layout, (s) => streamFor(seed, `${name}/${s}`), fund),
  );
  const venues = worlds.map((w) => w.venue);
  const cross = new Uint8Array(layout.kinds.length);
  const crossIds = layout.traderIds.slice(0, Math.round(cfg.multiMarket.crossMarginShare * layout.traderIds.length));
  for (const i of crossIds) cross[i] = 1;
  const link = new MarketLink(venues, crossIds);
  for (const v of venues) v.setCrossMargin(link, cross);

  const k = worlds.length;
  const baseFactor = choleskyFactor(correlationMatrix(cfg.multiMarket, k))!;
  const factors = new Map<number, number[][]>();
  const path = streamFor(seed, 'markets.path');
  const eps = new Float64Array(k);
  const z = new Float64Array(k);
  const tl = createTimeline(steps);
  const conservation = new ConservationCheck(cfg.invariants, seed);
  const correlation = worlds[0].schedule.correlation;

  for (let step = 0; step < steps; step++) {
    // One normal per market per step, correlated through the factor in force.
    for (let m = 0; m < k; m++) eps[m] = path.normal();
    const c = correlation[step];
    let l = baseFactor;
    if (!Number.isNaN(c)) {
      let f = factors.get(c);
      if (!f) {
        const uniform = correlationMatrix({ ...cfg.multiMarket, correlation: c, correlationMatrix: [] }, k);
        f = choleskyFactor(uniform);
        if (!f) throw new UserError(scenario.source, 'shocks', `correlation ${c} is not valid for ${k} markets`);
        factors.set(c, f);
      }
      l = f;
    }
    for (let m = 0; m < k; m++) {
      let s = 0;
      for (let j = 0; j <= m; j++) s += l[m][j] * eps[j];
      z[m] = s;
    }
    for (let m = 0; m < k; m++) worlds[m].beginStep(step, z[m]);
    // Every market has its prices before any scan: cross margin reads them all.
    for (const w of worlds) w.scan(step);
    link.scan(step);
    for (const w of worlds) w.act();
    for (const w of worlds) w.record(step);
    aggregateStep(tl, worlds, step, fund.usd);
    conservation.check(step, venues, step % cfg.invariants.fullCheckEverySteps === 0 || step === steps - 1, {
      initialUsd: cfg.protocol.insuranceFundUsd,
      usd: fund.usd,
    });
    if (step === cfg.invariants.faultInjectionStep)
      throw new InvariantError(step, seed, 'fault injected by invariants.faultInjectionStep');
  }

  const ends = marketEnds(worlds, cross, cfg.protocol.insuranceFundUsd);
  const scope = cfg.metrics.market;
  const m = names.indexOf(scope);
  const stats =
    m >= 0 ? computeRunStats(worlds[m].tl, ends[m], cfg.metrics) : computeRunStats(tl, venueEnd(ends, tl), cfg.metrics);
  const refusals = { ...venues[0].totals.refusals };
  for (const v of venues.slice(1))
    for (const [r, n] of Object.entries(v.totals.refusals)) refusals[r as RefusalReason] += n;
  return {
    scenario: scenario.name,
    seed,
    steps,
    stepSeconds: cfg.run.stepSeconds,
    stats,
    timeline: tl,
    refusals,
    shockStarts: worlds
      .flatMap((w) => w.schedule.shockStarts)
      .filter((s, i, all) => all.findIndex((o) => o.step === s.step && o.kind === s.kind) === i)
      .sort((a, b) => a.step - b.step),
    accounts: { traders: layout.traderIds.length, total: layout.kinds.length },
    marketTimelines: worlds.map((w, n) => ({ name: names[n], timeline: w.tl })),
    events: {
      breakerTripSteps: [...new Set(worlds.flatMap((w) => w.band.tripSteps))].sort((a, b) => a - b),
      guardianPauseSteps: [...new Set(worlds.flatMap((w) => w.guardian.pauseSteps))].sort((a, b) => a - b),
      governance: worlds.flatMap((w, n) => w.governance.events.map((e) => ({ ...e, market: names[n] }))),
    },
  };
}

/**
 * The venue's timeline: counts and USD amounts summed over the markets, flags set when any market's
 * is; prices, basis, depth, funding and the spot pool are the first market's (README "Several markets").
 */
function aggregateStep(tl: Timeline, worlds: readonly MarketWorld[], step: number, fundUsd: number): void {
  const first = worlds[0].tl;
  for (const c of [
    'step',
    'time_s',
    'index_price_usd',
    'mark_price_usd',
    'oracle_price_usd',
    'basis_pct',
    'depth_usd_per_pct',
    'funding_rate',
    'oracle_updated',
    'spot_pool_price_usd',
  ] as const)
    tl[c][step] = first[c][step];
  for (const c of [
    'open_interest_long_usd',
    'open_interest_short_usd',
    'liquidations',
    'liquidated_notional_usd',
    'induced_liquidations',
    'liquidatable_accounts',
    'bad_debt_usd',
    'uncovered_bad_debt_usd',
    'socialized_loss_usd',
    'refused_actions',
  ] as const) {
    let s = 0;
    for (const w of worlds) s += w.tl[c][step];
    tl[c][step] = s;
  }
  let halted = 0;
  let stale = 0;
  let alerts = 0;
  for (const w of worlds) {
    halted = Math.max(halted, w.tl.halted[step]);
    stale = Math.max(stale, w.tl.oracle_stale[step]);
    alerts |= w.tl.alerts[step];
  }
  tl.halted[step] = halted;
  tl.oracle_stale[step] = stale;
  tl.alerts[step] = alerts;
  tl.insurance_fund_usd[step] = fundUsd;
  let vault = 0;
  for (const w of worlds) vault += w.tl.backstop_equity_usd[step];
  tl.backstop_equity_usd[step] = vault;
  // Collateral assets are single-market only.
  tl.stablecoin_price_usd[step] = 1;
}

/**
 * End-of-run figures of each market. Latent bad debt: an isolated position's negative equity counts in
 * its market; a cross-margined account counts only if its equity summed over the markets is negative,
 * split over the markets in proportion to their negative parts.
 */
function marketEnds(worlds: readonly MarketWorld[], cross: Uint8Array, initialFundUsd: number): RunEnd[] {
  const k = worlds.length;
  const latent = new Float64Array(k);
  const pnl = new Float64Array(k);
  const e = new Float64Array(k);
  for (const i of worlds[0].layout.traderIds) {
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
    const share = cross[i] === 1 ? Math.max(0, -total) / negative : 1;
    for (let m = 0; m < k; m++) if (e[m] < 0) latent[m] -= e[m] * share;
  }
  return worlds.map((w, m) => w.runEnd(latent[m], pnl[m], initialFundUsd));
}

/** The venue's end-of-run figures: sums over the markets, except the step counts read off the venue timeline. */
function venueEnd(ends: readonly RunEnd[], tl: Timeline): RunEnd {
  const sum = (f: (e: RunEnd) => number) => ends.reduce((s, e) => s + f(e), 0);
  let halted = 0;
  let stale = 0;
  let alertSteps = 0;
  let firstAlert = -1;
  for (let t = 0; t < tl.step.length; t++) {
    halted += tl.halted[t];
    stale += tl.oracle_stale[t];
    if (tl.alerts[t] !== 0) {
      alertSteps++;
      if (firstAlert < 0) firstAlert = t;
    }
  }
  return {
    initialInsuranceUsd: ends[0].initialInsuranceUsd,
    realizedBadDebtUsd: sum((e) => e.realizedBadDebtUsd),
    realizedUncoveredUsd: sum((e) => e.realizedUncoveredUsd),
    latentBadDebtUsd: sum((e) => e.latentBadDebtUsd),
    socializedLossUsd: sum((e) => e.socializedLossUsd),
    honestTraderPnlUsd: sum((e) => e.honestTraderPnlUsd),
    protocolFeesUsd: sum((e) => e.protocolFeesUsd),
    liquidations: sum((e) => e.liquidations),
    liquidatedNotionalUsd: sum((e) => e.liquidatedNotionalUsd),
    inducedLiquidations: sum((e) => e.inducedLiquidations),
    refusedActions: sum((e) => e.refusedActions),
    oracleStaleSteps: stale,
    breakerTrips: sum((e) => e.breakerTrips),
    haltedSteps: halted,
    withdrawalsRefusedUsd: sum((e) => e.withdrawalsRefusedUsd),
    firstAlertStep: firstAlert,
    alertSteps,
    governanceChanges: sum((e) => e.governanceChanges),
    governanceRefused: sum((e) => e.governanceRefused),
    guardianPauses: sum((e) => e.guardianPauses),
    marginRateMax: Math.max(...ends.map((e) => e.marginRateMax)),
    marginRebuilds: sum((e) => e.marginRebuilds),
    marginLeadSteps: Math.max(...ends.map((e) => e.marginLeadSteps)),
    collateralSeizedUsd: sum((e) => e.collateralSeizedUsd),
    backstopCapitalUsd: sum((e) => e.backstopCapitalUsd),
    backstopEquityEndUsd: sum((e) => e.backstopEquityEndUsd),
    backstopTakeovers: sum((e) => e.backstopTakeovers),
    adlEvents: sum((e) => e.adlEvents),
    adlNotionalUsd: sum((e) => e.adlNotionalUsd),
    adlResolved: sum((e) => e.adlResolved),
    insuranceFeeInflowUsd: sum((e) => e.insuranceFeeInflowUsd),
    // The markets' claim caps bound what the shared fund pays each of them: at most min(room, latent) per market.
    insuranceClaimRoomUsd: sum((e) => Math.min(e.insuranceClaimRoomUsd ?? Infinity, e.latentBadDebtUsd)),
    // Each market's figure counts the shared fund's drawdown: count it once.
    protocolLossUsd:
      sum((e) => e.protocolLossUsd ?? 0) -
      (ends.length - 1) * Math.max(0, ends[0].initialInsuranceUsd - tl.insurance_fund_usd[tl.step.length - 1]),
  };
}
