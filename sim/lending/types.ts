// The pool-lending family's shared types: the resolved parameters of a pool and its reserves, the
// actions agents propose, the refusal reasons and the read-only view agents decide on. Types and
// constants only: the arithmetic lives in rates.ts, pool.ts and liquidation.ts, the run in protocol.ts.
import type { BookView } from '../market/book-venue.js';

// Amounts of an asset are in its units ("units"), values in USD; floats, not EVM-exact integers.

/** Seconds in a year, for per-year interest rates (365 days). */
export const YEAR_SECONDS = 365 * 24 * 3600;

/** Which liquidation design the pool uses: Aave v3 (close factor, bonus) or Compound v3 (absorb, buy-collateral). */
export type LendingModel = 'aave' | 'compound';

/** A kinked utilization curve (Aave's default interest-rate strategy), rates per year. */
export interface RateModel {
  /** Borrow rate at 0% utilization, per year (fraction). */
  baseRatePerYear: number;
  /** Added between 0 and the optimal utilization, per year. */
  slope1PerYear: number;
  /** Added between the optimal utilization and 100%, per year. */
  slope2PerYear: number;
  /** The kink, fraction (0..1, exclusive of 0). */
  optimalUtilization: number;
}

/** One reserve (asset) of the pool, resolved from the config. */
export interface ReserveParams {
  readonly name: string;
  /** Loan to value: borrow power per USD of collateral (Aave LTV; Compound borrowCollateralFactor). */
  readonly ltv: number;
  /** Liquidation threshold: HF weight of the collateral (Aave LT; Compound liquidateCollateralFactor). */
  readonly liquidationThreshold: number;
  /** Liquidation bonus as a multiplier (1.05: the liquidator receives 5% more collateral than it repays). */
  readonly liquidationBonus: number;
  /** Share of the bonus the protocol keeps (Aave liquidationProtocolFee; 0.1 of the bonus typical). */
  readonly protocolFeeRate: number;
  /** Share of borrowers' interest kept by the protocol (reserve factor). */
  readonly reserveFactor: number;
  readonly rate: RateModel;
  /** Supply cap in units; Infinity for none. */
  readonly supplyCapUnits: number;
  /** Borrow cap in units; Infinity for none. */
  readonly borrowCapUnits: number;
  /** Whether the asset can be borrowed. */
  readonly borrowable: boolean;
  /** Whether a supply of the asset counts as collateral. */
  readonly collateral: boolean;
  /** Isolation mode: collateral that may only back `borrowableInIsolation` assets, up to `debtCeilingUsd`. */
  readonly isolated: boolean;
  /** Isolated collateral: most debt (USD at borrow time) all accounts may hold against it; Infinity for none. */
  readonly debtCeilingUsd: number;
  /** Whether the asset can be borrowed by an account in isolation mode. */
  readonly borrowableInIsolation: boolean;
  /** The e-mode category the asset belongs to (0: none). */
  readonly eModeCategory: number;
  /** Compound absorb: the account is credited collateral x price x liquidationFactor (0.95 for WETH). */
  readonly liquidationFactor: number;
}

/** An e-mode category: overrides LTV, threshold and bonus of its assets for accounts that enter it. */
export interface EModeParams {
  /** Category id, 1..255. */
  readonly id: number;
  readonly ltv: number;
  readonly liquidationThreshold: number;
  readonly liquidationBonus: number;
}

/** The pool's rules, resolved from the config. */
export interface PoolParams {
  readonly model: LendingModel;
  readonly reserves: readonly ReserveParams[];
  readonly eModes: readonly EModeParams[];
  /** Aave: share of a debt reserve one liquidation may repay (0.5). */
  readonly closeFactor: number;
  /** Aave: at or below this health factor the close factor is 1 (0.95). */
  readonly fullCloseHealthFactor: number;
  /** Aave: a position whose collateral or debt in the liquidated reserve is below this, USD, may be closed fully (2,000). */
  readonly fullCloseBelowUsd: number;
  /** Aave: a partial liquidation may not leave less than this of debt or collateral, USD (1,000). */
  readonly minLeftoverUsd: number;
  /** Compound: the base asset's index in `reserves` (the only borrowable asset). */
  readonly baseAsset: number;
  /** Compound: buyers of absorbed collateral get storeFrontPriceFactor x (1 - liquidationFactor) off (0.5). */
  readonly storeFrontPriceFactor: number;
  /** Compound: collateral is sold only while the base reserves are below this, base units. */
  readonly targetReservesUnits: number;
  /** Steps after a reserve is unpaused during which it cannot be liquidated (Aave grace period; at most 4 h). */
  readonly graceSteps: number;
  /** Seconds per step (interest accrual). */
  readonly stepSeconds: number;
}

/** Why the pool refused an action: a recorded event, never an exception. */
export const LENDING_REFUSALS = [
  'paused',
  'frozen',
  'supply-cap',
  'borrow-cap',
  'not-borrowable',
  'not-collateral',
  'borrow-power',
  'health-factor',
  'isolation',
  'debt-ceiling',
  'emode',
  'liquidity',
  'healthy',
  'grace-period',
  'dust',
  'no-debt',
  'no-collateral',
  'reserves-at-target',
  'wrong-model',
  'empty',
] as const;
export type LendingRefusal = (typeof LENDING_REFUSALS)[number];

/** What an agent proposes; the protocol applies it through the pool (a refusal is counted, not thrown). */
export type LendingAction =
  | { kind: 'supply'; account: number; asset: number; units: number }
  /** Withdraws up to `units`; what the pool's cash cannot pay waits in the withdrawal queue when `queue`. */
  | { kind: 'withdraw'; account: number; asset: number; units: number; queue: boolean }
  | { kind: 'borrow'; account: number; asset: number; units: number }
  | { kind: 'repay'; account: number; asset: number; units: number }
  /** Aave liquidation by liquidator `liquidator` (its index among the liquidators). */
  | {
      kind: 'liquidate';
      liquidator: number;
      account: number;
      debtAsset: number;
      collateralAsset: number;
      repayUnits: number;
      /** Where it sells what it receives: the collateral's DEX pool (default) or its CEX book. */
      venue?: 'dex' | 'cex';
    }
  /** Compound absorb of `account` by liquidator `liquidator`. */
  | { kind: 'absorb'; liquidator: number; account: number }
  /** Compound buy-collateral: pay `baseUnits` of the base asset for absorbed `asset` at the store-front price. */
  | { kind: 'buyCollateral'; liquidator: number; asset: number; baseUnits: number }
  /** A trade on an asset's DEX pool by an attacker (positive buys units, negative sells). */
  | { kind: 'swap'; attacker: number; asset: number; units: number }
  /** A governance proposal by an attacker: set a reserve's risk parameter after `delaySteps` (steward bounds apply). */
  | {
      kind: 'propose';
      attacker: number;
      asset: number;
      field: GovernableReserveField;
      value: number;
      delaySteps: number;
    }
  /** An Aave liquidation paid from attacker `attacker`'s wallet (it sells what it receives on the DEX like a liquidator). */
  | {
      kind: 'attackerLiquidate';
      attacker: number;
      account: number;
      debtAsset: number;
      collateralAsset: number;
      repayUnits: number;
    };

/** The reserve parameters governance may change during a run. */
export const GOVERNABLE_RESERVE_FIELDS = ['ltv', 'liquidationThreshold', 'liquidationBonus'] as const;
export type GovernableReserveField = (typeof GOVERNABLE_RESERVE_FIELDS)[number];

/** An account's standing at the oracle prices. */
export interface Health {
  /** Sum of collateral x price x liquidation threshold, USD. */
  thresholdValueUsd: number;
  /** Sum of collateral x price x LTV, USD. */
  borrowPowerUsd: number;
  /** Sum of collateral x price (collateral-enabled supplies), USD. */
  collateralUsd: number;
  /** Sum of debt x price, USD. */
  debtUsd: number;
  /** thresholdValueUsd / debtUsd; Infinity without debt. */
  healthFactor: number;
}

/** What the liquidation of one account gave (Aave). */
export interface LiquidationOutcome {
  /** Debt repaid by the liquidator, debt-asset units. */
  repaidUnits: number;
  /** Collateral taken from the account, collateral-asset units (the liquidator's share plus the protocol fee). */
  seizedUnits: number;
  /** Of `seizedUnits`, kept by the protocol (treasury), units. */
  protocolFeeUnits: number;
  /** Debt burned as a reserve deficit because no collateral was left, per asset, units (index = asset). */
  deficitUnits: number[];
}

/** The read-only pool state agents see: prices, reserves and accounts; no mutators. */
export interface LendingPoolView {
  readonly params: PoolParams;
  /** Number of accounts. */
  readonly accounts: number;
  /** Oracle price per asset, USD (what the pool values positions at). */
  readonly oraclePriceUsd: Float64Array;
  /** Supply balance of an account in an asset, units (interest included). */
  supplyUnits(account: number, asset: number): number;
  /** Debt of an account in an asset, units (interest included). */
  debtUnits(account: number, asset: number): number;
  /** The account's e-mode category (0: none). */
  eMode(account: number): number;
  /** The account's health at the oracle prices. */
  health(account: number): Health;
  /** Cash of a reserve (supplied, not lent), units. */
  cashUnits(asset: number): number;
  /** Total supply of a reserve, units. */
  totalSupplyUnits(asset: number): number;
  /** Total debt of a reserve, units. */
  totalDebtUnits(asset: number): number;
  /** Utilization of a reserve: debt / (cash + debt); 0 when empty. */
  utilization(asset: number): number;
  /** Borrow rate of a reserve now, per year. */
  borrowRatePerYear(asset: number): number;
  /** Compound: the protocol's base reserves, base units (may be negative). */
  reservesUnits(asset: number): number;
  /** Compound: absorbed collateral the protocol holds for sale, units. */
  absorbedUnits(asset: number): number;
  /** Compound: the store-front price of absorbed collateral, USD per unit. */
  storeFrontPriceUsd(asset: number): number;
  /** Whether liquidations of positions touching this reserve are allowed now (not paused, past any grace period). */
  liquidationAllowed(asset: number): boolean;
  /** The account's health factor at the oracle prices, without allocating (Infinity without debt). */
  healthFactor(account: number): number;
  /** Units waiting in the withdrawal queue of a reserve. */
  queuedUnits(asset: number): number;
}

/** What a DEX pool shows agents: reserves, fee and price (sim/market/spot-pool.ts SpotPoolView). */
export interface DexView {
  readonly reserves: { baseUnits: number; quoteUsd: number };
  readonly feeRate: number;
  readonly priceUsd: number;
}

/** The start-of-round view every lending agent decides on (read-only). */
export interface LendingView {
  readonly step: number;
  readonly pool: LendingPoolView;
  /** Market (true) price per asset, USD. */
  readonly marketPriceUsd: Float64Array;
  /** Each asset's DEX pool, by asset index: where liquidators sell seized collateral and attackers trade. */
  readonly dex: readonly DexView[];
  /** Each asset's CEX order book, by asset index (depth 0: no CEX venue for the asset). */
  readonly cex: readonly BookView[];
  /** Gas cost of one liquidation now, USD (a gasSpike shock multiplies it). */
  readonly gasUsd: number;
  /** Share of liquidators offline now (the first ones by index). */
  readonly liquidatorOutage: number;
  /** Accounts with a health factor below 1 at the oracle prices, ascending, refreshed before the round. */
  readonly liquidatable: readonly number[];
  /** USD each liquidator can spend now, by liquidator index. */
  readonly liquidatorCapitalUsd: Float64Array;
  /** Share of each asset's suppliers a supplierRun shock sends to withdraw at this step (0 otherwise), by asset index. */
  readonly supplierRunShare: Float64Array;
  /** USD in each attacker's wallet now, by attacker index. */
  readonly attackerUsd: Float64Array;
}
