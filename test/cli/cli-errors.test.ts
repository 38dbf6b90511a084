// Acceptance: user mistakes reach the user as one line on stderr naming the file (or flag) and the
// field path, with exit code 2, no stack trace and no output directory; and the informational
// commands (validate, scenarios, params) answer with exit code 0.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it, type ExpectStatic } from 'vitest';
import { readScenarioFile } from '../../scenarios/load.js';
import { BUILTIN_SCENARIO_DIR, BUILTIN_SCENARIOS } from '../helpers/builtins.js';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'sim', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'cascade-cli-errors-'));

/** Runs the CLI as a child process (asynchronously, so that tests can run side by side). */
function cascade(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmp }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Writes a scenario file into the temporary directory and returns its path. */
function scenarioFile(name: string, text: string): string {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
}

const HEAD = 'name: broken\ndescription: a scenario with a mistake\n';

/**
 * Runs `cascade run <ref> --out <tmp>/<outName> ...extra` and checks the user-error contract: exit
 * code 2, exactly one stderr line naming `source` and `field`, no stack trace, no output directory
 * and no temporary sibling left behind. Returns the stderr line.
 */
async function expectUserError(
  expect: ExpectStatic,
  outName: string,
  ref: string,
  extra: string[],
  source: string,
  field: string,
): Promise<string> {
  const out = join(tmp, outName);
  const r = await cascade('run', ref, '--out', out, ...extra);
  expect(r.status).toBe(2);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(r.stderr.endsWith('\n')).toBe(true);
  const line = lines[0];
  expect(line).toContain(source);
  expect(line).toContain(field);
  expect(line).not.toMatch(/\n\s+at |at .*\.js:\d+|Error:|internal error/);
  expect(existsSync(out)).toBe(false);
  expect(readdirSync(tmp).filter((f) => f.startsWith(`${outName}.`))).toEqual([]);
  expect(r.stdout).toBe('');
  return line;
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Each test starts its own child processes and owns its files and output directory, so they run side by side.
describe.concurrent('user mistakes', () => {
  it('reports a scenario file without the required shocks field', async ({ expect }) => {
    const file = scenarioFile('no-shocks.yaml', HEAD);
    const line = await expectUserError(expect, 'out-no-shocks', file, [], file, 'shocks');
    expect(line).toMatch(/missing/);
  });

  it('reports a shock whose steps is a string instead of a number', async ({ expect }) => {
    const file = scenarioFile('wrong-type.yaml', `${HEAD}shocks:\n  - { kind: oracleFreeze, step: 5, steps: "ten" }\n`);
    await expectUserError(expect, 'out-wrong-type', file, [], file, 'shocks[0].steps');
  });

  it('reports a parameter of the wrong type in the scenario params', async ({ expect }) => {
    const file = scenarioFile('wrong-param.yaml', `${HEAD}params:\n  run:\n    steps: "x"\nshocks: []\n`);
    await expectUserError(expect, 'out-wrong-param', file, [], file, 'params.run.steps');
  });

  it('reports an unknown shock kind and lists the known ones', async ({ expect }) => {
    const file = scenarioFile('unknown-kind.yaml', `${HEAD}shocks:\n  - { kind: meteorStrike, step: 5 }\n`);
    const line = await expectUserError(expect, 'out-unknown-kind', file, [], file, 'shocks[0].kind');
    expect(line).toContain('priceJump');
  });

  it('reports a shock with a negative step count', async ({ expect }) => {
    const file = scenarioFile(
      'negative-steps.yaml',
      `${HEAD}shocks:\n  - { kind: depthDrain, step: 5, steps: -5, factor: 0.5 }\n`,
    );
    await expectUserError(expect, 'out-negative-steps', file, [], file, 'shocks[0].steps');
  });

  it('reports a shock that starts past the run horizon', async ({ expect }) => {
    const file = scenarioFile('late.yaml', `${HEAD}shocks:\n  - { kind: priceJump, step: 5000, pct: -0.1 }\n`);
    await expectUserError(expect, 'out-late', file, [], file, 'shocks[0].step');
  });

  it('reports a negative run length given with --set', async ({ expect }) => {
    const line = await expectUserError(
      expect,
      'out-neg-run',
      'flash-crash',
      ['--set', 'run.steps=-3'],
      '--set',
      'run.steps',
    );
    expect(line.startsWith('cascade: error: --set: run.steps: ')).toBe(true);
  });

  it('reports an unknown --set path', async ({ expect }) => {
    const line = await expectUserError(
      expect,
      'out-unknown-set',
      'flash-crash',
      ['--set', 'protocol.maintenanceMargin=0.05'],
      '--set',
      'protocol.maintenanceMargin',
    );
    expect(line).toMatch(/unknown parameter/);
  });

  it('reports a --set value that is not a number for a numeric parameter', async ({ expect }) => {
    await expectUserError(
      expect,
      'out-nan-set',
      'flash-crash',
      ['--set', 'protocol.maintenanceMarginRate=high'],
      '--set',
      'protocol.maintenanceMarginRate',
    );
  });

  it('blames --set, not the scenario file, when a --set lowers initialMarginRate below the maintenance rate', async ({
    expect,
  }) => {
    const out = join(tmp, 'out-imr-set');
    const r = await cascade('run', 'flash-crash', '--out', out, '--set', 'protocol.initialMarginRate=0.01');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cascade: error: --set: protocol\.(initialMarginRate|maintenanceMarginRate): /);
  });

  it('reports a scenario file that does not exist', async ({ expect }) => {
    const file = join(tmp, 'does-not-exist.yaml');
    await expectUserError(expect, 'out-missing', file, [], file, '');
  });

  it('reports a malformed YAML file in one line naming the file', async ({ expect }) => {
    const file = scenarioFile('bad-yaml.yaml', `${HEAD}shocks: [ { kind: priceJump, step: 1\n`);
    const line = await expectUserError(expect, 'out-bad-yaml', file, [], file, 'invalid YAML');
    expect(line.startsWith(`cascade: error: ${file}: `)).toBe(true);
  });

  it('names the line of a YAML syntax error', async ({ expect }) => {
    const file = scenarioFile('bad-yaml-line.yaml', `${HEAD}shocks: [ { kind: priceJump, step: 1\n`);
    const r = await cascade('validate', file);
    expect(r.status).toBe(2);
    // The parser finds the unclosed flow map where the file ends, on line 4.
    expect(r.stderr).toMatch(/bad-yaml-line\.yaml: line 4: invalid YAML/);
  });

  it('reports a bad scenario file given to validate in one line with exit code 2', async ({ expect }) => {
    const file = scenarioFile('validate-bad.yaml', `${HEAD}shocks:\n  - { kind: meteorStrike, step: 5 }\n`);
    const r = await cascade('validate', file);
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain('shocks[0].kind');
    expect(lines[0]).not.toMatch(/at .*\.js:\d+/);
    expect(r.stdout).toBe('');
  });

  it('reports a missing file given to validate in one line with exit code 2', async ({ expect }) => {
    const file = join(tmp, 'nothing-here.yaml');
    const r = await cascade('validate', file);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l !== '')).toEqual([expect.stringContaining(file)]);
  });
});

describe.concurrent('a run that breaks an invariant', () => {
  it('exits with code 1, names the step and seed for replay, and writes no output directory', async ({ expect }) => {
    const out = join(tmp, 'out-fault');
    const sets = ['run.steps=50', 'agents.traders.count=50', 'invariants.faultInjectionStep=10'];
    const r = await cascade('run', 'calm', '--seed', '5', '--out', out, ...sets.flatMap((s) => ['--set', s]));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/invariant violated at step 10 \(seed 5\)/);
    expect(r.stderr).toMatch(/--seed 5/);
    expect(existsSync(out)).toBe(false);
  });
});

describe.concurrent('informational commands', () => {
  it('validates a good built-in scenario file with exit code 0', async ({ expect }) => {
    const file = join(BUILTIN_SCENARIO_DIR, 'flash-crash.yaml');
    const r = await cascade('validate', file);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('ok');
  });

  it('lists every scenario file of scenarios/builtin/, in name order, each with its description', async ({
    expect,
  }) => {
    const r = await cascade('scenarios');
    expect(r.status).toBe(0);
    // The scenarios come first, up to the blank line before the built-in sweeps.
    const listed = r.stdout
      .split('\n\n')[0]
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => /^(\S+)\s+(.*)$/.exec(l)!.slice(1));
    expect(listed.map(([name]) => name)).toEqual(BUILTIN_SCENARIOS);
    for (const [name, description] of listed)
      expect.soft(description, name).toBe(readScenarioFile(join(BUILTIN_SCENARIO_DIR, `${name}.yaml`)).description);
  });

  it('lists protocol.maintenanceMarginRate with its default among the parameters', async ({ expect }) => {
    const r = await cascade('params');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toContain('protocol.maintenanceMarginRate = 0.03');
  });
});
