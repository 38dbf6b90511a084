// Historical price series: parsing the CSV format (with '#' source lines), rejecting malformed
// rows with the file and line, resampling bars to steps, and the shipped data file.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePriceCsv, resampleSeries, type PriceSeries } from '../../scenarios/price-series.js';
import { UserError } from '../../sim/core/errors.js';

const DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios', 'data');
const HEADER = 'timestamp,price,low,high';

/** The UserError parsePriceCsv throws for `text` (fails the test if it does not throw one). */
function parseError(text: string, file = 'prices.csv'): UserError {
  try {
    parsePriceCsv(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected parsePriceCsv to throw');
}

/** Hourly bars with closes 100, 110, 90: the first rises, the last falls. */
function threeBars(): PriceSeries {
  return parsePriceCsv(
    [
      HEADER,
      '2021-05-19T00:00:00Z,100,95,105',
      '2021-05-19T01:00:00Z,110,98,112',
      '2021-05-19T02:00:00Z,90,88,111',
    ].join('\n'),
    'three.csv',
  );
}

describe('parsePriceCsv', () => {
  it("keeps '#' lines before the header as source lines and parses the bars", () => {
    const s = parsePriceCsv(
      [
        '# source: somewhere',
        '# window: two bars',
        HEADER,
        '2021-05-19T00:00:00Z,100,99,101',
        '2021-05-19T01:00:00Z,98,97,100.5',
      ].join('\n'),
      'ok.csv',
    );
    expect(s.sourceLines).toEqual(['# source: somewhere', '# window: two bars']);
    expect(s.close).toEqual([100, 98]);
    expect(s.low).toEqual([99, 97]);
    expect(s.high).toEqual([101, 100.5]);
    expect(s.openTimesMs).toEqual([Date.UTC(2021, 4, 19, 0), Date.UTC(2021, 4, 19, 1)]);
    expect(s.barSeconds).toBe(3600);
  });

  it('accepts Windows line endings and a trailing blank line', () => {
    const s = parsePriceCsv(
      `${HEADER}\r\n2021-05-19T00:00:00Z,100,99,101\r\n2021-05-19T00:05:00Z,101,100,102\r\n\r\n`,
      'crlf.csv',
    );
    expect(s.close).toEqual([100, 101]);
    expect(s.barSeconds).toBe(300);
  });

  it('rejects a row with the wrong number of fields, naming the file and the line', () => {
    const e = parseError(`# src\n${HEADER}\n2021-05-19T00:00:00Z,100,99,101\n2021-05-19T01:00:00Z,100,99\n`);
    expect(e.source).toBe('prices.csv');
    expect(e.field).toBe('line 4');
    expect(e.message).toMatch(/^prices\.csv: line 4: .*4 fields/);
  });

  it('rejects a timestamp that is not ISO-8601 UTC, naming the file and the line', () => {
    const e = parseError(`${HEADER}\n2021-05-19T00:00:00Z,100,99,101\n19/05/2021 01:00,100,99,101\n`);
    expect(e.source).toBe('prices.csv');
    expect(e.field).toBe('line 3');
    expect(e.detail).toMatch(/ISO-8601/);
  });

  it('rejects a timestamp without the UTC zone designator', () => {
    expect(parseError(`${HEADER}\n2021-05-19T00:00:00,100,99,101\n2021-05-19T01:00:00Z,100,99,101\n`).field).toBe(
      'line 2',
    );
  });

  it('rejects a well-formed timestamp that is not a real date (month 13), naming the file and the line', () => {
    const e = parseError(
      [
        HEADER,
        '2021-01-01T00:00:00Z,100,99,101',
        '2021-13-01T01:00:00Z,100,99,101',
        '2021-01-01T02:00:00Z,100,99,101',
      ].join('\n'),
    );
    expect(e.field).toBe('line 3');
  });

  it('rejects a negative price, naming the file and the line', () => {
    const e = parseError(`${HEADER}\n2021-05-19T00:00:00Z,100,99,101\n2021-05-19T01:00:00Z,-5,-6,1\n`);
    expect(e.field).toBe('line 3');
    expect(e.detail).toMatch(/price must be a positive number/);
  });

  it('rejects a price that is not a number', () => {
    expect(parseError(`${HEADER}\n2021-05-19T00:00:00Z,abc,99,101\n2021-05-19T01:00:00Z,100,99,101\n`).field).toBe(
      'line 2',
    );
  });

  it('rejects a low above the price, naming the file and the line', () => {
    const e = parseError(`${HEADER}\n2021-05-19T00:00:00Z,100,99,101\n2021-05-19T01:00:00Z,100,100.5,101\n`);
    expect(e.field).toBe('line 3');
    expect(e.detail).toMatch(/low <= price <= high/);
  });

  it('rejects a high below the price', () => {
    expect(parseError(`${HEADER}\n2021-05-19T00:00:00Z,100,99,99.5\n2021-05-19T01:00:00Z,100,99,101\n`).field).toBe(
      'line 2',
    );
  });

  it('rejects a gap in the timestamps, naming the file and the line', () => {
    const e = parseError(
      [
        HEADER,
        '2021-05-19T00:00:00Z,100,99,101',
        '2021-05-19T01:00:00Z,100,99,101',
        '2021-05-19T03:00:00Z,100,99,101',
      ].join('\n'),
    );
    expect(e.field).toBe('line 4');
    expect(e.detail).toMatch(/gap of 7200 s where bars are 3600 s apart/);
  });

  it('rejects timestamps that do not increase', () => {
    const e = parseError([HEADER, '2021-05-19T01:00:00Z,100,99,101', '2021-05-19T00:00:00Z,100,99,101'].join('\n'));
    expect(e.field).toBe('line 3');
  });

  it("rejects a file without the header 'timestamp,price,low,high'", () => {
    const e = parseError('time,close,low,high\n2021-05-19T00:00:00Z,100,99,101\n');
    expect(e.field).toBe('line 1');
  });

  it("rejects a '#' line after the header", () => {
    expect(parseError(`${HEADER}\n# late comment\n2021-05-19T00:00:00Z,100,99,101\n`).field).toBe('line 2');
  });

  it('rejects a series of fewer than two bars', () => {
    expect(parseError(`${HEADER}\n2021-05-19T00:00:00Z,100,99,101\n`).detail).toMatch(/two bars/);
  });
});

describe('resampleSeries', () => {
  it("holds the last anchor price until the next one with 'hold'", () => {
    const path = resampleSeries(threeBars(), { stepSeconds: 1800, method: 'hold', visitExtremes: false });
    // The first bar opens at its own close; anchors at 0, 1 h, 2 h, 3 h: 100, 100, 110, 90.
    expect([...path]).toEqual([100, 100, 100, 100, 110, 110, 90]);
  });

  it("interpolates between anchor prices with 'linear'", () => {
    const path = resampleSeries(threeBars(), { stepSeconds: 1800, method: 'linear', visitExtremes: false });
    expect([...path]).toEqual([100, 100, 100, 105, 110, 100, 90]);
  });

  it("agrees between 'hold' and 'linear' at the bar boundaries", () => {
    const hold = resampleSeries(threeBars(), { stepSeconds: 600, method: 'hold', visitExtremes: true });
    const linear = resampleSeries(threeBars(), { stepSeconds: 600, method: 'linear', visitExtremes: true });
    expect(hold.length).toBe(19);
    for (let k = 0; k < hold.length; k += 6) expect(linear[k]).toBe(hold[k]);
    expect([...hold]).not.toEqual([...linear]);
  });

  it("visits each bar's low and high, low first in a rising bar and high first in a falling bar", () => {
    const path = resampleSeries(threeBars(), { stepSeconds: 1200, method: 'linear', visitExtremes: true });
    // Per bar: one third -> first extreme, two thirds -> second extreme, end -> close.
    expect([...path]).toEqual([100, 95, 105, 100, 98, 112, 110, 111, 88, 90]);
  });

  it('reaches the lowest low and the highest high only when visiting extremes', () => {
    const s = threeBars();
    const withExtremes = resampleSeries(s, { stepSeconds: 1200, method: 'hold', visitExtremes: true });
    const without = resampleSeries(s, { stepSeconds: 1200, method: 'hold', visitExtremes: false });
    expect(Math.min(...withExtremes)).toBe(88);
    expect(Math.max(...withExtremes)).toBe(112);
    expect(Math.min(...without)).toBe(90);
    expect(Math.max(...without)).toBe(110);
  });

  it('has one price per step boundary over the whole series', () => {
    const path = resampleSeries(threeBars(), { stepSeconds: 300, method: 'linear', visitExtremes: false });
    expect(path.length).toBe((3 * 3600) / 300 + 1);
    expect(path[path.length - 1]).toBe(90);
  });
});

describe('the shipped data', () => {
  const files = readdirSync(DATA_DIR).filter((f) => f.endsWith('.csv'));

  it('ships at least one price series', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('parses %s into uniform bars with low <= price <= high', (f) => {
    const s = parsePriceCsv(readFileSync(join(DATA_DIR, f), 'utf8'), f);
    expect(s.sourceLines.length).toBeGreaterThan(0);
    expect(s.close.length).toBeGreaterThan(100);
    expect(s.barSeconds).toBeGreaterThan(0);
    for (let i = 0; i < s.close.length; i++) {
      expect(s.low[i]).toBeLessThanOrEqual(s.close[i]);
      expect(s.high[i]).toBeGreaterThanOrEqual(s.close[i]);
      if (i > 0) expect(s.openTimesMs[i] - s.openTimesMs[i - 1]).toBe(1000 * s.barSeconds);
    }
  });

  it('parses the May 2021 series with its stated 264 hourly rows', () => {
    const f = '2021-05-19_crash_ETHUSDT_binance_1h.csv';
    const s = parsePriceCsv(readFileSync(join(DATA_DIR, f), 'utf8'), f);
    expect(s.close.length).toBe(264);
    expect(s.barSeconds).toBe(3600);
    expect(s.openTimesMs[0]).toBe(Date.UTC(2021, 4, 15, 0));
  });
});
