// The pure helpers of the fault drill (bench/drill-lib.ts): counting rows lost and duplicated against a
// reference, judging a refusal's stderr, and the table with its closing line. The drill itself drives
// the built CLI and is run by `npm run drill`, not here.
import { describe, expect, it } from 'vitest';
import {
  allSurvived,
  dataRows,
  diffRows,
  type DrillRow,
  failureNote,
  formatTable,
  hasStackTrace,
  oneLineProblem,
  totals,
} from '../../bench/drill-lib.js';

const REF = 'run_id,x\n0,a\n1,b\n2,c\n';

const row = (over: Partial<DrillRow>): DrillRow => ({
  drill: 'd',
  tried: 1,
  survived: 1,
  lost: null,
  duplicated: null,
  note: '',
  ...over,
});

describe('diffRows', () => {
  it('counts nothing lost or duplicated when the result is the reference', () => {
    expect(diffRows(REF, REF)).toEqual({ lost: 0, duplicated: 0, foreign: 0 });
  });

  it('counts a reference row missing from the result as lost', () => {
    expect(diffRows(REF, 'run_id,x\n0,a\n2,c\n')).toEqual({ lost: 1, duplicated: 0, foreign: 0 });
  });

  it('counts a row written twice as one duplicated', () => {
    expect(diffRows(REF, 'run_id,x\n0,a\n1,b\n1,b\n2,c\n')).toEqual({ lost: 0, duplicated: 1, foreign: 0 });
  });

  it('counts a changed row as one lost and one foreign, not as duplicated', () => {
    expect(diffRows(REF, 'run_id,x\n0,a\n1,B\n2,c\n')).toEqual({ lost: 1, duplicated: 0, foreign: 1 });
  });

  it('counts every reference row as lost when the result is empty', () => {
    expect(diffRows(REF, '')).toEqual({ lost: 3, duplicated: 0, foreign: 0 });
  });

  it('ignores the header, a trailing newline and CRLF line ends', () => {
    expect(dataRows('h\r\n1\r\n2\r\n')).toEqual(['1', '2']);
    expect(diffRows(REF, REF.replace(/\n/g, '\r\n'))).toEqual({ lost: 0, duplicated: 0, foreign: 0 });
  });
});

describe('judging stderr', () => {
  it('accepts one error line', () => {
    expect(oneLineProblem('cascade: error: x.yaml: cannot read: not a regular file\n')).toBeNull();
  });

  it('names a stack frame and an internal error', () => {
    const text = 'cascade: internal error: Error: EROFS\n    at openSync (node:fs:573:18)\n';
    expect(hasStackTrace(text)).toBe(true);
    expect(oneLineProblem(text)).toBe('internal error + stack trace');
  });

  it('refuses silence and several lines', () => {
    expect(oneLineProblem('')).toBe('nothing on stderr');
    expect(oneLineProblem('one\ntwo\n')).toBe('2 lines on stderr');
  });

  it('does not take an indented line without "at " for a stack frame', () => {
    expect(hasStackTrace('cascade: error: x\n  hint: use --resume\n')).toBe(false);
  });
});

describe('failureNote', () => {
  it('groups attempts that failed the same way and names their labels', () => {
    const note = failureNote([
      { note: 'exit 1, stack trace', label: 'sweep' },
      { note: 'exit 0 (accepted)', label: 'validate' },
      { note: 'exit 1, stack trace', label: 'run' },
    ]);
    expect(note).toBe('exit 1, stack trace (sweep, run); exit 0 (accepted) (validate)');
  });
});

describe('formatTable', () => {
  const rows: DrillRow[] = [
    row({ drill: 'kill -9', tried: 3, survived: 3, lost: 0, duplicated: 0, note: 'identical' }),
    row({ drill: 'hostile: a long name', tried: 2, survived: 1, note: 'exit 0 (accepted)' }),
    row({ drill: 'full disk', tried: 0, survived: 0, note: 'skipped (needs root + tmpfs)', skipped: true }),
  ];

  it('aligns the columns, shows - where a count does not apply, and closes with the totals', () => {
    expect(formatTable(rows).split('\n')).toEqual([
      'drill                 tried  survived  rows lost  rows duplicated  note',
      '--------------------  -----  --------  ---------  ---------------  ----------------------------',
      'kill -9                   3         3          0                0  identical',
      'hostile: a long name      2         1          -                -  exit 0 (accepted)',
      'full disk                 -         -          -                -  skipped (needs root + tmpfs)',
      'drills: 5 tried, 4 survived (1 skipped)',
      '',
    ]);
  });

  it('counts skipped rows neither tried nor survived', () => {
    expect(totals(rows)).toEqual({ tried: 5, survived: 4, skipped: 1 });
  });

  it('passes only when every row that ran survived and lost or duplicated nothing', () => {
    expect(allSurvived([rows[0], rows[2]])).toBe(true);
    expect(allSurvived(rows)).toBe(false);
    expect(allSurvived([row({ tried: 1, survived: 1, lost: 2, duplicated: 0 })])).toBe(false);
  });
});
