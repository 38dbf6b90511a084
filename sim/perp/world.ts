// One market's world: its index and book, oracle and spot pool, the venue's margin engine for it,
// breakers, governance, monitoring and the agent populations that trade it, stepped in phases so
// that several markets can share accounts (cross margin) and a step (sim/perp/protocol.ts). No I/O, no clock, no threads.
import { Arbitrageurs } from '../../agents/arbitrageurs.js';
import { Liquidators } from '../../agents/liquidators.js';
import { MarketMakers } from '../../agents/market-makers.js';
import { seedInitialBook, TraderPopulation } from '../../agents/traders.js';
import type { Action, Agent, PreTradeView, WorldView } from '../../agents/types.js';
import type { ShockSchedule } from '../../scenarios/shocks.js';
import { AccountKind, AccountStore, type AccountKindCode } from '../core/accounts.js';
import { PriceBandBreaker } from '../controls/breakers.js';
import type { Config } from '../config/index.js';
import { Governance, Guardian, type GovernablePath } from '../controls/governance.js';
import { Market } from '../market/market.js';
import type { RunEnd } from './statistics.js';
import { createTimeline, type Timeline } from './timeline.js';
import { Monitor, topShare } from '../controls/monitor.js';
import { protocolLossUsd, type AttackReport } from '../attack/attack-ledger.js';
import { AttackSet, layoutAttackers, type PreTradeAction } from '../attack/attackers.js';
import { CollateralBook, collateralAssets } from './collateral.js';
import { Oracle, oracleSources } from '../market/oracle.js';
import { PerpVenue, type InsuranceFund } from './perp-venue.js';
import type { AnyStage, DecisionRound } from '../core/protocol.js';
import type { Stream } from '../core/rng.js';
import { SpotPool } from '../market/spot-pool.js';

/** Account layout shared by every market of a run: the makers' book, arbitrageurs, liquidators, then traders. */
export interface AccountLayout {
  kinds: AccountKindCode[];
  arbIds: number[];
  liqIds: number[];
  traderIds: number[];
  /** Each attacker's accounts (after the traders; README "Attacks"). */
  attackIds: number[][];
  /** The backstop vault's account (after the traders and attackers), or -1. */
  vaultId: number;
}

export function accountLayout(
  agents: Config['agents'],
  withVault = false,
  attackers: Config['attackers'] = [],
): AccountLayout {
  const kinds: AccountKindCode[] = [AccountKind.maker];
  const arbIds: number[] = [];
  const liqIds: number[] = [];
  const traderIds: number[] = [];
  for (let k = 0; k < agents.arbitrageurs.count; k++) arbIds.push(kinds.push(AccountKind.arbitrageur) - 1);
  for (let k = 0; k < agents.liquidators.count; k++) liqIds.push(kinds.push(AccountKind.liquidator) - 1);
  for (let k = 0; k < agents.traders.count; k++) traderIds.push(kinds.push(AccountKind.trader) - 1);
  const attackIds = layoutAttackers(attackers, kinds);
  const vaultId = withVault ? kinds.push(AccountKind.backstop) - 1 : -1;
  return { kinds, arbIds, liqIds, traderIds, attackIds, vaultId };
}

export class MarketWorld {
  readonly accounts: AccountStore;
  readonly market: Market;
  readonly oracle: Oracle;
  readonly pool: SpotPool;
  readonly venue: PerpVenue;
  readonly band: PriceBandBreaker;
  readonly governance: Governance;
  readonly guardian: Guardian;
  readonly monitor: Monitor;
  readonly tl: Timeline;
  readonly view: WorldView;
  staleSteps = 0;
  haltedSteps = 0;
  /** Whether the oracle was stale this step. */
  stale = false;
  private alerts = 0;
  private nextProposal = 0;
  /** The attackers, when the config has some. */
  readonly attack: AttackSet | undefined;
  /** Multi-asset collateral, when `collateral.enabled`. */
  readonly collateral: CollateralBook | undefined;
  /** Places in the collateral list of the assets whose prices the timeline records (-1: none). */
  private readonly stablecoinAsset: number = -1;
  private readonly venueTokenAsset: number = -1;
  /** This market's decision round: its agents decide on its start-of-step view; `order` shuffles their actions. */
  readonly round: DecisionRound<WorldView, Action>;
  private step = 0;

  constructor(
    readonly cfg: Config,
    readonly schedule: ShockSchedule,
    readonly layout: AccountLayout,
    /** The run's random stream of a concern (named per market in a multi-market run). */
    stream: (name: string) => Stream,
    sharedFund?: InsuranceFund,
  ) {
    const steps = cfg.run.steps;
    const ag = cfg.agents;
    this.accounts = new AccountStore(layout.kinds);
    this.market = new Market(cfg.market, cfg.run.stepSeconds, schedule, stream('market.path'), stream('market.jumps'));
    this.oracle = new Oracle(cfg.oracle, cfg.market.initialPriceUsd, stream('oracle.noise'), oracleSources(cfg.oracle));
    this.pool = new SpotPool(cfg.oracle.spotPool, cfg.market.initialPriceUsd);
    this.venue = new PerpVenue(
      cfg.protocol,
      cfg.run.stepSeconds,
      this.accounts,
      this.market,
      0,
      cfg.market.initialPriceUsd,
      cfg.breakers,
      cfg.oracle.confidenceK,
      sharedFund,
    );
    // Drawn only when a random-ranked auto-deleveraging runs, so runs without one are unchanged.
    this.venue.adlStream = stream('adl');
    this.band = new PriceBandBreaker(cfg.breakers.priceBand);
    this.governance = new Governance(cfg.governance);
    this.guardian = new Guardian(cfg.governance.guardian);
    this.monitor = new Monitor(cfg.monitoring, sharedFund ? sharedFund.usd : cfg.protocol.insuranceFundUsd);

    const venue = this.venue;
    venue.deposit(0, ag.marketMakers.capitalUsd);
    for (const i of layout.arbIds) venue.deposit(i, ag.arbitrageurs.capitalUsd);
    for (const i of layout.liqIds) venue.deposit(i, ag.liquidators.capitalUsd);
    if (layout.vaultId >= 0 && cfg.protocol.backstop.enabled) {
      venue.setBackstop(layout.vaultId);
      venue.deposit(layout.vaultId, cfg.protocol.backstop.capitalUsd);
    }
    const oi = cfg.breakers.openInterest;
    seedInitialBook(
      venue,
      layout.traderIds,
      ag.traders,
      cfg.market.initialPriceUsd,
      stream('book'),
      oi.capInitialBook ? oi.maxPerSideUsd : 0,
    );
    if (cfg.collateral.enabled) {
      const assets = collateralAssets(cfg.collateral);
      const names = assets.map((a) => a.name);
      if (names.join() !== schedule.collateralAssets.join())
        throw new Error(
          `collateral assets [${names.join()}] but the shock schedule has [${schedule.collateralAssets.join()}]`,
        );
      const book = (this.collateral = new CollateralBook(
        assets,
        layout.kinds.length,
        cfg.run.stepSeconds,
        assets.map((a) => stream(`collateral.${a.name}`)),
      ));
      postGenesisCollateral(venue, book, layout.traderIds);
      venue.setCollateral(book);
      this.stablecoinAsset = book.indexOfRole('stablecoin');
      this.venueTokenAsset = book.indexOfRole('venueToken');
    }

    const agents: Agent[] = [
      new TraderPopulation(ag.traders, layout.traderIds, stream('traders'), cfg.protocol.initialMarginRate),
      new MarketMakers(ag.marketMakers, 0),
      new Liquidators(
        ag.liquidators,
        layout.liqIds,
        layout.liqIds.map((_, n) => stream(`liquidator.${n}`)),
      ),
      new Arbitrageurs(ag.arbitrageurs, layout.arbIds),
    ];
    this.attack =
      cfg.attackers.length > 0 ? new AttackSet(cfg, layout.attackIds, this.pool, layout.traderIds, stream) : undefined;
    if (this.attack) agents.push(...this.attack.agents);
    const order = stream('schedule');
    const tl = (this.tl = createTimeline(steps));
    const market = this.market;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const world = this;
    this.view = {
      get step() {
        return world.step;
      },
      stepSeconds: cfg.run.stepSeconds,
      market,
      venue,
      // Before step 0 the mark was the initial price; steps before `step` are recorded in the timeline.
      markAt: (k: number) =>
        k >= world.step ? market.markPriceUsd : k < 0 ? cfg.market.initialPriceUsd : tl.mark_price_usd[k],
      get liquidatorOutage() {
        return schedule.liquidatorOutage[world.step];
      },
    };
    this.round = { agents, view: this.view, order };
  }

  /** The index's normal draw for the next step when the markets' draws are correlated (set by the venue). */
  z: number | undefined = undefined;

  /**
   * This market's stages up to the liquidatable scan: governance, the attackers' proposals, the index,
   * collateral and spot pool, the attackers' spot orders, then the oracle, breakers and guards,
   * withdrawal capacity and funding (the attackers' rounds only when the run has attackers).
   */
  preScanStages(): AnyStage[] {
    const stages: AnyStage[] = [{ kind: 'phase', name: 'governance', run: (step) => this.governancePhase(step) }];
    const attack = this.attack;
    if (attack) {
      const view = this.preTradeView(attack);
      stages.push({
        kind: 'round',
        name: 'attacker proposals',
        round: attack.preTradeRound('propose', view),
        apply: (a: PreTradeAction) => {
          if (a.kind === 'propose') this.governance.propose(a.proposal, currentValue(this.venue, a.proposal.path));
        },
      });
    }
    stages.push({ kind: 'phase', name: 'market', run: (step) => this.marketPhase(step) });
    if (attack)
      stages.push({
        kind: 'round',
        name: 'attacker spot orders',
        round: attack.preTradeRound('spot', this.preTradeView(attack)),
        apply: (a: PreTradeAction) => {
          if (a.kind === 'swap') attack.swap(a);
        },
      });
    stages.push({ kind: 'phase', name: 'oracle', run: (step) => this.oraclePhase(step) });
    return stages;
  }

  /** This market's main round: its agents on the start-of-step view, then the backstop and loss resolution. */
  mainStage(): AnyStage {
    return {
      kind: 'round',
      name: 'agents',
      round: this.round,
      apply: (a: Action) => this.venue.apply(a),
      end: () => this.endRound(),
    };
  }

  private preTradeView(attack: AttackSet): PreTradeView {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const world = this;
    return {
      get step() {
        return world.step;
      },
      get indexPriceUsd() {
        return world.market.indexPriceUsd;
      },
      pool: this.pool,
      venue: this.venue,
      holdings: (k) => attack.holdings(k),
    };
  }

  /** Start of a step: counters, and the scenario's governance proposals of this step. */
  private governancePhase(step: number): void {
    this.step = step;
    const { venue, schedule } = this;
    venue.resetCounters();
    // Governance: proposals made at this step are checked and queued (the attackers' follow in their round).
    while (this.nextProposal < schedule.proposals.length && schedule.proposals[this.nextProposal].step === step) {
      const p = schedule.proposals[this.nextProposal++];
      this.governance.propose(p, currentValue(venue, p.path));
    }
  }

  /** Changes whose timelock ends apply; the index moves (`z`: its correlated normal draw); collateral and the spot pool follow. */
  private marketPhase(step: number): void {
    const { venue, market, pool, schedule } = this;
    for (const change of this.governance.due(step)) {
      const error = venue.setParameter(change.path, change.value);
      this.governance.record(step, change.path, change.value, error === '', error || undefined);
    }
    const indexBefore = market.indexPriceUsd;
    market.advance(step, this.z);
    if (this.collateral) {
      const tl = this.tl;
      const oi = step > 0 ? tl.open_interest_long_usd[step - 1] + tl.open_interest_short_usd[step - 1] : 0;
      // The schedule holds one entry per asset per step, in list order.
      const k = this.collateral.assets.length;
      this.collateral.advance(
        Math.log(market.indexPriceUsd / indexBefore),
        schedule.collateralLogReturn.subarray(k * step, k * step + k),
        oi > 0 ? tl.liquidated_notional_usd[step - 1] / oi : 0,
      );
    }
    pool.arbitrage(market.indexPriceUsd);
  }

  /** The oracle reads its sources; breakers and guards decide what the venue refuses; withdrawal capacity and funding. */
  private oraclePhase(step: number): void {
    const { venue, market, oracle, pool, schedule, cfg } = this;
    oracle.update(step, market.indexPriceUsd, market.markPriceUsd, pool.priceUsd, schedule.oracleFrozen[step] === 1);
    venue.setPrices(oracle.priceUsd, market.indexPriceUsd, oracle.confidenceUsd);
    // Circuit breakers and the stale-oracle guard decide what the venue refuses this step.
    const bandHalt = this.band.observe(step, oracle.priceUsd, market.markPriceUsd);
    const stale = (this.stale = oracle.stale);
    if (stale) this.staleSteps++;
    const staleAction = cfg.oracle.staleAction;
    // The guardian acts on the alerts of the previous step (it watches the monitor, with a latency).
    const guard = this.guardian.decide(step, this.alerts);
    venue.tradingHalted =
      bandHalt || guard.pauseTrading || (stale && (staleAction === 'halt-trading' || staleAction === 'halt-all'));
    venue.liquidationsHalted =
      (bandHalt && cfg.breakers.priceBand.haltLiquidations) ||
      guard.pauseLiquidations ||
      (stale && (staleAction === 'halt-liquidations' || staleAction === 'halt-all'));
    venue.withdrawalsHalted = bandHalt && cfg.breakers.priceBand.haltWithdrawals;
    if (venue.tradingHalted) this.haltedSteps++;
    venue.withdrawalLimiter.regenerate(this.accounts.totals.cash);
    venue.accrueFunding(step, market.markPriceUsd);
  }

  /** The liquidatable scan (after every market has its prices: cross margin reads them all). */
  scan(step: number): void {
    this.venue.refreshLiquidatable(step);
  }

  /** After this market's actions: the backstop vault's takeovers, then loss resolution and settlement. */
  endRound(): void {
    this.venue.runBackstop();
    this.venue.endStep();
  }

  /** Records the step in the timeline and lets the monitor observe it. */
  record(step: number): void {
    const { venue, market, oracle, pool, accounts, tl, cfg } = this;
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
    tl.oracle_stale[step] = this.stale ? 1 : 0;
    tl.spot_pool_price_usd[step] = pool.priceUsd;
    const c = this.collateral;
    tl.collateral_value_usd[step] = c ? c.totalMarketValue() : 0;
    tl.stablecoin_price_usd[step] = c && this.stablecoinAsset >= 0 ? c.prices[this.stablecoinAsset] : 1;
    tl.venue_token_price_usd[step] = c && this.venueTokenAsset >= 0 ? c.prices[this.venueTokenAsset] : 0;
    const concentrationDue = cfg.monitoring.enabled && step % cfg.monitoring.concentrationEverySteps === 0;
    this.alerts = this.monitor.observe(step, {
      indexPriceUsd: market.indexPriceUsd,
      oraclePriceUsd: oracle.priceUsd,
      liquidatedNotionalUsd: venue.counters.liquidatedNotionalUsd,
      openInterestUsd: tl.open_interest_long_usd[step] + tl.open_interest_short_usd[step],
      insuranceFundUsd: venue.insuranceFundUsd,
      concentrationShare: concentrationDue
        ? topShare(accounts.size, this.layout.traderIds, cfg.monitoring.concentrationTopAccounts)
        : NaN,
    });
    tl.alerts[step] = this.alerts;
    tl.backstop_equity_usd[step] = venue.backstopEquityUsd();
  }

  /** Negative equity of traders still open at the end (latent bad debt) and traders' total PnL, USD. */
  traderEnd(): { latent: number; traderPnl: number } {
    let latent = 0;
    let traderPnl = 0;
    for (const i of this.layout.traderIds) {
      const e = this.venue.equityAtMarket(i);
      if (e < 0) latent -= e;
      traderPnl += e - this.accounts.netDeposits[i];
    }
    // An attacker's account left underwater is the venue's loss too.
    for (const ids of this.layout.attackIds)
      for (const i of ids) {
        const e = this.venue.equity(i);
        if (e < 0) latent -= e;
      }
    return { latent, traderPnl };
  }

  /** The end-of-run figures of this market (`latent` and `traderPnl` from traderEnd, or cross-margin aware). */
  runEnd(latent: number, traderPnl: number, initialInsuranceUsd: number): RunEnd {
    const venue = this.venue;
    const t = venue.totals;
    return {
      initialInsuranceUsd,
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
      oracleStaleSteps: this.staleSteps,
      breakerTrips: this.band.trips,
      haltedSteps: this.haltedSteps,
      withdrawalsRefusedUsd: venue.withdrawalLimiter.refusedUsd,
      firstAlertStep: this.monitor.firstAlertStep,
      alertSteps: this.monitor.alertSteps,
      governanceChanges: this.governance.applied,
      governanceRefused: this.governance.refused,
      guardianPauses: this.guardian.pauses,
      marginRateMax: venue.marginRateMax,
      marginRebuilds: venue.marginRebuilds,
      marginLeadSteps: venue.marginLeadSteps,
      collateralSeizedUsd: this.collateral ? this.collateral.seizedUsd : 0,
      backstopCapitalUsd: venue.backstopAccount >= 0 ? this.cfg.protocol.backstop.capitalUsd : 0,
      backstopEquityEndUsd: venue.backstopEquityUsd(),
      backstopTakeovers: t.backstopTakeovers,
      adlEvents: t.adlEvents,
      adlNotionalUsd: t.adlNotionalUsd,
      adlResolved: t.adlResolved,
      insuranceFeeInflowUsd: t.tradingFeesToInsuranceUsd + t.liquidationFeesToInsuranceUsd,
      insuranceClaimRoomUsd: venue.insuranceClaimRoomUsd(),
      ...(this.attack ? this.attackEnd() : {}),
      protocolLossUsd: protocolLossUsd(venue, initialInsuranceUsd, latent),
    };
  }

  /** The attackers' accounting (README "Attacks"), once at the end of the run. */
  attackReport(): AttackReport | undefined {
    return (this.attackReportCache ??= this.attack?.report(this.venue, this.market.indexPriceUsd));
  }

  private attackReportCache: AttackReport | undefined;

  private attackEnd(): { attackProfitUsd: number; attackCostUsd: number; attackRoi: number } {
    const r = this.attackReport()!;
    return { attackProfitUsd: r.profitUsd, attackCostUsd: r.costUsd, attackRoi: r.roi };
  }
}

/**
 * Converts part of each trader's genesis margin into the book's collateral assets (each its `share`),
 * grossed up so that the haircut-adjusted margin equals the cash posted before (traders post more of a
 * haircut asset).
 */
export function postGenesisCollateral(venue: PerpVenue, book: CollateralBook, traderIds: readonly number[]): void {
  const shares = book.assets.map((a) => a.share);
  const haircutShare = book.assets.reduce((s, a) => s + a.share * a.haircut, 0);
  const grossUp = 1 / (1 - haircutShare);
  for (const i of traderIds) {
    const cash = venue.accounts.cash[i];
    if (!(cash > 0)) continue;
    venue.deposit(i, cash * (grossUp - 1));
    shares.forEach((share, a) => venue.postCollateral(i, a, share * cash * grossUp, book));
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
