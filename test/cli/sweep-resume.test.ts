// An interrupted sweep (killed, or stopped with Ctrl-C) resumed with --resume ends with files
// byte-identical to an uninterrupted sweep, keeps the runs it had finished and runs none twice.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { JOURNAL_FILE } from '../../sim/sweep/sweep.js';
import { cli, exited, read, startCli, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

const TOTAL = 2 * 4 * 25;

/** Complete lines of the journal after its header (runs finished so far). */
function journaled(out: string): number {
  const file = join(out, JOURNAL_FILE);
  if (!existsSync(file)) return 0;
  const text = readFileSync(file, 'utf8');
  return Math.max(0, text.split('\n').length - 2);
}

/** Starts a sweep and sends `signal` once `after` runs are journaled; resolves with its exit and stderr. */
async function interrupt(args: string[], out: string, after: number, signal: NodeJS.Signals) {
  const child = startCli(args);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exit = exited(child);
  for (let waited = 0; waited < 60_000 && journaled(out) < after; waited += 5) {
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill(signal);
  return { code: await exit, stderr: () => stderr };
}

describe('cascade sweep --resume', () => {
  let dir: string;
  let file: string;
  let reference: { runs: string; cells: string };

  beforeAll(() => {
    dir = tempDir();
    file = writeSmallSweep(dir, { replicates: 25, set: ['agents.traders.count=300', 'run.steps=200'] });
    const res = cli(['sweep', file, '--out', join(dir, 'reference'), '--no-progress']);
    expect(res.status).toBe(0);
    reference = { runs: read(join(dir, 'reference'), 'runs.csv'), cells: read(join(dir, 'reference'), 'cells.csv') };
  });

  it('after the process is killed, keeps the journaled runs, runs each of the others once and writes identical files', async () => {
    const out = join(dir, 'killed');
    const { code } = await interrupt(
      ['sweep', file, '--out', out, '--threads', '2', '--no-progress'],
      out,
      40,
      'SIGKILL',
    );
    expect(code).toBe('SIGKILL');
    const done = journaled(out);
    expect(done).toBeGreaterThanOrEqual(40);
    expect(done).toBeLessThan(TOTAL);
    // Killed part-way: nothing that looks like finished results.
    expect(existsSync(join(out, 'cells.csv'))).toBe(false);
    expect(existsSync(join(out, 'runs.csv'))).toBe(false);

    const res = cli(['sweep', file, '--out', out, '--resume', '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(out, 'runs.csv')).toBe(reference.runs);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
    const manifest = JSON.parse(read(out, 'manifest.json'));
    expect(manifest.runs_resumed).toBe(done);
    expect(manifest.runs_executed).toBe(TOTAL - done);
    expect(existsSync(join(out, JOURNAL_FILE))).toBe(false);
  });

  it('after Ctrl-C, exits 130 saying how to continue, then resumes to identical files', async () => {
    const out = join(dir, 'interrupted');
    const run = await interrupt(['sweep', file, '--out', out, '--threads', '2', '--no-progress'], out, 20, 'SIGINT');
    expect(run.code).toBe(130);
    expect(run.stderr()).toMatch(
      /interrupted \(SIGINT\): \d+ of 200 runs are kept in .*; continue with: cascade sweep .* --resume/,
    );
    expect(existsSync(join(out, 'cells.csv'))).toBe(false);

    const res = cli(['sweep', file, '--out', out, '--resume', '--no-progress']);
    expect(res.status).toBe(0);
    expect(read(out, 'runs.csv')).toBe(reference.runs);
    expect(read(out, 'cells.csv')).toBe(reference.cells);
  });

  it('refuses to resume the journal of a different sweep', async () => {
    const out = join(dir, 'other');
    await interrupt(['sweep', file, '--out', out, '--threads', '1', '--no-progress'], out, 5, 'SIGKILL');
    const res = cli(['sweep', file, '--out', out, '--resume', '--seed', '8', '--no-progress']);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--resume: .* belongs to a different sweep/);
  });

  it('of a finished sweep runs nothing', () => {
    const res = cli(['sweep', file, '--out', join(dir, 'reference'), '--resume', '--no-progress']);
    expect(res.status).toBe(0);
    expect(res.stderr).toMatch(/already holds this sweep, complete: nothing to resume/);
    expect(read(join(dir, 'reference'), 'runs.csv')).toBe(reference.runs);
  });
});
