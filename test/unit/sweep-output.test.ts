// runs.csv and cells.csv from hand-built run records: columns, empty statistics for failed runs,
// cell statistics over the ok runs, and files that appear only complete.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Z_95, wilsonInterval } from '../../reports/stats.js';
import { cellsHeader, CellRows, runsLine, writeSweepFiles } from '../../reports/sweep-output.js';
import type { RunRecord } from '../../sim/sweep/sweep-journal.js';
import { PLAN_LOCATOR, runAt, type PlanMeta } from '../../sim/sweep/sweep-plan.js';
import { tempDir } from '../helpers/sweep-helpers.js';

const meta: PlanMeta = {
  sweep_hash: 'test',
  name: 'hand-built',
  cascade_version: '0.0.0',
  scenarios: [{ label: 'crash', name: 'crash' }],
  grid: [{ path: 'protocol.liquidationFeeRate', values: [0.01, 0.02] }],
  replicates: 4,
  seed: 1,
  cells: 2,
  total_runs: 8,
  stat_keys: ['insolvent', 'bad_debt_usd'],
};

const ok = (runIndex: number, insolvent: number, badDebt: number): RunRecord => ({
  runIndex,
  status: 'ok',
  error: '',
  stats: [insolvent, badDebt],
});

const records: RunRecord[] = [
  ok(0, 1, 100),
  ok(1, 0, 0),
  ok(2, 0, 0),
  ok(3, 1, 300),
  { runIndex: 4, status: 'error', error: 'invariant violated at step 5 (seed 9): value, lost', stats: null },
  ok(5, 0, 0),
  ok(6, 0, 10),
  ok(7, 0, 20),
];

function cellRows() {
  const builder = new CellRows(meta, PLAN_LOCATOR);
  const rows = records.map((r) => builder.push(r)).filter((r) => r !== null);
  rows.push(builder.finish()!);
  const header = cellsHeader(meta);
  return rows.map((row) => {
    const byName: Record<string, number | string> = { scenario: row.scenario };
    header.slice(2).forEach((name, k) => (byName[name] = row.metrics[k]));
    return byName;
  });
}

describe('cells', () => {
  it('have only the columns the runs can feed, after the scenario and the parameters', () => {
    expect(cellsHeader(meta)).toEqual([
      'scenario',
      'protocol.liquidationFeeRate',
      'runs',
      'errors',
      'p_insolvent',
      'p_insolvent_lo',
      'p_insolvent_hi',
      'bad_debt_mean_usd',
      'bad_debt_p50_usd',
      'bad_debt_p95_usd',
      'bad_debt_p99_usd',
      'bad_debt_es99_usd',
    ]);
  });

  it('summarize the runs of each cell: P(insolvent) with its Wilson interval and bad debt quantiles', () => {
    const [first] = cellRows();
    const w = wilsonInterval(2, 4);
    expect(first).toMatchObject({ runs: 4, errors: 0, p_insolvent: 0.5, p_insolvent_lo: w.lo, p_insolvent_hi: w.hi });
    expect(first.bad_debt_mean_usd).toBe(100);
    expect(first.bad_debt_p50_usd).toBe(50); // between 0 and 100
    expect(first.bad_debt_p95_usd).toBeCloseTo(270, 9); // 100 + 0.85 * 200
    expect(first.bad_debt_p99_usd).toBeCloseTo(294, 9); // 100 + 0.97 * 200
    expect(first.bad_debt_es99_usd).toBe(300); // fewer than 100 runs: the worst one
  });

  it('count failed runs as errors and compute the statistics over the others', () => {
    const [, second] = cellRows();
    expect(second).toMatchObject({ runs: 4, errors: 1, p_insolvent: 0, p_insolvent_lo: 0 });
    expect(second.p_insolvent_hi).toBeCloseTo((Z_95 * Z_95) / (3 + Z_95 * Z_95), 12);
    expect(second.bad_debt_mean_usd).toBe(10);
  });
});

describe('runs.csv rows', () => {
  it('leave the statistics of a failed run empty and quote an error message with a comma', () => {
    const seed = runAt(meta, 4).seed;
    expect(runsLine(meta, records[4], PLAN_LOCATOR)).toBe(
      `4,crash,0,${seed},0.02,,,error,"invariant violated at step 5 (seed 9): value, lost"\n`,
    );
  });
});

describe('writeSweepFiles', () => {
  it('writes runs.csv and cells.csv and leaves no temporary file behind', () => {
    const dir = tempDir();
    const written = writeSweepFiles(dir, meta, records, true, PLAN_LOCATOR);
    expect(written).toMatchObject({ runs: 8, errors: 1 });
    expect(readdirSync(dir).sort()).toEqual(['cells.csv', 'runs.csv']);
    expect(readFileSync(join(dir, 'runs.csv'), 'utf8').split('\n')[0]).toBe(
      'run_id,scenario,replicate,seed,protocol.liquidationFeeRate,insolvent,bad_debt_usd,status,error',
    );
    expect(readFileSync(join(dir, 'cells.csv'), 'utf8').split('\n')[1]).toMatch(/^crash,0.01,4,0,0.5,/);
  });
});
