// The CDP family through the compiled CLI, as a user runs it: `cascade run` writes the CDP statistics
// and a timeline and `cascade report` renders them; a small CDP sweep gives byte-identical runs.csv
// and cells.csv with 1 and 2 threads, with common random numbers across its cells; `cascade check`
// judges its budget; `cascade params` lists the cdp section; bad CDP configs (a liquidation ratio
// below 1, cusp outside (0, 1), an unknown collateral) are one line on stderr naming the field, exit 2.
// Small worlds (100 vaults, 400 steps).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, csvRows, read, tempDir } from '../helpers/sweep-helpers.js';

const root = tempDir('cascade-cdp-cli-');
const at = (name: string): string => join(root, name);

const SWEEP = [
  'name: cdp-small',
  'description: A small CDP sweep (the crash x two auction designs).',
  'scenarios:',
  '  - cdp-crash',
  'set:',
  '  cdp.vaultOwners.count: 100',
  '  run.steps: 400',
  'grid:',
  '  cdp.collateral.ETH.auction.kind: [dutch, english]',
  'replicates: 4',
  'seed: 1',
  'budgets:',
  '  - p_insolvent <= 0.5',
  '',
].join('\n');

function userError(res: ReturnType<typeof cli>): string {
  expect(res.status).toBe(2);
  expect(res.stdout).toBe('');
  const lines = res.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/\n\s+at |at .*\.js:\d+|internal error/);
  return lines[0];
}

describe('cascade run and report on a CDP scenario', () => {
  const out = at('run');
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli(['run', 'cdp-crash', '--set', 'cdp.vaultOwners.count=100', '--out', out]);
  });

  it('writes summary.json with the CDP statistics and a timeline with one row per step', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('CDP stablecoin');
    const summary = JSON.parse(read(out, 'summary.json'));
    expect(summary.scenario).toBe('cdp-crash');
    for (const k of ['auctions', 'bad_debt_usd', 'peg_max_price_usd', 'zero_bid_share', 'keeper_incentives_usd'])
      expect(Number.isFinite(summary[k]), k).toBe(true);
    expect(summary.auctions).toBeGreaterThan(0);
    const timeline = csvRows(read(out, 'timeline.csv'));
    expect(timeline).toHaveLength(720);
    expect(Object.keys(timeline[0])).toContain('stable_price_usd');
  });

  it('renders the run into report.html with cascade report (exit 0)', () => {
    const res = cli(['report', out]);
    expect(res.status).toBe(0);
    expect(read(out, 'report.html')).toContain('cdp-crash');
  });
});

describe('a CDP sweep', () => {
  let file: string;
  let reference: { runs: string; cells: string };

  beforeAll(() => {
    file = at('cdp-small.yaml');
    writeFileSync(file, SWEEP);
    const res = cli(['sweep', file, '--threads', '1', '--out', at('t1'), '--no-progress']);
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    reference = { runs: read(at('t1'), 'runs.csv'), cells: read(at('t1'), 'cells.csv') };
  });

  it('writes one runs.csv row per run with the CDP statistics, and the two designs of a replicate share its seed', () => {
    const runs = csvRows(reference.runs);
    expect(runs).toHaveLength(8);
    expect(runs.every((r) => r.status === 'ok')).toBe(true);
    expect(Object.keys(runs[0])).toContain('peg_max_deviation');
    for (let rep = 0; rep < 4; rep++) {
      const pair = runs.filter((r) => r.replicate === String(rep));
      expect(pair.map((r) => r['cdp.collateral.ETH.auction.kind']).sort()).toEqual(['dutch', 'english']);
      expect(pair[0].seed).toBe(pair[1].seed);
    }
    expect(csvRows(reference.cells)).toHaveLength(2);
  });

  it('writes byte-identical runs.csv and cells.csv with 1 and 2 threads', () => {
    const res = cli(['sweep', file, '--threads', '2', '--out', at('t2'), '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(at('t2'), 'runs.csv')).toBe(reference.runs);
    expect(read(at('t2'), 'cells.csv')).toBe(reference.cells);
  });

  it('is judged by cascade check (exit 0 or 1 as check.json says) and rendered by cascade report', () => {
    const out = at('check');
    const res = cli(['check', file, '--out', out, '--threads', '2', '--no-progress']);
    const doc = JSON.parse(read(out, 'check.json'));
    expect(doc.checks).toHaveLength(2);
    expect(res.status).toBe(doc.verdict === 'pass' ? 0 : 1);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
    expect(cli(['report', at('t1')]).status).toBe(0);
  });
});

describe('cascade params on the CDP section', () => {
  it('lists the cdp defaults', () => {
    const res = cli(['params']);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('cdp.osmDelaySeconds = 3600');
    expect(res.stdout).toContain('cdp.keepers.maxGasUsd = 200');
  });
});

describe('bad CDP configs', () => {
  const cases: [string, string, RegExp][] = [
    ['cdp.collateral.ETH.liquidationRatio=0.9', 'cdp.collateral.ETH.liquidationRatio', /below 1/],
    ['cdp.collateral.ETH.auction.cusp=1.2', 'cdp.collateral.ETH.auction.cusp', /outside \(0, 1\)/],
    ['cdp.vaultOwners.collateral=WBTC', 'cdp.vaultOwners.collateral', /unknown collateral 'WBTC'/],
  ];

  it.each(cases)('refuses --set %s with one line naming the field, exit 2, and writes nothing', (set, field, why) => {
    const out = at(`bad-${field}`);
    const line = userError(cli(['run', 'cdp-crash', '--set', set, '--out', out]));
    expect(line).toContain(field);
    expect(line).toMatch(why);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a liquidation ratio below 1 in a scenario file, naming the file and the field', () => {
    const file = at('mat.yaml');
    writeFileSync(
      file,
      [
        'name: mat',
        'description: A CDP scenario with a mistake.',
        'params:',
        '  cdp:',
        '    collateral:',
        '      ETH: { liquidationRatio: 0.9 }',
        'shocks: []',
        '',
      ].join('\n'),
    );
    const line = userError(cli(['run', file, '--out', at('mat')]));
    expect(line).toContain(file);
    expect(line).toContain('params.cdp.collateral.ETH.liquidationRatio');
  });
});
