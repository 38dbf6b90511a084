// Expanding a sweep into ordered runs: run order, common random numbers, shards, the plan hash and
// the validation of every cell before anything runs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { UserError } from '../../sim/core/errors.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';
import {
  buildPlan,
  cellAt,
  gridValuesAt,
  parseShard,
  runAt,
  shardRunIndex,
  shardSize,
  type PlanMeta,
} from '../../sim/sweep/sweep-plan.js';
import { tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

const METRICS = cellMetricNames(RUN_STAT_KEYS);

function smallPlan(replicates = 3, opts: Parameters<typeof loadSweep>[2] = {}) {
  const file = writeSmallSweep(tempDir(), { replicates });
  return buildPlan(loadSweep(file, METRICS, opts), '0.0.0-test', RUN_STAT_KEYS);
}

describe('sweep plan', () => {
  it('orders runs by scenario, then grid cell with the first grid path slowest, then replicate', () => {
    const { meta } = smallPlan(3);
    expect(meta.cells).toBe(8);
    expect(meta.total_runs).toBe(24);
    expect(gridValuesAt(meta.grid, 0)).toEqual([0.02, 0.005]);
    expect(gridValuesAt(meta.grid, 1)).toEqual([0.02, 0.015]);
    expect(gridValuesAt(meta.grid, 2)).toEqual([0.04, 0.005]);
    const r = runAt(meta, 3 * 5 + 2); // cell 5 = second scenario, grid cell 1; replicate 2
    expect(r).toMatchObject({ cellIndex: 5, scenarioIndex: 1, replicate: 2 });
    expect(cellAt(meta, 5)).toEqual({ scenarioIndex: 1, values: [0.02, 0.015] });
  });

  it('gives replicate r of a scenario the same seed in every parameter cell', () => {
    const { meta } = smallPlan(3);
    for (let r = 0; r < 3; r++) {
      const seeds = [0, 1, 2, 3].map((cell) => runAt(meta, cell * 3 + r).seed);
      expect(new Set(seeds).size).toBe(1);
    }
    expect(runAt(meta, 0).seed).not.toBe(runAt(meta, 1).seed);
    expect(runAt(meta, 0).seed).not.toBe(runAt(meta, 12).seed);
  });

  it('builds one full config per cell with the grid values in place', () => {
    const plan = smallPlan(2);
    expect(plan.cells).toHaveLength(8);
    expect(plan.cells[2].config.protocol.maintenanceMarginRate).toBe(0.04);
    expect(plan.cells[2].config.protocol.liquidationFeeRate).toBe(0.005);
    expect(plan.cells[2].config.agents.traders.count).toBe(100);
  });

  it('changes the sweep hash with the replicate count or the seed, and only then', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { replicates: 3 });
    const hash = (opts: Parameters<typeof loadSweep>[2] = {}) =>
      buildPlan(loadSweep(file, METRICS, opts), '1', RUN_STAT_KEYS).meta.sweep_hash;
    expect(hash()).toBe(hash());
    expect(hash({ replicates: 4 })).not.toBe(hash());
    expect(hash({ seed: 8 })).not.toBe(hash());
  });

  it('rejects a cell whose config breaks the schema, naming the cell', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { extraGrid: ['  protocol.initialMarginRate: [0.05, 0.03]'] });
    expect(() => buildPlan(loadSweep(file, METRICS), '1', RUN_STAT_KEYS)).toThrow(
      /grid: cell \(mini-crash, protocol.maintenanceMarginRate=0.04, protocol.liquidationFeeRate=0.005, protocol.initialMarginRate=0.03\): protocol.maintenanceMarginRate: must not exceed initialMarginRate/,
    );
  });

  it('rejects a run length that puts a scenario shock past the last step, before any run', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { extraGrid: ['  run.steps: [120, 20]'] });
    expect(() => buildPlan(loadSweep(file, METRICS), '1', RUN_STAT_KEYS)).toThrow(UserError);
    expect(() => buildPlan(loadSweep(file, METRICS), '1', RUN_STAT_KEYS)).toThrow(
      /run.steps=20.*past the run's last step/,
    );
  });
});

describe('the built-in default sweep', () => {
  it('plans three scenarios x a 3 x 3 maintenance-margin x liquidation-fee grid, every cell valid', () => {
    const plan = buildPlan(loadSweep('default', METRICS), '1', RUN_STAT_KEYS);
    expect(plan.meta.scenarios.map((s) => s.label)).toEqual(['flash-crash', 'oracle-stall', 'liquidity-crunch']);
    expect(plan.meta.grid.map((a) => [a.path, a.values.length])).toEqual([
      ['protocol.maintenanceMarginRate', 3],
      ['protocol.liquidationFeeRate', 3],
    ]);
    expect(plan.cells).toHaveLength(27);
    expect(plan.meta.replicates).toBeGreaterThanOrEqual(100);
  });
});

describe('shards', () => {
  const meta = { total_runs: 10 } as PlanMeta;

  it('split the runs into N disjoint slices that together hold every run once', () => {
    const seen: number[] = [];
    for (let k = 1; k <= 3; k++) {
      const shard = { index: k, count: 3 };
      for (let j = 0; j < shardSize(meta.total_runs, shard); j++) seen.push(shardRunIndex(shard, j));
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([1, 2, 3].map((k) => shardSize(10, { index: k, count: 3 }))).toEqual([4, 3, 3]);
  });

  it('may be empty when there are more shards than runs', () => {
    expect(shardSize(2, { index: 3, count: 4 })).toBe(0);
  });

  it('are written k/N with 1 <= k <= N', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '3', 'a/b', '1/0'])
      expect(() => parseShard(bad)).toThrow(/--shard: expected k\/N/);
  });
});

describe('sweep file overrides', () => {
  it('apply per-scenario `set` after the sweep-wide one, typed by the parameter default', () => {
    const dir = tempDir();
    writeSmallSweep(dir);
    const file = join(dir, 'over.yaml');
    writeFileSync(
      file,
      [
        'name: over',
        'scenarios:',
        '  - { scenario: calm, label: calm-full, set: { protocol.liquidationMode: full, protocol.socializeLosses: "false" } }',
        '  - { scenario: calm, set: ["agents.traders.count=50"] }',
        'set: { agents.traders.count: 100, run.steps: 60 }',
        'replicates: 2',
        'seed: 1',
      ].join('\n'),
    );
    const plan = buildPlan(loadSweep(file, METRICS), '1', RUN_STAT_KEYS);
    expect(plan.meta.scenarios.map((s) => s.label)).toEqual(['calm-full', 'calm']);
    expect(plan.cells[0].config.protocol.liquidationMode).toBe('full');
    expect(plan.cells[0].config.protocol.socializeLosses).toBe(false);
    expect(plan.cells[0].config.agents.traders.count).toBe(100);
    expect(plan.cells[1].config.agents.traders.count).toBe(50);
    // Both entries are the calm scenario: same seeds (common random numbers across variants too).
    expect(runAt(plan.meta, 0).seed).toBe(runAt(plan.meta, 2).seed);
  });
});
