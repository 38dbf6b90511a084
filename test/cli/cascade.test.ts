// Acceptance: the full-size default flash-crash run through the CLI shows the liquidation cascade
// (liquidations, induced liquidations, price amplification); the small-world runs are in
// test/unit/cascade.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'sim', 'cli', 'main.js');

describe('the default flash crash through the CLI', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cascade-full-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('liquidates, induces liquidations and amplifies the fall with 10,000 traders over 1,440 steps', () => {
    const out = join(tmp, 'flash');
    const r = spawnSync(process.execPath, [CLI, 'run', 'flash-crash', '--out', out], { encoding: 'utf8', cwd: tmp });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    console.log(
      `default flash-crash: liquidations ${s.liquidations}, induced ${s.induced_liquidations}, amplification ${s.amplification}`,
    );
    expect(s.trader_accounts).toBe(10_000);
    expect(s.steps).toBe(1440);
    expect(s.liquidations).toBeGreaterThan(0);
    expect(s.induced_liquidations).toBeGreaterThan(0);
    expect(s.amplification).toBeGreaterThan(1);
  });
});
