// The generated reference (docs/reference/): the committed pages are what the generators make now,
// so the docs cannot drift from the schema; `cascade reference` writes them atomically, into a
// directory of other files without touching those.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptsText, parametersMarkdown, REFERENCE_PAGES } from '../../reports/reference.js';
import { referenceInputs } from '../../sim/cli/reference-cli.js';
import { parameterDocs } from '../../sim/config/index.js';

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

describe('the reference pages', () => {
  it('are committed as the generators make them now (run `npx cascade reference` after a schema change)', () => {
    const inputs = referenceInputs();
    for (const page of REFERENCE_PAGES) {
      const file = join(ROOT, 'docs', 'reference', page.file);
      const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
      expect(
        committed === page.render(inputs),
        `docs/reference/${page.file} is out of date: run \`npx cascade reference\` and commit the result`,
      ).toBe(true);
    }
  });

  it('list every parameter path of the config on the parameters page, with its default', () => {
    const page = parametersMarkdown(parameterDocs());
    for (const s of parameterDocs().sections)
      for (const p of s.parameters) expect(page, p.path).toContain(`\`${p.path}\``);
    expect(page).toContain('| `run.steps` | `1440` | integer from 1 to 1000000 |');
    expect(page).toContain('### `attackers[]` with `kind: oracle-manipulator`');
    expect(page).toContain('### `markets.<NAME>`');
  });

  it('say in words what a parameter accepts', () => {
    expect(acceptsText({ type: 'number', min: 0, minExclusive: true, max: 1 })).toBe('number > 0 and ≤ 1');
    expect(acceptsText({ type: 'integer', min: 0 })).toBe('integer ≥ 0');
    expect(acceptsText({ type: 'enum', values: ['a', 'b'] })).toBe('one of `a`, `b`');
    expect(acceptsText({ type: 'list', maxItems: 3, items: { type: 'number' } })).toBe('list of at most 3 numbers');
  });

  it('are written by cascade reference --out DIR, leaving other files there and no temporary file', async () => {
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
    expect(readdirSync(dir).sort()).toEqual([...REFERENCE_PAGES.map((p) => p.file), 'other.md'].sort());
  });

  it('refuse an empty --out as a user error (exit code 2, one line)', async () => {
    const r = await cascade('reference', '--out', '');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('cascade: error: --out: expected a directory\n');
  });
});
