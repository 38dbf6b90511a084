// Every list and count of a scenario or sweep file has an upper bound, checked before the work it
// would cost (a 5,000-market file is refused before its correlation matrix is factored); every
// numeric parameter has a physical range; reserved keys (__proto__, constructor, prototype) are
// refused with one line naming the file and the field, in YAML and JSON alike.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applySet, readScenarioFile } from '../../scenarios/load.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { ConfigSchema } from '../../sim/config/index.js';
import { userError } from '../helpers/inputs.js';

const tmp = mkdtempSync(join(tmpdir(), 'cascade-config-bounds-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function scenario(name: string, body: object): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify({ name: 'b', description: 'bounds', shocks: [], ...body }));
  return file;
}

function sweep(name: string, body: object): string {
  const file = join(tmp, name);
  writeFileSync(file, JSON.stringify({ name: 'b', scenarios: ['calm'], replicates: 1, seed: 1, ...body }));
  return file;
}

describe('size bounds', () => {
  it('refuses a file of 5,000 markets with one line, before any per-market work', () => {
    const markets = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`m${i}`, {}]));
    const file = scenario('markets.json', { params: { markets } });
    expect(userError(() => readScenarioFile(file)).message).toBe(
      `${file}: params.markets: 5000 markets; at most 64 are supported`,
    );
  });

  it('refuses more than 1000 shocks', () => {
    const shocks = Array.from({ length: 1001 }, () => ({ kind: 'priceJump', step: 1, pct: -0.01 }));
    const file = scenario('shocks.json', { shocks });
    expect(userError(() => readScenarioFile(file)).message).toBe(`${file}: shocks: expected at most 1000 shocks`);
  });

  it('refuses a shock step past the longest run', () => {
    const file = scenario('step.json', { shocks: [{ kind: 'priceJump', step: 1e9, pct: -0.1 }] });
    expect(userError(() => readScenarioFile(file)).field).toBe('shocks[0].step');
  });

  it('refuses a run whose steps times accounts exceed the work bound, naming the figure', () => {
    const r = ConfigSchema.safeParse({ run: { steps: 250_000 }, agents: { traders: { count: 1000 } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(['run', 'steps']);
    expect(r.error?.issues[0].message).toMatch(/^run\.steps x accounts x markets = 2\.5e\+8 exceeds 2e\+8/);
  });

  it('still accepts 1,440 steps of 10,000 accounts', () => {
    expect(ConfigSchema.safeParse({ agents: { traders: { count: 10_000 } } }).success).toBe(true);
  });

  it('refuses a grid whose cells exceed the bound before reading any scenario', () => {
    const values = Array.from({ length: 200 }, (_, i) => i / 1e6);
    const file = sweep('cells.json', {
      grid: { 'protocol.takerFeeRate': values, 'protocol.liquidationFeeRate': values },
    });
    expect(userError(() => loadSweep(file, [])).message).toBe(
      `${file}: grid: 1 scenarios x grid = 40000 cells; at most 10000 are supported`,
    );
  });

  it('refuses more than 1000 values of one grid parameter', () => {
    const values = Array.from({ length: 1001 }, (_, i) => i / 1e7);
    const file = sweep('values.json', { grid: { 'protocol.takerFeeRate': values } });
    expect(userError(() => loadSweep(file, [])).field).toBe('grid.protocol.takerFeeRate');
  });
});

describe('physical ranges', () => {
  it.each([
    ['protocol.insuranceFundUsd', { protocol: { insuranceFundUsd: 1e14 } }],
    ['agents.traders.leverageMedian', { agents: { traders: { leverageMedian: 1e6 } } }],
    ['oracle.heartbeatSteps', { oracle: { heartbeatSteps: 1e12 } }],
    ['agents.traders.count', { agents: { traders: { count: 2_000_000 } } }],
  ])('refuses a finite but absurd %s', (path, params) => {
    const r = ConfigSchema.safeParse(params);
    expect(r.error?.issues[0].path.join('.')).toBe(path);
  });
});

describe('reserved keys', () => {
  it.each(['json', 'yaml'])('refuses params.__proto__ in a %s scenario file, naming the field', (ext) => {
    const file = join(tmp, `proto.${ext}`);
    writeFileSync(
      file,
      ext === 'json'
        ? '{"name":"b","description":"d","shocks":[],"params":{"__proto__":{"run":{"steps":5}}}}'
        : 'name: b\ndescription: d\nshocks: []\nparams:\n  __proto__:\n    run: {steps: 5}\n',
    );
    expect(userError(() => readScenarioFile(file)).message).toBe(
      `${file}: params.__proto__: '__proto__' is a reserved key, not a field`,
    );
  });

  it('refuses markets.__proto__ and a market named constructor', () => {
    const a = join(tmp, 'mk.json');
    writeFileSync(a, '{"name":"b","description":"d","shocks":[],"params":{"markets":{"__proto__":{},"x":{},"y":{}}}}');
    expect(userError(() => readScenarioFile(a)).field).toBe('params.markets.__proto__');
    const b = join(tmp, 'mk.yaml');
    writeFileSync(b, 'name: b\ndescription: d\nshocks: []\nparams:\n  markets:\n    constructor: {}\n    x: {}\n');
    expect(userError(() => readScenarioFile(b)).field).toBe('params.markets.constructor');
  });

  it('refuses set.__proto__ in a sweep file', () => {
    const file = join(tmp, 'sweep-proto.json');
    writeFileSync(file, '{"name":"b","scenarios":["calm"],"replicates":1,"seed":1,"set":{"__proto__":1}}');
    expect(userError(() => loadSweep(file, [])).message).toBe(
      `${file}: set.__proto__: '__proto__' is a reserved key, not a field`,
    );
  });

  it.each(['__proto__.x', 'market.__proto__', 'markets.a.prototype.x'])('refuses --set %s=1 as reserved', (path) => {
    expect(userError(() => applySet({}, `${path}=1`)).detail).toMatch(/is a reserved key, not a parameter/);
  });
});
