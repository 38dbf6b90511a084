// What `cascade run` writes and prints: timeline.csv, summary.json and a readable summary.
// Reads a RunResult; never the world.
import type { Config } from '../sim/config/index.js';
import type { RunResult } from '../sim/engine.js';
import { formatNumber, toCsv } from './format.js';

export function timelineCsv(result: RunResult): string {
  // The timeline's columns are in the registry's order (sim/perp/timeline.ts).
  const header: string[] = Object.keys(result.timeline);
  const columns: Float64Array[] = Object.values(result.timeline);
  // A multi-market run adds each market's own columns after the venue's.
  for (const { name, timeline } of result.marketTimelines)
    for (const [c, values] of Object.entries(timeline)) {
      header.push(`${name}.${c}`);
      columns.push(values);
    }
  const rows: number[][] = [];
  for (let t = 0; t < result.steps; t++) rows.push(columns.map((col) => col[t]));
  return toCsv(header, rows);
}

/** The summary object: run identity, every statistic, refusal counts and the resolved config. */
export function summaryObject(result: RunResult, config: Config, source: string, version: string) {
  const stats: Record<string, number> = {};
  // The statistics are in the registry's order (sim/perp/statistics.ts).
  for (const [k, v] of Object.entries(result.stats)) stats[k] = Number(formatNumber(v));
  return {
    scenario: result.scenario,
    source,
    seed: result.seed,
    steps: result.steps,
    step_seconds: result.stepSeconds,
    trader_accounts: result.accounts.traders,
    ...stats,
    refused_by_reason: result.refusals,
    shocks: result.shockStarts,
    breaker_trip_steps: result.events.breakerTripSteps,
    guardian_pause_steps: result.events.guardianPauseSteps,
    governance_events: result.events.governance,
    // The attackers' accounting and closure terms (README "Attacks"), only when the run has attackers.
    ...(result.attack ? { attack: result.attack } : {}),
    cascade_version: version,
    config,
  };
}

export function summaryJson(result: RunResult, config: Config, source: string, version: string): string {
  return JSON.stringify(summaryObject(result, config, source, version), null, 2) + '\n';
}

const usd = (x: number) =>
  Math.abs(x) >= 1e6
    ? `$${(x / 1e6).toFixed(2)}M`
    : Math.abs(x) >= 1e3
      ? `$${(x / 1e3).toFixed(1)}k`
      : `$${x.toFixed(2)}`;

/** A readable block for the terminal. */
export function summaryText(result: RunResult): string {
  if (result.family === 'lending') return lendingSummaryText(result);
  if (result.family === 'contagion') return contagionSummaryText(result);
  if (result.family === 'cdp') return cdpSummaryText(result);
  const s = result.stats;
  const hours = (result.steps * result.stepSeconds) / 3600;
  const lines = [
    `cascade run: ${result.scenario}  seed ${result.seed}  ${result.steps} steps x ${result.stepSeconds}s (${hours.toFixed(1)} h)  ${result.accounts.traders} traders`,
    '',
    `  insolvent                ${s.insolvent ? 'YES' : 'no'}`,
    `  bad debt                 ${usd(s.bad_debt_usd)}  (uncovered ${usd(s.uncovered_bad_debt_usd)}, latent at end ${usd(s.latent_bad_debt_usd)})`,
    `  insurance fund           min ${usd(s.insurance_fund_min_usd)}, end ${usd(s.insurance_fund_end_usd)}, drawdown ${s.insurance_drawdown_pct.toFixed(1)}%`,
    `  liquidations             ${s.liquidations} (${usd(s.liquidated_notional_usd)}), induced ${s.induced_liquidations}`,
    `  cascade                  ${s.cascade_waves} waves, longest ${s.longest_wave_steps} steps, amplification ${s.amplification.toFixed(2)}x`,
    `  drawdowns                index ${s.index_drawdown_pct.toFixed(1)}%, mark ${s.mark_drawdown_pct.toFixed(1)}%, oracle ${s.oracle_drawdown_pct.toFixed(1)}%`,
    `  max oracle deviation     ${s.max_oracle_deviation_pct.toFixed(2)}%`,
    `  socialized loss          ${usd(s.socialized_loss_usd)}`,
    `  honest trader PnL        ${usd(s.honest_trader_pnl_usd)}`,
    `  protocol fees            ${usd(s.protocol_fees_usd)}`,
    `  refused actions          ${s.refused_actions}`,
  ];
  if (result.attack)
    lines.push(
      `  attack                   profit ${usd(s.attack_profit_usd)} (cost ${usd(s.attack_cost_usd)}, ROI ${(100 * s.attack_roi).toFixed(1)}%), protocol loss ${usd(s.protocol_loss_usd)}`,
    );
  return lines.join('\n') + '\n';
}

/** The terminal block of a pool-lending run (sim/lending/statistics.ts). */
function lendingSummaryText(result: RunResult): string {
  const s = result.stats;
  const hours = (result.steps * result.stepSeconds) / 3600;
  const lines = [
    `cascade run: ${result.scenario}  seed ${result.seed}  ${result.steps} steps x ${result.stepSeconds}s (${hours.toFixed(1)} h)  pool lending, ${result.accounts.traders} borrowers and loopers`,
    '',
    `  insolvent                ${s.insolvent ? 'YES' : 'no'}`,
    `  bad debt                 ${usd(s.bad_debt_usd)} written off, latent at end ${usd(s.latent_bad_debt_usd)}, uncovered by reserves ${usd(s.uncovered_bad_debt_usd)}`,
    `  reserves at end          ${usd(s.reserves_end_usd)}`,
    `  liquidations             ${s.liquidations} (${usd(s.liquidated_notional_usd)} of debt), liquidator bonus ${usd(s.liquidator_bonus_usd)}`,
    `  cascade                  ${s.cascade_waves} waves, longest ${s.longest_wave_steps} steps`,
    `  health factor            start p5 ${s.health_factor_start_p5.toFixed(2)}, median ${s.health_factor_start_p50.toFixed(2)}; lowest ${s.min_health_factor.toFixed(2)}`,
    `  at risk (step 0)         ${usd(s.collateral_at_risk_5pct_usd)} within 5%, ${usd(s.collateral_at_risk_10pct_usd)} within 10%`,
    `  drawdowns                collateral ${s.index_drawdown_pct.toFixed(1)}%, oracle ${s.oracle_drawdown_pct.toFixed(1)}%; max oracle deviation ${s.max_oracle_deviation_pct.toFixed(2)}%`,
    `  utilization peak         ${s.utilization_peak_pct.toFixed(1)}%, unmet withdrawals ${usd(s.unmet_withdrawals_usd)} (${s.withdrawal_queue_steps} steps)`,
    `  protocol fees            ${usd(s.protocol_fees_usd)} (interest paid ${usd(s.interest_paid_usd)})`,
    `  refused actions          ${s.refused_actions}`,
  ];
  if (s.attack_profit_usd !== 0 || s.attack_cost_usd !== 0)
    lines.push(
      `  attack                   profit ${usd(s.attack_profit_usd)} (cost ${usd(s.attack_cost_usd)}), protocol loss ${usd(s.protocol_loss_usd)}`,
    );
  return lines.join('\n') + '\n';
}

/** The terminal block of a contagion world (sim/contagion/statistics.ts): the world's figures, then each protocol's. */
function contagionSummaryText(result: RunResult): string {
  const s = result.stats;
  const hours = (result.steps * result.stepSeconds) / 3600;
  const lines = [
    `cascade run: ${result.scenario}  seed ${result.seed}  ${result.steps} steps x ${result.stepSeconds}s (${hours.toFixed(1)} h)  contagion: perp venue + lending pool, ${result.accounts.traders} traders, borrowers and loopers`,
    '',
    `  insolvent                ${s.insolvent ? 'YES' : 'no'} (${s.protocols_insolvent} of the protocols)`,
    `  bad debt                 ${usd(s.bad_debt_usd)} (uncovered ${usd(s.uncovered_bad_debt_usd)})`,
    `  liquidations             ${s.liquidations} (${usd(s.liquidated_notional_usd)})`,
    `  perp flow link           sold ${usd(s.link_flow_sold_usd)}, bought ${usd(s.link_flow_bought_usd)} in ${s.link_flow_steps} steps; DEX drawdown ${s.link_dex_drawdown_pct.toFixed(1)}%`,
    `  perp venue               bad debt ${usd(s.perp_bad_debt_usd)} (uncovered ${usd(s.perp_uncovered_bad_debt_usd)}), ${s.perp_liquidations} liquidations (${usd(s.perp_liquidated_notional_usd)}), insurance drawdown ${s.perp_insurance_drawdown_pct.toFixed(1)}%`,
    `  lending pool             bad debt ${usd(s.lending_bad_debt_usd)} (uncovered ${usd(s.lending_uncovered_bad_debt_usd)}), ${s.lending_liquidations} liquidations (${usd(s.lending_liquidated_notional_usd)} of debt), oracle drawdown ${s.lending_oracle_drawdown_pct.toFixed(1)}%`,
  ];
  return lines.join('\n') + '\n';
}

/** The terminal block of a CDP run (sim/lending/cdp-statistics.ts). */
function cdpSummaryText(result: RunResult): string {
  const s = result.stats;
  const hours = (result.steps * result.stepSeconds) / 3600;
  const lines = [
    `cascade run: ${result.scenario}  seed ${result.seed}  ${result.steps} steps x ${result.stepSeconds}s (${hours.toFixed(1)} h)  CDP stablecoin, ${result.accounts.traders} vaults`,
    '',
    `  insolvent                ${s.insolvent ? 'YES' : 'no'}`,
    `  bad debt                 ${usd(s.bad_debt_usd)}; system debt max ${usd(s.system_debt_max_usd)}, end ${usd(s.system_debt_end_usd)}`,
    `  surplus                  min ${usd(s.surplus_min_usd)}, end ${usd(s.surplus_end_usd)}; debt auctions ${s.debt_auctions} (${s.gov_minted_units.toFixed(1)} gov minted)`,
    `  auctions                 ${s.auctions} kicked, ${s.vaults_liquidated} vaults; mean ${s.auction_mean_duration_min.toFixed(1)} min, price/market ${s.auction_price_to_market.toFixed(3)}, zero-bid share ${s.zero_bid_share.toFixed(3)}`,
    `  keepers                  incentives ${usd(s.keeper_incentives_usd)}, profit ${usd(s.keeper_profit_usd)}, gas ${usd(s.keeper_gas_usd)}`,
    `  stablecoin               max $${s.peg_max_price_usd.toFixed(4)}, min $${s.peg_min_price_usd.toFixed(4)}; ${s.peg_minutes_outside_band.toFixed(0)} min outside 1%; owners bought back ${usd(s.owner_buyback_units)}`,
    `  breaker trips            ${s.breaker_trips}`,
    `  refused actions          ${s.refused_actions}`,
  ];
  if (s.attacker_pnl_usd !== 0) lines.push(`  attackers                PnL ${usd(s.attacker_pnl_usd)}`);
  return lines.join('\n') + '\n';
}
