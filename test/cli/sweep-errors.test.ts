// Mistakes in a sweep file stop it before any run with one line and exit code 2; a run that throws is
// recorded with status=error and its seed while the rest of the sweep goes on (exit code 1), or stops
// the sweep with --fail-fast.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../sim/sweep/sweep.js';
import { BUILTIN_SWEEPS } from '../helpers/builtins.js';
import { cli, csvRows, read, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

/** Writes the small sweep with `edit` applied to its YAML text; returns the file. */
function badSweep(edit: (yaml: string) => string): { dir: string; file: string } {
  const dir = tempDir();
  const file = writeSmallSweep(dir);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  return { dir, file };
}

function expectRejected(edit: (yaml: string) => string, pattern: RegExp): void {
  const { dir, file } = badSweep(edit);
  const out = join(dir, 'out');
  const res = cli(['sweep', file, '--out', out, '--no-progress']);
  expect(res.status).toBe(2);
  expect(res.stdout).toBe('');
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
  expect(res.stderr).toMatch(pattern);
  expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(existsSync(out)).toBe(false); // nothing started
}

describe('a bad sweep file', () => {
  it('with an unknown parameter path in the grid names the file and the path', () => {
    expectRejected(
      (y) => y.replace('grid:\n', 'grid:\n  protocol.foo: [1, 2]\n'),
      /small\.yaml: grid\.protocol\.foo: unknown parameter/,
    );
  });

  it('with an empty list of grid values says the list is empty', () => {
    expectRejected(
      (y) => y.replace('protocol.liquidationFeeRate: [0.005, 0.015]', 'protocol.liquidationFeeRate: []'),
      /small\.yaml: grid\.protocol\.liquidationFeeRate: expected a non-empty list of values/,
    );
  });

  it('with a non-numeric replicate count says a positive integer is expected', () => {
    expectRejected(
      (y) => y.replace('replicates: 6', 'replicates: ten'),
      /small\.yaml: replicates: expected a positive integer, got "ten"/,
    );
  });

  it('with an unknown scenario names the entry and lists the built-ins', () => {
    expectRejected(
      (y) => y.replace('  - calm\n', '  - no-such-scenario\n'),
      /small\.yaml: scenarios\[1\]: unknown scenario 'no-such-scenario': .*built-ins: .*flash-crash/,
    );
  });

  it('with a malformed budget shows the expected form', () => {
    expectRejected(
      (y) => y.replace('p_insolvent <= 0.5', 'p_insolvent =< 0.01'),
      /small\.yaml: budgets\[0\]: malformed budget 'p_insolvent =< 0\.01' \(expected '<metric> <op> <number>'/,
    );
  });

  it('with a budget on an unknown metric lists the metrics', () => {
    expectRejected(
      (y) => y.replace('p_insolvent <= 0.5', 'p_insolvency <= 0.01'),
      /small\.yaml: budgets\[0\]: unknown metric 'p_insolvency'.*bad_debt_p99_usd/,
    );
  });

  it('with a grid value of the wrong type names the value', () => {
    expectRejected(
      (y) => y.replace('[0.005, 0.015]', '[0.005, high]'),
      /small\.yaml: grid\.protocol\.liquidationFeeRate\[1\]: expected a number, got "high"/,
    );
  });

  it('with a cell whose config is invalid names the cell', () => {
    expectRejected(
      (y) => y.replace('[0.02, 0.04]', '[0.02, 0.06]'),
      /small\.yaml: grid: cell \(mini-crash, protocol\.maintenanceMarginRate=0\.06, .*\): protocol\.maintenanceMarginRate: must not exceed initialMarginRate/,
    );
  });

  it('with an unknown top-level field names the field', () => {
    expectRejected((y) => y + 'replicate: 3\n', /small\.yaml: replicate: unknown field/);
  });
});

describe('bad sweep flags', () => {
  it('are one line and exit code 2', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir);
    for (const [flag, value, pattern] of [
      ['--shard', '4/3', /--shard: expected k\/N/],
      ['--threads', '0', /--threads: expected an integer from 1/],
      ['--replicates', 'x', /--replicates: expected an integer/],
    ] as const) {
      const res = cli(['sweep', file, flag, value, '--out', join(dir, 'out')]);
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(pattern);
    }
  });
});

describe('an unknown sweep name', () => {
  it('is one line and exit code 2 naming every sweep file of scenarios/builtin-sweeps/', () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    const res = cli(['sweep', 'no-such-sweep', '--out', out, '--no-progress']);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    const listed = /\(built-ins: ([^)]*)\)/.exec(res.stderr)?.[1].split(', ');
    expect(listed).toEqual(BUILTIN_SWEEPS);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a run that throws', () => {
  it('is recorded with status=error, its step and seed, while the other runs complete, and the exit code is 1', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { replicates: 3, extraGrid: ['  invariants.faultInjectionStep: [-1, 50]'] });
    const out = join(dir, 'out');
    const res = cli(['sweep', file, '--out', out, '--no-progress']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/24 of 48 runs failed \(status=error in runs\.csv\); first: run 3 /);
    expect(res.stderr).toMatch(/replay: cascade run .*--seed \d+ .*--set invariants\.faultInjectionStep=50/);
    const runs = csvRows(read(out, 'runs.csv'));
    const failed = runs.filter((r) => r.status === 'error');
    expect(failed).toHaveLength(24);
    expect(failed.every((r) => r['invariants.faultInjectionStep'] === '50')).toBe(true);
    for (const r of failed) {
      expect(r.error).toBe(
        `invariant violated at step 50 (seed ${r.seed}): fault injected by invariants.faultInjectionStep`,
      );
      expect(r.bad_debt_usd).toBe('');
    }
    expect(runs.filter((r) => r.status === 'ok')).toHaveLength(24);
    const cells = csvRows(read(out, 'cells.csv'));
    expect(cells.filter((c) => c.errors === '3' && c.p_insolvent === '')).toHaveLength(8);
    expect(cells.filter((c) => c.errors === '0' && c.p_insolvent !== '')).toHaveLength(8);
  });

  it('with --fail-fast stops the sweep, writes no cells.csv and keeps the journal for --resume', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { replicates: 3, extraGrid: ['  invariants.faultInjectionStep: [50, -1]'] });
    const out = join(dir, 'out');
    const res = cli(['sweep', file, '--out', out, '--no-progress', '--fail-fast', '--threads', '1']);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /stopped at the first error \(--fail-fast\): run 0 \(mini-crash, replicate 0, seed \d+\)/,
    );
    expect(existsSync(join(out, 'cells.csv'))).toBe(false);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);
    expect(existsSync(join(out, JOURNAL_FILE))).toBe(true);
    const resumed = cli(['sweep', file, '--out', out, '--no-progress', '--resume']);
    expect(resumed.status).toBe(1);
    expect(csvRows(read(out, 'runs.csv'))).toHaveLength(48);
  });
});
