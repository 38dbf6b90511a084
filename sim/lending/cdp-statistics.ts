// The CDP family's run statistics, declared once (sim/core/registry.ts) with unit, meaning and the
// function computing each from the run's timeline and end figures (CdpEnd, measured by
// CdpProtocol.statContext). Names that mean what the perp and lending families' mean keep their names
// (insolvent, bad_debt_usd, liquidations, refused_actions), so cells.csv, the gate and the report
// summarise the families alike. Stablecoin amounts are units taken as $1. Reads a finished run only.
import { defineRegistry, type StatSpec } from '../core/registry.js';

/** End-of-run figures the statistics need besides the timeline. */
export interface CdpEnd {
  readonly tl: Record<string, Float64Array>;
  readonly stepSeconds: number;
  /** Auctions kicked, and the vaults barked (a vault barked twice counts once in vaultsLiquidated). */
  readonly auctions: number;
  readonly vaultsLiquidated: number;
  /** Sum of the settled auctions' durations (kick to settlement), seconds, and their count. */
  readonly settledDurationSeconds: number;
  readonly settled: number;
  /** Sum over purchases of collateral x price paid, and of collateral x market price then, USD. */
  readonly paidUsd: number;
  readonly marketValueUsd: number;
  /** Settled auctions won at a price of at most 1% of the lot's market value. */
  readonly zeroBidWins: number;
  /** Debt the settled auctions did not recover (due - raised), units. */
  readonly badDebtUnits: number;
  readonly keeperIncentivesUnits: number;
  readonly keeperProfitUsd: number;
  readonly keeperGasUsd: number;
  /** The Vow at the end (after heal): system debt and surplus, units. */
  readonly sinEnd: number;
  /** Of sinEnd, what running auctions do not hold (Maker's Woe: debt past the queue), units. */
  readonly uncoveredSinEnd: number;
  /** Stablecoin the debt auctions raised (system debt covered by minting governance tokens), units. */
  readonly debtAuctionRaisedUnits: number;
  readonly surplusEnd: number;
  readonly debtAuctions: number;
  readonly govMintedUnits: number;
  readonly surplusAuctions: number;
  readonly collateralSoldUsd: number;
  readonly ownerBuybackUnits: number;
  readonly attackerPnlUsd: number;
  readonly breakerTrips: number;
  readonly refused: number;
}

const stat = <N extends string>(
  name: N,
  unit: StatSpec['unit'],
  description: string,
  compute: (c: CdpEnd) => number,
): StatSpec<N, CdpEnd> => ({ name, unit, description, compute });

const uncovered = (c: CdpEnd) => c.debtAuctionRaisedUnits + c.uncoveredSinEnd;
const last = (v: Float64Array) => (v.length > 0 ? v[v.length - 1] : 0);
const max = (v: Float64Array) => v.reduce((m, x) => Math.max(m, x), v.length > 0 ? v[0] : 0);
const min = (v: Float64Array) => v.reduce((m, x) => Math.min(m, x), v.length > 0 ? v[0] : 0);

/** The peg band of peg_minutes_outside_band: |price - 1| above this. */
export const PEG_BAND = 0.01;

export const CDP_STATS = defineRegistry('run statistic', [
  stat(
    'insolvent',
    'flag',
    "1 when bad debt went beyond the Vow's surplus: debt auctions had to mint governance tokens, or system debt is left at the end that no running auction may still raise (uncovered_bad_debt_usd above $1)",
    (c) => (uncovered(c) > 1 ? 1 : 0),
  ),
  stat(
    'uncovered_bad_debt_usd',
    'usd',
    "bad debt beyond the Vow's surplus: the stablecoin debt auctions raised by minting governance tokens (the token holders' loss), plus system debt left at the end past the running auctions' queue, units at $1",
    uncovered,
  ),
  stat(
    'uncovered_system_debt_end_usd',
    'usd',
    "system debt at the end past the running auctions' queue (Maker's Woe): what neither the surplus nor a debt auction covered (debt auctions need at least debtAuction.sizeUnits), units",
    (c) => c.uncoveredSinEnd,
  ),
  stat(
    'bad_debt_usd',
    'usd',
    'debt the settled auctions did not recover (due at the kick less the stablecoin raised), units at $1',
    (c) => c.badDebtUnits,
  ),
  stat(
    'liquidations',
    'count',
    'vaults barked: liquidation auctions kicked (a partial bark counts each time)',
    (c) => c.auctions,
  ),
  stat('auctions', 'count', 'collateral auctions kicked (Dutch or English)', (c) => c.auctions),
  stat('vaults_liquidated', 'count', 'distinct vaults barked at least once', (c) => c.vaultsLiquidated),
  stat(
    'auction_mean_duration_min',
    'count',
    'mean minutes from kick to settlement of the settled auctions (0 when none settled)',
    (c) => (c.settled > 0 ? c.settledDurationSeconds / c.settled / 60 : 0),
  ),
  stat(
    'auction_price_to_market',
    'ratio',
    'collateral-weighted mean of the price paid for auctioned collateral over its market price at the time (0 when none sold)',
    (c) => (c.marketValueUsd > 0 ? c.paidUsd / c.marketValueUsd : 0),
  ),
  stat(
    'zero_bid_share',
    'fraction',
    "share of the settled auctions won at a price of at most 1% of the lot's market value (near-zero bids)",
    (c) => (c.settled > 0 ? c.zeroBidWins / c.settled : 0),
  ),
  stat(
    'keeper_incentives_usd',
    'usd',
    'keeper incentives minted on kicks and resets (tip + chip), to keepers and to attackers who kick, units at $1',
    (c) => c.keeperIncentivesUnits,
  ),
  stat(
    'keeper_profit_usd',
    'usd',
    "the keepers' profit: DEX proceeds of collateral bought less the coins paid (bought back at the stablecoin price), plus incentives, less gas",
    (c) => c.keeperProfitUsd,
  ),
  stat('keeper_gas_usd', 'usd', 'gas the keepers paid for the actions that got in', (c) => c.keeperGasUsd),
  stat('system_debt_max_usd', 'usd', "largest system debt (sin) after a step's heal, units", (c) =>
    max(c.tl.system_debt_usd),
  ),
  stat('system_debt_end_usd', 'usd', 'system debt (sin) at the end, units', (c) => c.sinEnd),
  stat('surplus_min_usd', 'usd', "smallest surplus (the Vow's buffer) after a step, units", (c) =>
    min(c.tl.insurance_fund_usd),
  ),
  stat('surplus_end_usd', 'usd', 'surplus at the end, units', (c) => c.surplusEnd),
  stat('debt_auctions', 'count', 'debt auctions (flops) that minted governance tokens', (c) => c.debtAuctions),
  stat(
    'gov_minted_units',
    'count',
    'governance tokens minted by debt auctions (dilution), units',
    (c) => c.govMintedUnits,
  ),
  stat('surplus_auctions', 'count', 'surplus auctions (flaps) above the buffer', (c) => c.surplusAuctions),
  stat('peg_max_price_usd', 'usd', "the stablecoin's highest market price", (c) => max(c.tl.stable_price_usd)),
  stat('peg_min_price_usd', 'usd', "the stablecoin's lowest market price", (c) => min(c.tl.stable_price_usd)),
  stat('peg_max_deviation', 'fraction', 'largest |price - 1| of the stablecoin', (c) =>
    c.tl.stable_price_usd.reduce((m, p) => Math.max(m, Math.abs(p - 1)), 0),
  ),
  stat(
    'peg_minutes_outside_band',
    'count',
    'minutes the stablecoin traded more than 1% from $1 (steps outside the band x step length)',
    (c) => (c.tl.stable_price_usd.reduce((n, p) => n + (Math.abs(p - 1) > PEG_BAND ? 1 : 0), 0) * c.stepSeconds) / 60,
  ),
  stat(
    'collateral_sold_usd',
    'usd',
    'auctioned collateral sold on the DEX by its buyers, USD received',
    (c) => c.collateralSoldUsd,
  ),
  stat(
    'owner_buyback_units',
    'usd',
    'stablecoin the vault owners bought on its market to repay debt, units',
    (c) => c.ownerBuybackUnits,
  ),
  stat(
    'attacker_pnl_usd',
    'usd',
    "the attackers' profit: USD plus coins at the stablecoin's end price plus collateral won, less their start, summed",
    (c) => c.attackerPnlUsd,
  ),
  stat('breaker_trips', 'count', 'auction breaker trips (ClipperMom) by ilk', (c) => c.breakerTrips),
  stat(
    'refused_actions',
    'count',
    "actions refused (the kernel's reasons and the protocol's: gas, capital, outage)",
    (c) => c.refused,
  ),
  stat('final_debt_usd', 'usd', "every vault's debt at the end, units", (c) => last(c.tl.vault_debt_usd)),
]);

export type CdpStatKey = (typeof CDP_STATS.names)[number];
