// The scripting surface as a script uses it: --json on every command is one JSON document on stdout
// that matches the files written (run, sweep, check) or the text listing (params, scenarios);
// --quiet prints nothing on stdout and no progress; `check --failures-only`; `cascade` with no
// arguments and every --help show examples; validate takes built-in names and sweep files, and
// reports every mistake of a file at once.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../reports/csv-read.js';
import { COMMANDS } from '../../sim/cli/commands.js';
import { BUILTIN_SCENARIOS, BUILTIN_SWEEPS } from '../helpers/builtins.js';
import { CLI, ROOT, tempDir, writeSmallSweep } from '../helpers/sweep-helpers.js';

const tmp = tempDir('cascade-scripting-');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cascade(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SMALL_RUN = ['--set', 'run.steps=80', '--set', 'agents.traders.count=60'];

describe('--json', () => {
  it('run: one document whose summary is summary.json, naming the files written', () => {
    const out = join(tmp, 'run-json');
    const r = cascade('run', 'calm', '--seed', '3', '--out', out, '--json', ...SMALL_RUN);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { command: string; files: string[]; summary: unknown };
    expect(doc.command).toBe('run');
    expect(doc.summary).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    // Paths are shown relative to the working directory.
    expect(doc.files.map((f) => resolve(tmp, f))).toEqual([join(out, 'timeline.csv'), join(out, 'summary.json')]);
  });

  it('sweep and check: the cells are cells.csv and the check is check.json', () => {
    const file = writeSmallSweep(tmp, { replicates: 3, name: 'json' });
    const out = join(tmp, 'sweep-json');
    const s = cascade('sweep', file, '--out', out, '--threads', '2', '--json');
    expect(s.status, s.stderr).toBe(0);
    const sweep = JSON.parse(s.stdout) as {
      runs: number;
      cells: { scenario: string; params: Record<string, number>; metrics: Record<string, number | null> }[];
    };
    const csv = readCsvTable(join(out, 'cells.csv'));
    expect(sweep.runs).toBe(2 * 4 * 3);
    expect(sweep.cells).toHaveLength(csv.rows.length);
    const col = (name: string) => csv.header.indexOf(name);
    sweep.cells.forEach((cell, i) => {
      expect(cell.scenario).toBe(csv.rows[i][col('scenario')]);
      expect(cell.params['protocol.maintenanceMarginRate']).toBe(
        Number(csv.rows[i][col('protocol.maintenanceMarginRate')]),
      );
      for (const m of ['p_insolvent', 'uncovered_bad_debt_p95_usd', 'liquidations_mean'])
        expect(cell.metrics[m], m).toBeCloseTo(Number(csv.rows[i][col(m)]), 9);
    });

    const c = cascade('check', out, '--json');
    const check = JSON.parse(c.stdout) as { failed: number; passed: number; check: { verdict: string } };
    expect(check.check).toEqual(JSON.parse(readFileSync(join(out, 'check.json'), 'utf8')));
    expect(c.status).toBe(check.failed > 0 ? 1 : 0);
    expect(check.check.verdict).toBe(check.failed > 0 ? 'fail' : 'pass');
  });

  it('params: every path of the text listing, with the same default, each with a description', () => {
    const text = cascade('params').stdout.trimEnd().split('\n');
    const doc = JSON.parse(cascade('params', '--json').stdout) as {
      parameters: { path: string; default?: unknown; description: string }[];
    };
    const byPath = new Map(doc.parameters.map((p) => [p.path, p]));
    const page = readFileSync(join(ROOT, 'docs', 'reference', 'parameters.md'), 'utf8');
    for (const line of text) {
      if (line.startsWith('#')) continue;
      const [path, value] = line.split(' = ');
      expect(byPath.get(path), path).toBeDefined();
      expect(byPath.get(path)!.default, path).toEqual(JSON.parse(value));
    }
    for (const p of doc.parameters) {
      expect(p.description, p.path).not.toBe('');
      expect(page, p.path).toContain(`\`${p.path}\``);
    }
  });

  it('scenarios: the built-in scenarios and sweeps', () => {
    const doc = JSON.parse(cascade('scenarios', '--json').stdout) as {
      scenarios: { name: string }[];
      sweeps: { name: string }[];
    };
    expect(doc.scenarios.map((s) => s.name)).toEqual(BUILTIN_SCENARIOS);
    expect(doc.sweeps.map((s) => s.name)).toEqual(BUILTIN_SWEEPS);
  });

  it('validate: ok with the kind, or every mistake with exit code 2', () => {
    const ok = JSON.parse(cascade('validate', 'default', '--json').stdout) as { ok: boolean; kind: string };
    expect(ok).toMatchObject({ ok: true, kind: 'sweep' });
    const file = join(tmp, 'two-mistakes.yaml');
    writeFileSync(
      file,
      'name: x\ndescription: y\nparams: { protocol: { maintenanceMarginRate: -1 } }\nshocks:\n  - { kind: meteor, step: 1 }\n',
    );
    const bad = cascade('validate', file, '--json');
    expect(bad.status).toBe(2);
    const doc = JSON.parse(bad.stdout) as { ok: boolean; errors: { field: string }[] };
    expect(doc.ok).toBe(false);
    expect(doc.errors.map((e) => e.field).sort()).toEqual(['params.protocol.maintenanceMarginRate', 'shocks[0].kind']);
  });
});

describe('--quiet', () => {
  it('run, sweep and check print nothing on stdout or stderr and exit as without it', () => {
    const r = cascade('run', 'calm', '--out', join(tmp, 'run-quiet'), '--quiet', ...SMALL_RUN);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    const file = writeSmallSweep(tmp, { replicates: 2, name: 'quiet' });
    const out = join(tmp, 'sweep-quiet');
    const s = cascade('sweep', file, '--out', out, '--threads', '2', '--quiet');
    expect([s.status, s.stdout, s.stderr]).toEqual([0, '', '']);
    const loud = cascade('check', out);
    const c = cascade('check', out, '--quiet');
    expect([c.status, c.stdout, c.stderr]).toEqual([loud.status, '', '']);
  });
});

describe('cascade check --failures-only', () => {
  it('lists only the failed checks, and says so when none failed', () => {
    const file = writeSmallSweep(tmp, { replicates: 2, name: 'failures' });
    const out = join(tmp, 'sweep-failures');
    expect(cascade('sweep', file, '--out', out, '--threads', '2', '--quiet').status).toBe(0);
    // A budget no cell can pass, added to a finished sweep's manifest is not possible: use the file's own.
    const all = cascade('check', out);
    const only = cascade('check', out, '--failures-only');
    expect(only.status).toBe(all.status);
    const rows = (t: string) => t.split('\n').filter((l) => /^(PASS|FAIL|info)\s/.test(l));
    expect(rows(only.stdout).every((l) => l.startsWith('FAIL'))).toBe(true);
    expect(rows(only.stdout)).toHaveLength(rows(all.stdout).filter((l) => l.startsWith('FAIL')).length);
    if (rows(only.stdout).length === 0) expect(only.stdout).toContain('(no check failed)');
    // The summary line counts every check either way.
    const summary = (t: string) => t.split('\n').find((l) => l.startsWith('check: '));
    expect(summary(only.stdout)).toBe(summary(all.stdout));
  });
});

describe('help', () => {
  it('cascade with no arguments prints the commands and examples on stdout, exit 0', () => {
    const r = cascade();
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Examples:');
    for (const c of COMMANDS) expect(r.stdout).toContain(`cascade ${c}`);
  });

  it.each(COMMANDS)('cascade %s --help shows examples', (command) => {
    const r = cascade(command, '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`Examples:\\n\\s+cascade ${command}`));
  });
});

describe('cascade validate', () => {
  it('takes built-in scenario and sweep names and sweep files', () => {
    expect(cascade('validate', 'flash-crash').stdout).toMatch(/^flash-crash: ok \(flash-crash: /);
    expect(cascade('validate', 'breakers').stdout).toMatch(/^breakers: ok \(sweep breakers: /);
    const file = writeSmallSweep(tmp, { name: 'valid' });
    const r = cascade('validate', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 scenario(s) x 4 cell(s) x 6 replicates = 48 runs, 2 budget(s)');
  });

  it('reports every mistake of a sweep file at once, one line each naming the file and field', () => {
    const file = join(tmp, 'many-mistakes.yaml');
    writeFileSync(
      file,
      [
        'name: many',
        'scenarios: [calm, no-such-scenario]',
        'grid:',
        '  protocol.insuranceFundUsd: [1, x]',
        '  protocol.noSuchParameter: [1]',
        'replicates: 2',
        'seed: 1',
        'budgets: ["no_such_metric <= 1"]',
        '',
      ].join('\n'),
    );
    const r = cascade('validate', file);
    expect(r.status).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.map((l) => l.slice(`cascade: error: ${file}: `.length).split(':')[0])).toEqual([
      'scenarios[1]',
      'grid.protocol.insuranceFundUsd[1]',
      'grid.protocol.noSuchParameter',
      'budgets[0]',
    ]);
    for (const l of lines) expect(l.startsWith(`cascade: error: ${file}: `)).toBe(true);
  });
});
