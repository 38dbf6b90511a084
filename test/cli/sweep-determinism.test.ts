// Byte-identical sweep outputs whatever the thread count or the sharding (design contract 5), run
// through the compiled CLI as a user runs it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, csvRows, read, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

describe('cascade sweep determinism', () => {
  let dir: string;
  let file: string;
  let reference: { runs: string; cells: string };

  beforeAll(() => {
    dir = tempDir();
    file = writeSmallSweep(dir, { replicates: 10 });
    const res = cli(['sweep', file, '--threads', '1', '--out', join(dir, 't1'), '--no-progress']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    reference = { runs: read(join(dir, 't1'), 'runs.csv'), cells: read(join(dir, 't1'), 'cells.csv') };
  });

  it('writes one runs.csv row per run in run order and one cells.csv row per cell', () => {
    const runs = csvRows(reference.runs);
    expect(runs).toHaveLength(80);
    expect(runs.map((r) => Number(r.run_id))).toEqual(Array.from({ length: 80 }, (_, i) => i));
    expect(runs.every((r) => r.status === 'ok' && r.error === '')).toBe(true);
    const cells = csvRows(reference.cells);
    expect(cells).toHaveLength(8);
    expect(cells.every((c) => c.runs === '10' && c.errors === '0')).toBe(true);
    expect(Object.keys(cells[0]).slice(0, 3)).toEqual([
      'scenario',
      'protocol.maintenanceMarginRate',
      'protocol.liquidationFeeRate',
    ]);
  });

  it('gives the same replicate the same seed in every parameter cell', () => {
    const runs = csvRows(reference.runs).filter((r) => r.scenario === 'mini-crash' && r.replicate === '3');
    expect(runs).toHaveLength(4);
    expect(new Set(runs.map((r) => r.seed)).size).toBe(1);
  });

  it('writes byte-identical runs.csv and cells.csv with 1 and 2 threads', () => {
    const out = join(dir, 't2');
    const res = cli(['sweep', file, '--threads', '2', '--out', out, '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(out, 'runs.csv')).toBe(reference.runs);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
  });

  it('writes byte-identical files from three shards joined by cascade merge', () => {
    const shards = [1, 2, 3].map((k) => join(dir, `shard-${k}`));
    shards.forEach((out, k) => {
      const res = cli(['sweep', file, '--shard', `${k + 1}/3`, '--threads', '2', '--out', out, '--no-progress']);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      expect(existsSync(join(out, 'cells.csv'))).toBe(false);
    });
    const merged = join(dir, 'merged');
    const res = cli(['merge', ...shards.reverse(), '--out', merged]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(read(merged, 'runs.csv')).toBe(reference.runs);
    expect(read(merged, 'cells.csv')).toBe(reference.cells);
  });

  it('records the sweep, its resolved configs, seeds, version and timing in manifest.json', () => {
    const m = JSON.parse(read(join(dir, 't1'), 'manifest.json'));
    expect(m.sweep.file.name).toBe('small');
    expect(m.sweep_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(m.cascade_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.threads).toBe(1);
    expect(m.runs).toBe(80);
    expect(m.wall_time_s).toBeGreaterThan(0);
    expect(m.runs_per_s).toBeGreaterThan(0);
    expect(m.scenarios[0].config.agents.traders.count).toBe(100);
    expect(m.seeds.by_scenario['mini-crash']).toHaveLength(10);
    expect(m.budgets.map((b: { text: string }) => b.text)).toEqual(['p_insolvent <= 0.5', 'bad_debt_p99_usd <= 2e6']);
  });
});

describe('cascade sweep determinism with several markets and attackers', () => {
  it('writes byte-identical files with 1 and 2 threads for a small multi-market sweep and an attack sweep', () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.yaml');
    writeFileSync(
      file,
      [
        'name: mixed',
        'description: cross-margined markets and a bad-debt farmer, for thread-count determinism',
        'scenarios:',
        '  - scenario: thin-market-crash',
        '    set:',
        '      agents.traders.count: 200',
        '      agents.traders.arrivalsPerStep: 0.06',
        '      run.steps: 360',
        '  - bad-debt-farm',
        'grid:',
        '  protocol.liquidationFeeRate: [0.01, 0.015]',
        'replicates: 3',
        'seed: 5',
        '',
      ].join('\n'),
    );
    const outs = ['1', '2'].map((t) => {
      const out = join(dir, `t${t}`);
      const res = cli(['sweep', file, '--threads', t, '--out', out, '--no-progress']);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      return { runs: read(out, 'runs.csv'), cells: read(out, 'cells.csv') };
    });
    expect(outs[1]).toEqual(outs[0]);
    expect(csvRows(outs[0].runs).every((r) => r.status === 'ok')).toBe(true);
  });
});
