// The pool-lending family through the compiled CLI, as a user runs it: `cascade run` writes the
// lending statistics and a timeline and `cascade report` renders them; a small lending sweep gives
// byte-identical runs.csv and cells.csv whatever the thread count, the sharding or an interruption,
// with common random numbers across its cells; `cascade check` judges its budget; a sweep may not mix
// the families; bad lending configs are one line on stderr naming the field, exit 2. Small worlds
// (200 borrowers, 800 steps): each run takes tens of milliseconds.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../sim/sweep/sweep.js';
import { cli, csvRows, exited, read, startCli, tempDir } from '../helpers/sweep-helpers.js';

const root = tempDir('cascade-lending-cli-');
const at = (name: string): string => join(root, name);

const SWEEP = [
  'name: lending-small',
  'description: A small lending sweep (two crash scenarios x two close factors).',
  'scenarios:',
  '  - lending-crash',
  '  - lending-crash-starved',
  'set:',
  '  lending.borrowers.count: 200',
  '  run.steps: 800',
  'grid:',
  '  lending.closeFactor: [0.5, 1]',
  'replicates: 6',
  'seed: 1',
  'budgets:',
  '  - p_insolvent <= 0.5',
  '',
].join('\n');
const RUNS = 2 * 2 * 6;

/** The one stderr line of a user error, checked against the contract (exit 2, no stack, no stdout). */
function userError(res: ReturnType<typeof cli>): string {
  expect(res.status).toBe(2);
  expect(res.stdout).toBe('');
  const lines = res.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/\n\s+at |at .*\.js:\d+|internal error/);
  return lines[0];
}

describe('cascade run and report on a lending scenario', () => {
  const out = at('run');
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli(['run', 'lending-crash', '--set', 'lending.borrowers.count=200', '--out', out]);
  });

  it('writes summary.json with the lending statistics and a timeline with one row per step', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.scenario).toBe('lending-crash');
    expect(summary.steps).toBe(1440);
    for (const k of ['utilization_peak_pct', 'collateral_at_risk_5pct_usd', 'bad_debt_usd', 'liquidations'])
      expect(Number.isFinite(summary[k]), k).toBe(true);
    expect(summary.liquidations).toBeGreaterThan(0);
    expect(summary.config.lending.borrowers.count).toBe(200);
    const timeline = csvRows(read(out, 'timeline.csv'));
    expect(timeline).toHaveLength(1440);
    expect(Object.keys(timeline[0])).toContain('utilization_max_pct');
  });

  it('renders the run into report.html with cascade report (exit 0)', () => {
    const res = cli(['report', out]);
    expect(res.status).toBe(0);
    const html = read(out, 'report.html');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('lending-crash');
  });
});

describe('a lending sweep', () => {
  let file: string;
  let reference: { runs: string; cells: string };

  beforeAll(() => {
    file = at('lending-small.yaml');
    writeFileSync(file, SWEEP);
    const res = cli(['sweep', file, '--threads', '1', '--out', at('t1'), '--no-progress']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    reference = { runs: read(at('t1'), 'runs.csv'), cells: read(at('t1'), 'cells.csv') };
  });

  it('writes one runs.csv row per run with the lending statistics and one cells.csv row per cell', () => {
    const runs = csvRows(reference.runs);
    expect(runs).toHaveLength(RUNS);
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    expect(Object.keys(runs[0])).toContain('utilization_peak_pct');
    const cells = csvRows(reference.cells);
    expect(cells).toHaveLength(4);
    expect(cells.map((c) => `${c.scenario} ${c['lending.closeFactor']} ${c.runs}`)).toEqual([
      'lending-crash 0.5 6',
      'lending-crash 1 6',
      'lending-crash-starved 0.5 6',
      'lending-crash-starved 1 6',
    ]);
  });

  it('gives the two close-factor cells of a scenario and replicate the same seed (common random numbers)', () => {
    const runs = csvRows(reference.runs);
    for (const scenario of ['lending-crash', 'lending-crash-starved'])
      for (let rep = 0; rep < 6; rep++) {
        const pair = runs.filter((r) => r.scenario === scenario && r.replicate === String(rep));
        expect(pair.map((r) => r['lending.closeFactor']).sort()).toEqual(['0.5', '1']);
        expect(pair[0].seed).toBe(pair[1].seed);
      }
  });

  it('writes byte-identical runs.csv and cells.csv with 1 and 2 threads', () => {
    const res = cli(['sweep', file, '--threads', '2', '--out', at('t2'), '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(at('t2'), 'runs.csv')).toBe(reference.runs);
    expect(read(at('t2'), 'cells.csv')).toBe(reference.cells);
  });

  it('writes byte-identical files from shards 1/2 and 2/2 joined by cascade merge', () => {
    const shards = [1, 2].map((k) => at(`shard-${k}`));
    shards.forEach((out, k) => {
      const res = cli(['sweep', file, '--shard', `${k + 1}/2`, '--threads', '1', '--out', out, '--no-progress']);
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
    });
    const res = cli(['merge', ...shards, '--out', at('merged')]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(read(at('merged'), 'runs.csv')).toBe(reference.runs);
    expect(read(at('merged'), 'cells.csv')).toBe(reference.cells);
  });

  it('killed part-way and resumed with --resume, runs only the missing runs and writes byte-identical files', async () => {
    const out = at('killed');
    const journal = join(out, JOURNAL_FILE);
    const records = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 2 : 0);
    const child = startCli(['sweep', file, '--threads', '1', '--out', out, '--no-progress']);
    const exit = exited(child);
    for (let waited = 0; waited < 60_000 && records() < 3; waited += 2) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    expect(await exit).toBe('SIGKILL');
    // Keep the header and exactly three complete runs: what a kill after the third run leaves.
    const kept = 3;
    const lines = readFileSync(journal, 'utf8').split('\n');
    expect(lines.length - 2).toBeGreaterThanOrEqual(kept);
    expect(lines.length - 2).toBeLessThan(RUNS);
    writeFileSync(journal, lines.slice(0, 1 + kept).join('\n') + '\n');
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);

    const res = cli(['sweep', file, '--out', out, '--resume', '--threads', '2', '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(out, 'runs.csv')).toBe(reference.runs);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
    const manifest = JSON.parse(read(out, 'manifest.json'));
    expect(manifest.runs_resumed).toBe(kept);
    expect(manifest.runs_executed).toBe(RUNS - kept);
    expect(existsSync(journal)).toBe(false);
  });

  it('is judged by cascade check: exit 0 when the budget holds in every cell and 1 otherwise, as check.json and cells.csv say', () => {
    const out = at('check');
    const res = cli(['check', file, '--out', out, '--threads', '2', '--no-progress']);
    const doc = JSON.parse(read(out, 'check.json'));
    expect(doc.format).toBe('cascade-check/1');
    expect(doc.checks).toHaveLength(4);
    const hi = new Map(
      csvRows(reference.cells).map((c) => [`${c.scenario} ${c['lending.closeFactor']}`, c.p_insolvent_hi]),
    );
    for (const c of doc.checks) {
      expect(c.metric).toBe('p_insolvent_hi');
      expect(c.value).toBeCloseTo(Number(hi.get(`${c.scenario} ${c.cell['lending.closeFactor']}`)), 9);
      expect(c.verdict).toBe(c.value <= 0.5 ? 'pass' : 'fail');
    }
    const pass = doc.checks.every((c: { verdict: string }) => c.verdict === 'pass');
    expect(doc.verdict).toBe(pass ? 'pass' : 'fail');
    expect(res.status).toBe(pass ? 0 : 1);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
  });

  it('is rendered into report.html with cascade report (exit 0)', () => {
    const res = cli(['report', at('t1')]);
    expect(res.status).toBe(0);
    const html = read(at('t1'), 'report.html');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('lending-crash-starved');
  });

  it('mixing a perp and a lending scenario is refused with one line naming both families (exit 2) and runs nothing', () => {
    const mixed = at('mixed.yaml');
    writeFileSync(
      mixed,
      [
        'name: mixed',
        'description: A lending and a perp scenario in one sweep.',
        'scenarios:',
        '  - lending-crash',
        '  - flash-crash',
        'set:',
        '  run.steps: 700',
        'replicates: 2',
        'seed: 1',
        '',
      ].join('\n'),
    );
    const line = userError(cli(['sweep', mixed, '--out', at('mixed'), '--no-progress']));
    expect(line).toContain('scenarios[1]');
    expect(line).toMatch(/perp/);
    expect(line).toMatch(/lending/);
    expect(existsSync(at('mixed'))).toBe(false);
  });
});

describe('bad lending configs', () => {
  /** Writes a scenario file into the temporary directory and returns its path. */
  const scenario = (name: string, body: string[]): string => {
    const file = at(`${name}.yaml`);
    writeFileSync(file, [`name: ${name}`, 'description: A scenario with a mistake.', ...body, ''].join('\n'));
    return file;
  };
  const runFails = (ref: string, out: string, extra: string[] = []) =>
    userError(cli(['run', ref, '--out', at(out), ...extra]));

  it('refuses an LTV above the liquidation threshold in a scenario file, naming the field', () => {
    const file = scenario('ltv-above', [
      'params:',
      '  lending:',
      '    assets:',
      '      WETH: { ltv: 0.9 }',
      '      USDC: {}',
      'shocks: []',
    ]);
    const line = runFails(file, 'ltv-above');
    expect(line).toContain(file);
    expect(line).toContain('params.lending.assets.WETH.ltv');
    expect(line).toMatch(/0\.9 is above the liquidation threshold 0\.83/);
    expect(existsSync(at('ltv-above'))).toBe(false);
  });

  it('refuses a liquidation bonus below 1 in a scenario file, naming the field', () => {
    const file = scenario('bonus-below', [
      'params:',
      '  lending:',
      '    assets:',
      '      WETH: { liquidationBonus: 0.98 }',
      '      USDC: {}',
      'shocks: []',
    ]);
    const line = runFails(file, 'bonus-below');
    expect(line).toContain(file);
    expect(line).toContain('params.lending.assets.WETH.liquidationBonus');
  });

  it('refuses an unknown collateral asset in a scenario file, naming the field and the asset', () => {
    const file = scenario('unknown-asset', [
      'params:',
      '  lending:',
      '    borrowers: { collateralAsset: WBTC }',
      'shocks: []',
    ]);
    const line = runFails(file, 'unknown-asset');
    expect(line).toContain('params.lending.borrowers.collateralAsset');
    expect(line).toContain("unknown asset 'WBTC'");
  });

  it('refuses the same three mistakes given with --set on a built-in lending scenario, naming --set and the field', () => {
    const cases: [string, string][] = [
      ['lending.assets.WETH.ltv=0.9', 'lending.assets.WETH.ltv'],
      ['lending.assets.WETH.liquidationBonus=0.98', 'lending.assets.WETH.liquidationBonus'],
      ['lending.borrowers.collateralAsset=WBTC', 'lending.borrowers.collateralAsset'],
    ];
    cases.forEach(([set, field], i) => {
      const line = runFails('lending-crash', `set-${i}`, ['--set', set]);
      expect(line).toContain('--set');
      expect(line).toContain(field);
    });
  });

  it('refuses a lending-only shock (gasSpike) in a perp scenario, naming the shock', () => {
    const file = scenario('perp-gas', ['shocks:', '  - { kind: gasSpike, step: 10, steps: 10, multiplier: 5 }']);
    const line = runFails(file, 'perp-gas');
    expect(line).toContain('shocks[0].kind');
    expect(line).toContain('gasSpike');
    expect(line).toMatch(/lending/);
  });
});
