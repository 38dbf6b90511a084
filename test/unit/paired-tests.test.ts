// The paired tests of `cascade check` against values computed by hand: the exact binomial tail and
// McNemar test for small counts, the type-7 quantile of a resample, and a bootstrap that is the same
// for the same seed and agrees with resampling done the slow way.
import { describe, expect, it } from 'vitest';
import {
  binomialHalfUpperTail,
  bootstrapLowerBound,
  bootstrapPValue,
  mcnemarExact,
  pairedBootstrap,
  quantileType7,
} from '../../reports/paired-tests.js';
import { mean, quantile, sortedCopy } from '../../reports/stats.js';
import { Stream } from '../../sim/core/rng.js';

/** P(X >= k), X ~ Binomial(n, 1/2), exactly with big integers. */
function exactTail(k: number, n: number): number {
  let c = 1n;
  let sum = 0n;
  for (let j = 0; j <= n; j++) {
    if (j > 0) c = (c * BigInt(n - j + 1)) / BigInt(j);
    if (j >= k) sum += c;
  }
  return Number((sum * 10n ** 18n) / 2n ** BigInt(n)) / 1e18;
}

describe('binomialHalfUpperTail', () => {
  it('is 1/32 for 5 of 5, 5/16 for 3 of 4 and 56/1024 for 8 of 10', () => {
    expect(binomialHalfUpperTail(5, 5)).toBeCloseTo(1 / 32, 14);
    expect(binomialHalfUpperTail(3, 4)).toBeCloseTo(5 / 16, 14);
    expect(binomialHalfUpperTail(8, 10)).toBeCloseTo(56 / 1024, 14);
  });

  it('is 1 at k <= 0 and 0 above n', () => {
    expect(binomialHalfUpperTail(0, 0)).toBe(1);
    expect(binomialHalfUpperTail(0, 7)).toBe(1);
    expect(binomialHalfUpperTail(8, 7)).toBe(0);
  });

  it('matches exact big-integer sums for every k at n = 60', () => {
    for (let k = 0; k <= 61; k++) expect(binomialHalfUpperTail(k, 60)).toBeCloseTo(exactTail(k, 60), 12);
  });

  it('stays a probability for large n, with P(X >= k) + P(X >= n - k + 1) = 1', () => {
    for (const k of [0, 400, 500, 501, 520, 600, 1001]) {
      const p = binomialHalfUpperTail(k, 1001);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(p + binomialHalfUpperTail(1001 - k + 1, 1001)).toBeCloseTo(1, 10);
    }
  });
});

describe('mcnemarExact', () => {
  it('counts only discordant pairs: 5 newly insolvent, none newly solvent gives p = 1/32', () => {
    const now = [1, 1, 1, 1, 1, 1, 0, 0];
    const before = [0, 0, 0, 0, 0, 1, 0, 0];
    expect(mcnemarExact(now, before)).toEqual({ worse: 5, better: 0, p: 1 / 32 });
  });

  it('gives P(X >= 6 | n = 8) = 37/256 for 6 worse and 2 better pairs', () => {
    const now = [1, 1, 1, 1, 1, 1, 0, 0, 1];
    const before = [0, 0, 0, 0, 0, 0, 1, 1, 1];
    const r = mcnemarExact(now, before);
    expect([r.worse, r.better]).toEqual([6, 2]);
    expect(r.p).toBeCloseTo(37 / 256, 14);
  });

  it('gives p = 1 when nothing changed and when only improvements happened', () => {
    expect(mcnemarExact([1, 0, 1], [1, 0, 1]).p).toBe(1);
    expect(mcnemarExact([0, 0, 0], [1, 1, 1]).p).toBe(1);
  });

  it('treats any positive value as yes', () => {
    expect(mcnemarExact([2, 0.5], [0, 0])).toMatchObject({ worse: 2, better: 0 });
  });
});

describe('quantileType7', () => {
  it('equals the cell statistics quantile on the same sorted sample', () => {
    const rng = new Stream('q7');
    for (let t = 0; t < 50; t++) {
      const n = 1 + rng.int(40);
      const sorted = sortedCopy(Array.from({ length: n }, () => Math.round(rng.uniform() * 100)));
      for (const p of [0, 0.05, 0.5, 0.95, 0.99, 1])
        expect(quantileType7(n, p, (r) => sorted[r])).toBe(quantile(sorted, p));
    }
  });
});

describe('pairedBootstrap', () => {
  const rng = new Stream('data');
  const base = Array.from({ length: 30 }, () => (rng.uniform() < 0.6 ? 0 : rng.uniform() * 1e5));
  const cur = base.map((x) => x * (1 + rng.uniform()));
  const stats = [
    { kind: 'mean' as const },
    { kind: 'quantile' as const, p: 0.95 },
    { kind: 'quantile' as const, p: 0.99 },
  ];

  it('gives the same resampled differences for the same seed and other ones for another seed', () => {
    const a = pairedBootstrap(cur, base, stats, { seed: 's', resamples: 200 });
    const b = pairedBootstrap(cur, base, stats, { seed: 's', resamples: 200 });
    const c = pairedBootstrap(cur, base, stats, { seed: 't', resamples: 200 });
    expect(a).toEqual(b);
    expect(a[0]).not.toEqual(c[0]);
  });

  it('finds no difference at all between identical samples', () => {
    for (const d of pairedBootstrap(base, base, stats, { seed: 's', resamples: 100 }))
      expect(Array.from(d).every((x) => x === 0)).toBe(true);
  });

  it('finds exactly the shift when every current value is the baseline plus 100', () => {
    const shifted = base.map((x) => x + 100);
    for (const d of pairedBootstrap(shifted, base, stats, { seed: 's', resamples: 100 }))
      for (const x of d) expect(x).toBeCloseTo(100, 6);
  });

  it('computes each resample statistic as sorting the resample would', () => {
    const zeros = base.map(() => 0);
    const [means, p95s, p99s] = pairedBootstrap(cur, zeros, stats, { seed: 'slow', resamples: 100 });
    // The same draws, the slow way: n indices per resample from the same stream.
    const draw = new Stream('slow');
    const want: number[][] = [[], [], []];
    for (let b = 0; b < 100; b++) {
      const sample = cur.map(() => cur[draw.int(cur.length)]);
      const sorted = sortedCopy(sample);
      want[0].push(mean(sample));
      want[1].push(quantile(sorted, 0.95));
      want[2].push(quantile(sorted, 0.99));
    }
    const asc = (xs: number[]): number[] => xs.sort((x, y) => x - y);
    asc(want[0]).forEach((x, k) => expect(means[k]).toBeCloseTo(x, 6));
    expect(Array.from(p95s)).toEqual(asc(want[1]));
    expect(Array.from(p99s)).toEqual(asc(want[2]));
  });

  it('returns empty arrays for empty samples', () => {
    expect(pairedBootstrap([], [], stats, { seed: 's' }).map((d) => d.length)).toEqual([0, 0, 0]);
  });
});

describe('bootstrapLowerBound and bootstrapPValue', () => {
  it('take the floor(alpha * B)-th smallest difference and (1 + count at or below) / (B + 1)', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i); // 0..99
    expect(bootstrapLowerBound(sorted, 0.05)).toBe(4);
    expect(bootstrapLowerBound(sorted, 0.001)).toBe(0);
    expect(bootstrapPValue(sorted, 4)).toBeCloseTo(6 / 101, 14);
    expect(bootstrapPValue(sorted, -1)).toBeCloseTo(1 / 101, 14);
  });

  it('agree: the lower bound exceeds a tolerance exactly when the p-value is below alpha', () => {
    const rng = new Stream('agree');
    for (let t = 0; t < 200; t++) {
      const sorted = Float64Array.from({ length: 1000 }, () => rng.normal() * 10 + 20).sort();
      const tol = rng.uniform() * 40;
      expect(bootstrapLowerBound(sorted, 0.05) > tol).toBe(bootstrapPValue(sorted, tol) < 0.05);
    }
  });
});
