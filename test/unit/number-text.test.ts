// Issue 14: sweep grids, sweep sets and --set take `1_000_000` as budgets do (YAML 1.2 reads it as text).
import { describe, expect, it } from 'vitest';
import { numberText } from '../../scenarios/load.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { RUN_STAT_KEYS } from '../../sim/engine.js';

describe('numberText', () => {
  it('reads digit groups separated by _ and plain numbers', () => {
    expect(numberText('1_000_000')).toBe(1_000_000);
    expect(numberText('2_500.5')).toBe(2500.5);
    expect(numberText('-1_0e3')).toBe(-10_000);
    expect(numberText('0.015')).toBe(0.015);
    expect(numberText(' 42 ')).toBe(42);
  });
  it('gives NaN for text that is no number, including misplaced _', () => {
    for (const bad of ['', ' ', '_1', '1_', '1__0', 'abc', '1_000x']) expect(numberText(bad)).toBeNaN();
  });
});

describe('a sweep grid written with digit groups', () => {
  it('types 1_000_000 as the number one million', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cascade-grid-')), 'g.yaml');
    writeFileSync(
      file,
      'name: g\nscenarios: [calm]\ngrid:\n  protocol.insuranceFundUsd: [0, 1_000_000, 25_000_000]\nreplicates: 2\nseed: 1\n',
    );
    const sweep = loadSweep(file, cellMetricNames(RUN_STAT_KEYS));
    expect(sweep.grid[0].values).toEqual([0, 1_000_000, 25_000_000]);
  });
});
