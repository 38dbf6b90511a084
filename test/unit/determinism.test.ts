// A run is a pure function of (scenario, config, seed), and streams per concern give common random
// numbers: parameters and extra agents do not move the index path. Also checked end to end through
// the CLI: the same command writes byte-identical files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../../sim/engine.js';
import { smallScenario, smallWorldSets } from '../helpers/small-world.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'sim', 'cli', 'main.js');
const TRADERS = 300;
const STEPS = 700;

function run(extra: string[] = [], seed = 11) {
  return runSimulation({ ...smallScenario('flash-crash', extra, TRADERS, STEPS), seed });
}

describe('runs in process', () => {
  it('gives identical statistics and timelines for the same scenario, config and seed', () => {
    const a = run();
    const b = run();
    expect(b.stats).toEqual(a.stats);
    expect(b.timeline).toEqual(a.timeline);
    expect(b).toEqual(a);
    // Non-trivial: the crash liquidated accounts.
    expect(a.stats.liquidations).toBeGreaterThan(0);
  });

  it('gives a different timeline for a different seed', () => {
    const a = run([], 11);
    const b = run([], 12);
    expect(b.timeline.index_price_usd).not.toEqual(a.timeline.index_price_usd);
    expect(b.stats).not.toEqual(a.stats);
  });

  it('keeps the index path when the maintenance margin rate changes (common random numbers)', () => {
    const a = run(['protocol.maintenanceMarginRate=0.03']);
    const b = run(['protocol.maintenanceMarginRate=0.02']);
    expect(b.timeline.index_price_usd).toEqual(a.timeline.index_price_usd);
    // The parameter did change the run.
    expect(b.timeline.liquidations).not.toEqual(a.timeline.liquidations);
  });

  it('keeps the index path when liquidators are added (common random numbers)', () => {
    const a = run(['agents.liquidators.count=5']);
    const b = run(['agents.liquidators.count=12']);
    expect(b.accounts.total).toBe(a.accounts.total + 7);
    expect(b.timeline.index_price_usd).toEqual(a.timeline.index_price_usd);
  });

  it('keeps the index path when the trader population changes (common random numbers)', () => {
    const a = run(['agents.traders.count=300']);
    const b = run(['agents.traders.count=200']);
    expect(b.timeline.index_price_usd).toEqual(a.timeline.index_price_usd);
    expect(b.timeline.open_interest_long_usd).not.toEqual(a.timeline.open_interest_long_usd);
  });
});

describe('runs through the CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cascade-determinism-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function cli(seed: number, out: string): void {
    const sets = smallWorldSets(TRADERS, STEPS).flatMap((s) => ['--set', s]);
    const r = spawnSync(
      process.execPath,
      [CLI, 'run', 'flash-crash', '--seed', String(seed), '--out', join(tmp, out), '--quiet', ...sets],
      { encoding: 'utf8', cwd: tmp },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }
  const read = (dir: string, file: string) => readFileSync(join(tmp, dir, file));

  it('writes byte-identical timeline.csv and summary.json for the same seed, and different ones for another seed', () => {
    cli(7, 'a');
    cli(7, 'b');
    cli(8, 'c');
    expect(read('b', 'timeline.csv').equals(read('a', 'timeline.csv'))).toBe(true);
    expect(read('b', 'summary.json').equals(read('a', 'summary.json'))).toBe(true);
    expect(read('c', 'timeline.csv').equals(read('a', 'timeline.csv'))).toBe(false);
    expect(read('c', 'summary.json').equals(read('a', 'summary.json'))).toBe(false);
    expect(JSON.parse(read('a', 'summary.json').toString()).seed).toBe(7);
  });

  it('writes the same statistics through the CLI as an in-process run of the same seed', () => {
    cli(7, 'd');
    const summary = JSON.parse(read('d', 'summary.json').toString());
    const direct = run([], 7);
    expect(summary.liquidations).toBe(direct.stats.liquidations);
    expect(summary.bad_debt_usd).toBeCloseTo(direct.stats.bad_debt_usd, 4);
    expect(summary.steps).toBe(STEPS);
    expect(summary.trader_accounts).toBe(TRADERS);
  });
});
