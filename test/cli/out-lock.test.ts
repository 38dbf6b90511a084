// The lock on an output directory: a second sweep, merge or check into a directory a sweep is writing
// is refused (exit 2, naming the holder) and the first finishes unharmed; a stale lock (its pid is
// gone) is taken over; the lock file is gone however the command ends; check refuses --out = --baseline.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../sim/sweep/out-lock.js';
import { JOURNAL_FILE } from '../../sim/sweep/sweep.js';
import { cli, exited, read, startCli, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

/** Waits until `file` exists (or 60 s pass). */
async function waitFor(file: string): Promise<void> {
  for (let waited = 0; waited < 60_000 && !existsSync(file); waited += 5) await new Promise((r) => setTimeout(r, 5));
}

/** A pid that belonged to a process that has exited and been reaped. */
function deadPid(): number {
  const res = spawnSync(process.execPath, ['-e', '0']);
  expect(res.status).toBe(0);
  return res.pid!;
}

describe('the lock on --out', () => {
  let dir: string;
  let file: string;
  let reference: { runs: string; cells: string };

  beforeAll(() => {
    dir = tempDir();
    file = writeSmallSweep(dir, { replicates: 25, set: ['agents.traders.count=300', 'run.steps=200'] });
    const out = join(dir, 'reference');
    const res = cli(['sweep', file, '--out', out, '--no-progress']);
    expect(res.status).toBe(0);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    reference = { runs: read(out, 'runs.csv'), cells: read(out, 'cells.csv') };
  });

  it('refuses a second sweep, merge or check into a locked directory with exit 2 naming the holder, and the first completes with identical files', async () => {
    const out = join(dir, 'shared');
    const first = startCli(['sweep', file, '--out', out, '--threads', '1', '--no-progress']);
    const exit = exited(first);
    await waitFor(join(out, JOURNAL_FILE));
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    // All three at once, while the first is still early in its 200 runs.
    const seconds = [
      ['sweep', file, '--out', out, '--no-progress'],
      ['check', file, '--out', out, '--no-progress'],
      ['merge', join(dir, 'reference'), '--out', out],
    ].map((args) => {
      const child = startCli(args);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += String(d)));
      return exited(child).then((code) => ({ name: args[0], code, stderr }));
    });
    for (const second of await Promise.all(seconds)) {
      expect(second.code, `${second.name}: ${second.stderr}`).toBe(2);
      const lines = second.stderr.trim().split('\n');
      expect(lines, second.name).toHaveLength(1);
      expect(lines[0]).toContain(`pid ${first.pid}`);
      expect(lines[0]).toContain('sweep');
    }
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    expect(await exit).toBe(0);
    expect(read(out, 'runs.csv')).toBe(reference.runs);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('takes over a stale lock (its pid is gone), says so in one line, and the sweep completes', () => {
    const out = join(dir, 'stale');
    const pid = deadPid();
    mkdirSync(out);
    writeFileSync(
      join(out, LOCK_FILE),
      JSON.stringify({ pid, command: 'cascade sweep old', started: '2020-01-01T00:00:00Z', token: 'x' }),
    );
    const res = cli(['sweep', file, '--out', out, '--no-progress']);
    expect(res.status).toBe(0);
    const notes = res.stderr.split('\n').filter((l) => l.includes('stale lock'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`pid ${pid}`);
    expect(read(out, 'runs.csv')).toBe(reference.runs);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('is gone after a sweep that fails with an error', () => {
    const out = join(dir, 'error');
    const res = cli(['sweep', file, '--out', out, '--resume', '--replicates', '3', '--no-progress']);
    expect(res.status).toBe(0);
    // A different sweep into the same directory with --resume is refused after the lock is taken.
    const refused = cli(['sweep', file, '--out', out, '--resume', '--no-progress']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('different sweep');
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });

  it('is gone after a sweep stopped with SIGINT', async () => {
    const out = join(dir, 'sigint');
    const child = startCli(['sweep', file, '--out', out, '--threads', '1', '--no-progress']);
    const exit = exited(child);
    await waitFor(join(out, JOURNAL_FILE));
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    child.kill('SIGINT');
    expect(await exit).toBe(130);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
    expect(existsSync(join(out, JOURNAL_FILE))).toBe(true);
  });

  it('holds the pid, the command line and the start time', async () => {
    const out = join(dir, 'contents');
    const child = startCli(['sweep', file, '--out', out, '--threads', '1', '--no-progress']);
    const exit = exited(child);
    await waitFor(join(out, JOURNAL_FILE));
    const lock = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')) as Record<string, unknown>;
    child.kill('SIGTERM');
    expect(lock.pid).toBe(child.pid);
    expect(String(lock.command)).toContain('sweep');
    expect(Number.isNaN(Date.parse(String(lock.started)))).toBe(false);
    expect(await exit).toBe(143);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false);
  });
});

describe('cascade check --out', () => {
  it('refuses the --baseline directory as --out with exit 2 in one line naming both', () => {
    const dir = tempDir();
    const file = writeSmallSweep(dir, { replicates: 2 });
    const results = join(dir, 'results');
    const baseline = join(dir, 'baseline');
    expect(cli(['sweep', file, '--out', results, '--no-progress']).status).toBe(0);
    expect(cli(['sweep', file, '--out', baseline, '--no-progress']).status).toBe(0);
    const before = read(baseline, 'cells.csv');
    const res = cli(['check', results, '--baseline', baseline, '--out', baseline]);
    expect(res.status).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('--out');
    expect(lines[0]).toContain('--baseline');
    expect(existsSync(join(baseline, 'check.json'))).toBe(false);
    expect(read(baseline, 'cells.csv')).toBe(before);
  });
});
