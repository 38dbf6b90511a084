// A run is a pure function of (scenario, config, seed), checked end to end through the CLI: the same
// command writes byte-identical files, with the statistics of an in-process run of the same seed
// (the in-process determinism tests are in test/unit/determinism.test.ts).
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
