// Acceptance (issue 8): an attacker with zero capital, or a malformed attacker config, reaches the user
// as one line on stderr naming the scenario file and the field, with exit code 2 and no output written.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'sim', 'cli', 'main.js');
const tmp = mkdtempSync(join(tmpdir(), 'cascade-attackers-cli-'));

function cascade(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: tmp }, (error, stdout, stderr) => {
      done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const HEAD = 'name: broken\ndescription: a scenario with a broken attacker\nshocks: []\nparams:\n  attackers:\n';

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('attacker config errors through the CLI', () => {
  it.each([
    [
      'zero capital',
      '    - { kind: oracle-manipulator, capitalUsd: 0 }\n',
      'params.attackers[0].capitalUsd',
      'an attacker needs capital above 0 USD',
    ],
    [
      'negative capital',
      '    - { kind: oracle-manipulator, capitalUsd: -5 }\n',
      'params.attackers[0].capitalUsd',
      'an attacker needs capital above 0 USD',
    ],
    [
      'an unknown kind',
      '    - { kind: sandwich, capitalUsd: 1000000 }\n',
      'params.attackers[0].kind',
      'unknown attacker kind (expected one of: oracle-manipulator, insurance-drainer, liquidation-hunter, bad-debt-farmer, governance-attacker, stale-oracle-front-runner)',
    ],
    [
      'a hold of zero steps',
      '    - { kind: oracle-manipulator, capitalUsd: 1000000, holdSteps: 0 }\n',
      'params.attackers[0].holdSteps',
      'expected',
    ],
    ['an attacker that is not a mapping', '    - 42\n', 'params.attackers[0]', 'expected object'],
  ])('%s: exit code 2 and one stderr line naming the file and field', async (name, body, field, text) => {
    const file = join(tmp, `${name.replace(/\W+/g, '-')}.yaml`);
    writeFileSync(file, HEAD + body);
    const out = join(tmp, `out-${name.replace(/\W+/g, '-')}`);
    const r = await cascade('run', file, '--out', out);
    expect(r.status).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(field);
    expect(lines[0]).toContain(text);
    expect(lines[0]).not.toMatch(/\n\s+at |at .*\.js:\d+|Error:|internal error/);
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toBe('');
  });
});
