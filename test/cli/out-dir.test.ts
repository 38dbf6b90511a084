// An empty --out (which would mean the current directory) or the root directory is refused with one
// line naming --out; a sweep never deletes files it did not write; a failed merge leaves no directory
// it created.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

/** A directory holding the user's own files under the names a sweep writes. */
function userFiles(): string {
  const dir = tempDir();
  for (const f of ['runs.csv', 'cells.csv', 'manifest.json', 'check.json', 'report.html'])
    writeFileSync(join(dir, f), `mine: ${f}\n`);
  return dir;
}

function expectOutRefused(res: ReturnType<typeof cli>, pattern: RegExp): void {
  expect(res.status).toBe(2);
  // A budget-feasibility warning (issue 14) may come first; the error itself is one line.
  const errors = res.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('cascade: warning: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^cascade: error: --out: /);
  expect(res.stderr).toMatch(pattern);
}

const unchanged = (dir: string): void => {
  for (const f of ['runs.csv', 'cells.csv', 'manifest.json', 'check.json', 'report.html'])
    expect(readFileSync(join(dir, f), 'utf8')).toBe(`mine: ${f}\n`);
};

describe('an empty or root --out', () => {
  let file: string;
  beforeAll(() => {
    file = writeSmallSweep(tempDir(), { replicates: 1 });
  });

  it('is refused by sweep, and the files of the current directory are kept', () => {
    const cwd = userFiles();
    expectOutRefused(cli(['sweep', file, '--out', '', '--no-progress'], cwd), /empty value/);
    unchanged(cwd);
  });

  it('is refused by sweep when it is the root directory', () => {
    expectOutRefused(cli(['sweep', file, '--out', '/', '--no-progress']), /root directory/);
  });

  it('is refused by check, and the check.json of the current directory is kept', () => {
    const cwd = userFiles();
    expectOutRefused(cli(['check', file, '--out', ''], cwd), /expected a path|empty value/);
    expect(readFileSync(join(cwd, 'check.json'), 'utf8')).toBe('mine: check.json\n');
  });

  it('is refused by merge', () => {
    const cwd = userFiles();
    expectOutRefused(cli(['merge', join(cwd, 'a'), join(cwd, 'b'), '--out', ''], cwd), /empty value/);
    unchanged(cwd);
  });

  it('is refused by run', () => {
    const cwd = tempDir();
    expectOutRefused(cli(['run', 'calm', '--out', ''], cwd), /empty value/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('is refused by report', () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    expect(cli(['run', 'calm', '--out', out, '--quiet']).status).toBe(0);
    expectOutRefused(cli(['report', out, '--out', ''], dir), /empty value/);
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });
});

describe('a sweep into a directory it did not write', () => {
  it('refuses to replace files there that no cascade manifest or journal claims', () => {
    const dir = userFiles();
    const file = writeSmallSweep(tempDir(), { replicates: 1 });
    const res = cli(['sweep', file, '--out', dir, '--no-progress']);
    expect(res.status).toBe(2);
    expect(
      res.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('cascade: warning: ')),
    ).toHaveLength(1);
    expect(res.stderr).toMatch(/refusing to replace them/);
    unchanged(dir);
  });

  it('replaces the files of a previous sweep there', () => {
    const dir = join(tempDir(), 'out');
    const file = writeSmallSweep(tempDir(), { replicates: 1 });
    expect(cli(['sweep', file, '--out', dir, '--no-progress']).status).toBe(0);
    expect(cli(['sweep', file, '--out', dir, '--no-progress', '--seed', '3']).status).toBe(0);
    expect(existsSync(join(dir, 'runs.csv'))).toBe(true);
  });
});

describe('a merge that fails', () => {
  it('leaves no output directory when it created it', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { replicates: 1 });
    for (const k of [1, 2])
      expect(cli(['sweep', file, '--shard', `${k}/2`, '--out', join(dir, `s${k}`), '--no-progress']).status).toBe(0);
    // A shard whose runs.csv no longer matches its manifest fails while the merged files are written.
    mkdirSync(join(dir, 'bad'));
    cpSync(join(dir, 's2'), join(dir, 'bad'), { recursive: true });
    writeFileSync(join(dir, 'bad', 'runs.csv'), readFileSync(join(dir, 'bad', 'runs.csv'), 'utf8') + '\n');
    const out = join(dir, 'new', 'merged');
    const res = cli(['merge', join(dir, 's1'), join(dir, 'bad'), '--out', out]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/sha256/);
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });
});
