// The budget grammar of sweep files: `<metric> <op> <number>`, checked against the cells.csv metrics.
import { describe, expect, it } from 'vitest';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { parseBudget } from '../../scenarios/sweep-schema.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';

const METRICS = cellMetricNames(RUN_STAT_KEYS);

describe('parseBudget', () => {
  it('reads a metric, an operator and a number', () => {
    expect(parseBudget('p_insolvent <= 0.01', METRICS)).toEqual({
      metric: 'p_insolvent',
      op: '<=',
      limit: 0.01,
      scenario: null,
      text: 'p_insolvent <= 0.01',
    });
  });

  it('accepts exponent notation, underscores between digits and no spaces', () => {
    expect(parseBudget('bad_debt_p99_usd<=2e6', METRICS)).toMatchObject({ limit: 2e6 });
    expect(parseBudget('bad_debt_es99_usd < 2_000_000', METRICS)).toMatchObject({ op: '<', limit: 2_000_000 });
    expect(parseBudget('errors >= 0', METRICS)).toMatchObject({ op: '>=', limit: 0 });
  });

  it('keeps the scenario a budget is limited to', () => {
    expect(parseBudget('p_insolvent <= 0.05', METRICS, 'flash-crash')).toMatchObject({ scenario: 'flash-crash' });
  });

  it('rejects a malformed budget with the expected form', () => {
    for (const bad of ['p_insolvent =< 0.01', 'p_insolvent <= ', '<= 0.01', 'p_insolvent <= 1%', 'p_insolvent == 0'])
      expect(parseBudget(bad, METRICS)).toEqual({ error: expect.stringMatching(/^malformed budget/) });
  });

  it('rejects a metric that is not a cells.csv column', () => {
    expect(parseBudget('bad_debt_usd <= 1', METRICS)).toEqual({
      error: expect.stringMatching(/^unknown metric 'bad_debt_usd'/),
    });
  });
});
