// Acceptance: input files that are not regular files end the command with one line and exit code 2
// instead of a hang or an unbounded read, and a reader that closes stdout early ends it quietly.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { billionLaughsYaml } from '../helpers/inputs.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'sim', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'cascade-input-files-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI, killing it after 10 s (a hang shows as status null). */
function cascade(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', cwd: tmp, timeout: 10_000 },
      (error, stdout, stderr) => {
        done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('cascade with input files that are not regular files', () => {
  it('validate /dev/zero prints one line naming the file and exits 2 without reading it', async () => {
    const r = await cascade('validate', '/dev/zero');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('cascade: error: /dev/zero: cannot read: not a regular file\n');
  });

  it('run and sweep /dev/zero say it is not a regular file (not "no such file")', async () => {
    for (const command of ['run', 'sweep']) {
      const r = await cascade(command, '/dev/zero');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe('cascade: error: /dev/zero: cannot read: not a regular file\n');
    }
  });

  it.skipIf(!hasMkfifo())('validate on a FIFO prints one line and exits 2 instead of waiting forever', async () => {
    const fifo = join(tmp, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await cascade('validate', fifo);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`cascade: error: ${fifo}: cannot read: not a regular file\n`);
  });

  it.skipIf(!hasMkfifo())('run with a replay shock reading a FIFO prints one line and exits 2', async () => {
    const fifo = join(tmp, 'prices.csv');
    execFileSync('mkfifo', [fifo]);
    const file = join(tmp, 'replay.yaml');
    writeFileSync(
      file,
      `name: replay\ndescription: a replay\nshocks:\n  - kind: replay\n    step: 0\n    file: ${fifo}\n`,
    );
    const r = await cascade('run', file, '--out', join(tmp, 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`cascade: error: ${file}: shocks[0].file: cannot read ${fifo}: not a regular file\n`);
  });

  it('validate on YAML whose aliases expand too far prints one line naming the file and exits 2', async () => {
    const file = join(tmp, 'laughs.yaml');
    writeFileSync(file, billionLaughsYaml());
    const r = await cascade('validate', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^cascade: error: ${file}: invalid YAML: [^\\n]*\\n$`));
  });
});

describe('cascade with a stdout reader that goes away', () => {
  // The pipe is closed as soon as the child starts: params writes less than a pipe buffer, so closing
  // it after the first chunk would race with the child's last write (and sometimes never see EPIPE).
  it('params exits quietly with code 141 when the reader has closed the pipe', async () => {
    const child = spawn(process.execPath, [CLI, 'params'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('spawn', () => child.stdout.destroy());
    const status = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    expect(stderr).toBe('');
    expect(status).toBe(141);
  });
});
