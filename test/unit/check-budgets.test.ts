// Budgets of `cascade check` judged on a hand-made cells.csv: P(insolvent) on its Wilson bound (upper
// for <= and <, lower for >= and >), other columns as they are, a scoped budget on its scenario only,
// a cell without a value failing, and a budget on a column the results lack refused.
import { describe, expect, it } from 'vitest';
import { evaluateBudgets, judgedColumn } from '../../reports/check-eval.js';
import { cellKey, parseCellsCsv } from '../../sim/sweep/results.js';
import { parseBudget, type Budget } from '../../scenarios/sweep-schema.js';
import { UserError } from '../../sim/core/errors.js';

const CELLS = `scenario,protocol.maintenanceMarginRate,runs,errors,p_insolvent,p_insolvent_lo,p_insolvent_hi,bad_debt_p99_usd
crash,0.02,100,0,0.03,0.0102545,0.0845194,2500000
crash,0.04,100,0,0,0,0.036993,1200000
stall,0.02,100,100,,,,
stall,0.04,100,0,0.5,0.4038,0.5962,2000000
`;

function cells(): { columns: string[]; list: Parameters<typeof evaluateBudgets>[0] } {
  const parsed = parseCellsCsv(CELLS, ['protocol.maintenanceMarginRate']);
  return {
    columns: parsed.columns,
    list: parsed.rows.map((r) => ({
      scenario: r.scenario,
      params: { 'protocol.maintenanceMarginRate': Number(r.values[0]) },
      metrics: r.metrics,
    })),
  };
}

function budget(text: string, scenario: string | null = null): Budget {
  const b = parseBudget(text, cells().columns, scenario);
  if ('error' in b) throw new Error(b.error);
  return b;
}

function verdicts(b: Budget): string[] {
  const { list, columns } = cells();
  return evaluateBudgets(list, [b], columns).map(
    (c) => `${c.scenario} ${c.cell['protocol.maintenanceMarginRate']} ${c.verdict}`,
  );
}

describe('a P(insolvent) budget', () => {
  it('with <= is judged on the upper Wilson bound, so 3 of 100 fails a 5% budget its point estimate meets', () => {
    const { list, columns } = cells();
    const [first] = evaluateBudgets(list, [budget('p_insolvent <= 0.05')], columns);
    expect(first).toMatchObject({
      kind: 'budget',
      scenario: 'crash',
      cell: { 'protocol.maintenanceMarginRate': 0.02 },
      metric: 'p_insolvent_hi',
      op: '<=',
      bound: 0.05,
      value: 0.0845194,
      baseline: null,
      p_value: null,
      verdict: 'fail',
    });
    expect(first.message).toContain('upper end of the 95% Wilson interval');
    expect(verdicts(budget('p_insolvent <= 0.05'))).toEqual([
      'crash 0.02 fail',
      'crash 0.04 pass',
      'stall 0.02 fail',
      'stall 0.04 fail',
    ]);
  });

  it('with >= is judged on the lower Wilson bound', () => {
    expect(judgedColumn(budget('p_insolvent >= 0.4'))).toBe('p_insolvent_lo');
    expect(judgedColumn(budget('p_insolvent > 0.4'))).toBe('p_insolvent_lo');
    expect(judgedColumn(budget('p_insolvent < 0.4'))).toBe('p_insolvent_hi');
    expect(verdicts(budget('p_insolvent >= 0.4'))).toEqual([
      'crash 0.02 fail',
      'crash 0.04 fail',
      'stall 0.02 fail',
      'stall 0.04 pass',
    ]);
  });
});

describe('a budget on another column', () => {
  it('compares the column as it is, with < strict and <= not', () => {
    expect(verdicts(budget('bad_debt_p99_usd <= 2e6'))).toEqual([
      'crash 0.02 fail',
      'crash 0.04 pass',
      'stall 0.02 fail',
      'stall 0.04 pass',
    ]);
    expect(verdicts(budget('bad_debt_p99_usd < 2_000_000'))).toEqual([
      'crash 0.02 fail',
      'crash 0.04 pass',
      'stall 0.02 fail',
      'stall 0.04 fail',
    ]);
  });

  it('can be a floor: runs >= 100 holds in every cell', () => {
    expect(verdicts(budget('runs >= 100')).every((v) => v.endsWith('pass'))).toBe(true);
  });

  it('scoped to one scenario applies to that scenario’s cells only', () => {
    expect(verdicts(budget('bad_debt_p99_usd <= 2e6', 'stall'))).toEqual(['stall 0.02 fail', 'stall 0.04 pass']);
  });

  it('fails a cell whose every run failed, saying it has no value', () => {
    const { list, columns } = cells();
    const stall = evaluateBudgets(list, [budget('bad_debt_p99_usd <= 2e6', 'stall')], columns)[0];
    expect(stall).toMatchObject({ verdict: 'fail', value: null });
    expect(stall.message).toMatch(/no value/);
  });

  it('naming a column the results lack is an input error', () => {
    const { list } = cells();
    const b = budget('bad_debt_p99_usd <= 2e6');
    expect(() => evaluateBudgets(list, [b], ['runs', 'p_insolvent'])).toThrow(UserError);
  });
});

describe('parseCellsCsv and cellKey', () => {
  it('reads empty cells as NaN and keeps grid values as printed', () => {
    const parsed = parseCellsCsv(CELLS, ['protocol.maintenanceMarginRate']);
    expect(parsed.rows[2].values).toEqual(['0.02']);
    expect(parsed.rows[2].metrics.get('p_insolvent')).toBeNaN();
  });

  it('refuses a header that does not start with the scenario and the grid paths', () => {
    expect(() => parseCellsCsv(CELLS, ['protocol.liquidationFeeRate'])).toThrow(/header must start with/);
  });

  it('matches cells by scenario and grid values whatever the order of the grid paths', () => {
    expect(cellKey('crash', { a: 0.02, b: true })).toBe(cellKey('crash', { b: true, a: 0.02 }));
    expect(cellKey('crash', { a: 0.02 })).not.toBe(cellKey('stall', { a: 0.02 }));
    expect(cellKey('crash', { a: 0.02 })).not.toBe(cellKey('crash', { a: 0.03 }));
  });
});
