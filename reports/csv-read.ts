// Reads the CSV files cascade writes (csv-stringify's RFC 4180 output: quoted fields where needed,
// doubled quotes inside, CRLF or LF line ends) back into text cells, keeping every cell's exact
// text. The one CSV parser of cascade: the HTML report reads whole files with it, cascade merge and
// cascade check read runs.csv and cells.csv line by line with it. Pure text in, cells out (besides
// readCsvTable's one file read); must not interpret the numbers beyond what a caller asks.
import { readFileSync } from 'node:fs';
import { UserError } from '../sim/core/errors.js';

/** A parsed CSV file: the header and the data rows, each as exact cell text. */
export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
}

/** A CSV syntax error with the 1-based line it was found on. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(detail);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Parses RFC 4180 CSV text into records of cell text. Quoted fields may hold commas, doubled
 * quotes and line breaks. A final line end is optional; an empty text has no records.
 */
export function parseCsv(text: string): string[][] {
  return text.length === 0 ? [] : scanRecords(text, false);
}

/**
 * Splits one CSV record that a line reader has already cut from its file (no line end inside:
 * runs.csv fields are single-line) into its fields. '\r' and a quote inside an unquoted field are
 * field text here; an empty line is one empty field. Throws a CsvSyntaxError.
 */
export function parseCsvLine(line: string): string[] {
  return scanRecords(line, true)[0];
}

/**
 * The scanner behind both readers. `oneLine` (parseCsvLine) reads the text as one record: line
 * ends and stray quotes are field text, and a character after a closing quote is reported as
 * "expected ','" (the words cascade merge and cascade check have always printed).
 */
function scanRecords(text: string, oneLine: boolean): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  // Where a field may end: only a comma in one line, a comma or a line end in a file.
  const ends = (c: string) => c === ',' || (!oneLine && (c === '\n' || c === '\r'));
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      const opened = line;
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new CsvSyntaxError(opened, 'unterminated quoted field');
        const piece = text.slice(i, q);
        for (let k = piece.indexOf('\n'); k >= 0; k = piece.indexOf('\n', k + 1)) line++;
        field += piece;
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      if (i < n && !ends(text[i]))
        throw new CsvSyntaxError(
          line,
          oneLine
            ? `expected ',' at character ${i + 1}`
            : `unexpected character after a closing quote at column ${column(text, i)}`,
        );
    } else {
      let j = i;
      if (oneLine) {
        // The line readers' fast path (a runs.csv of a large sweep is millions of lines).
        j = text.indexOf(',', i);
        if (j < 0) j = n;
      } else
        while (j < n && !ends(text[j])) {
          if (text[j] === '"') throw new CsvSyntaxError(line, `stray quote at column ${column(text, j)}`);
          j++;
        }
      field = text.slice(i, j);
      i = j;
    }
    record.push(field);
    if (i >= n) {
      records.push(record);
      return records;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    // A line end: \n, \r\n or a lone \r.
    if (text[i] === '\r' && text[i + 1] === '\n') i++;
    i++;
    line++;
    records.push(record);
    record = [];
    if (i >= n) return records;
  }
}

function column(text: string, at: number): number {
  return at - Math.max(text.lastIndexOf('\n', at - 1), -1);
}

/**
 * Reads a CSV file with a header row. A missing file, a syntax error, a row whose length differs
 * from the header's or a missing `required` column is a UserError naming the file (and line).
 */
export function readCsvTable(file: string, required: readonly string[] = []): CsvTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(file, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new UserError(file, `line ${e.line}`, `malformed CSV: ${e.message}`);
    throw e;
  }
  if (records.length === 0 || (records[0].length === 1 && records[0][0] === ''))
    throw new UserError(file, '', 'is empty (expected a header row)');
  const [header, ...rows] = records;
  // csv-stringify ends every record with a line end, so a blank last record cannot occur; but a
  // hand-edited file may carry blank lines at the end.
  while (rows.length > 0 && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0] === '') rows.pop();
  rows.forEach((r, k) => {
    if (r.length !== header.length)
      throw new UserError(file, `line ${k + 2}`, `has ${r.length} fields, the header has ${header.length}`);
  });
  for (const c of required) if (!header.includes(c)) throw new UserError(file, '', `missing column '${c}'`);
  return { file, header, rows };
}

/** The exact text of one column, in row order. */
export function columnText(table: CsvTable, name: string): string[] {
  const k = table.header.indexOf(name);
  if (k < 0) throw new UserError(table.file, '', `missing column '${name}'`);
  return table.rows.map((r) => r[k]);
}

/** A column as numbers; empty cells become NaN. */
export function columnNumbers(table: CsvTable, name: string): number[] {
  return columnText(table, name).map((s) => (s === '' ? NaN : Number(s)));
}
