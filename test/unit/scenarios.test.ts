// The built-in scenario library: every file validates and compiles to a shock schedule, shocks past
// the horizon are user errors naming the shock, and the May 2021 replay drives the index along the
// CSV's returns.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinDir, listBuiltins, loadScenario, readScenarioFile, resolveConfig } from '../../scenarios/load.js';
import { parsePriceCsv, resampleSeries } from '../../scenarios/price-series.js';
import { shockMarket, type Shock } from '../../scenarios/schema.js';
import { compileCdpShocks } from '../../scenarios/cdp-shocks.js';
import { compileContagionShocks } from '../../scenarios/contagion-shocks.js';
import { compileLendingShocks } from '../../scenarios/lending-shocks.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { runSimulation } from '../../sim/engine.js';
import { UserError } from '../../sim/core/errors.js';
import { BUILTIN_SCENARIO_DIR, BUILTIN_SCENARIOS } from '../helpers/builtins.js';
import { smallScenario } from '../helpers/small-world.js';

// Every YAML file in scenarios/builtin/: the tests below hold for each, whatever the library holds.
const BUILTINS = BUILTIN_SCENARIOS;

describe('the built-in library', () => {
  it('is the YAML files of scenarios/builtin/, listed in name order', () => {
    expect(builtinDir()).toBe(BUILTIN_SCENARIO_DIR);
    expect(BUILTINS.length).toBeGreaterThan(0);
    expect(listBuiltins().map((b) => b.name)).toEqual(BUILTINS);
  });

  it.each(BUILTINS)('lists %s with the description of its file', (name) => {
    const data = readScenarioFile(join(builtinDir(), `${name}.yaml`));
    expect(listBuiltins()).toContainEqual({ name, description: data.description });
  });

  it.each(BUILTINS)('validates %s, whose name matches its file name', (name) => {
    const data = readScenarioFile(join(builtinDir(), `${name}.yaml`));
    expect(data.name).toBe(name);
    expect(data.description.length).toBeGreaterThan(10);
  });

  it.each(BUILTINS)('compiles the shocks of %s within its own horizon', (name) => {
    const { scenario, params } = loadScenario(name);
    expect(scenario.source).toBe(`builtin:${name}`);
    const config = resolveConfig(scenario.source, params);
    if (config.contagion) {
      // A contagion world compiles one schedule per protocol; every shock starts in one of them.
      const c = compileContagionShocks(scenario.shocks, new Map(scenario.series), config, scenario.source);
      expect(c.lending.common.extraLogReturn.length).toBe(config.run.steps);
      expect(c.cdp !== undefined).toBe(config.cdp !== undefined);
      const started = new Set(
        [...c.perp.shockStarts, ...c.lending.shockStarts, ...(c.cdp?.shockStarts ?? [])].map((s) => s.kind),
      );
      for (const s of scenario.shocks) expect(started.has(s.kind), s.kind).toBe(true);
      return;
    }
    if (config.lending) {
      // A lending scenario compiles into one schedule per asset besides the common one; every shock starts.
      const lending = compileLendingShocks(scenario.shocks, new Map(scenario.series), config, scenario.source);
      expect(lending.common.extraLogReturn.length).toBe(config.run.steps);
      expect(lending.shockStarts.map((s) => s.kind).sort()).toEqual(scenario.shocks.map((s) => s.kind).sort());
      return;
    }
    if (config.cdp) {
      // A CDP scenario compiles into one schedule per collateral type besides the common one; every shock starts.
      const cdp = compileCdpShocks(scenario.shocks, new Map(scenario.series), config, scenario.source);
      expect(cdp.common.extraLogReturn.length).toBe(config.run.steps);
      expect(cdp.collateral.length).toBe(Object.keys(config.cdp.collateral).length);
      expect(cdp.shockStarts.map((s) => s.kind).sort()).toEqual(scenario.shocks.map((s) => s.kind).sort());
      return;
    }
    // A multi-market scenario compiles once per market; each shock starts in the markets it names (all if none).
    const markets = Object.keys(config.markets);
    for (const market of markets.length ? markets : [undefined]) {
      const schedule = compileShocks(
        scenario.shocks,
        new Map(scenario.series),
        config.run.steps,
        config.run.stepSeconds,
        scenario.source,
        market,
      );
      expect(schedule.extraLogReturn.length).toBe(config.run.steps);
      const mine = scenario.shocks.filter((s) => shockMarket(s) === undefined || shockMarket(s) === market);
      expect(schedule.shockStarts.map((s) => s.kind)).toEqual(mine.map((s) => s.kind));
    }
  });
});

describe('compileShocks', () => {
  const shocks: Shock[] = [
    { kind: 'priceJump', step: 10, pct: -0.1 },
    { kind: 'oracleFreeze', step: 100, steps: 5 },
  ];

  it('rejects a shock that starts past the horizon with a UserError naming shocks[i].step', () => {
    let error: unknown;
    try {
      compileShocks(shocks, new Map(), 100, 60, 'late.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const u = error as UserError;
    expect(u.source).toBe('late.yaml');
    expect(u.field).toBe('shocks[1].step');
    expect(u.message).toMatch(/^late\.yaml: shocks\[1\]\.step: 100 is past the run's last step \(99\)/);
  });

  it('accepts a shock at the last step of the horizon', () => {
    const s = compileShocks(shocks, new Map(), 101, 60, 'edge.yaml');
    expect(s.oracleFrozen[100]).toBe(1);
  });

  it('spreads a drift evenly in log terms and clips shocks that run past the horizon', () => {
    const s = compileShocks(
      [
        { kind: 'priceDrift', step: 2, steps: 4, pct: -0.5 },
        { kind: 'depthDrain', step: 8, steps: 50, factor: 0.25 },
      ],
      new Map(),
      10,
      60,
      'drift.yaml',
    );
    const total = s.extraLogReturn.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(Math.log(0.5), 12);
    expect([...s.extraLogReturn].map((x) => x !== 0)).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect([...s.depthMultiplier]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0.25, 0.25]);
  });
});

describe('the May 2021 replay', () => {
  const { scenario, config } = smallScenario('may-2021', [], 200, 1152);
  const replay = scenario.shocks[0];
  const series = scenario.series[0][1];
  const result = runSimulation({ scenario, config, seed: 3 });
  const index = result.timeline.index_price_usd;
  if (replay.kind !== 'replay') throw new Error('may-2021 should open with a replay shock');
  const path = resampleSeries(series, {
    stepSeconds: config.run.stepSeconds,
    method: replay.method,
    visitExtremes: replay.visitExtremes,
  });
  // The index after step t has moved by the series' returns from offsetSteps up to offsetSteps + t + 1.
  const at = (t: number) => path[replay.offsetSteps + t + 1];

  it('reads the shipped CSV the scenario names', () => {
    const csv = readFileSync(join(builtinDir(), replay.file), 'utf8');
    expect(series.close).toEqual(parsePriceCsv(csv, replay.file).close);
  });

  it('moves the index by the resampled series ratio between any two steps', () => {
    for (const [a, b] of [
      [0, 1151],
      [100, 400],
      [250, 300],
      [10, 11],
    ]) {
      expect(index[b] / index[a]).toBeCloseTo(at(b) / at(a), 9);
    }
  });

  it("starts the index at the scenario's initial price and follows the series from the offset", () => {
    expect(config.market.initialPriceUsd).toBe(3580);
    expect(index[0]).toBeCloseTo((3580 * at(0)) / path[replay.offsetSteps], 6);
  });

  it('gives the same index path for every seed, since the replay replaces the random walk', () => {
    const other = runSimulation({ scenario, config, seed: 4 }).timeline.index_price_usd;
    expect(other).toEqual(index);
  });

  it('reaches the lowest price of the resampled series, wicks included, scaled to the start price', () => {
    const lowest = Math.min(...index);
    const expected =
      (3580 * Math.min(...path.slice(replay.offsetSteps + 1, replay.offsetSteps + 1153))) / path[replay.offsetSteps];
    expect(lowest).toBeCloseTo(expected, 6);
    expect(lowest / 3580).toBeLessThan(0.75);
  });
});
