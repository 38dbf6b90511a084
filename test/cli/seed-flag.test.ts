// Acceptance: `cascade run --seed` takes decimal integers only; anything else is one line naming
// --seed with exit code 2 before anything runs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'sim', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'cascade-seed-flag-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cascade(...args: string[]): Promise<{ status: number | null; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmp }, (error, _stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
    });
  });
}

describe('cascade run --seed', () => {
  for (const seed of ['', '0x10', '1e3']) {
    it(`rejects the seed '${seed}' with one line naming --seed and exit code 2`, async () => {
      const r = await cascade('run', 'may-2021', '--seed', seed, '--out', join(tmp, 'out'), '--quiet');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`cascade: error: --seed: expected an integer from 0 to 4294967295, got '${seed}'\n`);
    });
  }
});

// Issue 13, defect 9: the sweep's integer flags take decimal integers only, and a value that begins
// with '-' reaches its flag's check (yargs read `--shard -1/3` as short options: "Unknown argument: 1").
describe('cascade sweep integer and shard flags', () => {
  const cases: [string[], string][] = [
    [['--seed', '0x10'], "--seed: expected an integer from 0 to 4294967295, got '0x10'"],
    [['--seed', '-5'], "--seed: expected an integer from 0 to 4294967295, got '-5'"],
    [['--replicates', '1e3'], "--replicates: expected an integer from 1 to 100000000, got '1e3'"],
    [['--replicates', ''], "--replicates: expected an integer from 1 to 100000000, got ''"],
    [['--threads', '2.0'], "--threads: expected an integer from 1 to 4096, got '2.0'"],
    [['--shard', '-1/3'], "--shard: expected k/N with 1 <= k <= N (e.g. 2/3), got '-1/3'"],
  ];
  for (const [flags, message] of cases) {
    it(`rejects ${flags.join(' ')} with one line naming the flag and exit code 2`, async () => {
      const r = await cascade('sweep', 'default', ...flags, '--out', join(tmp, 'sweep-out'));
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(`cascade: error: ${message}\n`);
    });
  }
  it('rejects a negative run seed given as a separate word the same way', async () => {
    const r = await cascade('run', 'may-2021', '--seed', '-3', '--out', join(tmp, 'out'), '--quiet');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("cascade: error: --seed: expected an integer from 0 to 4294967295, got '-3'\n");
  });
});
