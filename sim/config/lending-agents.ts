// The lending run's populations: suppliers, borrowers, loopers, liquidators, explicit accounts
// and attackers, each a schema of the `lending` section (sim/config/lending.ts assembles them and
// checks their asset and e-mode names). Schemas only: the agents live elsewhere, no I/O here.
import { z } from 'zod';
import { assetName, count, eModeRef, nonNeg, num, posCount, posUsd, rate, usd, MAX_STEPS } from './fields.js';

/** Most explicit accounts of `lending.accounts`. */
export const MAX_LENDING_ACCOUNTS = 10_000;
/** Most attackers of `lending.attackers`. */
export const MAX_LENDING_ATTACKERS = 10;
/** A units amount from 0 to 1e15. */
const units = () => nonNeg();

/** USD supplied at step 0 per asset when `suppliers.supplyUsd` is left out. */
export const DEFAULT_LENDING_SUPPLY_USD: Readonly<Record<string, number>> = { WETH: 200e6, USDC: 300e6 };

export const LendingSuppliersSchema = z
  .strictObject({
    count: count().max(1_000_000).default(100).describe('Number of supplier accounts (lenders; no debt).'),
    supplyUsd: z
      .record(assetName(), usd())
      .default({ ...DEFAULT_LENDING_SUPPLY_USD })
      .describe('USD supplied at step 0 per asset, split evenly among the suppliers (asset name -> USD).'),
    withdrawAboveUtilization: rate()
      .default(0.98)
      .describe(
        "A supplier asks to withdraw everything once its reserve's utilization passes this (fraction; 1 means never).",
      ),
    withdrawOnDrawdownPct: num()
      .min(0)
      .max(100)
      .default(0)
      .describe(
        "Suppliers withdraw everything once the first collateral asset's market price has fallen this many percent from its start; 0 turns it off.",
      ),
    targetSupplyRatePerYear: nonNeg()
      .max(10)
      .default(0)
      .describe(
        "Yield seeking: the supply rate (fraction per year) a supplier compares its reserve's current supply rate (borrow rate x utilization x (1 - reserve factor)) against; above it the supplier adds funds, below it withdraws; 0 turns yield seeking off.",
      ),
    yieldFlowSharePerStep: rate()
      .default(0)
      .describe(
        'Yield seeking: share of its step-0 balance (fraction) a supplier adds each step while the supply rate is above the target, or withdraws (unqueued, at most its balance) while it is below; 0 turns yield seeking off. A supplier that ran on stress stays out.',
      ),
  })
  .describe('The lenders: accounts that supply at step 0 and may run on the pool.');

export const LendingBorrowersSchema = z
  .strictObject({
    count: count().max(1_000_000).default(1000).describe('Number of borrower accounts.'),
    collateralAsset: assetName().default('WETH').describe('The asset borrowers supply as collateral.'),
    debtAsset: assetName().default('USDC').describe('The asset borrowers borrow.'),
    collateralUsdMedian: posUsd()
      .default(50_000)
      .describe("Median of a borrower's collateral at step 0, USD (lognormal across borrowers)."),
    collateralUsdSigma: nonNeg()
      .max(5)
      .default(1)
      .describe("Log standard deviation of the borrowers' collateral (lognormal sigma)."),
    healthFactorMin: num()
      .gt(1)
      .max(100)
      .default(1.05)
      .describe('Lowest health factor at step 0 (drawn uniformly between the min and the max).'),
    healthFactorMax: num()
      .gt(1)
      .max(100)
      .default(2.5)
      .describe('Highest health factor at step 0 (drawn uniformly between the min and the max); at least the min.'),
    managedShare: rate()
      .default(0.5)
      .describe('Share of borrowers who manage their health factor (repay or add collateral); the rest never act.'),
    actBelowHealthFactor: num()
      .gt(1)
      .max(100)
      .default(1.2)
      .describe('A managed borrower acts when its health factor falls below this.'),
    targetHealthFactor: num()
      .gt(1)
      .max(100)
      .default(1.6)
      .describe('The health factor a managed borrower restores when it acts.'),
    eMode: eModeRef()
      .default(0)
      .describe('The e-mode category the borrowers enter (0: none; a key of `lending.eModes`).'),
  })
  .describe('The borrowers: accounts that supply one collateral asset and borrow one debt asset at step 0.');

export const LendingLoopersSchema = z
  .strictObject({
    count: count().max(1_000_000).default(0).describe('Number of looper accounts (leveraged supply, e.g. ETH loops).'),
    collateralAsset: assetName().default('WETH').describe('The asset loopers supply (and buy with what they borrow).'),
    debtAsset: assetName().default('USDC').describe('The asset loopers borrow to buy more collateral.'),
    equityUsdMedian: posUsd()
      .default(100_000)
      .describe("Median of a looper's own equity at step 0, USD (lognormal, sigma 1)."),
    leverage: num()
      .min(1)
      .max(100)
      .default(5)
      .describe('Collateral over equity at step 0 (5: 5x); capped by what the LTV allows.'),
    eMode: eModeRef()
      .default(0)
      .describe('The e-mode category the loopers enter (0: none; a key of `lending.eModes`).'),
  })
  .describe('The loopers: accounts that lever one asset against another by repeated supply and borrow.');

export const LendingLiquidatorsSchema = z
  .strictObject({
    count: count().max(10_000).default(5).describe('Number of liquidators.'),
    capitalUsd: usd().default(2_000_000).describe("Each liquidator's capital to repay debt, USD."),
    gasUsd: usd().default(5).describe('Gas cost of one liquidation, USD (a gasSpike shock multiplies it).'),
    minProfitUsd: usd()
      .default(10)
      .describe('A liquidator liquidates only when its expected profit after gas and the DEX sale exceeds this, USD.'),
    maxPerStep: posCount().max(10_000).default(20).describe('Most liquidations one liquidator makes per step.'),
  })
  .describe('The liquidators: they repay unhealthy debt for bonus collateral and sell it on the DEX pool.');

export const LendingAccountSchema = z
  .strictObject({
    supply: z
      .record(assetName(), units())
      .default({})
      .describe('Supply at step 0 per asset, units (asset name -> units).'),
    debt: z.record(assetName(), units()).default({}).describe('Debt at step 0 per asset, units (asset name -> units).'),
    eMode: eModeRef().default(0).describe('The e-mode category of the account (0: none; a key of `lending.eModes`).'),
  })
  .describe('An explicit account: its supplies and debts at step 0; it never acts.');

const attackerKind = <K extends string>(k: K) => z.literal(k).describe(`Selects this attack: \`kind: ${k}\`.`);
const attackerCapital = () =>
  posUsd().default(10_000_000).describe("The attacker's capital (trading and supply), USD.");
const attackerStep = () => count().max(MAX_STEPS).default(60).describe('Step at which the attack starts.');

const LendingOracleManipulatorSchema = z
  .strictObject({
    kind: attackerKind('oracle-manipulator'),
    asset: assetName().describe('The collateral asset the attacker pumps through its DEX pool (the oracle reads it).'),
    borrowAsset: assetName().default('USDC').describe('The asset the attacker borrows against the pumped collateral.'),
    capitalUsd: attackerCapital(),
    step: attackerStep(),
    pumpPct: num()
      .gt(0)
      .max(10_000)
      .default(100)
      .describe("How far the attacker pumps the collateral's DEX price, percent (100: the price doubles)."),
  })
  .describe(
    'Oracle manipulator: pumps a collateral asset on its thin DEX pool, supplies it, borrows against the inflated value and leaves the pool the bad debt (Mango, CRV).',
  );

const LendingBorrowSqueezerSchema = z
  .strictObject({
    kind: attackerKind('borrow-squeezer'),
    asset: assetName().describe('The thin asset the attacker borrows, then pumps on its DEX pool.'),
    collateralAsset: assetName().default('USDC').describe('The asset the attacker supplies as collateral.'),
    capitalUsd: attackerCapital(),
    step: attackerStep(),
    pumpPct: num()
      .gt(0)
      .max(10_000)
      .default(100)
      .describe("How far the attacker pumps the borrowed asset's DEX price, percent (100: the price doubles)."),
  })
  .describe(
    "Borrow squeezer: borrows a thin asset, pumps its DEX price so the pool's debt in it outgrows the collateral (the CRV short squeeze attempt on Aave, November 2022).",
  );

const LendingGovernanceAttackerSchema = z
  .strictObject({
    kind: attackerKind('governance-attacker'),
    asset: assetName().describe('The collateral asset whose liquidation parameters the captured governance changes.'),
    liquidationThreshold: num()
      .gt(0)
      .max(1)
      .default(0.5)
      .describe('The liquidation threshold it proposes for the asset (its LTV is lowered to it when above), fraction.'),
    liquidationBonus: num()
      .min(1)
      .max(2)
      .default(1.15)
      .describe('The liquidation bonus it proposes for the asset, a multiplier (threshold x bonus at most 1).'),
    delaySteps: count()
      .max(MAX_STEPS)
      .default(0)
      .describe('The timelock it proposes with, steps (governance.minDelaySteps refuses a shorter one).'),
    capitalUsd: attackerCapital(),
    step: attackerStep(),
  })
  .describe(
    "Governance attacker: a captured governance lowers an asset's liquidation threshold and raises its bonus, then the attacker liquidates the borrowers it made unhealthy; the top-level `governance` section's steward bounds and timelock are the defences.",
  );

export const LendingAttackerSchema = z.discriminatedUnion('kind', [
  LendingOracleManipulatorSchema,
  LendingBorrowSqueezerSchema,
  LendingGovernanceAttackerSchema,
]);

/** The kinds of `lending.attackers`. */
export const LENDING_ATTACKER_KINDS = ['oracle-manipulator', 'borrow-squeezer', 'governance-attacker'] as const;
