// The step loop: (scenario, config, seed) -> RunResult, a pure function. Builds the world, then
// each step: shocks and market, oracle, funding, liquidatable scan, agents decide on the same
// start-of-step view, actions applied in a seeded shuffled order, loss resolution, metrics and the
// conservation check. No I/O, no clock, no threads.
import { Arbitrageurs } from '../agents/arbitrageurs.js';
import { Liquidators } from '../agents/liquidators.js';
import { MarketMakers } from '../agents/market-makers.js';
import { seedInitialBook, TraderPopulation } from '../agents/traders.js';
import type { Action, Agent, WorldView } from '../agents/types.js';
import type { PriceSeries } from '../scenarios/price-series.js';
import type { Shock } from '../scenarios/schema.js';
import { compileShocks } from '../scenarios/shocks.js';
import { AccountKind, AccountStore, type AccountKindCode } from './accounts.js';
import type { Config } from './config.js';
import { InvariantError } from './errors.js';
import { Market } from './market.js';
import { computeRunStats, createTimeline, type RunStats, type Timeline } from './metrics.js';
import { Oracle } from './oracle.js';
import { PriceBandBreaker } from './breakers.js';
import { protocolLossUsd, type AttackReport } from './attack-ledger.js';
import { AttackSet, layoutAttackers } from './attackers.js';
import { SpotPool } from './spot-pool.js';
import { Governance, Guardian, type GovernablePath, type GovernanceEvent } from './governance.js';
import { Monitor, topShare } from './monitor.js';
import { PerpVenue, type RefusalReason } from './perp-venue.js';
import { streamFor } from './rng.js';

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
  const steps = cfg.run.steps;
  const schedule = compileShocks(
    scenario.shocks,
    new Map(scenario.series),
    steps,
    cfg.run.stepSeconds,
    scenario.source,
  );

  // Account layout: the makers' book, arbitrageurs, liquidators, then traders.
  const ag = cfg.agents;
  const kinds: AccountKindCode[] = [AccountKind.maker];
  const arbIds: number[] = [];
  const liqIds: number[] = [];
  const traderIds: number[] = [];
  for (let k = 0; k < ag.arbitrageurs.count; k++) arbIds.push(kinds.push(AccountKind.arbitrageur) - 1);
  for (let k = 0; k < ag.liquidators.count; k++) liqIds.push(kinds.push(AccountKind.liquidator) - 1);
  for (let k = 0; k < ag.traders.count; k++) traderIds.push(kinds.push(AccountKind.trader) - 1);
  const attackIds = layoutAttackers(cfg.attackers, kinds);
  const accounts = new AccountStore(kinds);

  const market = new Market(
    cfg.market,
    cfg.run.stepSeconds,
    schedule,
    streamFor(seed, 'market.path'),
    streamFor(seed, 'market.jumps'),
  );
  const oracle = new Oracle(cfg.oracle, cfg.market.initialPriceUsd, streamFor(seed, 'oracle.noise'));
  const pool = new SpotPool(cfg.oracle.spotPool, cfg.market.initialPriceUsd);
  const venue = new PerpVenue(
    cfg.protocol,
    cfg.run.stepSeconds,
    accounts,
    market,
    0,
    cfg.market.initialPriceUsd,
    cfg.breakers,
    cfg.oracle.confidenceK,
  );
  const band = new PriceBandBreaker(cfg.breakers.priceBand);
  const staleAction = cfg.oracle.staleAction;
  let staleSteps = 0;
  let haltedSteps = 0;
  const governance = new Governance(cfg.governance);
  const guardian = new Guardian(cfg.governance.guardian);
  const monitor = new Monitor(cfg.monitoring, cfg.protocol.insuranceFundUsd);
  let alerts = 0;
  let nextProposal = 0;

  venue.deposit(0, ag.marketMakers.capitalUsd);
  for (const i of arbIds) venue.deposit(i, ag.arbitrageurs.capitalUsd);
  for (const i of liqIds) venue.deposit(i, ag.liquidators.capitalUsd);
  seedInitialBook(venue, traderIds, ag.traders, cfg.market.initialPriceUsd, streamFor(seed, 'book'));

  const agents: Agent[] = [
    new TraderPopulation(ag.traders, traderIds, streamFor(seed, 'traders'), cfg.protocol.initialMarginRate),
    new MarketMakers(ag.marketMakers, 0),
    new Liquidators(
      ag.liquidators,
      liqIds,
      liqIds.map((_, n) => streamFor(seed, `liquidator.${n}`)),
    ),
    new Arbitrageurs(ag.arbitrageurs, arbIds),
  ];
  const attack = cfg.attackers.length > 0 ? new AttackSet(cfg, attackIds, pool, traderIds, seed) : undefined;
  if (attack) agents.push(...attack.agents);
  const order = streamFor(seed, 'schedule');
  const tl = createTimeline(steps);
  let step = 0;
  const view: WorldView = {
    get step() {
      return step;
    },
    stepSeconds: cfg.run.stepSeconds,
    market,
    venue,
    // Before step 0 the mark was the initial price; steps before `step` are recorded in the timeline.
    markAt: (k: number) =>
      k >= step ? market.markPriceUsd : k < 0 ? cfg.market.initialPriceUsd : tl.mark_price_usd[k],
    get liquidatorOutage() {
      return schedule.liquidatorOutage[step];
    },
  };
  const conservation = new ConservationCheck(cfg.invariants, seed);
  const actions: Action[] = [];

  for (step = 0; step < steps; step++) {
    venue.resetCounters();
    // Governance: proposals made at this step are checked and queued; changes whose timelock ends apply.
    while (nextProposal < schedule.proposals.length && schedule.proposals[nextProposal].step === step) {
      const p = schedule.proposals[nextProposal++];
      governance.propose(p, currentValue(venue, p.path));
    }
    if (attack) for (const p of attack.proposals(step)) governance.propose(p, currentValue(venue, p.path));
    for (const change of governance.due(step)) {
      const error = venue.setParameter(change.path, change.value);
      governance.record(step, change.path, change.value, error === '', error || undefined);
    }
    market.advance(step);
    pool.arbitrage(market.indexPriceUsd);
    attack?.beforeOracle(step, venue, market.indexPriceUsd);
    oracle.update(step, market.indexPriceUsd, market.markPriceUsd, pool.priceUsd, schedule.oracleFrozen[step] === 1);
    venue.setPrices(oracle.priceUsd, market.indexPriceUsd, oracle.confidenceUsd);
    // Circuit breakers and the stale-oracle guard decide what the venue refuses this step.
    const bandHalt = band.observe(step, oracle.priceUsd, market.markPriceUsd);
    const stale = oracle.stale;
    if (stale) staleSteps++;
    // The guardian acts on the alerts of the previous step (it watches the monitor, with a latency).
    const guard = guardian.decide(step, alerts);
    venue.tradingHalted =
      bandHalt || guard.pauseTrading || (stale && (staleAction === 'halt-trading' || staleAction === 'halt-all'));
    venue.liquidationsHalted =
      (bandHalt && cfg.breakers.priceBand.haltLiquidations) ||
      guard.pauseLiquidations ||
      (stale && (staleAction === 'halt-liquidations' || staleAction === 'halt-all'));
    venue.withdrawalsHalted = bandHalt && cfg.breakers.priceBand.haltWithdrawals;
    if (venue.tradingHalted) haltedSteps++;
    venue.withdrawalLimiter.regenerate(accounts.totals.cash);
    venue.accrueFunding(step, market.markPriceUsd);
    venue.refreshLiquidatable(step);

    actions.length = 0;
    for (const agent of agents) agent.decide(view, actions);
    order.shuffle(actions);
    for (const action of actions) venue.apply(action);
    venue.endStep();

    const mark = market.markPriceUsd;
    tl.step[step] = step;
    tl.time_s[step] = step * cfg.run.stepSeconds;
    tl.index_price_usd[step] = market.indexPriceUsd;
    tl.mark_price_usd[step] = mark;
    tl.oracle_price_usd[step] = oracle.priceUsd;
    tl.basis_pct[step] = 100 * market.basisLog;
    tl.depth_usd_per_pct[step] = market.depthUsdPerPct;
    tl.open_interest_long_usd[step] = accounts.totals.traderLong * oracle.priceUsd;
    tl.open_interest_short_usd[step] = accounts.totals.traderShort * oracle.priceUsd;
    tl.liquidations[step] = venue.counters.liquidations;
    tl.liquidated_notional_usd[step] = venue.counters.liquidatedNotionalUsd;
    tl.induced_liquidations[step] = venue.counters.inducedLiquidations;
    tl.liquidatable_accounts[step] = venue.pendingLiquidations();
    tl.insurance_fund_usd[step] = venue.insuranceFundUsd;
    tl.bad_debt_usd[step] = venue.totals.badDebtUsd;
    tl.uncovered_bad_debt_usd[step] = venue.totals.uncoveredBadDebtUsd;
    tl.socialized_loss_usd[step] = venue.totals.socializedLossUsd;
    tl.funding_rate[step] = venue.lastFundingRate;
    tl.oracle_updated[step] = oracle.updatedThisStep ? 1 : 0;
    tl.refused_actions[step] = venue.counters.refused;
    tl.halted[step] = venue.tradingHalted ? 1 : 0;
    tl.oracle_stale[step] = stale ? 1 : 0;
    tl.spot_pool_price_usd[step] = pool.priceUsd;
    const concentrationDue = cfg.monitoring.enabled && step % cfg.monitoring.concentrationEverySteps === 0;
    alerts = monitor.observe(step, {
      indexPriceUsd: market.indexPriceUsd,
      oraclePriceUsd: oracle.priceUsd,
      liquidatedNotionalUsd: venue.counters.liquidatedNotionalUsd,
      openInterestUsd: tl.open_interest_long_usd[step] + tl.open_interest_short_usd[step],
      insuranceFundUsd: venue.insuranceFundUsd,
      concentrationShare: concentrationDue
        ? topShare(accounts.size, traderIds, cfg.monitoring.concentrationTopAccounts)
        : NaN,
    });
    tl.alerts[step] = alerts;

    conservation.check(step, venue, step % cfg.invariants.fullCheckEverySteps === 0 || step === steps - 1);
    if (step === cfg.invariants.faultInjectionStep)
      throw new InvariantError(step, seed, 'fault injected by invariants.faultInjectionStep');
  }

  let latent = 0;
  let traderPnl = 0;
  for (const i of traderIds) {
    const e = venue.equity(i);
    if (e < 0) latent -= e;
    traderPnl += e - accounts.netDeposits[i];
  }
  for (const ids of attackIds)
    for (const i of ids) {
      const e = venue.equity(i);
      if (e < 0) latent -= e;
    }
  const attackReport = attack?.report(venue, market.indexPriceUsd);
  const t = venue.totals;
  const stats = computeRunStats(
    tl,
    {
      initialInsuranceUsd: cfg.protocol.insuranceFundUsd,
      realizedBadDebtUsd: t.badDebtUsd,
      realizedUncoveredUsd: t.uncoveredBadDebtUsd,
      latentBadDebtUsd: latent,
      socializedLossUsd: t.socializedLossUsd,
      honestTraderPnlUsd: traderPnl,
      protocolFeesUsd: t.tradingFeesUsd + t.liquidationFeesToInsuranceUsd,
      liquidations: t.liquidations,
      liquidatedNotionalUsd: t.liquidatedNotionalUsd,
      inducedLiquidations: t.inducedLiquidations,
      refusedActions: Object.values(t.refusals).reduce((s, v) => s + v, 0),
      oracleStaleSteps: staleSteps,
      breakerTrips: band.trips,
      haltedSteps,
      withdrawalsRefusedUsd: venue.withdrawalLimiter.refusedUsd,
      firstAlertStep: monitor.firstAlertStep,
      alertSteps: monitor.alertSteps,
      governanceChanges: governance.applied,
      governanceRefused: governance.refused,
      guardianPauses: guardian.pauses,
      marginRateMax: venue.marginRateMax,
      marginRebuilds: venue.marginRebuilds,
      marginLeadSteps: venue.marginLeadSteps,
      attackProfitUsd: attackReport?.profitUsd ?? 0,
      attackCostUsd: attackReport?.costUsd ?? 0,
      attackRoi: attackReport?.roi ?? 0,
      protocolLossUsd: protocolLossUsd(venue, cfg.protocol.insuranceFundUsd, latent),
    },
    cfg.metrics,
  );
  return {
    scenario: scenario.name,
    seed,
    steps,
    stepSeconds: cfg.run.stepSeconds,
    stats,
    timeline: tl,
    refusals: { ...t.refusals },
    shockStarts: schedule.shockStarts,
    accounts: { traders: traderIds.length, total: accounts.count },
    events: {
      breakerTripSteps: band.tripSteps,
      guardianPauseSteps: guardian.pauseSteps,
      governance: governance.events,
    },
    ...(attackReport ? { attack: attackReport } : {}),
  };
}

/**
 * Value conservation (design contract 4): collateral + unrealized PnL - funding owed + insurance
 * fund + fees - uncovered debt not yet resolved = deposits - withdrawals. O(1) per step from the
 * running totals; every `fullCheckEverySteps` steps the totals are recomputed from every account,
 * and trader collateral is checked to be non-negative.
 */
export class ConservationCheck {
  constructor(
    private readonly cfg: Config['invariants'],
    private readonly seed: number,
  ) {}

  check(step: number, venue: PerpVenue, full: boolean): void {
    const a = venue.accounts;
    const t = a.totals;
    const v = venue.totals;
    const p = venue.oraclePriceUsd;
    const f = venue.fundingIndexUsd;
    const scale = Math.max(1, v.depositsUsd);
    const tol = this.cfg.tolerance * scale;
    const unrealized = p * t.size - t.cost - f * t.size + t.sizeFunding;
    const held =
      t.cash +
      unrealized +
      venue.insuranceFundUsd +
      v.tradingFeesUsd -
      venue.pendingSocializationUsd -
      v.unresolvedBadDebtUsd;
    const external = v.depositsUsd - v.withdrawalsUsd;
    const gap = held - external;
    if (!Number.isFinite(held) || Math.abs(gap) > tol) {
      throw new InvariantError(
        step,
        this.seed,
        `value not conserved: held ${held.toFixed(6)} USD vs deposits - withdrawals ${external.toFixed(6)} USD (gap ${gap.toExponential(3)})`,
      );
    }
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

/** The current value of a governable parameter in the venue. */
function currentValue(venue: PerpVenue, path: GovernablePath): number {
  switch (path) {
    case 'protocol.maintenanceMarginRate':
      return venue.maintenanceMarginRate;
    case 'protocol.initialMarginRate':
      return venue.initialMarginRate;
    case 'protocol.liquidationFeeRate':
      return venue.liquidationFeeRate;
    case 'protocol.liquidatorFeeShare':
      return venue.liquidatorFeeShare;
    case 'protocol.takerFeeRate':
      return venue.takerFeeRate;
    case 'breakers.maxLiquidationNotionalPerStepUsd':
      return venue.liquidationCapUsd;
    case 'breakers.openInterest.maxPerSideUsd':
      return venue.openInterestCapUsd;
  }
}
