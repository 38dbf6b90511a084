// Axis ticks at round numbers (1, 2, 2.5 or 5 times a power of ten) and short, readable tick and
// value labels ($1.5M, 25%, 2,400). Pure functions of numbers; no SVG here.

/** A nice axis: the domain widened to whole ticks, the ticks and their spacing. */
export interface NiceScale {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

/** Rounds away the binary noise of `k * step` (0.30000000000000004 -> 0.3). */
function clean(x: number, step: number): number {
  const digits = Math.max(0, Math.min(15, -Math.floor(Math.log10(step)) + 2));
  return Number(x.toFixed(digits));
}

/**
 * Round-number ticks covering [lo, hi] with about `count` intervals (default 5). The domain is
 * widened to the outer ticks. A flat or empty range gets a unit-sized domain around its value.
 */
export function niceTicks(lo: number, hi: number, count = 5): NiceScale {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (lo > hi) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = lo >= 0 && lo - pad < 0 ? [0, lo + pad] : [lo - pad, hi + pad];
  }
  const rough = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(rough));
  const r = rough / mag;
  const step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * mag;
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) ticks.push(clean(k * step, step));
  return { min: ticks[0], max: ticks[ticks.length - 1], step, ticks };
}

/** How a number is shown: money, a count, a percentage (already in %), a fraction or plain. */
export type Unit = 'usd' | 'count' | 'pct' | 'fraction' | 'plain' | 'hours' | 'steps';

function group(intText: string): string {
  const neg = intText.startsWith('-');
  const digits = neg ? intText.slice(1) : intText;
  return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fixed decimals with thousands separators: 12345.6 -> "12,345.6". */
export function grouped(x: number, decimals: number): string {
  const [i, f] = x.toFixed(decimals).split('.');
  return f === undefined ? group(i) : `${group(i)}.${f}`;
}

const SCALES: [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/**
 * Labels for the ticks of one axis: a shared magnitude suffix (k, M, B) above 10,000, and as many
 * decimals as the tick spacing needs, so neighbouring labels always differ.
 */
export function tickLabels(ticks: readonly number[], step: number, unit: Unit): string[] {
  const top = Math.max(...ticks.map(Math.abs));
  // The largest magnitude the values reach, unless the spacing is too fine for it (a narrow range far from zero).
  const [scale, suffix] = top >= 1e4 ? (SCALES.find(([s]) => top >= s && step >= s * 1e-3) ?? [1, '']) : [1, ''];
  const scaledStep = step / scale;
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(scaledStep) + 1e-9)));
  const extra = scaledStep * 10 ** decimals;
  // A step of 2.5 x 10^k needs one decimal more than 10^k.
  const d = Math.abs(extra - Math.round(extra)) > 1e-9 ? decimals + 1 : decimals;
  return ticks.map((t) => {
    const v = t / scale;
    // Zero needs neither decimals nor a magnitude: "$0", not "$0.0M".
    const text = v === 0 ? '0' : `${grouped(v, d)}${suffix}`;
    switch (unit) {
      case 'usd':
        return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
      case 'pct':
        return `${text}%`;
      default:
        return text;
    }
  });
}

/** A single value for a label or a table: 3 significant digits, magnitude suffixes for money. */
export function formatValue(x: number, unit: Unit): string {
  if (!Number.isFinite(x)) return '\u2013';
  switch (unit) {
    case 'usd': {
      const a = Math.abs(x);
      const sign = x < 0 ? '-' : '';
      for (const [s, suffix] of SCALES) if (a >= s) return `${sign}$${trim((a / s).toPrecision(3))}${suffix}`;
      return `${sign}$${a >= 100 ? a.toFixed(0) : trim(a.toPrecision(3))}`;
    }
    case 'pct':
      return `${trim(x.toPrecision(3))}%`;
    case 'count':
      return Number.isInteger(x) ? grouped(x, 0) : grouped(x, Math.abs(x) >= 100 ? 0 : 1);
    case 'fraction':
      return x === 0 || x === 1 ? String(x) : trim(x.toPrecision(2));
    case 'hours':
      return `${trim(x.toPrecision(4))} h`;
    default:
      return Math.abs(x) >= 1e4 ? grouped(x, 0) : trim(x.toPrecision(4));
  }
}

/** Drops a trailing ".0..." and exponent-free noise from toPrecision output. */
function trim(s: string): string {
  if (s.includes('e')) return String(Number(s));
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** Tick spacings for a time axis in hours: whole minutes, then whole hours and days. */
const TIME_STEPS_H = [1, 2, 5, 10, 15, 20, 30].map((m) => m / 60).concat([1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 168]);

/** Ticks of a time axis in hours at clock-like spacings (15 min, 1 h, 6 h, ...), about `count` intervals. */
export function timeTicks(lo: number, hi: number, count = 6): NiceScale {
  if (!(hi > lo)) return niceTicks(lo, hi, count);
  const rough = (hi - lo) / Math.max(1, count);
  const step = TIME_STEPS_H.find((s) => s >= rough * 0.999) ?? niceTicks(lo, hi, count).step;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + 1e-9; k++) ticks.push(k * step || 0);
  return { min: lo, max: hi, step, ticks };
}

/** Hours as h:mm (10.25 -> "10:15"); negative hours keep their sign. */
export function clock(hours: number): string {
  const total = Math.round(Math.abs(hours) * 60);
  return `${hours < 0 && total > 0 ? '-' : ''}${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
