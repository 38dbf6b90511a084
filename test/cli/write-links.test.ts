// A symbolic link planted at one of a sweep's output names is refused with one line naming the path
// and exit code 2; the sweep never writes through it, so the file the link points to is unchanged.
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../sim/sweep/sweep.js';
import { cli, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

/** stderr's lines but a budget-feasibility warning (issue 14), which may come before the one error line. */
const errorLines = (stderr: string): string[] =>
  stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('cascade: warning: '));

/** A sweep directory whose `name` is a link to a file outside it; returns the paths. */
function plantLink(name: string) {
  const dir = tempDir();
  const file = writeSmallSweep(dir, { replicates: 1 });
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious\n');
  const out = join(dir, 'out');
  mkdirSync(out);
  const link = join(out, name);
  symlinkSync(victim, link);
  return { file, victim, out, link };
}

describe('a symbolic link at an output name', () => {
  it('at the journal path stops the sweep with one line naming it and leaves the target unchanged', () => {
    const { file, victim, out, link } = plantLink(JOURNAL_FILE);
    const res = cli(['sweep', file, '--out', out, '--no-progress']);
    expect(res.status).toBe(2);
    expect(errorLines(res.stderr)).toHaveLength(1);
    expect(res.stderr).toContain(link);
    expect(res.stderr).toMatch(/symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('at the journal path is refused by --resume too, without reading or writing through it', () => {
    const { file, victim, out, link } = plantLink(JOURNAL_FILE);
    const res = cli(['sweep', file, '--out', out, '--resume', '--no-progress']);
    expect(res.status).toBe(2);
    expect(errorLines(res.stderr)).toHaveLength(1);
    expect(res.stderr).toContain(link);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  it('at runs.csv in a directory no sweep wrote is refused, never written through', () => {
    const { file, victim, out, link } = plantLink('runs.csv');
    const res = cli(['sweep', file, '--out', out, '--no-progress']);
    expect(res.status).toBe(2);
    expect(errorLines(res.stderr)).toHaveLength(1);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});

// Issue 13 (the fault drill's read-only --out): a directory that cannot be created or written
// (here under /sys, read-only or refused for every user) is one line naming the path, exit 2,
// never an internal error with a stack trace.
describe('an --out that cannot be written', () => {
  const cases: [string, string[]][] = [
    ['a sweep into an existing directory it cannot create its lock in', ['sweep', 'default', '--out', '/sys/kernel']],
    ['a sweep into a directory it cannot create', ['sweep', 'default', '--out', '/sys/kernel/cascade-test']],
    ['a run into a directory it cannot create', ['run', 'calm', '--out', '/sys/kernel/cascade-test', '--quiet']],
  ];
  for (const [what, args] of cases)
    it(`refuses ${what} in one line`, () => {
      const res = cli([...args, '--no-progress'].filter((a) => !(args[0] === 'run' && a === '--no-progress')));
      expect(res.status).toBe(2);
      expect(errorLines(res.stderr)).toHaveLength(1);
      expect(errorLines(res.stderr)[0]).toMatch(/^cascade: error: .*\/sys\/kernel.*\((EACCES|EPERM|EROFS|ENOENT)\)/);
      expect(res.stderr).not.toMatch(/internal error|\n\s+at /);
    });
});
