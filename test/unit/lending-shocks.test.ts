// The lending shocks (scenarios/lending-shocks.ts): index shocks go to the common schedule, shocks
// naming an asset to that asset's schedule only; gasSpike, supplierRun and reservePause fill their
// arrays; unknown assets and perp-only kinds are UserErrors naming the shock; in a perp run the
// lending-only kinds are refused with one line, and compileForConfig of a lending config accepts
// asset names.
import { describe, expect, it } from 'vitest';
import { compileLendingShocks } from '../../scenarios/lending-shocks.js';
import { readScenarioFile } from '../../scenarios/load.js';
import { parsePriceCsv } from '../../scenarios/price-series.js';
import { ShockSchema, SHOCK_KINDS, type Shock } from '../../scenarios/schema.js';
import { compileForConfig } from '../../scenarios/compile.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { userError } from '../helpers/inputs.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cfg = ConfigSchema.parse({ run: { steps: 100 }, lending: {} });
const shocks = (list: object[]): Shock[] => list.map((s) => ShockSchema.parse(s));
const compile = (list: object[], series = new Map()) => compileLendingShocks(shocks(list), series, cfg, 'l.yaml');
const A = 2; // WETH, USDC

describe('compileLendingShocks', () => {
  it('routes index shocks to the common schedule and shocks naming an asset to that asset only', () => {
    const s = compile([
      { kind: 'priceJump', step: 10, pct: -0.2 },
      { kind: 'priceJump', market: 'USDC', step: 20, pct: -0.1 },
      { kind: 'volatility', market: 'WETH', step: 5, steps: 3, multiplier: 4 },
      { kind: 'depthDrain', market: 'WETH', step: 30, steps: 10, factor: 0.25 },
      { kind: 'oracleFreeze', step: 40, steps: 2 },
      { kind: 'liquidatorOutage', step: 50, steps: 5, share: 0.6 },
    ]);
    expect(s.assets.length).toBe(2);
    expect(s.common.extraLogReturn[10]).toBeCloseTo(Math.log(0.8));
    expect(s.common.extraLogReturn[20]).toBe(0);
    expect(s.common.oracleFrozen[40]).toBe(1);
    expect(s.common.liquidatorOutage[52]).toBe(0.6);
    expect(s.common.volMultiplier[6]).toBe(1);
    const [weth, usdc] = s.assets;
    expect(usdc.extraLogReturn[20]).toBeCloseTo(Math.log(0.9));
    expect(usdc.extraLogReturn[10]).toBe(0);
    expect(weth.extraLogReturn[20]).toBe(0);
    expect(weth.volMultiplier[5]).toBe(4);
    expect(weth.volMultiplier[8]).toBe(1);
    expect(weth.depthMultiplier[35]).toBe(0.25);
    expect(usdc.depthMultiplier[35]).toBe(1);
    expect(s.common.depthMultiplier[35]).toBe(1);
    expect(weth.shockStarts.map((x) => x.kind)).toEqual(['volatility', 'depthDrain']);
    expect(s.shockStarts.map((x) => x.kind)).toEqual([
      'priceJump',
      'priceJump',
      'volatility',
      'depthDrain',
      'oracleFreeze',
      'liquidatorOutage',
    ]);
  });

  it('replays a series on the index or on one asset (the USDC depeg)', () => {
    const csv =
      'timestamp,price,low,high\n2023-03-10T00:00:00Z,1,1,1\n2023-03-10T01:00:00Z,0.9,0.9,1\n2023-03-10T02:00:00Z,0.9,0.9,0.9\n';
    const series = new Map([[0, parsePriceCsv(csv, 'usdc.csv')]]);
    const s = compile([{ kind: 'replay', market: 'USDC', file: 'usdc.csv', visitExtremes: false }], series);
    expect(s.assets[1].replayActive[0]).toBe(1);
    expect(s.assets[0].replayActive[0]).toBe(0);
    expect(s.common.replayActive[0]).toBe(0);
    // The asset's replay is the one a perp index would follow from the same series.
    const perp = compileShocks(
      shocks([{ kind: 'replay', file: 'usdc.csv', visitExtremes: false }]),
      series,
      100,
      60,
      'p',
    );
    expect(s.assets[1].replayLogReturn).toEqual(perp.replayLogReturn);
    expect(s.assets[1].replayLogReturn.some((x) => x < 0)).toBe(true);
  });

  it('multiplies the gas cost over a gasSpike, compounding overlaps, 1 elsewhere', () => {
    const s = compile([
      { kind: 'gasSpike', step: 10, steps: 5, multiplier: 20 },
      { kind: 'gasSpike', step: 12, steps: 100, multiplier: 2 },
    ]);
    expect(s.gasMultiplier.length).toBe(100);
    expect(s.gasMultiplier[9]).toBe(1);
    expect(s.gasMultiplier[10]).toBe(20);
    expect(s.gasMultiplier[13]).toBe(40);
    expect(s.gasMultiplier[15]).toBe(2);
    expect(s.gasMultiplier[99]).toBe(2);
  });

  it('sets the supplier-run share at its step, for one asset or every asset', () => {
    const s = compile([
      { kind: 'supplierRun', step: 7, share: 0.3, asset: 'USDC' },
      { kind: 'supplierRun', step: 9, share: 0.5 },
      { kind: 'supplierRun', step: 9, share: 0.2, asset: 'WETH' },
    ]);
    expect(s.supplierRunShare.length).toBe(100 * A);
    expect(s.supplierRunShare[A * 7 + 1]).toBe(0.3);
    expect(s.supplierRunShare[A * 7 + 0]).toBe(0);
    expect(s.supplierRunShare[A * 8 + 1]).toBe(0);
    expect(s.supplierRunShare[A * 9 + 0]).toBe(0.5);
    expect(s.supplierRunShare[A * 9 + 1]).toBe(0.5);
  });

  it('pauses a reserve for its steps, then unpauses it', () => {
    const s = compile([{ kind: 'reservePause', step: 20, steps: 10, asset: 'WETH' }]);
    expect(s.paused.length).toBe(100 * A);
    expect(s.paused[A * 19]).toBe(0);
    expect(s.paused[A * 20]).toBe(1);
    expect(s.paused[A * 29]).toBe(1);
    expect(s.paused[A * 30]).toBe(0);
    expect(s.paused[A * 25 + 1]).toBe(0);
  });

  it('refuses unknown assets, late shocks, perp-only kinds and a liquidatorOutage with a market, naming the shock', () => {
    const err = (list: object[]) => userError(() => compile(list)).message;
    expect(
      err([
        { kind: 'gasSpike', step: 1, steps: 1, multiplier: 2 },
        { kind: 'priceJump', market: 'WBTC', step: 1, pct: 0.1 },
      ]),
    ).toBe("l.yaml: shocks[1].market: unknown asset 'WBTC' (assets: WETH, USDC)");
    expect(err([{ kind: 'reservePause', step: 1, steps: 1, asset: 'DAI' }])).toBe(
      "l.yaml: shocks[0].asset: unknown asset 'DAI' (assets: WETH, USDC)",
    );
    expect(err([{ kind: 'supplierRun', step: 1, share: 1, asset: 'DAI' }])).toBe(
      "l.yaml: shocks[0].asset: unknown asset 'DAI' (assets: WETH, USDC)",
    );
    expect(err([{ kind: 'gasSpike', step: 100, steps: 1, multiplier: 2 }])).toBe(
      "l.yaml: shocks[0].step: 100 is past the run's last step (99)",
    );
    expect(err([{ kind: 'correlation', step: 1, steps: 1, value: 1 }])).toMatch(
      /^l\.yaml: shocks\[0\]\.kind: 'correlation' does not apply to a lending run/,
    );
    expect(err([{ kind: 'collateralPrice', step: 1, steps: 1, asset: 'stablecoin', pct: -0.1 }])).toMatch(
      /^l\.yaml: shocks\[0\]\.kind: 'collateralPrice' does not apply to a lending run/,
    );
    expect(err([{ kind: 'liquidatorOutage', market: 'WETH', step: 1, steps: 1 }])).toMatch(
      /^l\.yaml: shocks\[0\]\.market: a liquidatorOutage takes no market in a lending run/,
    );
  });

  it('is what compileForConfig compiles for a lending config (asset names accepted as markets)', () => {
    const list = shocks([
      { kind: 'priceJump', step: 3, pct: -0.5 },
      { kind: 'priceJump', market: 'USDC', step: 4, pct: -0.1 },
      { kind: 'gasSpike', step: 1, steps: 2, multiplier: 3 },
    ]);
    const out = compileForConfig(list, new Map(), cfg, 'l.yaml');
    expect(out.length).toBe(1);
    expect(out[0].market).toBeUndefined();
    expect(out[0].schedule.extraLogReturn[3]).toBeCloseTo(Math.log(0.5));
    expect(out[0].schedule.extraLogReturn[4]).toBe(0);
    expect(() =>
      compileForConfig(shocks([{ kind: 'priceJump', market: 'WBTC', step: 1, pct: 0.1 }]), new Map(), cfg, 'l.yaml'),
    ).toThrow("l.yaml: shocks[0].market: unknown asset 'WBTC' (assets: WETH, USDC)");
  });
});

describe('the lending-only shock kinds in a perp run', () => {
  it('are shock kinds of the scenario schema', () => {
    expect(SHOCK_KINDS).toEqual(expect.arrayContaining(['gasSpike', 'supplierRun', 'reservePause']));
  });

  it('are refused with one line naming the shock', () => {
    const list = shocks([
      { kind: 'priceJump', step: 1, pct: -0.1 },
      { kind: 'oracleFreeze', step: 1, steps: 1 },
      { kind: 'gasSpike', step: 2, steps: 3, multiplier: 10 },
    ]);
    expect(userError(() => compileForConfig(list, new Map(), DEFAULT_CONFIG, 's.yaml')).message).toBe(
      "s.yaml: shocks[2].kind: 'gasSpike' applies to lending runs only (a config with a lending section)",
    );
    for (const s of [
      { kind: 'supplierRun', step: 1, share: 0.5 },
      { kind: 'reservePause', step: 1, steps: 1, asset: 'WETH' },
    ]) {
      const k = (s as { kind: string }).kind;
      expect(userError(() => compileForConfig(shocks([s]), new Map(), DEFAULT_CONFIG, 's.yaml')).message).toBe(
        `s.yaml: shocks[0].kind: '${k}' applies to lending runs only (a config with a lending section)`,
      );
      expect(userError(() => compileShocks(shocks([s]), new Map(), 10, 60, 's.yaml')).message).toBe(
        `s.yaml: shocks[0].kind: '${k}' applies to lending runs only (a config with a lending section)`,
      );
    }
  });

  it('validate in a scenario file (the schema takes them; the run refuses them in a perp config)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cascade-lending-shocks-'));
    try {
      const file = join(dir, 's.json');
      writeFileSync(
        file,
        JSON.stringify({
          name: 's',
          description: 'lending shocks',
          params: { lending: {} },
          shocks: [
            { kind: 'gasSpike', step: 1, steps: 2, multiplier: 5 },
            { kind: 'supplierRun', step: 1, share: 0.5, asset: 'USDC' },
            { kind: 'reservePause', step: 1, steps: 2, asset: 'WETH' },
          ],
        }),
      );
      expect(readScenarioFile(file).shocks.map((s) => s.kind)).toEqual(['gasSpike', 'supplierRun', 'reservePause']);
      writeFileSync(
        file,
        JSON.stringify({ name: 's', description: 'bad', shocks: [{ kind: 'gasSpike', step: 1, steps: 2 }] }),
      );
      expect(userError(() => readScenarioFile(file)).message).toMatch(/shocks\[0\]\.multiplier/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
