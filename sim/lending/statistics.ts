// The pool-lending family's run statistics, declared once (sim/core/registry.ts) with unit, meaning
// and the function computing each from the run's timeline and end figures (LendingEnd). Names that
// mean what the perp venue's mean keep its names (insolvent, bad_debt_usd, liquidations, ...), so
// cells.csv, the gate and the report summarise both families alike. Reads a finished run only.
import { defineRegistry, type StatSpec } from '../core/registry.js';
import { cascadeWaves, maxDrawdown } from '../perp/statistics.js';

/** End-of-run figures the statistics need besides the timeline (measured by LendingProtocol.statContext). */
export interface LendingEnd {
  readonly tl: Record<string, Float64Array>;
  /** Cascade waves: quiet steps that do not end a wave (metrics.waveGapSteps). */
  readonly waveGapSteps: number;
  /** Debt written off, USD at the end's oracle prices. */
  readonly badDebtUsd: number;
  /** Debt of accounts whose collateral at market prices is worth less than it at the end, less that collateral, USD. */
  readonly latentBadDebtUsd: number;
  /** The pool's reserves at the end, USD at oracle prices (may be negative in the Compound model). */
  readonly reservesEndUsd: number;
  readonly liquidations: number;
  readonly liquidatedNotionalUsd: number;
  /** Value liquidators received beyond what they repaid (oracle prices), USD. */
  readonly liquidatorBonusUsd: number;
  /** Liquidation protocol fees and the reserve factor's share of interest, USD (oracle prices when taken). */
  readonly protocolFeesUsd: number;
  /** Interest borrowers accrued, USD (oracle prices when accrued). */
  readonly interestUsd: number;
  /** Collateral of accounts liquidatable after a 5% (10%) fall of every collateral price at step 0, USD. */
  readonly atRisk5Usd: number;
  readonly atRisk10Usd: number;
  /** Health factors of the accounts with debt at step 0 and at the end (5th percentile, median). */
  readonly hfStartP5: number;
  readonly hfStartP50: number;
  readonly hfEndP5: number;
  /** Most supplier withdrawals waiting at once, USD (oracle prices). */
  readonly unmetWithdrawalsPeakUsd: number;
  readonly refusedActions: number;
  /** Attackers' profit and cost, USD; 0 without attackers. */
  readonly attackProfitUsd: number;
  readonly attackCostUsd: number;
}

const stat = <N extends string>(
  name: N,
  unit: StatSpec['unit'],
  description: string,
  compute: (c: LendingEnd) => number,
): StatSpec<N, LendingEnd> => ({ name, unit, description, compute });

const last = (v: Float64Array) => (v.length > 0 ? v[v.length - 1] : 0);
const peak = (v: Float64Array) => v.reduce((m, x) => Math.max(m, x), 0);
const uncovered = (c: LendingEnd) => Math.max(0, c.badDebtUsd + c.latentBadDebtUsd - Math.max(0, c.reservesEndUsd));

export const LENDING_STATS = defineRegistry('run statistic', [
  stat(
    'insolvent',
    'flag',
    "1 when bad debt (written off or latent at the end) exceeds the pool's reserves: suppliers bear a loss",
    (c) => (uncovered(c) > 0.005 ? 1 : 0),
  ),
  stat(
    'bad_debt_usd',
    'usd',
    'debt written off without repayment: the Aave reserve deficit, or Compound absorbed debt beyond the credited collateral, at end oracle prices',
    (c) => c.badDebtUsd,
  ),
  stat(
    'uncovered_bad_debt_usd',
    'usd',
    "bad debt (written off plus latent) beyond the pool's reserves at the end: the suppliers' loss",
    uncovered,
  ),
  stat(
    'latent_bad_debt_usd',
    'usd',
    'debt of accounts still open at the end whose collateral at market prices is worth less, less that collateral',
    (c) => c.latentBadDebtUsd,
  ),
  stat(
    'reserves_end_usd',
    'usd',
    "the pool's reserves (treasury) at the end, at oracle prices",
    (c) => c.reservesEndUsd,
  ),
  stat(
    'liquidations',
    'count',
    'liquidations (Aave, each partial one counts) and absorbs (Compound)',
    (c) => c.liquidations,
  ),
  stat(
    'liquidated_notional_usd',
    'usd',
    'debt repaid by liquidators or absorbed, at oracle prices when liquidated',
    (c) => c.liquidatedNotionalUsd,
  ),
  stat(
    'cascade_waves',
    'count',
    'runs of steps with liquidations (gaps of at most metrics.waveGapSteps)',
    (c) => cascadeWaves(c.tl.liquidations, c.waveGapSteps).waves,
  ),
  stat(
    'longest_wave_steps',
    'steps',
    'length of the longest cascade wave',
    (c) => cascadeWaves(c.tl.liquidations, c.waveGapSteps).longest,
  ),
  stat(
    'liquidator_bonus_usd',
    'usd',
    'collateral value liquidators received beyond the debt they repaid, at oracle prices',
    (c) => c.liquidatorBonusUsd,
  ),
  stat(
    'protocol_fees_usd',
    'usd',
    "liquidation protocol fees plus the reserve factor's share of interest, at oracle prices when taken",
    (c) => c.protocolFeesUsd,
  ),
  stat(
    'interest_paid_usd',
    'usd',
    'interest borrowers accrued over the run, at oracle prices when accrued',
    (c) => c.interestUsd,
  ),
  stat(
    'collateral_at_risk_5pct_usd',
    'usd',
    'liquidation at risk: collateral of accounts that a 5% fall of every collateral price would make liquidatable, at step 0',
    (c) => c.atRisk5Usd,
  ),
  stat(
    'collateral_at_risk_10pct_usd',
    'usd',
    'liquidation at risk: collateral of accounts that a 10% fall of every collateral price would make liquidatable, at step 0',
    (c) => c.atRisk10Usd,
  ),
  stat(
    'health_factor_start_p5',
    'ratio',
    '5th percentile of the health factors of accounts with debt at step 0',
    (c) => c.hfStartP5,
  ),
  stat('health_factor_start_p50', 'ratio', 'median health factor of accounts with debt at step 0', (c) => c.hfStartP50),
  stat(
    'health_factor_end_p5',
    'ratio',
    '5th percentile of the health factors of accounts with debt at the end',
    (c) => c.hfEndP5,
  ),
  stat(
    'min_health_factor',
    'ratio',
    'lowest health factor of any account with debt over the run (capped at 100)',
    (c) => c.tl.min_health_factor.reduce((m, x) => Math.min(m, x), 100),
  ),
  stat('utilization_peak_pct', 'pct', 'highest utilization of any reserve over the run', (c) =>
    peak(c.tl.utilization_max_pct),
  ),
  stat(
    'unmet_withdrawals_usd',
    'usd',
    'most supplier withdrawals waiting for cash at once (a bank run at 100% utilization), at oracle prices',
    (c) => c.unmetWithdrawalsPeakUsd,
  ),
  stat('withdrawal_queue_steps', 'steps', 'steps with supplier withdrawals waiting for cash', (c) =>
    c.tl.queued_withdrawals_usd.reduce((n, x) => n + (x > 0 ? 1 : 0), 0),
  ),
  stat(
    'index_drawdown_pct',
    'pct',
    "largest fall of the reference collateral asset's market price",
    (c) => 100 * maxDrawdown(c.tl.index_price_usd),
  ),
  stat(
    'oracle_drawdown_pct',
    'pct',
    "largest fall of the reference collateral asset's oracle price",
    (c) => 100 * maxDrawdown(c.tl.oracle_price_usd),
  ),
  stat(
    'max_oracle_deviation_pct',
    'pct',
    "largest gap between the reference collateral asset's oracle and market prices, relative to the market price",
    (c) => {
      let m = 0;
      const o = c.tl.oracle_price_usd;
      const p = c.tl.index_price_usd;
      for (let t = 0; t < o.length; t++) m = Math.max(m, Math.abs(o[t] - p[t]) / p[t]);
      return 100 * m;
    },
  ),
  stat(
    'refused_actions',
    'count',
    'actions the pool refused (caps, health factor, liquidity, dust, ...)',
    (c) => c.refusedActions,
  ),
  stat(
    'attack_profit_usd',
    'usd',
    "the attackers' profit: what they hold at the end at market prices less their capital",
    (c) => c.attackProfitUsd,
  ),
  stat('attack_cost_usd', 'usd', "the attackers' DEX fees and slippage", (c) => c.attackCostUsd),
  stat(
    'protocol_loss_usd',
    'usd',
    'bad debt written off plus latent bad debt at the end',
    (c) => c.badDebtUsd + c.latentBadDebtUsd,
  ),
  stat('final_debt_usd', 'usd', 'debt outstanding at the end, at oracle prices', (c) => last(c.tl.debt_value_usd)),
]);

export type LendingStatKey = (typeof LENDING_STATS.names)[number];
