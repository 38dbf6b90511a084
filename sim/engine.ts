// The step loop: (scenario, config, seed) -> RunResult, a pure function. Builds the world, then
// each step: shocks and market, oracle, funding, liquidatable scan, agents decide on the same
// start-of-step view, actions applied in a seeded shuffled order, loss resolution, metrics and the
// conservation check. No I/O, no clock, no threads.
import type { PriceSeries } from '../scenarios/price-series.js';
import type { Shock } from '../scenarios/schema.js';
import { compileForConfig } from '../scenarios/shocks.js';
import { AccountKind } from './core/accounts.js';
import type { Config } from './config/index.js';
import { InvariantError } from './core/errors.js';
import { computeRunStats, type RunStats, type Timeline } from './core/metrics.js';
import type { AttackReport } from './attack/attack-ledger.js';
import type { GovernanceEvent } from './controls/governance.js';
import { runMultiMarket } from './perp/multi-market.js';
import type { PerpVenue, RefusalReason } from './perp/perp-venue.js';
import { streamFor } from './core/rng.js';
import { accountLayout, MarketWorld } from './perp/world.js';

/** A scenario with its files read: plain data, safe to send to a worker thread. */
export interface ResolvedScenario {
  name: string;
  description: string;
  /** Where the scenario came from (a path, or `builtin:<name>`). */
  source: string;
  shocks: Shock[];
  /** Parsed price series of replay shocks, as [shock index, series] pairs. */
  series: [number, PriceSeries][];
}

/** Everything a run needs. */
export interface RunSpec {
  scenario: ResolvedScenario;
  config: Config;
  seed: number;
}

export interface RunResult {
  scenario: string;
  seed: number;
  steps: number;
  stepSeconds: number;
  stats: RunStats;
  timeline: Timeline;
  refusals: Record<RefusalReason, number>;
  shockStarts: { step: number; kind: Shock['kind'] }[];
  accounts: { traders: number; total: number };
  /** Per-market timelines of a multi-market run (README "Several markets"); empty for one market. */
  marketTimelines: { name: string; timeline: Timeline }[];
  /** Discrete events for reports: breaker trips, guardian pauses and governance outcomes. */
  events: {
    breakerTripSteps: number[];
    guardianPauseSteps: number[];
    governance: GovernanceEvent[];
  };
  /** The attackers' accounting (README "Attacks"); only when the config has attackers. */
  attack?: AttackReport;
}

/** Runs one simulation. Throws InvariantError (with step and seed) if value conservation breaks. */
export function runSimulation(spec: RunSpec): RunResult {
  const { config: cfg, scenario, seed } = spec;
  const compiled = compileForConfig(scenario.shocks, new Map(scenario.series), cfg, scenario.source);
  if (Object.keys(cfg.markets).length > 0) return runMultiMarket(spec, compiled);
  const steps = cfg.run.steps;
  const schedule = compiled[0].schedule;
  const layout = accountLayout(cfg.agents, cfg.protocol.backstop.enabled, cfg.attackers);
  const world = new MarketWorld(cfg, schedule, layout, (name) => streamFor(seed, name));
  const conservation = new ConservationCheck(cfg.invariants, seed);

  for (let step = 0; step < steps; step++) {
    world.beginStep(step);
    world.scan(step);
    world.act();
    world.record(step);
    conservation.check(step, world.venue, step % cfg.invariants.fullCheckEverySteps === 0 || step === steps - 1);
    if (step === cfg.invariants.faultInjectionStep)
      throw new InvariantError(step, seed, 'fault injected by invariants.faultInjectionStep');
  }

  const { latent, traderPnl } = world.traderEnd();
  const attack = world.attackReport();
  const stats = computeRunStats(world.tl, world.runEnd(latent, traderPnl, cfg.protocol.insuranceFundUsd), cfg.metrics);
  return {
    scenario: scenario.name,
    seed,
    steps,
    stepSeconds: cfg.run.stepSeconds,
    stats,
    timeline: world.tl,
    refusals: { ...world.venue.totals.refusals },
    shockStarts: schedule.shockStarts,
    accounts: { traders: layout.traderIds.length, total: world.accounts.count },
    marketTimelines: [],
    events: {
      breakerTripSteps: world.band.tripSteps,
      guardianPauseSteps: world.guardian.pauseSteps,
      governance: world.governance.events,
    },
    ...(attack ? { attack } : {}),
  };
}

/**
 * Value conservation (design contract 4): collateral + unrealized PnL - funding owed + insurance
 * fund + fee revenue (trading fees less the insurance fund's share) - uncovered debt not yet resolved =
 * deposits (the insurance fund's and the backstop vault's initial capital included) - withdrawals. O(1) per step from the
 * running totals; every `fullCheckEverySteps` steps the totals are recomputed from every account,
 * and trader collateral is checked to be non-negative.
 */
export class ConservationCheck {
  constructor(
    private readonly cfg: Config['invariants'],
    private readonly seed: number,
  ) {}

  /**
   * Checks one venue, or the markets of a multi-market venue together with the insurance fund they
   * share (`sharedFund`: its initial size is external value no market counted as a deposit).
   */
  check(
    step: number,
    venues: PerpVenue | readonly PerpVenue[],
    full: boolean,
    sharedFund?: { initialUsd: number; usd: number },
  ): void {
    if (!Array.isArray(venues)) {
      this.checkOne(step, venues as PerpVenue, full, true);
      return;
    }
    // Value moves between markets (cross margin) and through the shared fund: conservation holds for the sum.
    let held = sharedFund ? sharedFund.usd : 0;
    let external = sharedFund ? sharedFund.initialUsd : 0;
    let scale = external;
    for (const v of venues as readonly PerpVenue[]) {
      held += this.held(v, sharedFund === undefined);
      external += v.totals.depositsUsd - v.totals.withdrawalsUsd;
      scale += v.totals.depositsUsd;
    }
    this.compare(step, held, external, Math.max(1, scale));
    for (const v of venues as readonly PerpVenue[]) this.checkOne(step, v, full, false);
  }

  /** Value held by a venue: collateral, unrealized PnL, fees, its own fund, less unresolved debt, USD. */
  private held(venue: PerpVenue, withFund: boolean): number {
    const t = venue.accounts.totals;
    const v = venue.totals;
    const p = venue.oraclePriceUsd;
    const f = venue.fundingIndexUsd;
    const unrealized = p * t.size - t.cost - f * t.size + t.sizeFunding;
    return (
      t.cash +
      unrealized +
      (withFund ? venue.insuranceFundUsd : 0) +
      venue.collateralHeldUsd() +
      v.tradingFeesUsd -
      v.tradingFeesToInsuranceUsd -
      venue.pendingSocializationUsd -
      v.unresolvedBadDebtUsd
    );
  }

  private compare(step: number, held: number, external: number, scale: number): void {
    const gap = held - external;
    if (!Number.isFinite(held) || Math.abs(gap) > this.cfg.tolerance * scale) {
      throw new InvariantError(
        step,
        this.seed,
        `value not conserved: held ${held.toFixed(6)} USD vs deposits - withdrawals ${external.toFixed(6)} USD (gap ${gap.toExponential(3)})`,
      );
    }
  }

  /** Balance of open interest and, on full steps, the running totals of one venue; with `value`, its value conservation too. */
  private checkOne(step: number, venue: PerpVenue, full: boolean, value: boolean): void {
    const a = venue.accounts;
    const t = a.totals;
    const v = venue.totals;
    const p = venue.oraclePriceUsd;
    const tol = this.cfg.tolerance * Math.max(1, v.depositsUsd);
    if (value) this.compare(step, this.held(venue, true), v.depositsUsd - v.withdrawalsUsd, Math.max(1, v.depositsUsd));
    if (Math.abs(t.size * p) > tol)
      throw new InvariantError(step, this.seed, `open interest unbalanced: net size ${t.size} units`);
    if (!full) return;
    const fresh = a.recomputeTotals();
    for (const key of ['cash', 'cost', 'sizeFunding'] as const) {
      if (!(Math.abs(fresh[key] - t[key]) <= tol))
        throw new InvariantError(step, this.seed, `running total '${key}' drifted: ${t[key]} vs ${fresh[key]}`);
    }
    for (let i = 0; i < a.count; i++) {
      if (a.kind[i] === AccountKind.trader && !(a.cash[i] >= -tol))
        throw new InvariantError(step, this.seed, `account ${i} has negative collateral ${a.cash[i]}`);
    }
  }
}
