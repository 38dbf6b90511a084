// The perpetual-futures venue's timeline columns, declared once (sim/core/registry.ts): name, unit,
// meaning and how a venue of several markets makes its value from its markets'. The worlds write
// them, timeline.csv and the docs read them from here. Declarations only: no computation.
import { createColumns, defineRegistry, type ColumnSpec, type Columns } from '../core/registry.js';

export const PERP_COLUMNS = defineRegistry('timeline column', [
  { name: 'step', unit: 'step', across: 'first', description: 'step index from 0' },
  { name: 'time_s', unit: 's', across: 'first', description: 'seconds since the start: step times run.stepSeconds' },
  {
    name: 'index_price_usd',
    unit: 'usd',
    across: 'first',
    perMarket: true,
    description: 'exogenous reference (index) price',
  },
  {
    name: 'mark_price_usd',
    unit: 'usd',
    across: 'first',
    perMarket: true,
    description: 'venue mark price: the index times exp(basis)',
  },
  {
    name: 'oracle_price_usd',
    unit: 'usd',
    across: 'first',
    perMarket: true,
    description: 'the published oracle price the margin engine uses',
  },
  { name: 'basis_pct', unit: 'pct', across: 'first', description: '100 * ln(mark / index)' },
  {
    name: 'depth_usd_per_pct',
    unit: 'usd_per_pct',
    across: 'first',
    description: 'book notional that moves the mark by 1% at this step',
  },
  {
    name: 'open_interest_long_usd',
    unit: 'usd',
    across: 'sum',
    perMarket: true,
    description: "traders' (and attackers') long size times the oracle price",
  },
  {
    name: 'open_interest_short_usd',
    unit: 'usd',
    across: 'sum',
    perMarket: true,
    description: "traders' (and attackers') short size times the oracle price",
  },
  {
    name: 'liquidations',
    unit: 'count',
    across: 'sum',
    perMarket: true,
    description: 'liquidations executed in the step (each partial one counts)',
  },
  {
    name: 'liquidated_notional_usd',
    unit: 'usd',
    across: 'sum',
    perMarket: true,
    description: 'notional closed by those liquidations, at the oracle price',
  },
  {
    name: 'induced_liquidations',
    unit: 'count',
    across: 'sum',
    description: 'of those, accounts that were not liquidatable at the index price',
  },
  {
    name: 'liquidatable_accounts',
    unit: 'count',
    across: 'sum',
    perMarket: true,
    description:
      'accounts flagged liquidatable and not yet liquidated (a multi-market venue counts account-market pairs)',
  },
  {
    name: 'insurance_fund_usd',
    unit: 'usd',
    across: 'first',
    description: "insurance fund balance (several markets share one fund: every market's column reads it)",
  },
  {
    name: 'bad_debt_usd',
    unit: 'usd',
    across: 'sum',
    perMarket: true,
    description: 'cumulative realized bad debt: shortfall of closed accounts, before the insurance fund',
  },
  {
    name: 'uncovered_bad_debt_usd',
    unit: 'usd',
    across: 'sum',
    perMarket: true,
    description: 'cumulative part of the realized bad debt the insurance fund could not cover',
  },
  {
    name: 'socialized_loss_usd',
    unit: 'usd',
    across: 'sum',
    description: 'cumulative uncovered bad debt charged to accounts in profit',
  },
  {
    name: 'funding_rate',
    unit: 'rate',
    across: 'first',
    description: 'rate of the last funding payment per funding interval (positive: longs pay shorts)',
  },
  { name: 'oracle_updated', unit: 'flag', across: 'first', description: 'whether the oracle published in the step' },
  {
    name: 'refused_actions',
    unit: 'count',
    across: 'sum',
    description: 'agent actions the venue refused in the step',
  },
  {
    name: 'halted',
    unit: 'flag',
    across: 'max',
    perMarket: true,
    description: 'trading was halted in the step (price-band breaker, guardian or stale-oracle guard); any market',
  },
  {
    name: 'oracle_stale',
    unit: 'flag',
    across: 'max',
    description: 'the oracle price was stale (older than oracle.staleAfterSteps); any market',
  },
  {
    name: 'spot_pool_price_usd',
    unit: 'usd',
    across: 'first',
    description: 'price of the thin spot pool (an oracle source under oracle.aggregation: median or pool)',
  },
  {
    name: 'alerts',
    unit: 'bits',
    across: 'or',
    description:
      'monitoring alerts firing: 1 oracle divergence, 2 liquidation rate, 4 insurance drawdown, 8 concentration; the union over markets',
  },
  {
    name: 'collateral_value_usd',
    unit: 'usd',
    across: 'first',
    description: 'market value of all posted collateral assets (0 without collateral.enabled; single market only)',
  },
  {
    name: 'stablecoin_price_usd',
    unit: 'usd',
    across: 'first',
    description: 'price of the collateral stablecoin (1 without collateral)',
  },
  {
    name: 'venue_token_price_usd',
    unit: 'usd',
    across: 'first',
    description: "price of the venue's token as collateral (0 without collateral)",
  },
  {
    name: 'backstop_equity_usd',
    unit: 'usd',
    across: 'sum',
    description: "the backstop vault's equity at the oracle price (0 without a vault)",
  },
] as const satisfies readonly ColumnSpec[]);

export type TimelineColumn = (typeof PERP_COLUMNS.names)[number];

/** One Float64Array per column, one entry per step. Plain data: safe to pass between threads. */
export type Timeline = Columns<TimelineColumn>;

/** A column repeated per market in a multi-market run's timeline.csv, as `<market>.<column>`. */
export type MarketTimelineColumn = Extract<(typeof PERP_COLUMNS.specs)[number], { perMarket: true }>['name'];

/** The columns repeated per market, in registry order. */
export const MARKET_TIMELINE_COLUMNS = PERP_COLUMNS.specs
  .filter((c) => 'perMarket' in c && c.perMarket)
  .map((c) => c.name) as readonly MarketTimelineColumn[];

/** A market's own columns in a multi-market run. */
export type MarketTimeline = Pick<Timeline, MarketTimelineColumn>;

export function createTimeline(steps: number): Timeline {
  return createColumns(PERP_COLUMNS, steps);
}

/** Timeline column names, in output order. */
export const TIMELINE_COLUMNS = PERP_COLUMNS.names;
