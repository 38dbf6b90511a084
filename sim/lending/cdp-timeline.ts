// The CDP family's timeline columns, declared once (sim/core/registry.ts). The first columns keep the
// perp venue's names where the meaning carries over (the run report reads them): the "index" is the
// vault owners' collateral's market price, the "mark" its DEX pool price, the "oracle" the OSM price
// the kernel uses, the "insurance fund" the Vow's surplus, liquidations the vaults barked in the step
// and bad debt the debt auctions did not recover. Declarations only: no computation.
import { defineRegistry, type ColumnSpec, type Columns } from '../core/registry.js';

const col = (name: string, unit: ColumnSpec['unit'], description: string): ColumnSpec => ({
  name,
  unit,
  across: 'venue',
  description,
});

export const CDP_COLUMNS = defineRegistry('timeline column', [
  col('step', 'step', 'step index from 0'),
  col('time_s', 's', 'seconds since the start: step times run.stepSeconds'),
  col('index_price_usd', 'usd', "market price of the vault owners' collateral (cdp.vaultOwners.collateral)"),
  col('mark_price_usd', 'usd', "the vault owners' collateral's price in its DEX pool (where keepers sell)"),
  col(
    'oracle_price_usd',
    'usd',
    "the OSM's current price of the vault owners' collateral (what the vaults are judged at)",
  ),
  col('liquidations', 'count', 'vaults barked (liquidation auctions kicked) in the step'),
  col('insurance_fund_usd', 'usd', "the Vow's surplus (the buffer that absorbs bad debt), stablecoin units at $1"),
  col(
    'bad_debt_usd',
    'usd',
    'cumulative debt that settled auctions did not recover (due less raised), stablecoin units at $1',
  ),
  col('stable_price_usd', 'usd', "the stablecoin's market price after the step's clearing"),
  col('supply_units', 'usd', 'stablecoin outstanding outside the system (kernel supply), units taken as $1'),
  col(
    'holders_float_units',
    'usd',
    "stablecoin held by the outside holders (supply less the keepers', attackers' and arbitrageurs' coins), units",
  ),
  col('system_debt_usd', 'usd', "the Vow's system debt (sin) after the step's heal, stablecoin units"),
  col('auctions_active', 'count', 'collateral auctions running at the end of the step'),
  col('auction_debt_usd', 'usd', 'tabs of the auctions in flight (Dirt), stablecoin units'),
  col('vault_debt_usd', 'usd', 'debt of every vault (sum of Art x rate), stablecoin units'),
  col('vaults_unsafe', 'count', 'unsafe vaults at the OSM price not in an auction, before the keepers act'),
  col('gas_multiplier', 'ratio', "the gasSpike multiplier on the keepers' gas cost in the step (1 without one)"),
  col('keepers_active', 'count', 'keepers able to act in the step (not in an outage, gas at most their ceiling)'),
]);

export type CdpColumn = (typeof CDP_COLUMNS.names)[number];
export type CdpTimeline = Columns<string>;
