// The contagion world through the compiled CLI, as a user runs it: `cascade run` writes the world's
// and each protocol's statistics and a timeline, `cascade report` renders them; a small contagion
// sweep over the flow share gives byte-identical runs.csv and cells.csv with 1 and 2 threads, with
// common random numbers across its cells, `cascade check` judges its budget and `cascade report`
// renders it; bad contagion configs are one line on stderr naming the field, exit 2. Small worlds
// (300 traders, 100 borrowers, 720 steps): each run takes tens of milliseconds.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, csvRows, read, tempDir } from '../helpers/sweep-helpers.js';

const root = tempDir('cascade-contagion-cli-');
const at = (name: string): string => join(root, name);
const SMALL = ['--set', 'agents.traders.count=300', '--set', 'lending.borrowers.count=100'];

const SWEEP = [
  'name: contagion-small',
  'description: A small contagion sweep (the crash, with and without the perp flow link).',
  'scenarios:',
  '  - contagion-crash',
  'set:',
  '  agents.traders.count: 300',
  '  lending.borrowers.count: 100',
  'grid:',
  '  contagion.links.perpFlowShare: [0, 1]',
  'replicates: 4',
  'seed: 1',
  'budgets:',
  '  - p_insolvent <= 0.5',
  '',
].join('\n');

/** The one stderr line of a user error, checked against the contract (exit 2, no stack, no stdout). */
function userError(res: ReturnType<typeof cli>): string {
  expect(res.status).toBe(2);
  expect(res.stdout).toBe('');
  const lines = res.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/\n\s+at |at .*\.js:\d+|internal error/);
  return lines[0];
}

describe('cascade run and report on a contagion scenario', () => {
  const out = at('run');
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli(['run', 'contagion-crash', ...SMALL, '--out', out]);
  });

  it("writes summary.json with the world's and each protocol's statistics, and the prefixed timeline", () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('perp flow link');
    const summary = JSON.parse(read(out, 'summary.json'));
    for (const k of ['protocols_insolvent', 'perp_bad_debt_usd', 'lending_bad_debt_usd', 'link_flow_sold_usd'])
      expect(Number.isFinite(summary[k]), k).toBe(true);
    expect(summary.perp_liquidations).toBeGreaterThan(0);
    const timeline = csvRows(read(out, 'timeline.csv'));
    expect(timeline).toHaveLength(720);
    expect(Object.keys(timeline[0])).toEqual(
      expect.arrayContaining(['step', 'perp_mark_price_usd', 'lending_oracle_price_usd']),
    );
  });

  it('renders the run into report.html with cascade report (exit 0)', () => {
    const res = cli(['report', out]);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(read(out, 'report.html')).toContain('contagion-crash');
  });
});

describe('a contagion sweep', () => {
  let file: string;
  let reference: { runs: string; cells: string };

  beforeAll(() => {
    file = at('contagion-small.yaml');
    writeFileSync(file, SWEEP);
    const res = cli(['sweep', file, '--threads', '1', '--out', at('t1'), '--no-progress']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    reference = { runs: read(at('t1'), 'runs.csv'), cells: read(at('t1'), 'cells.csv') };
  });

  it("writes the world's and the protocols' statistics per run, and the cells of the two flow shares", () => {
    const runs = csvRows(reference.runs);
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    expect(Object.keys(runs[0])).toEqual(expect.arrayContaining(['protocols_insolvent', 'lending_bad_debt_usd']));
    const cells = csvRows(reference.cells);
    expect(cells.map((c) => c['contagion.links.perpFlowShare'])).toEqual(['0', '1']);
    expect(Object.keys(cells[0])).toContain('p_insolvent');
    // Common random numbers: each replicate has one seed in both cells, and the perp venue the same figures.
    for (let rep = 0; rep < 4; rep++) {
      const pair = runs.filter((r) => r.replicate === String(rep));
      expect(pair[0].seed).toBe(pair[1].seed);
      expect(pair[0].perp_bad_debt_usd).toBe(pair[1].perp_bad_debt_usd);
    }
  });

  it('writes byte-identical runs.csv and cells.csv with 1 and 2 threads', () => {
    const res = cli(['sweep', file, '--threads', '2', '--out', at('t2'), '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(at('t2'), 'runs.csv')).toBe(reference.runs);
    expect(read(at('t2'), 'cells.csv')).toBe(reference.cells);
  });

  it('is judged by cascade check and rendered by cascade report (exit 0 for the report)', () => {
    const res = cli(['check', file, '--out', at('check'), '--threads', '2', '--no-progress']);
    expect([0, 1]).toContain(res.status);
    expect(JSON.parse(read(at('check'), 'check.json')).checks).toHaveLength(2);
    const report = cli(['report', at('t1')]);
    expect(report.stderr).toBe('');
    expect(report.status).toBe(0);
    expect(read(at('t1'), 'report.html')).toContain('contagion-crash');
  });
});

describe('bad contagion configs', () => {
  const scenario = (name: string, body: string[]): string => {
    const file = at(`${name}.yaml`);
    writeFileSync(file, [`name: ${name}`, 'description: A scenario with a mistake.', ...body, ''].join('\n'));
    return file;
  };

  it('refuses a contagion section without a lending section, naming the field (exit 2)', () => {
    const file = scenario('no-lending', ['params:', '  contagion: {}', 'shocks: []']);
    const line = userError(cli(['run', file, '--out', at('no-lending')]));
    expect(line).toContain(file);
    expect(line).toContain('params.contagion');
    expect(line).toMatch(/lending section/);
    expect(existsSync(at('no-lending'))).toBe(false);
  });

  it('refuses an unknown flow asset, naming the field and the assets (exit 2)', () => {
    const line = userError(
      cli(['run', 'contagion-crash', '--set', 'contagion.links.perpFlowAsset=WBTC', '--out', at('wbtc')]),
    );
    expect(line).toContain('contagion.links.perpFlowAsset');
    expect(line).toContain("unknown asset 'WBTC'");
    expect(existsSync(at('wbtc'))).toBe(false);
  });
});
