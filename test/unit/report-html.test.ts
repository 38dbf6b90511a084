// The HTML report's parts, in process: round-number ticks, the CSV reader, cascade waves as spans,
// and the report's errors on directories that hold no results. The report files the CLI writes are
// checked in test/cli/report-html.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvSyntaxError, parseCsv, readCsvTable } from '../../reports/csv-read.js';
import { htmlReport } from '../../reports/html-report.js';
import { alertNames, waveSpans, runWaves } from '../../reports/html/report-run.js';
import { clock, niceTicks, tickLabels, timeTicks } from '../../reports/html/ticks.js';
import { UserError } from '../../sim/core/errors.js';
import { cascadeWaves } from '../../sim/perp/statistics.js';
import { propertyRuns } from '../helpers/property-runs.js';

const tmp = mkdtempSync(join(tmpdir(), 'cascade-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('nice ticks', () => {
  it('covers a range with ticks at 1, 2, 2.5 or 5 times a power of ten, evenly spaced', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
        fc.integer({ min: 2, max: 12 }),
        (lo, width, count) => {
          const hi = lo + width;
          // A range narrower than a millionth of its distance from zero is below float resolution for ticks.
          fc.pre(hi > lo && width > Math.abs(lo) * 1e-6);
          const s = niceTicks(lo, hi, count);
          // Covers the range, up to a rounding error far below the tick spacing.
          expect(s.min).toBeLessThanOrEqual(lo + s.step * 1e-6);
          expect(s.max).toBeGreaterThanOrEqual(hi - s.step * 1e-6);
          const mantissa = s.step / 10 ** Math.floor(Math.log10(s.step));
          expect([1, 2, 2.5, 5, 10].some((c) => Math.abs(c - mantissa) < 1e-9)).toBe(true);
          for (let k = 1; k < s.ticks.length; k++)
            expect(Math.abs(s.ticks[k] - s.ticks[k - 1] - s.step)).toBeLessThan(s.step * 1e-6);
          expect(s.ticks.length).toBeLessThanOrEqual(2 * count + 2);
        },
      ),
      { seed: 21, numRuns: propertyRuns(100) },
    );
  });

  it('gives round values without binary noise', () => {
    expect(niceTicks(0, 1, 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.1, 0.7, 6).ticks).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    expect(niceTicks(2031, 3018, 4).ticks).toEqual([2000, 2250, 2500, 2750, 3000, 3250]);
  });

  it('widens a flat range instead of dividing by zero', () => {
    const s = niceTicks(5, 5);
    expect(s.min).toBeLessThan(5);
    expect(s.max).toBeGreaterThan(5);
    expect(niceTicks(0, 0).ticks[0]).toBe(0);
  });

  it('labels ticks with a shared magnitude and enough decimals that neighbours differ', () => {
    expect(tickLabels([0, 500_000, 1_000_000, 1_500_000], 500_000, 'usd')).toEqual(['$0', '$0.5M', '$1.0M', '$1.5M']);
    expect(tickLabels([2000, 2500, 3000], 500, 'usd')).toEqual(['$2,000', '$2,500', '$3,000']);
    expect(tickLabels([0, 0.25, 0.5], 0.25, 'plain')).toEqual(['0', '0.25', '0.50']);
    expect(tickLabels([0, 25, 50], 25, 'pct')).toEqual(['0%', '25%', '50%']);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e10, noNaN: true }), fc.double({ min: 1e-3, max: 1e10 }), (lo, w) => {
        const s = niceTicks(lo, lo + w, 5);
        const labels = tickLabels(s.ticks, s.step, 'usd');
        expect(new Set(labels).size).toBe(labels.length);
      }),
      { seed: 22, numRuns: propertyRuns(100) },
    );
  });

  it('puts time ticks at clock-like spacings and labels them h:mm', () => {
    expect(timeTicks(0, 24, 8).ticks).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
    expect(timeTicks(9.8, 10.85, 10).ticks.map(clock)).toEqual([
      '9:50',
      '10:00',
      '10:10',
      '10:20',
      '10:30',
      '10:40',
      '10:50',
    ]);
    expect(clock(10.25)).toBe('10:15');
    expect(clock(72)).toBe('72:00');
  });
});

describe('CSV reader', () => {
  it('reads quoted fields with commas, doubled quotes, line breaks and CRLF line ends', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
  });

  it('reads back exactly what csv-stringify writes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', '1', 'é') }), {
            minLength: 2,
            maxLength: 4,
          }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (rows) => {
          const width = rows[0].length;
          const table = rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
          // A lone empty field is written as an empty line, which no reader can tell from a blank line.
          fc.pre(width > 1);
          expect(parseCsv(stringify(table))).toEqual(table);
        },
      ),
      { seed: 23, numRuns: propertyRuns(100) },
    );
  });

  it('names the line of an unterminated quote', () => {
    try {
      parseCsv('a,b\n1,2\n3,"open\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvSyntaxError);
      expect((e as CsvSyntaxError).line).toBe(3);
    }
  });

  it('rejects a row whose length differs from the header with a UserError naming file and line', () => {
    const file = join(tmp, 'short.csv');
    writeFileSync(file, 'a,b\n1,2\n3\n');
    expect(() => readCsvTable(file)).toThrow(UserError);
    expect(() => readCsvTable(file)).toThrow(`${file}: line 3: has 1 fields, the header has 2`);
  });
});

describe('cascade waves as spans', () => {
  it('agree with the engine count and longest wave for any liquidation series', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 3 }), { maxLength: 200 }), fc.nat({ max: 5 }), (liqs, gap) => {
        const spans = waveSpans(liqs, gap);
        const ref = cascadeWaves(liqs, gap);
        expect(spans.length).toBe(ref.waves);
        expect(spans.reduce((a, s) => Math.max(a, s.to - s.from + 1), 0)).toBe(ref.longest);
        expect(() => runWaves(liqs, gap)).not.toThrow();
        for (const s of spans) expect(liqs[s.from] > 0 && liqs[s.to] > 0).toBe(true);
      }),
      { seed: 24, numRuns: propertyRuns(100) },
    );
  });

  it('names alert detectors from the bitmask', () => {
    expect(alertNames(2 | 4)).toBe('liquidation rate + insurance drawdown');
    expect(alertNames(16)).toBe('detector 16');
  });
});

describe('report command errors', () => {
  it('refuses an empty directory, a sweep shard and a malformed timeline with a UserError naming the file', () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(() => htmlReport(empty)).toThrow(`${empty}: holds neither a run`);
    const shard = join(tmp, 'shard');
    mkdirSync(shard);
    writeFileSync(join(shard, 'runs.csv'), 'run_id\n');
    writeFileSync(join(shard, 'manifest.json'), '{}');
    expect(() => htmlReport(shard)).toThrow(`${shard}: holds a sweep shard`);
    const bad = join(tmp, 'bad-run');
    mkdirSync(bad);
    writeFileSync(join(bad, 'summary.json'), JSON.stringify({ scenario: 'x', seed: 1, steps: 2, step_seconds: 60 }));
    writeFileSync(join(bad, 'timeline.csv'), 'step,time_s\n0,"0\n');
    expect(() => htmlReport(bad)).toThrow(UserError);
    expect(() => htmlReport(bad)).toThrow(
      `${join(bad, 'timeline.csv')}: line 2: malformed CSV: unterminated quoted field`,
    );
    writeFileSync(join(bad, 'summary.json'), '{"scenario": ');
    expect(() => htmlReport(bad)).toThrow(`${join(bad, 'summary.json')}: not valid JSON`);
  });
});
