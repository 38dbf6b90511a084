// The perpetual-futures venue's run statistics, declared once (sim/core/registry.ts) with their
// unit, meaning and the function that computes each from the run's timeline and end figures; and the
// end figures themselves (RunEnd) with how a venue of several markets adds up its markets' (END_ACROSS).
// runs.csv, summary.json, cells.csv, the gate and the docs read the names and meanings from here.
// Reads a finished run; never changes the world.
import type { Config } from '../config/index.js';
import { computeStats, defineRegistry, type StatSpec } from '../core/registry.js';
import type { Timeline } from './timeline.js';

export {
  createTimeline,
  MARKET_TIMELINE_COLUMNS,
  TIMELINE_COLUMNS,
  PERP_COLUMNS,
  type Timeline,
  type TimelineColumn,
} from './timeline.js';

/** Largest peak-to-trough fall of a series, as a fraction of the peak. */
export function maxDrawdown(series: ArrayLike<number>): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (v > peak) peak = v;
    else if (peak > 0) worst = Math.max(worst, (peak - v) / peak);
  }
  return worst;
}

/** Cascade waves: runs of steps with liquidations, where gaps of at most `gapSteps` quiet steps do not end a run. */
export function cascadeWaves(liquidations: ArrayLike<number>, gapSteps: number): { waves: number; longest: number } {
  let waves = 0;
  let longest = 0;
  let start = -1;
  let last = -Infinity;
  for (let t = 0; t < liquidations.length; t++) {
    if (liquidations[t] <= 0) continue;
    if (t - last - 1 > gapSteps) {
      if (start >= 0) longest = Math.max(longest, last - start + 1);
      waves++;
      start = t;
    }
    last = t;
  }
  if (start >= 0) longest = Math.max(longest, last - start + 1);
  return { waves, longest };
}

/**
 * End-of-run figures the statistics need besides the timeline, one set per market (the world's
 * runEnd) or for the venue (venueEnd). Adding one: the field with its doc comment, its END_ACROSS
 * rule, and the line of MarketWorld.runEnd that measures it.
 */
export interface RunEnd {
  initialInsuranceUsd: number;
  realizedBadDebtUsd: number;
  realizedUncoveredUsd: number;
  /** Negative equity of accounts still open at the end, USD. */
  latentBadDebtUsd: number;
  socializedLossUsd: number;
  honestTraderPnlUsd: number;
  protocolFeesUsd: number;
  liquidations: number;
  liquidatedNotionalUsd: number;
  inducedLiquidations: number;
  refusedActions: number;
  oracleStaleSteps: number;
  breakerTrips: number;
  haltedSteps: number;
  withdrawalsRefusedUsd: number;
  /** First step with a monitoring alert, or -1. */
  firstAlertStep: number;
  alertSteps: number;
  governanceChanges: number;
  governanceRefused: number;
  guardianPauses: number;
  /** Largest market-wide maintenance rate in force (margin models). */
  marginRateMax: number;
  /** Heap rebuilds because the volatility model's rate moved. */
  marginRebuilds: number;
  /** Steps the margin rate passed 1.5x the base maintenance rate before the EWMA volatility's rate did (0 unless both). */
  marginLeadSteps: number;
  /** Collateral assets sold to cover shortfalls, USD. */
  collateralSeizedUsd: number;
  /** The backstop vault's LP capital (0 without a vault), USD. */
  backstopCapitalUsd: number;
  /** The vault's equity at the end at the oracle price (0 without a vault), USD. */
  backstopEquityEndUsd: number;
  /** Positions the vault took over. */
  backstopTakeovers: number;
  /** Opposite positions reduced by auto-deleveraging. */
  adlEvents: number;
  /** Notional of the ADL fills at bankruptcy prices, USD. */
  adlNotionalUsd: number;
  /** Bankrupt positions closed by auto-deleveraging. */
  adlResolved: number;
  /** Fees paid into the insurance fund: its share of trading fees and of liquidation fees, USD. */
  insuranceFeeInflowUsd: number;
  /** What the per-market claim cap still allows the fund to pay at the end, USD; absent or Infinity: no cap. */
  insuranceClaimRoomUsd?: number;
  /** Attackers' profit and cost, USD, and return on capital (fraction); 0 (the default) without attackers (README "Attacks"). */
  attackProfitUsd?: number;
  attackCostUsd?: number;
  attackRoi?: number;
  /** Insurance drawdown + unresolved uncovered + latent bad debt + socialized loss, USD (sim/attack-ledger.ts). */
  protocolLossUsd?: number;
}

/** How the venue's end figure is made from its markets': a registry rule, or a function of the markets' figures and the venue timeline. */
type EndRule = 'first' | 'sum' | 'max' | ((ends: readonly RunEnd[], tl: Timeline) => number);

const stepsWith = (flags: Float64Array) => flags.reduce((s, v) => s + v, 0);

/** Every end figure's rule: the compiler refuses a RunEnd field without one. */
export const END_ACROSS: { readonly [K in keyof Required<RunEnd>]: EndRule } = {
  initialInsuranceUsd: 'first',
  realizedBadDebtUsd: 'sum',
  realizedUncoveredUsd: 'sum',
  latentBadDebtUsd: 'sum',
  socializedLossUsd: 'sum',
  honestTraderPnlUsd: 'sum',
  protocolFeesUsd: 'sum',
  liquidations: 'sum',
  liquidatedNotionalUsd: 'sum',
  inducedLiquidations: 'sum',
  refusedActions: 'sum',
  // Step counts are read off the venue timeline: a step two markets are stale in counts once.
  oracleStaleSteps: (_, tl) => stepsWith(tl.oracle_stale),
  breakerTrips: 'sum',
  haltedSteps: (_, tl) => stepsWith(tl.halted),
  withdrawalsRefusedUsd: 'sum',
  firstAlertStep: (_, tl) => tl.alerts.findIndex((a) => a !== 0),
  alertSteps: (_, tl) => tl.alerts.reduce((s, a) => s + (a !== 0 ? 1 : 0), 0),
  governanceChanges: 'sum',
  governanceRefused: 'sum',
  guardianPauses: 'sum',
  marginRateMax: 'max',
  marginRebuilds: 'sum',
  marginLeadSteps: 'max',
  collateralSeizedUsd: 'sum',
  backstopCapitalUsd: 'sum',
  backstopEquityEndUsd: 'sum',
  backstopTakeovers: 'sum',
  adlEvents: 'sum',
  adlNotionalUsd: 'sum',
  adlResolved: 'sum',
  insuranceFeeInflowUsd: 'sum',
  // The markets' claim caps bound what the shared fund pays each of them: at most min(room, latent) per market.
  insuranceClaimRoomUsd: (ends) =>
    sumOf(ends, (e) => Math.min(e.insuranceClaimRoomUsd ?? Infinity, e.latentBadDebtUsd)),
  // Attackers trade a single market.
  attackProfitUsd: 'sum',
  attackCostUsd: 'sum',
  attackRoi: 'sum',
  // Each market's figure counts the shared fund's drawdown: count it once.
  protocolLossUsd: (ends, tl) =>
    sumOf(ends, (e) => e.protocolLossUsd ?? 0) -
    (ends.length - 1) * Math.max(0, ends[0].initialInsuranceUsd - tl.insurance_fund_usd[tl.step.length - 1]),
};

function sumOf(ends: readonly RunEnd[], f: (e: RunEnd) => number): number {
  return ends.reduce((s, e) => s + f(e), 0);
}

/** The venue's end figures from its markets' by END_ACROSS (the step counts from the venue timeline). */
export function venueEnd(ends: readonly RunEnd[], tl: Timeline): RunEnd {
  const out = {} as Record<keyof RunEnd, number>;
  for (const [key, rule] of Object.entries(END_ACROSS) as [keyof RunEnd, EndRule][]) {
    if (typeof rule === 'function') out[key] = rule(ends, tl);
    else if (rule === 'first') out[key] = ends[0][key] as number;
    else if (rule === 'max') out[key] = Math.max(...ends.map((e) => e[key] ?? 0));
    else if (ends.every((e) => e[key] === undefined)) continue;
    else out[key] = sumOf(ends, (e) => e[key] ?? 0);
  }
  return out as RunEnd;
}

/** What every statistic may read: the timeline, the end figures and the values several statistics share. */
export interface StatContext {
  tl: Timeline;
  end: RunEnd;
  cfg: Config['metrics'];
  fundMinUsd: number;
  fundEndUsd: number;
  fundDrawdown: number;
  maxOracleDeviation: number;
  latentUncoveredUsd: number;
  uncoveredUsd: number;
  ddIndex: number;
  ddMark: number;
  ddOracle: number;
  waves: { waves: number; longest: number };
  alerts: ReturnType<typeof alertStats>;
}

export function statContext(tl: Timeline, end: RunEnd, cfg: Config['metrics']): StatContext {
  const fund = tl.insurance_fund_usd;
  let fundMin = end.initialInsuranceUsd;
  let peak = end.initialInsuranceUsd;
  let fundDrawdown = 0;
  let maxDev = 0;
  for (let t = 0; t < fund.length; t++) {
    fundMin = Math.min(fundMin, fund[t]);
    peak = Math.max(peak, fund[t]);
    if (peak > 0) fundDrawdown = Math.max(fundDrawdown, (peak - fund[t]) / peak);
    const dev = Math.abs(tl.oracle_price_usd[t] - tl.index_price_usd[t]) / tl.index_price_usd[t];
    maxDev = Math.max(maxDev, dev);
  }
  const fundEnd = fund.length ? fund[fund.length - 1] : end.initialInsuranceUsd;
  // The fund covers latent bad debt only within what the claim cap still allows.
  const latentUncovered = Math.max(0, end.latentBadDebtUsd - Math.min(fundEnd, end.insuranceClaimRoomUsd ?? Infinity));
  return {
    tl,
    end,
    cfg,
    fundMinUsd: fundMin,
    fundEndUsd: fundEnd,
    fundDrawdown,
    maxOracleDeviation: maxDev,
    latentUncoveredUsd: latentUncovered,
    uncoveredUsd: end.realizedUncoveredUsd + latentUncovered,
    ddIndex: maxDrawdown(tl.index_price_usd),
    ddMark: maxDrawdown(tl.mark_price_usd),
    ddOracle: maxDrawdown(tl.oracle_price_usd),
    waves: cascadeWaves(tl.liquidations, cfg.waveGapSteps),
    alerts: alertStats(
      tl,
      end.firstAlertStep,
      end.alertSteps,
      end.realizedBadDebtUsd + end.latentBadDebtUsd,
      latentUncovered > 0,
    ),
  };
}

type S = StatSpec<string, StatContext>;
const stat = <const N extends string>(
  name: N,
  unit: S['unit'],
  description: string,
  compute: (c: StatContext) => number,
): StatSpec<N, StatContext> => ({ name, unit, description, compute });

/** The run statistics in output order (runs.csv columns, summary.json keys). */
export const PERP_STATS = defineRegistry('run statistic', [
  stat('insolvent', 'flag', '1 when uncovered_bad_debt_usd > 0', (c) => (c.uncoveredUsd > 0 ? 1 : 0)),
  stat(
    'bad_debt_usd',
    'usd',
    'bad debt before the insurance fund pays: realized bad debt (negative collateral of accounts closed by liquidation or by their owner) plus latent bad debt; what the fund could not cover is uncovered_bad_debt_usd',
    (c) => c.end.realizedBadDebtUsd + c.end.latentBadDebtUsd,
  ),
  stat(
    'uncovered_bad_debt_usd',
    'usd',
    "uncovered bad debt, after the insurance fund pays: realized bad debt the fund could not cover, plus latent bad debt beyond the fund's final balance (or beyond what protocol.insurance.claimCapUsd still allows, if less)",
    (c) => c.uncoveredUsd,
  ),
  stat(
    'latent_bad_debt_usd',
    'usd',
    'negative equity (at the final oracle price) of trader and attacker accounts still open at the end',
    (c) => c.end.latentBadDebtUsd,
  ),
  stat(
    'insurance_fund_min_usd',
    'usd',
    'lowest insurance fund balance over the run (including the start)',
    (c) => c.fundMinUsd,
  ),
  stat('insurance_fund_end_usd', 'usd', 'final insurance fund balance', (c) => c.fundEndUsd),
  stat(
    'insurance_drawdown_pct',
    'pct',
    'largest peak-to-trough fall of the insurance fund, as a share of the peak',
    (c) => 100 * c.fundDrawdown,
  ),
  stat('liquidations', 'count', 'liquidations executed (each partial one counts)', (c) => c.end.liquidations),
  stat(
    'liquidated_notional_usd',
    'usd',
    'notional they closed, at the oracle price',
    (c) => c.end.liquidatedNotionalUsd,
  ),
  stat(
    'induced_liquidations',
    'count',
    "liquidations of accounts whose equity at the index price was still at or above maintenance margin: liquidations the venue's own price (through the oracle's venue weight) caused",
    (c) => c.end.inducedLiquidations,
  ),
  stat(
    'cascade_waves',
    'count',
    'maximal runs of steps with at least one liquidation, where gaps of at most metrics.waveGapSteps quiet steps do not end a run',
    (c) => c.waves.waves,
  ),
  stat(
    'longest_wave_steps',
    'steps',
    'length of the longest wave, first to last liquidation step inclusive',
    (c) => c.waves.longest,
  ),
  stat(
    'amplification',
    'ratio',
    'max(mark drawdown, oracle drawdown) / max(index drawdown, 1%) (largest peak-to-trough falls over the run; the floor keeps a run whose index never fell from dividing by about 0); above 1 the venue fell further than the world',
    // The index drawdown is floored at 1% so a run whose index never fell does not divide by ~0.
    (c) => Math.max(c.ddMark, c.ddOracle) / Math.max(c.ddIndex, 0.01),
  ),
  stat('index_drawdown_pct', 'pct', 'largest peak-to-trough fall of the index', (c) => 100 * c.ddIndex),
  stat('mark_drawdown_pct', 'pct', 'largest peak-to-trough fall of the mark', (c) => 100 * c.ddMark),
  stat('oracle_drawdown_pct', 'pct', 'largest peak-to-trough fall of the oracle', (c) => 100 * c.ddOracle),
  stat(
    'max_oracle_deviation_pct',
    'pct',
    'largest abs(oracle - index) / index over the steps',
    (c) => 100 * c.maxOracleDeviation,
  ),
  stat(
    'socialized_loss_usd',
    'usd',
    'uncovered bad debt charged pro rata to accounts in profit',
    (c) => c.end.socializedLossUsd,
  ),
  stat(
    'honest_trader_pnl_usd',
    'usd',
    'sum over trader accounts of final equity (at the oracle) minus net deposits',
    (c) => c.end.honestTraderPnlUsd,
  ),
  stat(
    'protocol_fees_usd',
    'usd',
    "trading fees plus the insurance fund's share of liquidation fees",
    (c) => c.end.protocolFeesUsd,
  ),
  stat(
    'refused_actions',
    'count',
    'agent actions refused by the venue (margin, slippage limits, ...)',
    (c) => c.end.refusedActions,
  ),
  stat('oracle_stale_steps', 'steps', 'steps with a stale oracle price', (c) => c.end.oracleStaleSteps),
  stat('breaker_trips', 'count', 'price-band breaker trips', (c) => c.end.breakerTrips),
  stat(
    'halted_steps',
    'steps',
    'steps with trading halted (breaker, guardian or stale-oracle guard)',
    (c) => c.end.haltedSteps,
  ),
  stat('withdrawals_refused_usd', 'usd', 'withdrawals refused by the rate limit', (c) => c.end.withdrawalsRefusedUsd),
  stat('alert_steps', 'steps', 'steps with at least one monitoring alert', (c) => c.alerts.alert_steps),
  stat('first_alert_step', 'step', 'first step with an alert, -1 when none', (c) => c.alerts.first_alert_step),
  stat(
    'alert_lead_steps',
    'steps',
    'from the first alert to the first realized uncovered bad debt (negative: the alert came later; 0: either absent)',
    (c) => c.alerts.alert_lead_steps,
  ),
  stat(
    'detected',
    'flag',
    'the run had uncovered bad debt and an alert came at or before its first step (for a run insolvent only through latent bad debt, at or before the last step)',
    (c) => c.alerts.detected,
  ),
  stat('false_alarm', 'flag', 'an alert fired in a run that ended with no bad debt', (c) => c.alerts.false_alarm),
  stat('governance_changes', 'count', 'governance changes applied', (c) => c.end.governanceChanges),
  stat(
    'governance_refused',
    'count',
    'proposals refused by the steward bounds or rejected at execution',
    (c) => c.end.governanceRefused,
  ),
  stat('guardian_pauses', 'count', 'pauses by the emergency guardian', (c) => c.end.guardianPauses),
  stat(
    'margin_rate_max',
    'fraction',
    "largest market-wide maintenance rate in force (the volatility model's rate; otherwise the base rate, including governance changes)",
    (c) => c.end.marginRateMax,
  ),
  stat(
    'margin_rebuilds',
    'count',
    "liquidation-heap rebuilds because the volatility model's rate left its slack",
    (c) => c.end.marginRebuilds,
  ),
  stat(
    'margin_lead_steps',
    'steps',
    'steps from the margin rate first passing 1.5x the base maintenance rate to the rate of the EWMA (realized) volatility alone first passing it; positive: margin moved first; 0 unless both happen (always 0 without volatility.forecast)',
    (c) => c.end.marginLeadSteps,
  ),
  stat(
    'collateral_seized_usd',
    'usd',
    'collateral assets sold at market to cover shortfalls (0 without collateral)',
    (c) => c.end.collateralSeizedUsd,
  ),
  stat(
    'backstop_pnl_usd',
    'usd',
    "the backstop vault's final equity (at the oracle price) minus its capital: the LPs' PnL; 0 without a vault",
    (c) => c.end.backstopEquityEndUsd - c.end.backstopCapitalUsd,
  ),
  stat(
    'backstop_equity_end_usd',
    'usd',
    "the vault's final equity; 0 without a vault",
    (c) => c.end.backstopEquityEndUsd,
  ),
  stat('backstop_takeovers', 'count', 'positions the vault took over', (c) => c.end.backstopTakeovers),
  stat(
    'adl_events',
    'count',
    'opposite positions reduced by auto-deleveraging (one per counterparty fill)',
    (c) => c.end.adlEvents,
  ),
  stat('adl_notional_usd', 'usd', 'notional of those fills at the bankruptcy price', (c) => c.end.adlNotionalUsd),
  stat('adl_resolved_positions', 'count', 'bankrupt positions closed by auto-deleveraging', (c) => c.end.adlResolved),
  stat(
    'insurance_fee_inflow_usd',
    'usd',
    'fees paid into the insurance fund: its share of liquidation fees and of trading fees',
    (c) => c.end.insuranceFeeInflowUsd,
  ),
  stat(
    'attack_profit_usd',
    'usd',
    "the attackers' gain: withdrawn + positive end equity - deposited + spot received - spot paid + spot units held at the index (README Attacks); 0 without attackers",
    (c) => c.end.attackProfitUsd ?? 0,
  ),
  stat(
    'attack_cost_usd',
    'usd',
    "venue trading and liquidation fees and book slippage paid by attacker accounts, plus spot-pool fees and price impact; 0 without attackers (a liquidator's share one attacker account pays another is not counted)",
    (c) => c.end.attackCostUsd ?? 0,
  ),
  stat(
    'attack_roi',
    'fraction',
    "attack_profit_usd over the attackers' total capitalUsd; 0 without attackers",
    (c) => c.end.attackRoi ?? 0,
  ),
  stat(
    'protocol_loss_usd',
    'usd',
    "the insurance fund's drawdown from its initial balance (0 if it grew) + uncovered bad debt left unresolved + latent bad debt + socialized loss: what the venue and its users lose to bad debt (any run, with or without attackers)",
    (c) => c.end.protocolLossUsd ?? 0,
  ),
]);

/** Run statistic names, in output order. */
export const RUN_STAT_KEYS = PERP_STATS.names;
export type RunStatKey = (typeof RUN_STAT_KEYS)[number];
export type RunStats = Record<RunStatKey, number>;

export function computeRunStats(tl: Timeline, end: RunEnd, cfg: Config['metrics']): RunStats {
  return computeStats(PERP_STATS, statContext(tl, end, cfg));
}

/**
 * Monitoring statistics. `alert_lead_steps`: steps from the first alert to the first step with
 * uncovered bad debt (negative when the alert came later; 0 when either never happened).
 * `detected`: 1 when the run had uncovered bad debt and an alert came at or before its first step.
 * `false_alarm`: 1 when an alert fired in a run that ended with no bad debt at all.
 */
export function alertStats(
  tl: Timeline,
  firstAlertStep: number,
  alertSteps: number,
  badDebtUsd: number,
  /** Whether the run ends with latent bad debt beyond the fund (insolvent without a realized uncovered loss). */
  latentInsolvent = false,
): { alert_steps: number; first_alert_step: number; alert_lead_steps: number; detected: number; false_alarm: number } {
  const uncovered = tl.uncovered_bad_debt_usd;
  let firstLoss = -1;
  for (let t = 0; t < uncovered.length; t++) {
    if (uncovered[t] > 0) {
      firstLoss = t;
      break;
    }
  }
  // Insolvent only through latent bad debt: the loss is counted at the end of the run.
  if (firstLoss < 0 && latentInsolvent) firstLoss = uncovered.length - 1;
  const alerted = firstAlertStep >= 0;
  return {
    alert_steps: alertSteps,
    first_alert_step: firstAlertStep,
    alert_lead_steps: alerted && firstLoss >= 0 ? firstLoss - firstAlertStep : 0,
    detected: alerted && firstLoss >= 0 && firstAlertStep <= firstLoss ? 1 : 0,
    false_alarm: alerted && badDebtUsd === 0 ? 1 : 0,
  };
}
