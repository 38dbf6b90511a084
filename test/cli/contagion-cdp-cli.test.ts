// A contagion world with a CDP part through the compiled CLI: `cascade run contagion-depeg` writes
// the three protocols' prefixed statistics and the stablecoin link's; a small sweep of the depeg
// world over the link gives byte-identical runs.csv and cells.csv with 1 and 2 threads; bad
// stablecoin links are one line on stderr naming contagion.links.stablecoinAsset, exit 2.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, csvRows, read, tempDir } from '../helpers/sweep-helpers.js';

const root = tempDir('cascade-contagion-cdp-cli-');
const at = (name: string): string => join(root, name);

const SWEEP = [
  'name: contagion-depeg-small',
  'description: A small depeg sweep (the stablecoin demand falls by two amounts).',
  'scenarios:',
  '  - contagion-depeg',
  'set:',
  '  agents.traders.count: 100',
  '  lending.borrowers.count: 100',
  'grid:',
  '  cdp.stablecoin.arbitrageCapitalUsdPerStep: [5000, 50000]',
  'replicates: 3',
  'seed: 1',
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

describe('cascade run on contagion-depeg', () => {
  const out = at('run');
  let run: ReturnType<typeof cli>;
  beforeAll(() => {
    run = cli(['run', 'contagion-depeg', '--out', out]);
  });

  it("writes the world's and each of the three protocols' statistics", () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(read(out, 'summary.json'));
    for (const k of [
      'protocols_insolvent',
      'cdp_peg_min_price_usd',
      'lending_bad_debt_usd',
      'link_stablecoin_min_price_usd',
    ])
      expect(Number.isFinite(summary[k]), k).toBe(true);
    expect(summary.link_stablecoin_min_price_usd).toBeLessThan(0.99);
    const timeline = csvRows(read(out, 'timeline.csv'));
    expect(timeline).toHaveLength(720);
    expect(Object.keys(timeline[0])).toContain('cdp_stable_price_usd');
    expect(Object.keys(timeline[0])).toContain('link_stable_asset_price_usd');
  });
});

describe('a sweep of the depeg world', () => {
  const file = at('sweep.yaml');
  beforeAll(() => writeFileSync(file, SWEEP));

  it('writes byte-identical runs.csv and cells.csv with 1 and 2 threads, with the cdp_ statistics', () => {
    const one = cli(['sweep', file, '--threads', '1', '--out', at('t1'), '--no-progress']);
    expect(one.stderr).toBe('');
    expect(one.status).toBe(0);
    const two = cli(['sweep', file, '--threads', '2', '--out', at('t2'), '--no-progress']);
    expect(two.status).toBe(0);
    expect(read(at('t2'), 'runs.csv')).toBe(read(at('t1'), 'runs.csv'));
    expect(read(at('t2'), 'cells.csv')).toBe(read(at('t1'), 'cells.csv'));
    const rows = csvRows(read(at('t1'), 'runs.csv'));
    expect(rows).toHaveLength(6);
    expect(Object.keys(rows[0])).toContain('cdp_peg_min_price_usd');
    expect(Object.keys(rows[0])).toContain('link_stablecoin_min_price_usd');
  });
});

describe('bad stablecoin links', () => {
  it('refuses an unknown stablecoin asset, naming the field and the assets (exit 2)', () => {
    const line = userError(
      cli(['run', 'contagion-depeg', '--set', 'contagion.links.stablecoinAsset=GHO', '--out', at('gho')]),
    );
    expect(line).toContain('contagion.links.stablecoinAsset');
    expect(line).toContain("unknown asset 'GHO'");
    expect(existsSync(at('gho'))).toBe(false);
  });

  it('refuses a stablecoin link without a cdp section (exit 2)', () => {
    const line = userError(
      cli(['run', 'contagion-crash', '--set', 'contagion.links.stablecoinAsset=USDC', '--out', at('nocdp')]),
    );
    expect(line).toContain('contagion.links.stablecoinAsset');
    expect(line).toMatch(/cdp section/);
    expect(existsSync(at('nocdp'))).toBe(false);
  });
});
