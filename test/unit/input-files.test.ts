// Scenario, sweep and replay files are read only when they are regular files under the size limit:
// a device, a directory or an oversized file is a one-line user error naming the file, raised
// before any byte is read, and YAML that expands its aliases without bound is refused.
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario, MAX_INPUT_FILE_BYTES, readScenarioFile } from '../../scenarios/load.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { billionLaughsYaml, userError } from '../helpers/inputs.js';

const tmp = mkdtempSync(join(tmpdir(), 'cascade-input-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A sparse file one byte over the limit (no disk space used). */
function oversized(name: string): string {
  const file = join(tmp, name);
  writeFileSync(file, '');
  truncateSync(file, MAX_INPUT_FILE_BYTES + 1);
  return file;
}

const REPLAY = (file: string) =>
  `name: replay\ndescription: a replay\nshocks:\n  - kind: replay\n    step: 0\n    file: ${file}\n`;

describe('input files', () => {
  it('refuses a scenario file over the size limit before reading it, naming the file', () => {
    const file = oversized('big.json');
    const e = userError(() => readScenarioFile(file));
    expect(e.source).toBe(file);
    expect(e.detail).toMatch(/over the limit of 67108864 \(64 MB\)/);
  });

  it('refuses a scenario path that is a device rather than a regular file', () => {
    const e = userError(() => readScenarioFile('/dev/zero'));
    expect(e.message).toBe('/dev/zero: cannot read: not a regular file');
  });

  it('refuses a scenario path that is a directory with one line naming it', () => {
    const dir = join(tmp, 'dir.yaml');
    mkdirSync(dir);
    expect(userError(() => readScenarioFile(dir)).message).toBe(`${dir}: cannot read: not a regular file`);
  });

  it('refuses a replay shock whose file is a device, naming the shock field and the file', () => {
    const file = join(tmp, 'replay-device.yaml');
    writeFileSync(file, REPLAY('/dev/zero'));
    const e = userError(() => loadScenario(file));
    expect(e.message).toBe(`${file}: shocks[0].file: cannot read /dev/zero: not a regular file`);
  });

  it('refuses a replay shock whose file is over the size limit before reading it', () => {
    const csv = oversized('big.csv');
    const file = join(tmp, 'replay-big.yaml');
    writeFileSync(file, REPLAY(csv));
    const e = userError(() => loadScenario(file));
    expect(e.field).toBe('shocks[0].file');
    expect(e.detail).toMatch(/over the limit/);
  });

  it('refuses a sweep file over the size limit before reading it, naming the file', () => {
    const file = oversized('big-sweep.json');
    const e = userError(() => loadSweep(file, []));
    expect(e.source).toBe(file);
    expect(e.detail).toMatch(/over the limit/);
  });

  it('refuses YAML whose aliases expand too far (billion laughs) with one line naming the file', () => {
    const file = join(tmp, 'laughs.yaml');
    writeFileSync(file, billionLaughsYaml());
    const e = userError(() => readScenarioFile(file));
    expect(e.source).toBe(file);
    expect(e.detail).toMatch(/^invalid YAML: .*alias/i);
    expect(e.message).not.toContain('\n');
  });
});
