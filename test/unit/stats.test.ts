// The cell statistics against values computed by hand: Wilson interval, quantiles, expected shortfall.
import { describe, expect, it } from 'vitest';
import { expectedShortfall, mean, quantile, sortedCopy, wilsonInterval, Z_95 } from '../../reports/stats.js';

const z2 = Z_95 * Z_95;
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('wilsonInterval', () => {
  it('gives [0, z^2 / (n + z^2)] for 0 successes out of n', () => {
    const w = wilsonInterval(0, 10);
    expect(w.p).toBe(0);
    expect(w.lo).toBe(0);
    expect(w.hi).toBeCloseTo(z2 / (10 + z2), 12);
    expect(w.hi).toBeCloseTo(0.27753, 5);
  });

  it('gives [n / (n + z^2), 1] for n successes out of n', () => {
    const w = wilsonInterval(10, 10);
    expect(w.p).toBe(1);
    expect(w.lo).toBeCloseTo(10 / (10 + z2), 12);
    expect(w.lo).toBeCloseTo(0.72247, 5);
    expect(w.hi).toBe(1);
  });

  it('is symmetric around one half for 5 of 10, at [0.2366, 0.7634]', () => {
    const w = wilsonInterval(5, 10);
    expect(w.p).toBe(0.5);
    expect(w.lo).toBeCloseTo(0.236593, 6);
    expect(w.hi).toBeCloseTo(0.763407, 6);
    expect(w.lo + w.hi).toBeCloseTo(1, 12);
  });

  it('matches the closed form for 1 of 20 and 3 of 100', () => {
    expect(wilsonInterval(1, 20).lo).toBeCloseTo(0.0088814, 7);
    expect(wilsonInterval(1, 20).hi).toBeCloseTo(0.2361312, 7);
    expect(wilsonInterval(3, 100).lo).toBeCloseTo(0.0102545, 7);
    expect(wilsonInterval(3, 100).hi).toBeCloseTo(0.0845194, 7);
  });

  it('is all NaN when there are no runs', () => {
    const w = wilsonInterval(0, 0);
    expect([w.p, w.lo, w.hi].every(Number.isNaN)).toBe(true);
  });

  it('rejects more successes than trials', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    const s = [1, 2, 3, 4];
    expect(quantile(s, 0.5)).toBe(2.5);
    expect(quantile(s, 0.95)).toBeCloseTo(3.85, 12); // index 3 * 0.95 = 2.85: 3 + 0.85 * (4 - 3)
    expect(quantile(s, 0)).toBe(1);
    expect(quantile(s, 1)).toBe(4);
  });

  it('gives the 99th percentile of 1..100 as 99.01', () => {
    expect(quantile(range(100), 0.99)).toBeCloseTo(99.01, 10); // index 99 * 0.99 = 98.01
  });

  it('is NaN for an empty sample', () => {
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('needs the sample sorted, which sortedCopy does numerically', () => {
    expect(sortedCopy([10, 9, 100, 1])).toEqual([1, 9, 10, 100]);
  });
});

describe('expectedShortfall', () => {
  it('is the largest value when the 1% tail holds at most one run', () => {
    expect(expectedShortfall(range(100), 0.99)).toBe(100);
    expect(expectedShortfall(range(50), 0.99)).toBe(50);
  });

  it('is the mean of the two largest of 200 values at 99%', () => {
    expect(expectedShortfall(range(200), 0.99)).toBe(199.5);
  });

  it('counts the boundary value fractionally: (150 + 0.5 * 149) / 1.5 for 150 values', () => {
    expect(expectedShortfall(range(150), 0.99)).toBeCloseTo((150 + 0.5 * 149) / 1.5, 12);
  });

  it('takes exactly 7 values of 700 despite 700 * (1 - 0.99) not being 7 in floats', () => {
    expect(expectedShortfall(range(700), 0.99)).toBe((700 + 699 + 698 + 697 + 696 + 695 + 694) / 7);
  });

  it('is at least the 99th percentile', () => {
    const s = sortedCopy([5, 0, 0, 2e6, 3, 0, 1e5, 7, 0, 0]);
    expect(expectedShortfall(s, 0.99)).toBeGreaterThanOrEqual(quantile(s, 0.99));
  });

  it('is NaN for an empty sample', () => {
    expect(expectedShortfall([], 0.99)).toBeNaN();
  });
});

describe('mean', () => {
  it('is the arithmetic mean, NaN when empty', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([])).toBeNaN();
  });
});
