// The pool-lending family's parameters (Aave v3 or Compound v3 style): the pool's assets and their
// risk parameters, e-mode categories, the liquidation rules, the agent populations, explicit
// accounts and attackers (their schemas in lending-agents.ts), and the cross-field checks within
// the section. Assets named WETH or USDC take that asset's preset (per model) for every field left out. Schemas only: the resolved pool
// parameters are built in sim/lending/params.ts, the cross-section checks in config-schema.ts, no I/O.
import { z } from 'zod';
import { assetName, count, eModeRef, nonNeg, num, positive, rate, usd, MAX_STEPS } from './fields.js';
import {
  DEFAULT_LENDING_SUPPLY_USD,
  LendingAccountSchema,
  LendingAttackerSchema,
  LendingBorrowersSchema,
  LendingLiquidatorsSchema,
  LendingLoopersSchema,
  LendingSuppliersSchema,
  MAX_LENDING_ACCOUNTS,
  MAX_LENDING_ATTACKERS,
} from './lending-agents.js';
import { SpotPoolSchema } from './oracle.js';

/** Most assets of one pool. */
export const MAX_LENDING_ASSETS = 16;
/** Longest Aave liquidation grace period after an unpause, seconds (4 h, A5). */
export const MAX_GRACE_SECONDS = 14_400;

/** An e-mode category id as a record key: '1' to '255'. */
const EMODE_ID = /^(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-5])$/;
/** A risk weight from 0 to 1 (LTV, liquidation threshold). */
const weight = () => rate();
/** A multiplier from 1 to 2 (liquidation bonus); values below 1 are refused by the section's checks. */
const multiplier = () => num().min(0).max(2);
/** A per-year rate from 0 to 100 (10,000%). */
const perYear = () => nonNeg().max(100);
/** A units amount from 0 to 1e15. */
const units = () => nonNeg();

export const LendingRateSchema = z
  .strictObject({
    baseRatePerYear: perYear()
      .default(0)
      .describe('Borrow rate at 0% utilization, per year (fraction; Aave v3 mainnet WETH and USDC: 0).'),
    slope1PerYear: perYear()
      .default(0.04)
      .describe(
        'Borrow rate added between 0 and the optimal utilization, per year (fraction; typical Aave v3 mainnet: WETH 0.027, USDC 0.06).',
      ),
    slope2PerYear: perYear()
      .default(0.75)
      .describe(
        'Borrow rate added between the optimal utilization and 100%, per year (fraction; typical Aave v3 mainnet: WETH 0.8, USDC 0.6).',
      ),
    optimalUtilization: num()
      .gt(0)
      .max(1)
      .default(0.8)
      .describe(
        'The kink of the rate curve, utilization fraction in (0, 1] (typical Aave v3 mainnet: WETH 0.9, USDC 0.92).',
      ),
  })
  .describe("A reserve's kinked utilization curve (Aave's default interest-rate strategy), rates per year.");

export const LendingAssetSchema = z
  .strictObject({
    initialPriceUsd: positive().max(1e9).default(1).describe('Market price at step 0, USD (WETH preset: 2,000).'),
    annualVolatility: nonNeg()
      .max(20)
      .default(0)
      .describe(
        "Annualized volatility of the asset's own GBM component, on top of the common index (fraction; 0: none).",
      ),
    indexBeta: num()
      .min(-10)
      .max(10)
      .default(1)
      .describe(
        "Beta of the asset's log return to the scenario's common index (WETH preset 1, USDC preset 0: a stablecoin does not move with it).",
      ),
    ltv: weight()
      .default(0.805)
      .describe(
        'Loan to value: borrow power per USD of this collateral (fraction; Aave LTV, Compound borrowCollateralFactor). Aave WETH 0.805 (A8); Compound WETH 0.825 (C2). At most the liquidation threshold.',
      ),
    liquidationThreshold: weight()
      .default(0.83)
      .describe(
        'Weight of this collateral in the health factor (fraction; Aave liquidation threshold, Compound liquidateCollateralFactor). Aave WETH 0.83 (A8); Compound WETH 0.895 (C2). Times the liquidation bonus at most 1.',
      ),
    liquidationBonus: multiplier()
      .default(1.05)
      .describe(
        'Aave liquidation bonus as a multiplier: the liquidator receives this times the value it repays in collateral (1.05: 5% more, WETH A8). At least 1.',
      ),
    protocolFeeRate: rate()
      .default(0.1)
      .describe(
        'Share of the liquidation bonus the protocol keeps (Aave liquidationProtocolFee; 10% of the bonus, A1).',
      ),
    reserveFactor: rate()
      .default(0.15)
      .describe("Share of borrowers' interest kept by the protocol (fraction; typical Aave: WETH 0.15, USDC 0.1)."),
    rate: LendingRateSchema.prefault({}),
    supplyCapUnits: units().default(0).describe('Supply cap of the reserve, asset units; 0 means none.'),
    borrowCapUnits: units().default(0).describe('Borrow cap of the reserve, asset units; 0 means none.'),
    borrowable: z
      .boolean()
      .default(true)
      .describe('Whether the asset can be borrowed (Compound: only the base asset; the WETH preset sets false there).'),
    collateral: z
      .boolean()
      .default(true)
      .describe(
        'Whether a supply of the asset counts as collateral (Compound: the USDC preset, the base, sets false).',
      ),
    isolated: z
      .boolean()
      .default(false)
      .describe(
        'Aave isolation mode (A3): as collateral, this asset may only back assets that are `borrowableInIsolation`, up to `debtCeilingUsd`.',
      ),
    debtCeilingUsd: usd()
      .default(0)
      .describe(
        'Isolated collateral: most debt all accounts may hold against it, USD at borrow time (A3); 0 means none.',
      ),
    borrowableInIsolation: z
      .boolean()
      .default(false)
      .describe('Whether accounts in isolation mode may borrow this asset (A3; the USDC preset sets true).'),
    eModeCategory: eModeRef()
      .default(0)
      .describe('The e-mode category the asset belongs to, 0 to 255 (0: none); must be a key of `lending.eModes`.'),
    liquidationFactor: rate()
      .default(0.95)
      .describe(
        'Compound absorb: the account is credited collateral x price x this factor (fraction; WETH 0.95, C2); the rest is the penalty.',
      ),
    dex: SpotPoolSchema.prefault({}).describe(
      "The asset's constant-product DEX pool against USD, where liquidators sell seized collateral and attackers trade (presets: WETH 50,000,000, USDC 100,000,000 USD a side).",
    ),
    cex: z
      .strictObject({
        depthUsdPerPct: usd()
          .default(0)
          .describe(
            "USD of orders on a centralized exchange's book that move the asset's price there by 1%; 0 (default) means no CEX venue: liquidators sell on the DEX pool only.",
          ),
        feeRate: rate().default(0.0005).describe('Taker fee on the CEX, fraction of the USD traded (5 bp).'),
        recoveryShare: rate()
          .default(0.2)
          .describe("Share of the CEX book's offset from the market price that makers close each step."),
      })
      .prefault({})
      .describe(
        'A CEX order book for the asset (MECHANISMS section 8, linear book depth): liquidators sell seized collateral on whichever of the DEX pool and the book pays more.',
      ),
  })
  .describe(
    'One asset (reserve) of the pool: its price process, its risk parameters and its DEX pool. An asset named WETH or USDC takes that preset (per model) for every field left out; any other name the defaults below.',
  );

export const LendingEModeSchema = z
  .strictObject({
    ltv: weight()
      .default(0.974)
      .describe("The category's loan to value for its assets (fraction; Aave test fixture 0.974, A3)."),
    liquidationThreshold: weight()
      .default(0.976)
      .describe("The category's liquidation threshold for its assets (fraction; Aave test fixture 0.976, A3)."),
    liquidationBonus: multiplier()
      .default(1.015)
      .describe("The category's liquidation bonus as a multiplier (Aave test fixture 1.015, A3); at least 1."),
  })
  .describe(
    'An e-mode category (Aave, A3): overrides LTV, threshold and bonus of its assets for accounts that enter it.',
  );

const CompoundSchema = z
  .strictObject({
    baseAsset: assetName()
      .default('USDC')
      .describe('Compound: the base asset, the only one that can be borrowed (a key of `lending.assets`).'),
    storeFrontPriceFactor: rate()
      .default(0.5)
      .describe(
        'Compound buyCollateral: buyers get storeFrontPriceFactor x (1 - liquidationFactor) off the price (0.5, C2).',
      ),
    targetReservesUnits: units()
      .default(5_000_000)
      .describe(
        'Compound: absorbed collateral is sold only while the base reserves are below this, base units (5M USDC, C2).',
      ),
  })
  .describe('Compound v3 (Comet) rules: the base asset and the sale of absorbed collateral (C1, C2).');

type Raw = Record<string, unknown>;
const plain = (x: unknown): x is Raw => x !== null && typeof x === 'object' && !Array.isArray(x);

/** `base` with `over` merged in, recursively (plain objects merge, anything else replaces). */
function merged(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = plain(v) && plain(out[k]) ? merged(out[k] as Raw, v) : v;
  return out;
}

/** The assets of a lending section left without `assets`, in order. */
export const DEFAULT_LENDING_ASSETS: readonly string[] = ['WETH', 'USDC'];

/** The presets of the named assets, per model: the fields that differ from the asset defaults. */
const PRESETS: Record<'aave' | 'compound', Record<string, Raw>> = {
  aave: {
    WETH: {
      initialPriceUsd: 2000,
      indexBeta: 1,
      ltv: 0.805,
      liquidationThreshold: 0.83,
      liquidationBonus: 1.05,
      reserveFactor: 0.15,
      rate: { baseRatePerYear: 0, slope1PerYear: 0.027, slope2PerYear: 0.8, optimalUtilization: 0.9 },
      dex: { liquidityUsd: 50_000_000 },
    },
    USDC: {
      initialPriceUsd: 1,
      indexBeta: 0,
      ltv: 0.75,
      liquidationThreshold: 0.78,
      liquidationBonus: 1.045,
      reserveFactor: 0.1,
      rate: { baseRatePerYear: 0, slope1PerYear: 0.06, slope2PerYear: 0.6, optimalUtilization: 0.92 },
      borrowableInIsolation: true,
      dex: { liquidityUsd: 100_000_000, feeRate: 0.0005 },
    },
  },
  compound: {
    WETH: { ltv: 0.825, liquidationThreshold: 0.895, liquidationFactor: 0.95, borrowable: false },
    USDC: { collateral: false },
  },
};

/** A named asset's preset for a model (Compound's on top of Aave's); {} for another name. */
function preset(model: unknown, name: string): Raw {
  const aave = PRESETS.aave[name] ?? {};
  return model === 'compound' ? merged(aave, PRESETS.compound[name] ?? {}) : aave;
}

/** The raw lending section with the default asset list and each named asset's preset under what was given. */
function withPresets(raw: unknown): unknown {
  if (!plain(raw)) return raw;
  const given = raw.assets === undefined ? Object.fromEntries(DEFAULT_LENDING_ASSETS.map((n) => [n, {}])) : raw.assets;
  if (!plain(given)) return raw;
  const assets: Raw = {};
  for (const [name, v] of Object.entries(given)) assets[name] = plain(v) ? merged(preset(raw.model, name), v) : v;
  return { ...raw, assets };
}

/** The resolved default assets of a model (what `lending.assets` resolves to when left out). */
function defaultAssets(model: 'aave' | 'compound'): Record<string, z.infer<typeof LendingAssetSchema>> {
  return Object.fromEntries(DEFAULT_LENDING_ASSETS.map((n) => [n, LendingAssetSchema.parse(preset(model, n))]));
}

const LendingObjectSchema = z.strictObject({
  model: z
    .enum(['aave', 'compound'])
    .default('aave')
    .describe(
      "The liquidation design: 'aave' (Aave v3: close factor and bonus, A1) or 'compound' (Compound v3: absorb and buy-collateral, C1).",
    ),
  assets: z
    .record(assetName(), LendingAssetSchema)
    .default(defaultAssets('aave'))
    .describe(
      `The pool's assets (reserves), asset name -> parameters, 1 to ${MAX_LENDING_ASSETS}, in this order. Default: WETH and USDC with their presets (Compound's when model is 'compound').`,
    ),
  eModes: z
    .record(z.string().regex(EMODE_ID, 'expected an e-mode category id from 1 to 255'), LendingEModeSchema)
    .default({})
    .describe('E-mode categories (Aave, A3), id 1..255 -> parameters; none by default.'),
  closeFactor: num()
    .gt(0)
    .max(1)
    .default(0.5)
    .describe('Aave: share of a debt reserve one liquidation may repay (0.5, A1).'),
  fullCloseHealthFactor: nonNeg()
    .max(1)
    .default(0.95)
    .describe('Aave: at or below this health factor one liquidation may repay all the debt (0.95, A1).'),
  fullCloseBelowUsd: usd()
    .default(2000)
    .describe(
      'Aave: a position whose collateral or debt in the liquidated reserve is below this may be closed fully, USD (2,000, A1).',
    ),
  minLeftoverUsd: usd()
    .default(1000)
    .describe('Aave: a partial liquidation may not leave less than this of debt or collateral, USD (1,000, A1).'),
  graceSteps: count()
    .max(MAX_STEPS)
    .default(0)
    .describe(
      'Aave: steps after a reserve is unpaused during which its positions cannot be liquidated (grace period); graceSteps x run.stepSeconds at most 14,400 s (4 h, A5).',
    ),
  compound: CompoundSchema.prefault({}),
  suppliers: LendingSuppliersSchema.prefault({}),
  borrowers: LendingBorrowersSchema.prefault({}),
  loopers: LendingLoopersSchema.prefault({}),
  liquidators: LendingLiquidatorsSchema.prefault({}),
  accounts: z
    .array(LendingAccountSchema)
    .max(MAX_LENDING_ACCOUNTS)
    .default([])
    .describe(
      `Explicit accounts after the generated ones (suppliers, borrowers, loopers), at most ${MAX_LENDING_ACCOUNTS.toLocaleString('en-US')}; none by default.`,
    ),
  attackers: z
    .array(LendingAttackerSchema)
    .max(MAX_LENDING_ATTACKERS)
    .default([])
    .describe(`Adversarial accounts of the lending run, at most ${MAX_LENDING_ATTACKERS}; none by default.`),
});

type LendingObject = z.infer<typeof LendingObjectSchema>;

/** The checks across the fields of a lending section, each issue at its field's path (relative to the section). */
function checkLending(l: LendingObject, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const names = Object.keys(l.assets);
  if (names.length < 1 || names.length > MAX_LENDING_ASSETS) {
    issue(['assets'], `${names.length} assets; a pool has 1 to ${MAX_LENDING_ASSETS}`);
    return;
  }
  const eModeIds = Object.keys(l.eModes);
  const assetRef = (path: (string | number)[], name: string): boolean => {
    if (names.includes(name)) return true;
    issue(path, `unknown asset '${name}' (assets: ${names.join(', ')})`);
    return false;
  };
  const eModeRefOk = (path: (string | number)[], id: number) => {
    if (id !== 0 && !eModeIds.includes(String(id)))
      issue(
        path,
        `unknown e-mode category ${id} (${eModeIds.length ? `eModes: ${eModeIds.join(', ')}` : 'no lending.eModes are defined'})`,
      );
  };
  const riskChecks = (
    path: (string | number)[],
    p: { ltv: number; liquidationThreshold: number; liquidationBonus: number },
  ) => {
    if (p.ltv > p.liquidationThreshold)
      issue([...path, 'ltv'], `LTV ${p.ltv} is above the liquidation threshold ${p.liquidationThreshold}`);
    if (p.liquidationBonus < 1)
      issue([...path, 'liquidationBonus'], 'a liquidation bonus below 1 pays the liquidator less than it repays');
    else if (p.liquidationThreshold * p.liquidationBonus > 1)
      issue(
        [...path, 'liquidationThreshold'],
        `liquidation threshold x bonus = ${+(p.liquidationThreshold * p.liquidationBonus).toFixed(6)} is above 1 (a liquidation would seize more collateral than the position backs)`,
      );
  };
  for (const name of names) {
    const a = l.assets[name];
    riskChecks(['assets', name], a);
    eModeRefOk(['assets', name, 'eModeCategory'], a.eModeCategory);
  }
  for (const id of eModeIds) riskChecks(['eModes', id], l.eModes[id]);
  for (const name of Object.keys(l.suppliers.supplyUsd)) assetRef(['suppliers', 'supplyUsd', name], name);
  const population = (key: 'borrowers' | 'loopers') => {
    const p = l[key];
    const okC = assetRef([key, 'collateralAsset'], p.collateralAsset);
    const okD = assetRef([key, 'debtAsset'], p.debtAsset);
    eModeRefOk([key, 'eMode'], p.eMode);
    if (p.count === 0) return;
    if (okC && !l.assets[p.collateralAsset].collateral)
      issue(
        [key, 'collateralAsset'],
        `'${p.collateralAsset}' is not collateral (lending.assets.${p.collateralAsset}.collateral)`,
      );
    if (okD && !l.assets[p.debtAsset].borrowable)
      issue([key, 'debtAsset'], `'${p.debtAsset}' is not borrowable (lending.assets.${p.debtAsset}.borrowable)`);
  };
  population('borrowers');
  population('loopers');
  if (l.borrowers.healthFactorMax < l.borrowers.healthFactorMin)
    issue(
      ['borrowers', 'healthFactorMax'],
      `${l.borrowers.healthFactorMax} is below healthFactorMin ${l.borrowers.healthFactorMin}`,
    );
  l.accounts.forEach((acc, i) => {
    for (const name of Object.keys(acc.supply)) assetRef(['accounts', i, 'supply', name], name);
    for (const name of Object.keys(acc.debt)) assetRef(['accounts', i, 'debt', name], name);
    eModeRefOk(['accounts', i, 'eMode'], acc.eMode);
  });
  l.attackers.forEach((att, i) => {
    assetRef(['attackers', i, 'asset'], att.asset);
    if (att.kind === 'oracle-manipulator') assetRef(['attackers', i, 'borrowAsset'], att.borrowAsset);
    else if (att.kind === 'borrow-squeezer') assetRef(['attackers', i, 'collateralAsset'], att.collateralAsset);
    else if (att.liquidationThreshold * att.liquidationBonus > 1 + 1e-12)
      issue(
        ['attackers', i, 'liquidationBonus'],
        `threshold ${att.liquidationThreshold} x bonus ${att.liquidationBonus} is above 1 (Aave refuses it)`,
      );
  });
  if (l.model === 'compound') {
    const base = l.compound.baseAsset;
    if (assetRef(['compound', 'baseAsset'], base)) {
      if (!l.assets[base].borrowable)
        issue(['assets', base, 'borrowable'], `the Compound base asset '${base}' must be borrowable`);
      for (const name of names)
        if (name !== base && l.assets[name].borrowable)
          issue(
            ['assets', name, 'borrowable'],
            `a Compound pool lends only its base asset '${base}': set borrowable: false`,
          );
    }
  }
}

export const LendingSchema = z
  .preprocess(withPresets, LendingObjectSchema.superRefine(checkLending))
  .describe(
    'A pool-lending run (Aave v3 or Compound v3 style): a config with this section simulates a lending pool instead of the perp venue. Absent by default.',
  );

/** The resolved lending section. */
export type LendingConfig = z.infer<typeof LendingObjectSchema>;
/** One resolved asset of the lending section. */
export type LendingAssetConfig = z.infer<typeof LendingAssetSchema>;
/** One resolved attacker of the lending section. */
export type LendingAttackerConfig = z.infer<typeof LendingAttackerSchema>;

/** The accounts of a lending run for the work bound: suppliers, borrowers, loopers, explicit accounts, attackers and liquidators. */
export function lendingAccountCount(l: LendingConfig): number {
  return (
    l.suppliers.count +
    l.borrowers.count +
    l.loopers.count +
    l.accounts.length +
    l.attackers.length +
    l.liquidators.count
  );
}

/**
 * Maps that `setPath` seeds when a path enters them and the overrides have none: the default asset
 * list and supplies, so that `--set lending.assets.WETH.ltv=0.7` keeps USDC.
 */
export const LENDING_SEEDS: Readonly<Record<string, () => Record<string, unknown>>> = {
  'lending.assets': () => Object.fromEntries(DEFAULT_LENDING_ASSETS.map((n) => [n, {}])),
  'lending.suppliers.supplyUsd': () => ({ ...DEFAULT_LENDING_SUPPLY_USD }),
};
