// Sample statistics of a parameter cell's runs: means, quantiles, expected shortfall and the Wilson
// interval of a proportion. Pure functions of numbers; simple-statistics where it has the function.
// Must not know what the numbers mean (no run, cell or file types here).
import { mean as ssMean, quantileSorted } from 'simple-statistics';

/** z of a two-sided 95% normal interval: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

/** A proportion with its confidence interval, all as fractions (0..1). */
export interface Proportion {
  /** successes / n; NaN when n = 0. */
  p: number;
  /** Lower bound of the interval; NaN when n = 0. */
  lo: number;
  /** Upper bound of the interval; NaN when n = 0. */
  hi: number;
}

/**
 * Wilson score interval of `successes` out of `n` (Wilson 1927): unlike the normal approximation
 * it stays inside [0, 1] and does not collapse to a point at 0 of n or n of n, which is where a
 * risk team's P(insolvent) usually sits. `z` defaults to the 95% two-sided value.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Proportion {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`wilsonInterval: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`wilsonInterval: successes must be an integer from 0 to n (${n}), got ${successes}`);
  if (n === 0) return { p: NaN, lo: NaN, hi: NaN };
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 of n and n of n the exact bound is 0 or 1; rounding would leave 1e-17 instead.
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return { p, lo, hi };
}

/** Arithmetic mean (compensated summation, via simple-statistics); NaN for an empty sample. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  return ssMean(Array.from(values));
}

/** A sorted copy (ascending, numeric) of a sample, ready for `quantile` and `expectedShortfall`. */
export function sortedCopy(values: ArrayLike<number>): number[] {
  return Array.from(values).sort((a, b) => a - b);
}

/**
 * The p-quantile (0..1) of an ascending sample by linear interpolation between order statistics
 * (R type 7, numpy's default; simple-statistics' `quantileSorted`). NaN for an empty sample.
 */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return quantileSorted(sorted as number[], p);
}

/**
 * Expected shortfall (conditional tail expectation) at `level` (e.g. 0.99) of an ascending sample
 * of losses: the mean of the worst (1 - level) fraction of outcomes. The tail holds w = n(1 - level)
 * observations, counted fractionally (Acerbi and Tasche 2002): the floor(w) largest values in full
 * and the next one with weight w - floor(w). With w <= 1 (fewer than 100 runs at 99%) it is the
 * largest value. NaN for an empty sample.
 */
export function expectedShortfall(sorted: readonly number[], level: number): number {
  if (!(level >= 0 && level < 1)) throw new RangeError(`expectedShortfall: level must be in [0, 1), got ${level}`);
  const n = sorted.length;
  if (n === 0) return NaN;
  // Rounded so that 700 * (1 - 0.99), which is 7.000000000000006 in floats, counts as 7 values.
  const w = Math.max(1, Math.round(n * (1 - level) * 1e9) / 1e9);
  const whole = Math.floor(w);
  let total = 0;
  for (let k = 0; k < whole; k++) total += sorted[n - 1 - k];
  const frac = w - whole;
  if (frac > 0) total += frac * sorted[n - 1 - whole];
  return total / w;
}
