// Historical price series: parsing the CSV format of shared/data (with '#' source lines) and
// resampling bars to the simulation step. Pure functions over text; the caller reads the file.
import { UserError } from '../sim/core/errors.js';

/** A parsed bar series, one entry per bar, oldest first. */
export interface PriceSeries {
  /** Source lines (the '#' header) kept for provenance. */
  sourceLines: string[];
  /** Bar open times, milliseconds since epoch. */
  openTimesMs: number[];
  /** Bar close prices. */
  close: number[];
  /** Bar lows. */
  low: number[];
  /** Bar highs. */
  high: number[];
  /** Seconds per bar (uniform: the format has no gaps). */
  barSeconds: number;
}

/** How bars become steps. */
export interface ResampleOptions {
  /** Seconds per simulation step. */
  stepSeconds: number;
  /** 'hold' keeps the last known price until the next anchor; 'linear' interpolates between anchors. */
  method: 'hold' | 'linear';
  /** When true the path visits each bar's low and high (at one and two thirds of the bar, in the order
   * that matches the bar's direction), so wick-sensitive liquidations see them. */
  visitExtremes: boolean;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** Parses a price CSV; malformed content is a UserError naming the file and line. */
export function parsePriceCsv(text: string, file: string): PriceSeries {
  const lines = text.split(/\r?\n/);
  const series: PriceSeries = { sourceLines: [], openTimesMs: [], close: [], low: [], high: [], barSeconds: 0 };
  let headerSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    const where = `line ${i + 1}`;
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (headerSeen) throw new UserError(file, where, 'comment line after the header');
      series.sourceLines.push(line);
      continue;
    }
    if (!headerSeen) {
      if (line.replace(/\s/g, '') !== 'timestamp,price,low,high')
        throw new UserError(file, where, "expected the header 'timestamp,price,low,high'");
      headerSeen = true;
      continue;
    }
    const cells = line.split(',');
    if (cells.length !== 4) throw new UserError(file, where, `expected 4 fields, found ${cells.length}`);
    const [ts, ...nums] = cells.map((c) => c.trim());
    if (!ISO.test(ts)) throw new UserError(file, where, `timestamp '${ts}' is not ISO-8601 UTC`);
    const t = Date.parse(ts);
    if (Number.isNaN(t)) throw new UserError(file, where, `timestamp '${ts}' is not a real date and time`);
    const [price, low, high] = nums.map(Number);
    for (const [name, v] of [
      ['price', price],
      ['low', low],
      ['high', high],
    ] as const) {
      if (!Number.isFinite(v) || v <= 0) throw new UserError(file, where, `${name} must be a positive number`);
    }
    if (low > price * (1 + 1e-12) || high < price * (1 - 1e-12) || low > high)
      throw new UserError(file, where, 'expected low <= price <= high');
    const n = series.openTimesMs.length;
    if (n > 0) {
      const gap = (t - series.openTimesMs[n - 1]) / 1000;
      if (gap <= 0) throw new UserError(file, where, 'timestamps must increase');
      if (n === 1) series.barSeconds = gap;
      else if (Math.abs(gap - series.barSeconds) > 1e-6)
        throw new UserError(file, where, `gap of ${gap} s where bars are ${series.barSeconds} s apart`);
    }
    series.openTimesMs.push(t);
    series.close.push(price);
    series.low.push(low);
    series.high.push(high);
  }
  if (!headerSeen) throw new UserError(file, '', "no header 'timestamp,price,low,high'");
  if (series.close.length < 2) throw new UserError(file, '', 'needs at least two bars');
  return series;
}

/**
 * Resamples bars to a price per step boundary: element k is the price at k * stepSeconds after the
 * first bar's open. The first bar has no open price in the format, so its open is taken as its close.
 */
export function resampleSeries(series: PriceSeries, options: ResampleOptions): Float64Array {
  const bar = series.barSeconds;
  // Anchor points (time in seconds since the first open, price) in time order.
  const times: number[] = [0];
  const prices: number[] = [series.close[0]];
  for (let i = 0; i < series.close.length; i++) {
    const t0 = i * bar;
    if (options.visitExtremes) {
      const open = i === 0 ? series.close[0] : series.close[i - 1];
      const up = series.close[i] >= open;
      const first = up ? series.low[i] : series.high[i];
      const second = up ? series.high[i] : series.low[i];
      times.push(t0 + bar / 3, t0 + (2 * bar) / 3);
      prices.push(first, second);
    }
    times.push(t0 + bar);
    prices.push(series.close[i]);
  }
  const total = series.close.length * bar;
  const n = Math.floor(total / options.stepSeconds + 1e-9) + 1;
  const out = new Float64Array(n);
  let j = 0;
  for (let k = 0; k < n; k++) {
    const t = k * options.stepSeconds;
    while (j + 1 < times.length && times[j + 1] <= t + 1e-9) j++;
    if (options.method === 'hold' || j + 1 >= times.length) out[k] = prices[j];
    else {
      const w = (t - times[j]) / (times[j + 1] - times[j]);
      out[k] = prices[j] + w * (prices[j + 1] - prices[j]);
    }
  }
  return out;
}
