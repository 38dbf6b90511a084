// Per-step timeline recording and the run statistics computed from it. Reads the world after each
// step; never changes it. Column and statistic names are the public output contract (README).
import type { Config } from '../config/index.js';

/** Timeline columns, in output order, each with its unit in the name. */
export const TIMELINE_COLUMNS = [
  'step',
  'time_s',
  'index_price_usd',
  'mark_price_usd',
  'oracle_price_usd',
  'basis_pct',
  'depth_usd_per_pct',
  'open_interest_long_usd',
  'open_interest_short_usd',
  'liquidations',
  'liquidated_notional_usd',
  'induced_liquidations',
  'liquidatable_accounts',
  'insurance_fund_usd',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
  'socialized_loss_usd',
  'funding_rate',
  'oracle_updated',
  'refused_actions',
  'halted',
  'oracle_stale',
  'spot_pool_price_usd',
  'alerts',
  'collateral_value_usd',
  'stablecoin_price_usd',
  'venue_token_price_usd',
  'backstop_equity_usd',
] as const;

export type TimelineColumn = (typeof TIMELINE_COLUMNS)[number];

/** Columns repeated per market in a multi-market run's timeline.csv, as `<market>.<column>`. */
export const MARKET_TIMELINE_COLUMNS = [
  'index_price_usd',
  'mark_price_usd',
  'oracle_price_usd',
  'open_interest_long_usd',
  'open_interest_short_usd',
  'liquidations',
  'liquidated_notional_usd',
  'liquidatable_accounts',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
  'halted',
] as const satisfies readonly TimelineColumn[];

/** One Float64Array per column, one entry per step. Plain data: safe to pass between threads. */
export type Timeline = Record<TimelineColumn, Float64Array>;

export function createTimeline(steps: number): Timeline {
  const t = {} as Timeline;
  for (const c of TIMELINE_COLUMNS) t[c] = new Float64Array(steps);
  return t;
}

/** Run statistic names, in output order (README defines each). */
export const RUN_STAT_KEYS = [
  'insolvent',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
  'latent_bad_debt_usd',
  'insurance_fund_min_usd',
  'insurance_fund_end_usd',
  'insurance_drawdown_pct',
  'liquidations',
  'liquidated_notional_usd',
  'induced_liquidations',
  'cascade_waves',
  'longest_wave_steps',
  'amplification',
  'index_drawdown_pct',
  'mark_drawdown_pct',
  'oracle_drawdown_pct',
  'max_oracle_deviation_pct',
  'socialized_loss_usd',
  'honest_trader_pnl_usd',
  'protocol_fees_usd',
  'refused_actions',
  'oracle_stale_steps',
  'breaker_trips',
  'halted_steps',
  'withdrawals_refused_usd',
  'alert_steps',
  'first_alert_step',
  'alert_lead_steps',
  'detected',
  'false_alarm',
  'governance_changes',
  'governance_refused',
  'guardian_pauses',
  'margin_rate_max',
  'margin_rebuilds',
  'margin_lead_steps',
  'collateral_seized_usd',
  'backstop_pnl_usd',
  'backstop_equity_end_usd',
  'backstop_takeovers',
  'adl_events',
  'adl_notional_usd',
  'adl_resolved_positions',
  'insurance_fee_inflow_usd',
  'attack_profit_usd',
  'attack_cost_usd',
  'attack_roi',
  'protocol_loss_usd',
] as const;

export type RunStatKey = (typeof RUN_STAT_KEYS)[number];
export type RunStats = Record<RunStatKey, number>;

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

/** End-of-run figures the statistics need besides the timeline. */
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

export function computeRunStats(tl: Timeline, end: RunEnd, cfg: Config['metrics']): RunStats {
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
  const uncovered = end.realizedUncoveredUsd + latentUncovered;
  const ddIndex = maxDrawdown(tl.index_price_usd);
  const ddMark = maxDrawdown(tl.mark_price_usd);
  const ddOracle = maxDrawdown(tl.oracle_price_usd);
  const waves = cascadeWaves(tl.liquidations, cfg.waveGapSteps);
  return {
    insolvent: uncovered > 0 ? 1 : 0,
    bad_debt_usd: end.realizedBadDebtUsd + end.latentBadDebtUsd,
    uncovered_bad_debt_usd: uncovered,
    latent_bad_debt_usd: end.latentBadDebtUsd,
    insurance_fund_min_usd: fundMin,
    insurance_fund_end_usd: fundEnd,
    insurance_drawdown_pct: 100 * fundDrawdown,
    liquidations: end.liquidations,
    liquidated_notional_usd: end.liquidatedNotionalUsd,
    induced_liquidations: end.inducedLiquidations,
    cascade_waves: waves.waves,
    longest_wave_steps: waves.longest,
    // The index drawdown is floored at 1% so a run whose index never fell does not divide by ~0.
    amplification: Math.max(ddMark, ddOracle) / Math.max(ddIndex, 0.01),
    index_drawdown_pct: 100 * ddIndex,
    mark_drawdown_pct: 100 * ddMark,
    oracle_drawdown_pct: 100 * ddOracle,
    max_oracle_deviation_pct: 100 * maxDev,
    socialized_loss_usd: end.socializedLossUsd,
    honest_trader_pnl_usd: end.honestTraderPnlUsd,
    protocol_fees_usd: end.protocolFeesUsd,
    refused_actions: end.refusedActions,
    oracle_stale_steps: end.oracleStaleSteps,
    breaker_trips: end.breakerTrips,
    halted_steps: end.haltedSteps,
    withdrawals_refused_usd: end.withdrawalsRefusedUsd,
    ...alertStats(
      tl,
      end.firstAlertStep,
      end.alertSteps,
      end.realizedBadDebtUsd + end.latentBadDebtUsd,
      latentUncovered > 0,
    ),
    governance_changes: end.governanceChanges,
    governance_refused: end.governanceRefused,
    guardian_pauses: end.guardianPauses,
    margin_rate_max: end.marginRateMax,
    margin_rebuilds: end.marginRebuilds,
    margin_lead_steps: end.marginLeadSteps,
    collateral_seized_usd: end.collateralSeizedUsd,
    backstop_pnl_usd: end.backstopEquityEndUsd - end.backstopCapitalUsd,
    backstop_equity_end_usd: end.backstopEquityEndUsd,
    backstop_takeovers: end.backstopTakeovers,
    adl_events: end.adlEvents,
    adl_notional_usd: end.adlNotionalUsd,
    adl_resolved_positions: end.adlResolved,
    insurance_fee_inflow_usd: end.insuranceFeeInflowUsd,
    attack_profit_usd: end.attackProfitUsd ?? 0,
    attack_cost_usd: end.attackCostUsd ?? 0,
    attack_roi: end.attackRoi ?? 0,
    protocol_loss_usd: end.protocolLossUsd ?? 0,
  };
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
