// `cascade merge` refuses anything but all N finished shards of one sweep, with one clear line.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsvLine } from '../../sim/sweep/merge.js';
import { stringify } from 'csv-stringify/sync';
import { cli, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

describe('cascade merge', () => {
  let dir: string;
  const shard = (k: number) => join(dir, `shard-${k}`);

  beforeAll(() => {
    dir = tempDir();
    const file = writeSmallSweep(dir, { replicates: 2 });
    for (const k of [1, 2, 3]) {
      const res = cli(['sweep', file, '--shard', `${k}/3`, '--out', shard(k), '--no-progress']);
      expect(res.status).toBe(0);
    }
    // The same sweep with another seed: a different plan.
    const other = cli([
      'sweep',
      file,
      '--shard',
      '2/3',
      '--seed',
      '99',
      '--out',
      join(dir, 'other-2'),
      '--no-progress',
    ]);
    expect(other.status).toBe(0);
  });

  const expectRefusal = (args: string[], pattern: RegExp) => {
    const res = cli(['merge', ...args, '--out', join(dir, 'merged-refused')]);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(pattern);
  };

  it('refuses when a shard is missing, naming it', () => {
    expectRefusal([shard(1), shard(3)], /missing shard 2\/3: merge needs all 3 shards/);
  });

  it('refuses shards of different sweeps', () => {
    expectRefusal([shard(1), join(dir, 'other-2'), shard(3)], /is a shard of a different sweep/);
  });

  it('refuses a shard given twice', () => {
    expectRefusal([shard(1), shard(2), shard(2), shard(3)], /shard 2\/3 is given twice/);
  });

  it('refuses a directory that holds no finished shard', () => {
    expectRefusal([shard(1), shard(2), dir], /no manifest.json: not the output directory of a sweep shard/);
  });

  it('refuses a shard whose runs.csv was edited', () => {
    const copy = join(dir, 'edited-3');
    const res = cli(['sweep', join(dir, 'small.yaml'), '--shard', '3/3', '--out', copy, '--no-progress']);
    expect(res.status).toBe(0);
    const lines = readFileSync(join(copy, 'runs.csv'), 'utf8').split('\n');
    const fields = parseCsvLine(lines[2]);
    fields[7] = String(Number(fields[7]) + 1);
    lines[2] = stringify([fields]).trimEnd();
    writeFileSync(join(copy, 'runs.csv'), lines.join('\n'));
    expectRefusal([shard(1), shard(2), copy], /runs.csv: does not match the sha256 recorded in manifest.json/);
  });

  it('refuses a shard with rows added to its runs.csv', () => {
    const copy = join(dir, 'long-3');
    cli(['sweep', join(dir, 'small.yaml'), '--shard', '3/3', '--out', copy, '--no-progress']);
    appendFileSync(join(copy, 'runs.csv'), '999,calm,0,1\n');
    expectRefusal([shard(1), shard(2), copy], /runs.csv: does not match the sha256/);
  });

  it('merges all shards given in any order and exits 0', () => {
    const res = cli(['merge', shard(3), shard(1), shard(2), '--out', join(dir, 'merged')]);
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/merged 16 runs/);
    const manifest = JSON.parse(readFileSync(join(dir, 'merged', 'manifest.json'), 'utf8'));
    expect(manifest.shard).toBeNull();
    expect(manifest.merged_from.map((s: { shard: string }) => s.shard)).toEqual(['1/3', '2/3', '3/3']);
  });

  // Issue 13, defect 8: a merge never replaces files cascade did not write.
  it("refuses an --out holding a user's runs.csv and cells.csv, leaving them as they were", () => {
    const mine = join(dir, 'user-files');
    mkdirSync(mine);
    writeFileSync(join(mine, 'runs.csv'), 'my,own,data\n');
    writeFileSync(join(mine, 'cells.csv'), 'mine too\n');
    const res = cli(['merge', shard(1), shard(2), shard(3), '--out', mine]);
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(
      /holds runs.csv, cells.csv but no cascade sweep manifest or journal; refusing to replace/,
    );
    expect(readFileSync(join(mine, 'runs.csv'), 'utf8')).toBe('my,own,data\n');
    expect(readFileSync(join(mine, 'cells.csv'), 'utf8')).toBe('mine too\n');
    expect(existsSync(join(mine, 'manifest.json'))).toBe(false);
  });

  it("merges again over an earlier merge's files, removing the verdict and report drawn from them", () => {
    const again = join(dir, 'merged-twice');
    expect(cli(['merge', shard(1), shard(2), shard(3), '--out', again]).status).toBe(0);
    const first = readFileSync(join(again, 'runs.csv'), 'utf8');
    writeFileSync(join(again, 'check.json'), '{}');
    writeFileSync(join(again, 'report.html'), '<html></html>');
    expect(cli(['merge', shard(1), shard(2), shard(3), '--out', again]).status).toBe(0);
    expect(readFileSync(join(again, 'runs.csv'), 'utf8')).toBe(first);
    expect(existsSync(join(again, 'check.json'))).toBe(false);
    expect(existsSync(join(again, 'report.html'))).toBe(false);
  });
});
