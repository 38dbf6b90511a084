// The contagion world's timeline columns and run statistics (sim/core/registry.ts): a few world
// columns and cross-protocol statistics of its own, then every part's (the perp venue's, the lending
// pool's) prefixed with the part's name (sim/contagion/parts.ts). The world's figures keep the names
// the single-protocol families give them where the meaning carries over (insolvent, bad_debt_usd,
// liquidations, ...), summed over the protocols, so cells.csv, budgets and the reports summarise a
// contagion sweep as they do the others. A world with a `cdp` section has a third part, the CDP
// (CONTAGION_CDP_PARTS), and a few world columns and statistics of its stablecoin link besides: its
// own registries (CONTAGION_CDP_COLUMNS, CONTAGION_CDP_STATS), so a world without one keeps its
// columns to the byte. Declarations only.
import type { ColumnSpec, StatSpec } from '../core/registry.js';
import { CDP_STATS } from '../lending/cdp-statistics.js';
import { CDP_COLUMNS } from '../lending/cdp-timeline.js';
import { LENDING_STATS } from '../lending/statistics.js';
import { LENDING_COLUMNS } from '../lending/timeline.js';
import { PERP_STATS } from '../perp/statistics.js';
import { PERP_COLUMNS } from '../perp/timeline.js';
import { compositeColumns, compositeStats, type CompositeEnd, type PartDecl } from './parts.js';

const PERP_PART: PartDecl = { name: 'perp', label: 'perp venue', columns: PERP_COLUMNS, stats: PERP_STATS };
const LENDING_PART: PartDecl = {
  name: 'lending',
  label: 'lending pool',
  columns: LENDING_COLUMNS,
  stats: LENDING_STATS,
};
const CDP_PART: PartDecl = { name: 'cdp', label: 'CDP', columns: CDP_COLUMNS, stats: CDP_STATS };

/** The parts of a contagion world without a CDP, in step order. */
export const CONTAGION_PARTS: readonly PartDecl[] = [PERP_PART, LENDING_PART];

/** The parts of a contagion world with a CDP, in step order (the CDP steps between the perp venue and the pool). */
export const CONTAGION_CDP_PARTS: readonly PartDecl[] = [PERP_PART, CDP_PART, LENDING_PART];

/** The world's figures besides the parts' statistics (measured by ContagionProtocol). */
export interface ContagionWorld {
  /** USD the perp flow link sold into (bought from) the DEX pool over the run. */
  readonly flowSoldUsd: number;
  readonly flowBoughtUsd: number;
  /** Steps in which the link traded. */
  readonly flowSteps: number;
  /** Largest fall of the flow asset's DEX pool price below its start, percent. */
  readonly flowDexDrawdownPct: number;
  /** With a CDP: its uncovered system debt at the end (sin beyond what running auctions may still raise), units at $1. */
  readonly cdpUncoveredUsd?: number;
  /** With a CDP: the lowest stablecoin clearing price (the stablecoin asset's price with the link), USD. */
  readonly stableMinPriceUsd?: number;
  /** With a CDP: steps whose stablecoin clearing price was below $0.99. */
  readonly stableDepegSteps?: number;
}

export type ContagionEnd = CompositeEnd<ContagionWorld>;

const col = (name: string, unit: ColumnSpec['unit'], description: string): ColumnSpec => ({
  name,
  unit,
  across: 'venue',
  description,
});

/** The world's own timeline columns (the run report reads the first eight under these names). */
export const WORLD_COLUMNS: readonly ColumnSpec[] = [
  col('step', 'step', 'step index from 0'),
  col('time_s', 's', 'seconds since the start: step times run.stepSeconds'),
  col(
    'index_price_usd',
    'usd',
    "the perp venue's index price (the lending assets' common index with links.sharedIndex)",
  ),
  col('mark_price_usd', 'usd', "the perp venue's mark price"),
  col('oracle_price_usd', 'usd', "the perp venue's oracle price"),
  col('liquidations', 'count', 'liquidations of the step, every protocol'),
  col('liquidated_notional_usd', 'usd', 'notional liquidated in the step, every protocol (each in its own terms)'),
  col('insurance_fund_usd', 'usd', "the perp venue's insurance fund plus the lending pool's reserves"),
  col('bad_debt_usd', 'usd', "bad debt so far, every protocol (the perp venue's realized, the pool's written off)"),
  col('uncovered_bad_debt_usd', 'usd', 'uncovered bad debt so far, every protocol'),
  col(
    'link_flow_usd',
    'usd',
    "what the perp flow link sold into the flow asset's DEX pool in the step (negative: bought), USD",
  ),
  col('link_dex_price_usd', 'usd', "the flow asset's DEX pool price right after the link's trade"),
];

/** The CDP's figure standing for a world statistic it has no statistic of its own for. */
const CDP_STANDS_IN: Readonly<Record<string, (c: ContagionEnd) => number>> = {
  uncovered_bad_debt_usd: (c) => c.world.cdpUncoveredUsd ?? 0,
  liquidated_notional_usd: (c) => c.parts.cdp.collateral_sold_usd,
};
const partNames = (c: ContagionEnd) => Object.keys(c.parts);
const partStat = (c: ContagionEnd, p: string, stat: string): number =>
  p === 'cdp' && stat in CDP_STANDS_IN ? CDP_STANDS_IN[stat](c) : c.parts[p][stat];
const sum = (c: ContagionEnd, stat: string) => partNames(c).reduce((s, p) => s + partStat(c, p, stat), 0);
const stat = (
  name: string,
  unit: StatSpec['unit'],
  description: string,
  compute: (c: ContagionEnd) => number,
): StatSpec<string, ContagionEnd> => ({ name, unit, description, compute });

/** The cross-protocol statistics, first in runs.csv. */
export const WORLD_STATS: readonly StatSpec<string, ContagionEnd>[] = [
  stat('insolvent', 'flag', 'a protocol of the world is insolvent (its own insolvent statistic is 1)', (c) =>
    partNames(c).some((p) => c.parts[p].insolvent > 0) ? 1 : 0,
  ),
  stat('protocols_insolvent', 'count', 'how many protocols of the world are insolvent', (c) =>
    partNames(c).reduce((n, p) => n + (c.parts[p].insolvent > 0 ? 1 : 0), 0),
  ),
  stat('bad_debt_usd', 'usd', "bad debt of every protocol summed (each protocol's bad_debt_usd)", (c) =>
    sum(c, 'bad_debt_usd'),
  ),
  stat('uncovered_bad_debt_usd', 'usd', "uncovered bad debt of every protocol summed (each one's own)", (c) =>
    sum(c, 'uncovered_bad_debt_usd'),
  ),
  stat('liquidations', 'count', 'liquidations of every protocol summed', (c) => sum(c, 'liquidations')),
  stat('liquidated_notional_usd', 'usd', 'notional liquidated by every protocol summed (each in its own terms)', (c) =>
    sum(c, 'liquidated_notional_usd'),
  ),
  stat(
    'link_flow_sold_usd',
    'usd',
    "USD of the perp venue's forced selling the link sold into the DEX pool",
    (c) => c.world.flowSoldUsd,
  ),
  stat(
    'link_flow_bought_usd',
    'usd',
    "USD of the perp venue's forced buying the link bought from the DEX pool",
    (c) => c.world.flowBoughtUsd,
  ),
  stat('link_flow_steps', 'steps', 'steps in which the perp flow link traded', (c) => c.world.flowSteps),
  stat(
    'link_dex_drawdown_pct',
    'pct',
    "largest fall of the flow asset's DEX pool price below its start (after the link's trades), percent",
    (c) => c.world.flowDexDrawdownPct,
  ),
];

/** The world columns of the CDP's stablecoin link (a world with a CDP only). */
export const CDP_WORLD_COLUMNS: readonly ColumnSpec[] = [
  col('link_stable_price_usd', 'usd', "the CDP stablecoin's clearing price of the step"),
  col(
    'link_stable_asset_price_usd',
    'usd',
    "the market price of the lending asset contagion.links.stablecoinAsset after the pool's step (0 without the link)",
  ),
];

/** The world statistics of the CDP's stablecoin link (a world with a CDP only). */
export const CDP_WORLD_STATS: readonly StatSpec<string, ContagionEnd>[] = [
  stat(
    'link_stablecoin_min_price_usd',
    'usd',
    "the CDP stablecoin's lowest clearing price (with contagion.links.stablecoinAsset, the lowest market price of that lending asset too)",
    (c) => c.world.stableMinPriceUsd ?? 1,
  ),
  stat(
    'link_stablecoin_depeg_steps',
    'steps',
    'steps whose CDP stablecoin clearing price was below $0.99',
    (c) => c.world.stableDepegSteps ?? 0,
  ),
];

export const CONTAGION_COLUMNS = compositeColumns(WORLD_COLUMNS, CONTAGION_PARTS);
export const CONTAGION_STATS = compositeStats(CONTAGION_PARTS, WORLD_STATS);
export const CONTAGION_CDP_COLUMNS = compositeColumns([...WORLD_COLUMNS, ...CDP_WORLD_COLUMNS], CONTAGION_CDP_PARTS);
export const CONTAGION_CDP_STATS = compositeStats(CONTAGION_CDP_PARTS, [...WORLD_STATS, ...CDP_WORLD_STATS]);
