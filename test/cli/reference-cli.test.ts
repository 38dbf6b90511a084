// `cascade reference` as a user runs it: it writes every reference page into --out atomically,
// leaving the directory's other files alone, and refuses an empty --out.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_REFERENCE_FILE, REFERENCE_PAGES } from '../../reports/reference.js';
import { referenceInputs } from '../../sim/cli/reference-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'sim', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'cascade-reference-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cascade(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmp }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

describe('cascade reference', () => {
  it('writes the pages into --out DIR, leaving other files there and no temporary file', async () => {
    const dir = join(tmp, 'ref');
    const other = join(tmp, 'ref', 'other.md');
    await cascade('reference', '--out', dir);
    writeFileSync(other, 'kept\n');
    writeFileSync(join(dir, 'parameters.md'), 'stale\n');
    const r = await cascade('reference', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('parameters.md');
    const inputs = referenceInputs();
    for (const page of REFERENCE_PAGES) expect(readFileSync(join(dir, page.file), 'utf8')).toBe(page.render(inputs));
    expect(readFileSync(other, 'utf8')).toBe('kept\n');
    expect(readdirSync(dir).sort()).toEqual(
      [...REFERENCE_PAGES.map((p) => p.file), CLI_REFERENCE_FILE, 'other.md'].sort(),
    );
  });

  it("writes the CLI page as committed: every command's --help with its examples (run `npx cascade reference` after a flag change)", async () => {
    const dir = join(tmp, 'ref-cli');
    expect((await cascade('reference', '--out', dir)).status).toBe(0);
    const made = readFileSync(join(dir, CLI_REFERENCE_FILE), 'utf8');
    const committed = readFileSync(join(ROOT, 'docs', 'reference', CLI_REFERENCE_FILE), 'utf8');
    expect(made === committed, 'docs/reference/cli.md is out of date: run `npx cascade reference`').toBe(true);
    for (const command of ['run', 'sweep', 'merge', 'check', 'compare', 'report', 'scenarios', 'validate', 'params'])
      expect(made).toContain(`## \`cascade ${command}\``);
    expect(made.match(/^Examples:$/gm)?.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses an empty --out as a user error (exit code 2, one line)', async () => {
    const r = await cascade('reference', '--out', '');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('cascade: error: --out: expected a directory\n');
  });
});
