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
