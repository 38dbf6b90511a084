// The statistics and column registry: every declared column and statistic carries a unit and a
// description, names are snake_case and unique, and the registry refuses entries that break that.
import { describe, expect, it } from 'vitest';
import { defineRegistry, UNITS } from '../../sim/core/registry.js';
import { END_ACROSS, PERP_STATS } from '../../sim/perp/statistics.js';
import { MARKET_TIMELINE_COLUMNS, PERP_COLUMNS } from '../../sim/perp/timeline.js';

describe('the registry', () => {
  for (const [what, reg] of [
    ['timeline column', PERP_COLUMNS],
    ['run statistic', PERP_STATS],
  ] as const) {
    it(`gives every ${what} a known unit and a description of at least three words`, () => {
      for (const s of reg.specs) {
        expect(Object.keys(UNITS), s.name).toContain(s.unit);
        expect(s.description.trim().split(/\s+/).length, s.name).toBeGreaterThanOrEqual(3);
      }
    });
  }

  it('refuses a statistic without a description', () => {
    expect(() => defineRegistry('run statistic', [{ name: 'new_stat_usd', unit: 'usd', description: '' }])).toThrow(
      /new_stat_usd' has no description/,
    );
  });

  it('refuses a name that is not snake_case, a repeated name and an unknown unit', () => {
    expect(() => defineRegistry('c', [{ name: 'badName', unit: 'usd', description: 'a b c' }])).toThrow(/snake_case/);
    const twice = { name: 'x_usd', unit: 'usd', description: 'a b c' } as const;
    expect(() => defineRegistry('c', [twice, twice])).toThrow(/declared twice/);
    expect(() => defineRegistry('c', [{ name: 'x', unit: 'furlongs' as 'usd', description: 'a b c' }])).toThrow(
      /unknown unit/,
    );
  });

  it('names the unit in every USD, percent and step-count name', () => {
    for (const s of [...PERP_COLUMNS.specs, ...PERP_STATS.specs]) {
      if (s.name.endsWith('_usd')) expect(s.unit, s.name).toBe('usd');
      if (s.name.endsWith('_pct') && !s.name.endsWith('_per_pct')) expect(s.unit, s.name).toBe('pct');
      if (s.name.endsWith('_steps')) expect(s.unit, s.name).toBe('steps');
    }
  });

  it('writes per market only columns the venue aggregates from its markets', () => {
    for (const name of MARKET_TIMELINE_COLUMNS) expect(PERP_COLUMNS.get(name)?.across, name).not.toBe('venue');
  });

  it('has an aggregation rule for every end figure a statistic reads', () => {
    expect(Object.keys(END_ACROSS).length).toBeGreaterThan(30);
    for (const rule of Object.values(END_ACROSS))
      expect(['first', 'sum', 'max', 'function']).toContain(typeof rule === 'function' ? 'function' : rule);
  });
});
