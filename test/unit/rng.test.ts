// Random streams: reproducible per (seed, concern), independent across concerns, run seeds derived
// from (base seed, scenario, replicate), and distributions with the right means.
import { describe, expect, it } from 'vitest';
import { deriveRunSeed, hashToUint32, Stream, streamFor } from '../../sim/core/rng.js';

function draws(stream: Stream, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(stream.uniform());
  return out;
}

function sampleMean(n: number, draw: () => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += draw();
  return s / n;
}

function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('streams', () => {
  it('gives the same sequence for the same run seed and concern', () => {
    expect(draws(streamFor(42, 'market.path'), 1000)).toEqual(draws(streamFor(42, 'market.path'), 1000));
  });

  it('gives different sequences for different concerns of the same run seed', () => {
    const a = draws(streamFor(42, 'market.path'), 100);
    const b = draws(streamFor(42, 'traders'), 100);
    expect(a.filter((v, i) => v === b[i]).length).toBe(0);
  });

  it('gives different sequences for the same concern under different run seeds', () => {
    const a = draws(streamFor(42, 'market.path'), 100);
    const b = draws(streamFor(43, 'market.path'), 100);
    expect(a.filter((v, i) => v === b[i]).length).toBe(0);
  });

  it('draws from one concern leave the sequence of another concern unchanged', () => {
    const alone = draws(streamFor(7, 'market.path'), 200);
    const busy = streamFor(7, 'traders');
    const path = streamFor(7, 'market.path');
    const interleaved: number[] = [];
    for (let i = 0; i < 200; i++) {
      draws(busy, 3);
      interleaved.push(path.uniform());
    }
    expect(interleaved).toEqual(alone);
  });

  it('makes streams of different concerns uncorrelated', () => {
    const a = draws(streamFor(9, 'liquidator.0'), 20_000);
    const b = draws(streamFor(9, 'liquidator.1'), 20_000);
    // Under independence the sample correlation has standard deviation 1/sqrt(n) ~ 0.007.
    expect(Math.abs(correlation(a, b))).toBeLessThan(0.03);
  });
});

describe('run seeds', () => {
  it('derives the same run seed from the same base seed, scenario and replicate', () => {
    expect(deriveRunSeed(1, 'flash-crash', 3)).toBe(deriveRunSeed(1, 'flash-crash', 3));
  });

  it('derives a different run seed when the base seed changes', () => {
    expect(deriveRunSeed(1, 'flash-crash', 3)).not.toBe(deriveRunSeed(2, 'flash-crash', 3));
  });

  it('derives a different run seed when the scenario changes', () => {
    expect(deriveRunSeed(1, 'flash-crash', 3)).not.toBe(deriveRunSeed(1, 'calm', 3));
  });

  it('derives a different run seed when the replicate changes', () => {
    expect(deriveRunSeed(1, 'flash-crash', 3)).not.toBe(deriveRunSeed(1, 'flash-crash', 4));
  });

  it('derives distinct unsigned 32-bit run seeds across a grid of inputs', () => {
    const seen = new Set<number>();
    for (const base of [0, 1, 2, 1000])
      for (const scenario of ['calm', 'flash-crash', 'may-2021'])
        for (let r = 0; r < 50; r++) {
          const s = deriveRunSeed(base, scenario, r);
          expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
          seen.add(s);
        }
    expect(seen.size).toBe(4 * 3 * 50);
  });

  it('hashes text with the FNV-1a 32-bit reference values', () => {
    // Published FNV-1a test vectors: a stable hash across platforms and Node versions.
    expect(hashToUint32('')).toBe(0x811c9dc5);
    expect(hashToUint32('a')).toBe(0xe40c292c);
    expect(hashToUint32('foobar')).toBe(0xbf9cf968);
  });
});

describe('distributions', () => {
  const n = 200_000;

  it('draws uniforms in [0, 1) with mean 1/2', () => {
    const s = streamFor(1, 'uniform');
    let min = 1;
    let max = 0;
    const m = sampleMean(n, () => {
      const u = s.uniform();
      min = Math.min(min, u);
      max = Math.max(max, u);
      return u;
    });
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(m).toBeCloseTo(0.5, 2);
  });

  it('draws integers of int(n) in 0 .. n-1, each about equally often', () => {
    const s = streamFor(1, 'int');
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[s.int(7)]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(70_000);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it('draws standard normals with mean 0 and variance 1', () => {
    const s = streamFor(1, 'normal');
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push(s.normal());
    const m = xs.reduce((a, b) => a + b, 0) / n;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
  });

  it('draws exponentials with the given mean', () => {
    const s = streamFor(1, 'exponential');
    let min = Infinity;
    const m = sampleMean(n, () => {
      const x = s.exponential(4);
      min = Math.min(min, x);
      return x;
    });
    expect(min).toBeGreaterThanOrEqual(0);
    expect(Math.abs(m - 4)).toBeLessThan(0.05);
  });

  it('draws Pareto values at or above the scale with mean alpha * xMin / (alpha - 1)', () => {
    const s = streamFor(1, 'pareto');
    let min = Infinity;
    // Tail index 4 keeps the variance finite, so the sample mean settles.
    const m = sampleMean(n, () => {
      const x = s.pareto(2000, 4);
      min = Math.min(min, x);
      return x;
    });
    expect(min).toBeGreaterThanOrEqual(2000);
    expect(Math.abs(m / ((4 * 2000) / 3) - 1)).toBeLessThan(0.01);
  });

  it('draws Poisson counts with the given small mean', () => {
    const s = streamFor(1, 'poisson.small');
    const m = sampleMean(n, () => s.poisson(3));
    expect(Math.abs(m - 3)).toBeLessThan(0.03);
  });

  it('draws Poisson counts with the given large mean (normal approximation)', () => {
    const s = streamFor(1, 'poisson.large');
    const m = sampleMean(n, () => s.poisson(120));
    expect(Math.abs(m - 120)).toBeLessThan(0.2);
  });

  it('draws non-negative integer Poisson counts and zero for a non-positive mean', () => {
    const s = streamFor(1, 'poisson.int');
    for (let i = 0; i < 1000; i++) {
      const k = s.poisson(i % 2 ? 0.5 : 40);
      expect(Number.isInteger(k) && k >= 0).toBe(true);
    }
    expect(s.poisson(0)).toBe(0);
    expect(s.poisson(-1)).toBe(0);
  });

  it('shuffles into a permutation of the same items', () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    const shuffled = streamFor(1, 'shuffle').shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });

  it('shuffles the same way for the same seed and concern', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(streamFor(5, 'schedule').shuffle([...items])).toEqual(streamFor(5, 'schedule').shuffle([...items]));
  });
});
