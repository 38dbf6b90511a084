// `cascade compare A B`: two sweep results directories side by side, run as a user runs it. Three
// small sweeps (a short crash and the calm built-in, 300 traders, 120 steps, 6 replicates, two
// liquidation fees): A; B with an empty insurance fund, lower margins and a different second fee
// (so one cell each is only on one side); and A's sweep with another base seed (nothing pairs).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, MINI_CRASH, tempDir } from '../helpers/sweep-helpers.js';

function sweepFile(dir: string, name: string, opts: { sets: string[]; fees: number[]; seed: number }): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      'name: small',
      'description: A small sweep for cascade compare.',
      'scenarios:',
      '  - mini-crash.yaml',
      '  - calm',
      'set:',
      ...['agents.traders.count=300', 'run.steps=120', ...opts.sets].map((s) => `  - ${s}`),
      'grid:',
      `  protocol.liquidationFeeRate: [${opts.fees.join(', ')}]`,
      'replicates: 6',
      `seed: ${opts.seed}`,
      '',
    ].join('\n'),
  );
  return file;
}

let dir: string;
const out = (name: string) => join(dir, name);

beforeAll(() => {
  dir = tempDir('cascade-compare-');
  writeFileSync(join(dir, 'mini-crash.yaml'), MINI_CRASH);
  const sweeps = {
    a: sweepFile(dir, 'a', { sets: [], fees: [0.005, 0.015], seed: 7 }),
    b: sweepFile(dir, 'b', {
      sets: ['protocol.insuranceFundUsd=0', 'protocol.maintenanceMarginRate=0.01', 'protocol.initialMarginRate=0.02'],
      fees: [0.005, 0.02],
      seed: 7,
    }),
    c: sweepFile(dir, 'c', { sets: [], fees: [0.005, 0.015], seed: 8 }),
  };
  for (const [name, file] of Object.entries(sweeps)) {
    const r = cli(['sweep', file, '--out', out(name), '--threads', '2'], dir);
    if (r.status !== 0) throw new Error(`sweep ${name} exited ${r.status}: ${r.stderr}`);
  }
});

afterAll(async () => {
  const { rmSync } = await import('node:fs');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface JsonComparison {
  format: string;
  cells: {
    scenario: string;
    cell: Record<string, number>;
    pairs: number;
    note: string;
    metrics: {
      metric: string;
      a: number | null;
      b: number | null;
      diff: number | null;
      p_value: number | null;
      verdict: string;
    }[];
  }[];
  onlyA: { scenario: string; cell: Record<string, number> }[];
  onlyB: { scenario: string; cell: Record<string, number> }[];
}

function compareJson(a: string, b: string): JsonComparison {
  const r = cli(['compare', a, b, '--json'], dir);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as JsonComparison;
}

describe('cascade compare', () => {
  test('prints, for each cell in both directories, the headline statistics of A and B, B - A and the paired test, and exits 0', () => {
    const r = cli(['compare', 'a', 'b'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('A: a (sweep small, 4 cells x 6 replicates)');
    expect(r.stdout).toMatch(/^ +A +B +B - A +p +verdict$/m);
    expect(r.stdout).toContain('mini-crash (protocol.liquidationFeeRate=0.005): 6 paired runs');
    expect(r.stdout).toContain('calm (protocol.liquidationFeeRate=0.005): 6 paired runs');
    for (const label of [
      'P(insolvent) [95% CI]',
      'uncovered bad debt mean',
      'VaR95 (uncovered bad debt p95)',
      'LaR95 (liquidated notional p95)',
      'liquidations mean',
    ])
      expect(r.stdout.split('\n').filter((l) => l.startsWith(`  ${label}`))).toHaveLength(2);
    // A P(insolvent) with its Wilson interval on each side.
    expect(r.stdout).toMatch(
      /P\(insolvent\) \[95% CI\] +\d\.\d\d \[\d\.\d\d, \d\.\d\d\] +\d\.\d\d \[\d\.\d\d, \d\.\d\d\]/,
    );
  });

  test('lists the cells only one directory has as only in A or only in B', () => {
    const r = cli(['compare', 'a', 'b'], dir);
    expect(r.stdout).toContain('only in A: mini-crash (protocol.liquidationFeeRate=0.015)');
    expect(r.stdout).toContain('only in A: calm (protocol.liquidationFeeRate=0.015)');
    expect(r.stdout).toContain('only in B: mini-crash (protocol.liquidationFeeRate=0.02)');
    expect(r.stdout).toContain('only in B: calm (protocol.liquidationFeeRate=0.02)');
    const c = compareJson('a', 'b');
    expect(c.onlyA.map((x) => x.cell['protocol.liquidationFeeRate'])).toEqual([0.015, 0.015]);
    expect(c.onlyB.map((x) => x.cell['protocol.liquidationFeeRate'])).toEqual([0.02, 0.02]);
  });

  test('--json gives the same comparison as data: B - A from cells.csv and a p-value for every paired statistic', () => {
    const c = compareJson('a', 'b');
    expect(c.format).toBe('cascade-compare/1');
    expect(c.cells.map((x) => x.scenario)).toEqual(['mini-crash', 'calm']);
    const crash = c.cells[0];
    expect(crash.pairs).toBe(6);
    expect(crash.metrics.map((m) => m.metric)).toEqual([
      'p_insolvent',
      'uncovered_bad_debt_mean_usd',
      'uncovered_bad_debt_p95_usd',
      'liquidated_notional_p95_usd',
      'liquidations_mean',
    ]);
    for (const m of crash.metrics) {
      expect(m.diff).toBeCloseTo(m.b! - m.a!, 6);
      expect(m.p_value).toBeGreaterThan(0);
      expect(m.p_value).toBeLessThanOrEqual(1);
    }
    // No insurance fund: the crash leaves uncovered bad debt in every replicate of B and in none of
    // A's, so 6 discordant pairs all one way: the exact two-sided McNemar p is 2 / 2^6.
    const p = crash.metrics.find((m) => m.metric === 'p_insolvent')!;
    expect(p).toMatchObject({ a: 0, b: 1, diff: 1, p_value: 0.03125, verdict: 'b_higher' });
    const debt = crash.metrics.find((m) => m.metric === 'uncovered_bad_debt_mean_usd')!;
    expect(debt.a).toBe(0);
    expect(debt.b).toBeGreaterThan(0);
    expect(debt.verdict).toBe('b_higher');
  });

  test('a directory compared with itself differs by 0 everywhere, every pair equal, p = 1', () => {
    const c = compareJson('a', 'a');
    expect(c.cells).toHaveLength(4);
    expect(c.onlyA).toEqual([]);
    expect(c.onlyB).toEqual([]);
    for (const cell of c.cells)
      for (const m of cell.metrics) {
        expect(m.diff).toBe(0);
        expect(m.p_value).toBe(1);
        expect(m.verdict).toBe('identical');
      }
  });

  test('two sweeps with different base seeds are shown side by side but not paired: no p-value, a note saying why', () => {
    const c = compareJson('a', 'c');
    expect(c.cells).toHaveLength(4);
    for (const cell of c.cells) {
      expect(cell.pairs).toBe(0);
      expect(cell.note).toContain('different seeds');
      for (const m of cell.metrics) {
        expect(m.p_value).toBeNull();
        expect(m.verdict).toBe('not_paired');
        expect(m.a).not.toBeNull();
      }
    }
    const r = cli(['compare', 'a', 'c'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 paired runs (not paired: the runs have different seeds');
  });

  test('a missing directory, or one that is not a sweep results directory, exits 2 with one line naming it', () => {
    const missing = cli(['compare', 'a', 'nope'], dir);
    expect(missing.status).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe('cascade: error: nope: no such directory\n');
    const notSweep = cli(['compare', dir, 'a'], dir);
    expect(notSweep.status).toBe(2);
    expect(notSweep.stderr.trim().split('\n')).toEqual([
      `cascade: error: ${dir}: no manifest.json: not the output directory of a cascade sweep`,
    ]);
  });

  test('--alpha outside (0, 1) is refused with exit 2 before anything is read', () => {
    const r = cli(['compare', 'a', 'b', '--alpha', '1.5'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("cascade: error: --alpha: expected a number between 0 and 1 (exclusive), got '1.5'\n");
  });
});
