// The pool-lending family's timeline columns, declared once (sim/core/registry.ts). The first
// columns keep the perp venue's names where the meaning carries over (the run report reads them):
// the "index" is the reference collateral asset's market price, the "mark" its DEX pool price, the
// "insurance fund" the pool's reserves. Declarations only: no computation.
import { defineRegistry, type ColumnSpec, type Columns } from '../core/registry.js';

const col = (name: string, unit: ColumnSpec['unit'], description: string): ColumnSpec => ({
  name,
  unit,
  across: 'venue',
  description,
});

export const LENDING_COLUMNS = defineRegistry('timeline column', [
  col('step', 'step', 'step index from 0'),
  col('time_s', 's', 'seconds since the start: step times run.stepSeconds'),
  col(
    'index_price_usd',
    'usd',
    "market price of the reference collateral asset (the borrowers' collateral, lending.borrowers.collateralAsset)",
  ),
  col('mark_price_usd', 'usd', "the reference collateral asset's price in its DEX pool (where liquidators sell)"),
  col('oracle_price_usd', 'usd', "the pool's oracle price of the reference collateral asset"),
  col('debt_price_usd', 'usd', "market price of the borrowers' debt asset (lending.borrowers.debtAsset)"),
  col('debt_oracle_price_usd', 'usd', "the pool's oracle price of the borrowers' debt asset"),
  col('collateral_value_usd', 'usd', 'collateral-enabled supply of every account, at oracle prices'),
  col('debt_value_usd', 'usd', 'debt of every account, at oracle prices'),
  col('utilization_max_pct', 'pct', 'the highest utilization of any reserve: debt / (cash + debt)'),
  col('borrow_rate_pct', 'pct', "the debt asset's borrow rate per year"),
  col(
    'liquidatable_accounts',
    'count',
    'accounts with a health factor below 1 at oracle prices, before liquidators act',
  ),
  col('min_health_factor', 'ratio', 'lowest health factor of an account with debt (capped at 100)'),
  col('liquidations', 'count', 'liquidations (Aave) and absorbs (Compound) executed in the step'),
  col('liquidated_notional_usd', 'usd', 'debt repaid or absorbed by liquidations in the step, at oracle prices'),
  col(
    'insurance_fund_usd',
    'usd',
    "the pool's reserves (treasury: reserve-factor interest, liquidation protocol fees; Compound: reserves, may be negative) at oracle prices",
  ),
  col(
    'bad_debt_usd',
    'usd',
    'cumulative debt written off without repayment (Aave reserve deficit; Compound absorbed debt beyond the credited collateral), at oracle prices',
  ),
  col(
    'uncovered_bad_debt_usd',
    'usd',
    "cumulative bad debt beyond the pool's reserves (suppliers bear it), at oracle prices",
  ),
  col('queued_withdrawals_usd', 'usd', 'supplier withdrawals waiting for cash (at 100% utilization), at oracle prices'),
  col('gas_usd', 'usd', "a liquidation's gas cost in the step (gasSpike shocks multiply it)"),
]);

export type LendingColumn = (typeof LENDING_COLUMNS.names)[number];
export type LendingTimeline = Columns<string>;
