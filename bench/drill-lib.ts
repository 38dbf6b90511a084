// The pure half of the fault drill (bench/drill.ts): counting the rows a damaged-and-resumed sweep lost
// or duplicated against an uninterrupted reference, judging a refusal's stderr (one line, no stack
// trace), and formatting the drill table. No I/O and no child processes here, so the unit tier tests it.

/** One row of the drill table: one kind of fault, tried one or more times. */
export interface DrillRow {
  /** What was done, e.g. 'kill -9 at 30/60/95% + --resume'. */
  drill: string;
  /** Attempts made (0 when skipped). */
  tried: number;
  /** Attempts that ended as the drill expects. */
  survived: number;
  /** runs.csv rows of the reference missing from the result (summed over attempts); null when not applicable. */
  lost: number | null;
  /** runs.csv rows present more often than in the reference (summed over attempts); null when not applicable. */
  duplicated: number | null;
  /** Why an attempt failed, or what was seen. */
  note: string;
  /** True when the drill could not be run here (e.g. needs root + tmpfs): counts neither way. */
  skipped?: boolean;
}

/** How the rows of a result CSV compare with a reference's, header excluded, as multisets of lines. */
export interface RowDiff {
  /** Reference rows missing from the result (a row expected twice and found once counts 1). */
  lost: number;
  /** Rows found more often in the result than in the reference (only rows the reference has). */
  duplicated: number;
  /** Rows of the result the reference does not have at all (changed values, or rows of another sweep). */
  foreign: number;
}

/** The data lines of a CSV text: header dropped, a trailing newline ignored, blank lines ignored. */
export function dataRows(csv: string): string[] {
  const lines = csv.split(/\r?\n/);
  return lines.slice(1).filter((l) => l.length > 0);
}

function counts(rows: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** Counts rows lost, duplicated and foreign in `result` against `reference` (whole CSV texts). */
export function diffRows(reference: string, result: string): RowDiff {
  const want = counts(dataRows(reference));
  const got = counts(dataRows(result));
  let lost = 0;
  let duplicated = 0;
  let foreign = 0;
  for (const [row, n] of want) {
    const m = got.get(row) ?? 0;
    if (m < n) lost += n - m;
    if (m > n) duplicated += m - n;
  }
  for (const [row, m] of got) if (!want.has(row)) foreign += m;
  return { lost, duplicated, foreign };
}

/** True when the text holds a JavaScript stack frame line or says "internal error". */
export function hasStackTrace(stderr: string): boolean {
  return /^\s+at /m.test(stderr) || /internal error/i.test(stderr);
}

/** The non-empty lines of a text. */
export function nonEmptyLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.trim().length > 0);
}

/**
 * Why stderr is not a clean one-line refusal, or null when it is: exactly one non-empty line, no stack
 * frame, no "internal error".
 */
export function oneLineProblem(stderr: string): string | null {
  const what = [/internal error/i.test(stderr) ? 'internal error' : '', /^\s+at /m.test(stderr) ? 'stack trace' : ''];
  const bad = what.filter((w) => w !== '');
  if (bad.length > 0) return bad.join(' + ');
  const n = nonEmptyLines(stderr).length;
  if (n === 0) return 'nothing on stderr';
  if (n > 1) return `${n} lines on stderr`;
  return null;
}

/**
 * A row's note from its failed attempts: attempts that failed the same way share one entry, their
 * labels in parentheses (`exit 1, stack trace (sweep, run)`); entries in first-seen order.
 */
export function failureNote(failed: { note: string; label?: string }[]): string {
  const groups = new Map<string, string[]>();
  for (const f of failed) {
    const labels = groups.get(f.note) ?? [];
    if (f.label !== undefined) labels.push(f.label);
    groups.set(f.note, labels);
  }
  return [...groups]
    .map(([note, labels]) => (labels.length === 0 ? note : `${note} (${labels.join(', ')})`))
    .join('; ');
}

/** Tried and survived over the rows that ran (skipped rows excluded). */
export function totals(rows: DrillRow[]): { tried: number; survived: number; skipped: number } {
  let tried = 0;
  let survived = 0;
  let skipped = 0;
  for (const r of rows) {
    if (r.skipped) {
      skipped++;
      continue;
    }
    tried += r.tried;
    survived += r.survived;
  }
  return { tried, survived, skipped };
}

/** True when every row that ran survived every attempt and lost or duplicated nothing. */
export function allSurvived(rows: DrillRow[]): boolean {
  return rows.every(
    (r) => r.skipped === true || (r.survived === r.tried && (r.lost ?? 0) === 0 && (r.duplicated ?? 0) === 0),
  );
}

const HEADER = ['drill', 'tried', 'survived', 'rows lost', 'rows duplicated', 'note'] as const;
/** Columns right-aligned (the numbers). */
const RIGHT = [false, true, true, true, true, false];

function cells(r: DrillRow): string[] {
  const num = (v: number | null): string => (r.skipped || v === null ? '-' : String(v));
  return [
    r.drill,
    r.skipped ? '-' : String(r.tried),
    r.skipped ? '-' : String(r.survived),
    num(r.lost),
    num(r.duplicated),
    r.note,
  ];
}

/**
 * The drill table: a header, a rule, one aligned line per row (numbers right-aligned, '-' where a
 * column does not apply or the row was skipped), then `drills: N tried, N survived` (attempts summed
 * over the rows that ran, with the skipped rows counted after when there are any). No trailing spaces.
 */
export function formatTable(rows: DrillRow[]): string {
  const body = rows.map(cells);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...body.map((c) => c[i].length)));
  const line = (c: readonly string[]): string =>
    c
      .map((v, i) => (RIGHT[i] ? v.padStart(widths[i]) : i === c.length - 1 ? v : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const t = totals(rows);
  const closing = `drills: ${t.tried} tried, ${t.survived} survived` + (t.skipped > 0 ? ` (${t.skipped} skipped)` : '');
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), closing].join('\n') + '\n';
}
