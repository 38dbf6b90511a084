// The lending section of the config (sim/config/lending.ts): absent unless given (a perp config
// resolves as before), its defaults and presets, each cross-field check with its path and message,
// `--set` and sweep-grid paths into it, the work bound's account count, and the pool parameters it
// resolves to (sim/lending/params.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applySet, resolveConfig } from '../../scenarios/load.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import {
  accountCount,
  ConfigSchema,
  DEFAULT_CONFIG,
  parameterDefault,
  parameterDocs,
  parameterPaths,
  setPath,
  type Config,
} from '../../sim/config/index.js';
import { lendingAssetNames, resolvePoolParams } from '../../sim/lending/params.js';
import { userError } from '../helpers/inputs.js';

const SRC = 'builtin:calm';
const lending = (l: object, rest: object = {}): Config => ConfigSchema.parse({ ...rest, lending: l });

/** The one-line message of the config `params` resolve to (a UserError), as the CLI prints it. */
function failure(params: object): string {
  return userError(() => resolveConfig('s.yaml', params as Record<string, unknown>)).message;
}

const PERP_KEYS = [
  'run',
  'market',
  'oracle',
  'protocol',
  'breakers',
  'governance',
  'monitoring',
  'agents',
  'attackers',
  'metrics',
  'invariants',
  'collateral',
  'markets',
  'multiMarket',
];

describe('a config without a lending section', () => {
  it('resolves exactly as before: no lending key, the same key list, deep-equal to the default', () => {
    expect(Object.keys(DEFAULT_CONFIG)).toEqual(PERP_KEYS);
    expect('lending' in DEFAULT_CONFIG).toBe(false);
    const again = ConfigSchema.parse({});
    expect(again).toEqual(DEFAULT_CONFIG);
    expect(JSON.stringify(again)).toBe(JSON.stringify(DEFAULT_CONFIG));
    expect(JSON.stringify(resolveConfig(SRC, { run: { steps: 100 } }))).toBe(
      JSON.stringify(ConfigSchema.parse({ run: { steps: 100 } })),
    );
  });

  it('lists no lending path in parameterPaths (cascade params) and counts the perp accounts', () => {
    expect([...parameterPaths().keys()].some((k) => k.startsWith('lending'))).toBe(false);
    const a = DEFAULT_CONFIG.agents;
    expect(accountCount(DEFAULT_CONFIG)).toBe(a.traders.count + a.liquidators.count + a.arbitrageurs.count + 1);
  });
});

describe('the lending defaults', () => {
  const cfg = lending({});
  const l = cfg.lending!;

  it('resolve to an Aave pool of WETH and USDC with their presets, lending last', () => {
    expect(Object.keys(cfg)).toEqual([...PERP_KEYS, 'lending']);
    expect(l.model).toBe('aave');
    expect(Object.keys(l.assets)).toEqual(['WETH', 'USDC']);
    expect(l.assets.WETH).toMatchObject({
      initialPriceUsd: 2000,
      indexBeta: 1,
      ltv: 0.805,
      liquidationThreshold: 0.83,
      liquidationBonus: 1.05,
      protocolFeeRate: 0.1,
      reserveFactor: 0.15,
      rate: { baseRatePerYear: 0, slope1PerYear: 0.027, slope2PerYear: 0.8, optimalUtilization: 0.9 },
      dex: { liquidityUsd: 50_000_000 },
    });
    expect(l.assets.USDC).toMatchObject({
      initialPriceUsd: 1,
      indexBeta: 0,
      reserveFactor: 0.1,
      rate: { slope1PerYear: 0.06, slope2PerYear: 0.6, optimalUtilization: 0.92 },
      dex: { liquidityUsd: 100_000_000 },
    });
    expect(l).toMatchObject({
      closeFactor: 0.5,
      fullCloseHealthFactor: 0.95,
      fullCloseBelowUsd: 2000,
      minLeftoverUsd: 1000,
      graceSteps: 0,
      compound: { baseAsset: 'USDC', storeFrontPriceFactor: 0.5, targetReservesUnits: 5_000_000 },
      suppliers: { count: 100, supplyUsd: { WETH: 200e6, USDC: 300e6 }, withdrawAboveUtilization: 0.98 },
      borrowers: { count: 1000, collateralAsset: 'WETH', debtAsset: 'USDC', healthFactorMin: 1.05 },
      loopers: { count: 0, leverage: 5 },
      liquidators: { count: 5, capitalUsd: 2_000_000, gasUsd: 5, minProfitUsd: 10, maxPerStep: 20 },
      accounts: [],
      attackers: [],
      eModes: {},
    });
  });

  it('fill a named asset given in part from its preset, any other name from the asset defaults', () => {
    const c = lending({ assets: { WETH: { ltv: 0.7, rate: { slope1PerYear: 0.05 } }, USDC: {}, CRV: {} } }).lending!;
    expect(c.assets.WETH).toMatchObject({
      ltv: 0.7,
      initialPriceUsd: 2000,
      rate: { slope1PerYear: 0.05, slope2PerYear: 0.8 },
    });
    expect(c.assets.CRV).toMatchObject({ initialPriceUsd: 1, indexBeta: 1, dex: { liquidityUsd: 2_000_000 } });
    expect(Object.keys(c.assets)).toEqual(['WETH', 'USDC', 'CRV']);
  });

  it('use the Compound presets for model compound (C2): WETH not borrowable, USDC the base and not collateral', () => {
    const c = lending({ model: 'compound' }).lending!;
    expect(c.assets.WETH).toMatchObject({
      ltv: 0.825,
      liquidationThreshold: 0.895,
      liquidationFactor: 0.95,
      borrowable: false,
    });
    expect(c.assets.USDC).toMatchObject({ borrowable: true, collateral: false });
  });

  it('count the lending accounts in the work bound', () => {
    expect(accountCount(cfg)).toBe(100 + 1000 + 0 + 0 + 0 + 5);
    expect(failure({ run: { steps: 250_000 }, lending: { borrowers: { count: 1_000_000 } } })).toMatch(
      /params\.run\.steps: run\.steps x accounts x markets = 2\.5e\+11 exceeds/,
    );
  });
});

describe('the lending cross-field checks', () => {
  const cases: [string, object, string][] = [
    [
      'ltv above the threshold',
      { assets: { WETH: { ltv: 0.9, liquidationThreshold: 0.85 }, USDC: {} } },
      'params.lending.assets.WETH.ltv: LTV 0.9 is above the liquidation threshold 0.85',
    ],
    [
      'a bonus below 1',
      { assets: { WETH: { liquidationBonus: 0.99 }, USDC: {} } },
      'params.lending.assets.WETH.liquidationBonus: a liquidation bonus below 1 pays the liquidator less than it repays',
    ],
    [
      'threshold x bonus above 1',
      { assets: { WETH: { liquidationThreshold: 0.97, ltv: 0.9, liquidationBonus: 1.05 }, USDC: {} } },
      'params.lending.assets.WETH.liquidationThreshold: liquidation threshold x bonus = 1.0185 is above 1',
    ],
    [
      'an unknown supplied asset',
      { suppliers: { supplyUsd: { WBTC: 1e6 } } },
      "params.lending.suppliers.supplyUsd.WBTC: unknown asset 'WBTC' (assets: WETH, USDC)",
    ],
    [
      "an unknown borrowers' asset",
      { borrowers: { collateralAsset: 'WBTC' } },
      "params.lending.borrowers.collateralAsset: unknown asset 'WBTC' (assets: WETH, USDC)",
    ],
    [
      "an unknown loopers' asset",
      { loopers: { debtAsset: 'DAI' } },
      "params.lending.loopers.debtAsset: unknown asset 'DAI' (assets: WETH, USDC)",
    ],
    [
      "an unknown account's asset",
      { accounts: [{ supply: { WETH: 1 } }, { debt: { WBTC: 1 } }] },
      "params.lending.accounts[1].debt.WBTC: unknown asset 'WBTC' (assets: WETH, USDC)",
    ],
    [
      "an unknown attacker's asset",
      { attackers: [{ kind: 'borrow-squeezer', asset: 'CRV' }] },
      "params.lending.attackers[0].asset: unknown asset 'CRV' (assets: WETH, USDC)",
    ],
    [
      'an unknown Compound base',
      { model: 'compound', compound: { baseAsset: 'DAI' } },
      "params.lending.compound.baseAsset: unknown asset 'DAI' (assets: WETH, USDC)",
    ],
    [
      'an unknown e-mode category of an asset',
      { assets: { WETH: { eModeCategory: 1 }, USDC: {} } },
      'params.lending.assets.WETH.eModeCategory: unknown e-mode category 1 (no lending.eModes are defined)',
    ],
    [
      'an unknown e-mode category of the borrowers',
      { eModes: { '1': {} }, borrowers: { eMode: 2 } },
      'params.lending.borrowers.eMode: unknown e-mode category 2 (eModes: 1)',
    ],
    [
      'an e-mode ltv above its threshold',
      { eModes: { '1': { ltv: 0.98, liquidationThreshold: 0.97 } } },
      'params.lending.eModes.1.ltv: LTV 0.98 is above the liquidation threshold 0.97',
    ],
    [
      'an e-mode bonus below 1',
      { eModes: { '7': { liquidationBonus: 0.9 } } },
      'params.lending.eModes.7.liquidationBonus: a liquidation bonus below 1 pays the liquidator less than it repays',
    ],
    [
      'an e-mode id out of range',
      { eModes: { '256': {} } },
      'params.lending.eModes.256: expected an e-mode category id from 1 to 255',
    ],
    [
      'a second borrowable asset in a Compound pool',
      { model: 'compound', assets: { WETH: { borrowable: true }, USDC: {} } },
      "params.lending.assets.WETH.borrowable: a Compound pool lends only its base asset 'USDC': set borrowable: false",
    ],
    [
      "a borrowers' debt asset that is not borrowable",
      { assets: { WETH: {}, USDC: { borrowable: false } } },
      "params.lending.borrowers.debtAsset: 'USDC' is not borrowable (lending.assets.USDC.borrowable)",
    ],
    [
      "a borrowers' collateral asset that is not collateral",
      { assets: { WETH: { collateral: false }, USDC: {} } },
      "params.lending.borrowers.collateralAsset: 'WETH' is not collateral (lending.assets.WETH.collateral)",
    ],
    ['no assets', { assets: {} }, 'params.lending.assets: 0 assets; a pool has 1 to 16'],
    [
      'a bad asset name',
      { assets: { '1X': {} } },
      'params.lending.assets.1X: expected an asset name (letters, digits, - and _)',
    ],
  ];
  for (const [what, l, message] of cases)
    it(`refuse ${what}, naming the field`, () => {
      expect(failure({ lending: l })).toContain(`s.yaml: ${message}`);
    });

  it('refuse a grace period above 4 h (A5), at lending.graceSteps', () => {
    expect(failure({ run: { stepSeconds: 60 }, lending: { graceSteps: 241 } })).toBe(
      "s.yaml: params.lending.graceSteps: graceSteps x run.stepSeconds = 14460 s is above 14,400 s (Aave's longest grace period, 4 h, A5)",
    );
    expect(lending({ graceSteps: 240 }).lending?.graceSteps).toBe(240);
    expect(failure({ run: { stepSeconds: 3600 }, lending: { graceSteps: 5 } })).toMatch(/params\.lending\.graceSteps/);
  });

  it('refuse a lending run with several markets or perp attackers', () => {
    expect(failure({ lending: {}, markets: { A: {}, B: {} } })).toContain('params.markets: a lending run has one pool');
    expect(failure({ lending: {}, attackers: [{ kind: 'insurance-drainer', capitalUsd: 1e6 }] })).toContain(
      'params.attackers: the perp attackers do not act in a lending run: use lending.attackers',
    );
  });

  it('accept an e-mode used by an asset and by the borrowers', () => {
    const c = lending({
      eModes: { '1': {} },
      assets: { WETH: { eModeCategory: 1 }, USDC: {} },
      borrowers: { eMode: 1 },
    });
    expect(c.lending?.eModes['1']).toEqual({ ltv: 0.974, liquidationThreshold: 0.976, liquidationBonus: 1.015 });
  });
});

describe('--set and sweep-grid paths into the lending section', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cascade-lending-config-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('know the lending paths and their defaults', () => {
    expect(parameterDefault('lending.closeFactor')).toEqual({ value: 0.5 });
    expect(parameterDefault('lending.assets.WETH.liquidationBonus')).toEqual({ value: 1.05 });
    expect(parameterDefault('lending.assets.WETH.rate.slope2PerYear')).toEqual({ value: 0.8 });
    expect(parameterDefault('lending.assets.CRV.ltv')).toEqual({ value: 0.805 });
    expect(parameterDefault('lending.eModes.1.ltv')).toEqual({ value: 0.974 });
    expect(parameterDefault('lending.suppliers.supplyUsd.CRV')).toEqual({ value: 0 });
    expect(parameterDefault('lending.liquidators.count')).toEqual({ value: 5 });
    expect(parameterDefault('lending.model')).toEqual({ value: 'aave' });
    expect(parameterDefault('lending.nothing')).toBeUndefined();
    expect(parameterDefault('lending.assets.WETH.nothing')).toBeUndefined();
  });

  it('reach lending.closeFactor, an asset field and the liquidators, keeping the other default assets', () => {
    const cfg = resolveConfig(SRC, {}, [
      'lending.closeFactor=0.6',
      'lending.assets.WETH.liquidationBonus=1.1',
      'lending.liquidators.count=7',
    ]);
    expect(cfg.lending?.closeFactor).toBe(0.6);
    expect(cfg.lending?.liquidators.count).toBe(7);
    expect(Object.keys(cfg.lending!.assets)).toEqual(['WETH', 'USDC']);
    expect(cfg.lending?.assets.WETH).toMatchObject({ liquidationBonus: 1.1, initialPriceUsd: 2000, ltv: 0.805 });
    expect(cfg.lending?.assets.USDC.indexBeta).toBe(0);
  });

  it('set into a scenario that lists its own assets without seeding the default ones', () => {
    const params = { lending: { assets: { CRV: {}, USDC: {} }, suppliers: { supplyUsd: { CRV: 1e6 } } } };
    const o = applySet(params, 'lending.assets.CRV.ltv=0.55');
    expect(Object.keys((o.lending as { assets: object }).assets)).toEqual(['CRV', 'USDC']);
    const s = setPath({}, 'lending.suppliers.supplyUsd.USDC', 5);
    expect(s).toEqual({ lending: { suppliers: { supplyUsd: { WETH: 200e6, USDC: 5 } } } });
  });

  it('type the value by the default and refuse an unknown lending path', () => {
    expect(userError(() => applySet({}, 'lending.closeFactor=half')).message).toBe(
      "--set: lending.closeFactor: expected a number, got 'half'",
    );
    expect(userError(() => applySet({}, 'lending.closeFactorr=0.5')).message).toMatch(
      /^--set: lending\.closeFactorr: unknown parameter/,
    );
    expect(userError(() => resolveConfig(SRC, {}, ['lending.closeFactor=1.5'])).message).toMatch(
      /^--set: lending\.closeFactor: /,
    );
  });

  it('take lending paths in a sweep grid and its sets', () => {
    const file = join(tmp, 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'lending-grid',
        scenarios: [{ scenario: 'calm', set: { 'lending.liquidators.count': 3 } }],
        replicates: 1,
        seed: 1,
        grid: { 'lending.closeFactor': [0.5, 1], 'lending.assets.WETH.liquidationBonus': [1.05, 1.1] },
      }),
    );
    const sweep = loadSweep(file, []);
    expect(sweep.grid.map((g) => g.path)).toEqual(['lending.closeFactor', 'lending.assets.WETH.liquidationBonus']);
  });
});

describe('the docs of the lending section', () => {
  const docs = parameterDocs();
  it('document the optional section, its asset and e-mode entries and its attacker kinds', () => {
    const paths = docs.sections.filter((s) => s.path.startsWith('lending')).map((s) => s.path);
    expect(paths).toContain('lending');
    expect(paths).toContain('lending.assets.<NAME>');
    expect(paths).toContain('lending.assets.<NAME>.rate');
    expect(paths).toContain('lending.eModes.<NAME>');
    const kinds = docs.sections.filter((s) => s.path === 'lending.attackers[]').map((s) => s.variant?.value);
    expect(kinds).toEqual(['oracle-manipulator', 'borrow-squeezer', 'governance-attacker']);
    const asset = docs.sections.find((s) => s.path === 'lending.assets.<NAME>');
    expect(asset?.parameters.find((p) => p.path === 'lending.assets.<NAME>.ltv')).toMatchObject({
      presence: 'default',
      default: 0.805,
    });
    const assets = docs.sections.find((s) => s.path === 'lending.assets')?.parameters[0];
    expect(assets?.accepts).toMatchObject({ type: 'object', keyPattern: '^[A-Za-z][A-Za-z0-9_-]{0,31}$' });
    expect(Object.keys(assets?.default as object)).toEqual(['WETH', 'USDC']);
  });
});

describe('resolvePoolParams', () => {
  it('maps the section to the kernel parameters: caps of 0 to Infinity, the base asset to its index, run.stepSeconds', () => {
    const cfg = lending(
      {
        model: 'compound',
        assets: { WETH: { supplyCapUnits: 1000 }, USDC: {}, WBTC: { borrowable: false, debtCeilingUsd: 0 } },
        suppliers: { supplyUsd: { WETH: 1e6 } },
        eModes: { '3': {}, '1': { ltv: 0.9, liquidationThreshold: 0.93 } },
        graceSteps: 10,
      },
      { run: { stepSeconds: 30 } },
    );
    const p = resolvePoolParams(cfg);
    expect(lendingAssetNames(cfg)).toEqual(['WETH', 'USDC', 'WBTC']);
    expect(p.reserves.map((r) => r.name)).toEqual(['WETH', 'USDC', 'WBTC']);
    expect(p.model).toBe('compound');
    expect(p.baseAsset).toBe(1);
    expect(p.reserves[0].supplyCapUnits).toBe(1000);
    expect(p.reserves[0].borrowCapUnits).toBe(Infinity);
    expect(p.reserves[2].debtCeilingUsd).toBe(Infinity);
    expect(p.reserves[0]).toMatchObject({ ltv: 0.825, liquidationThreshold: 0.895, liquidationFactor: 0.95 });
    expect(p.eModes.map((e) => e.id)).toEqual([1, 3]);
    expect(p.eModes[0]).toEqual({ id: 1, ltv: 0.9, liquidationThreshold: 0.93, liquidationBonus: 1.015 });
    expect(p).toMatchObject({
      closeFactor: 0.5,
      fullCloseHealthFactor: 0.95,
      fullCloseBelowUsd: 2000,
      minLeftoverUsd: 1000,
      storeFrontPriceFactor: 0.5,
      targetReservesUnits: 5_000_000,
      graceSteps: 10,
      stepSeconds: 30,
    });
  });

  it('refuses a config without a lending section', () => {
    expect(() => resolvePoolParams(DEFAULT_CONFIG)).toThrow(/not a lending run/);
  });
});
