// Paired comparisons of two sets of runs that share their random numbers (the same replicate of a
// scenario sees the same price path in both): an exact McNemar test on a yes/no outcome and a
// seeded paired bootstrap of the difference in a sample statistic (mean or a type-7 quantile).
// Pure functions of numbers and a seed; must not know what the numbers mean or read any file.
import seedrandom from 'seedrandom';

/**
 * P(X >= k) for X ~ Binomial(n, 1/2). Up to n = 1000 the binomial coefficients are summed as
 * doubles (exact integers while they stay below 2^53, so exact for the small counts a gate sees);
 * above, in log space so that nothing overflows. 1 for k <= 0, 0 for k > n.
 */
export function binomialHalfUpperTail(k: number, n: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`binomialHalfUpperTail: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(k)) throw new RangeError(`binomialHalfUpperTail: k must be an integer, got ${k}`);
  if (k <= 0) return 1;
  if (k > n) return 0;
  // Sum the shorter tail (terms fall off quickly away from n/2), then complement if it was the lower one.
  const upper = k > n / 2;
  const from = upper ? k : 0;
  const to = upper ? n : k - 1;
  let sum = 0;
  if (n <= 1000) {
    let c = 1; // C(n, j)
    for (let j = 0; j <= to; j++) {
      if (j > 0) c = (c * (n - j + 1)) / j;
      if (j >= from) sum += c;
    }
    sum /= 2 ** n;
  } else {
    let logC = 0;
    const ln2n = n * Math.LN2;
    for (let j = 0; j <= to; j++) {
      if (j > 0) logC += Math.log(n - j + 1) - Math.log(j);
      if (j >= from) sum += Math.exp(logC - ln2n);
    }
  }
  return upper ? Math.min(1, sum) : Math.max(0, Math.min(1, 1 - sum));
}

/** The exact McNemar test of a paired yes/no outcome (e.g. insolvent) between a baseline and now. */
export interface McNemarResult {
  /** Pairs that are yes now and were no in the baseline (got worse). */
  worse: number;
  /** Pairs that are no now and were yes in the baseline (got better). */
  better: number;
  /**
   * One-sided p-value of "now is worse": P(X >= worse) for X ~ Binomial(worse + better, 1/2), the
   * distribution of the worse count when only the discordant pairs carry information and either
   * direction is equally likely. 1 when there are no discordant pairs.
   */
  p: number;
}

/** Counts discordant pairs of two 0/1 outcome arrays (yes = value > 0) and runs the exact one-sided test. */
export function mcnemarExact(current: ArrayLike<number>, baseline: ArrayLike<number>): McNemarResult {
  if (current.length !== baseline.length)
    throw new RangeError(`mcnemarExact: ${current.length} current outcomes vs ${baseline.length} baseline outcomes`);
  let worse = 0;
  let better = 0;
  for (let i = 0; i < current.length; i++) {
    const now = current[i] > 0;
    const before = baseline[i] > 0;
    if (now && !before) worse++;
    else if (before && !now) better++;
  }
  return { worse, better, p: binomialHalfUpperTail(worse, worse + better) };
}

/** A statistic the bootstrap resamples: the mean or a type-7 quantile (0..1). */
export type BootStatistic = { kind: 'mean' } | { kind: 'quantile'; p: number };

/**
 * The type-7 quantile (R's default, numpy's linear, simple-statistics' quantileSorted) of a sample
 * of n values, given its order statistics by rank (0-based, ascending).
 */
export function quantileType7(n: number, p: number, at: (rank: number) => number): number {
  if (n === 0) return NaN;
  if (p === 1) return at(n - 1);
  if (p === 0) return at(0);
  const idx = (n - 1) * p;
  if (idx % 1 === 0) return at(idx);
  const lower = Math.floor(idx);
  const x = at(lower);
  return x + (idx - lower) * (at(lower + 1) - x);
}

/** Indices 0..n-1 ordered by value (ties by index), for walking a resample in sorted order. */
function orderOf(values: ArrayLike<number>): Uint32Array {
  const order = Uint32Array.from({ length: values.length }, (_, i) => i);
  return order.sort((a, b) => values[a] - values[b] || a - b);
}

/** The statistic of the resample that holds each value `counts[i]` times (n values in all). */
function resampledStatistic(
  stat: BootStatistic,
  values: ArrayLike<number>,
  order: Uint32Array,
  counts: Uint32Array,
  n: number,
): number {
  if (stat.kind === 'mean') {
    let s = 0;
    for (let i = 0; i < n; i++) if (counts[i]) s += counts[i] * values[i];
    return s / n;
  }
  // The value at rank r of the resample: walk the sorted values, each repeated counts[i] times.
  // Ranks are asked for in increasing order, so the walk resumes where it stopped.
  let pos = 0;
  let seen = 0;
  const at = (rank: number): number => {
    for (;;) {
      const i = order[pos];
      if (rank < seen + counts[i]) return values[i];
      seen += counts[i];
      pos++;
    }
  };
  return quantileType7(n, stat.p, at);
}

export interface PairedBootstrapOptions {
  /** Resamples drawn. Default 1000. */
  resamples?: number;
  /** Seed of the resampling stream (any string): the same seed gives the same resamples. */
  seed: string;
}

/**
 * Paired bootstrap of stat(current) - stat(baseline): each resample draws n replicate indices with
 * replacement and uses the same indices on both sides, so the common random numbers cancel. Returns,
 * per statistic, the resampled differences sorted ascending.
 */
export function pairedBootstrap(
  current: ArrayLike<number>,
  baseline: ArrayLike<number>,
  stats: readonly BootStatistic[],
  opts: PairedBootstrapOptions,
): Float64Array[] {
  const n = current.length;
  if (baseline.length !== n)
    throw new RangeError(`pairedBootstrap: ${n} current values vs ${baseline.length} baseline values`);
  const resamples = opts.resamples ?? 1000;
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`pairedBootstrap: resamples must be a positive integer, got ${resamples}`);
  const out = stats.map(() => new Float64Array(n === 0 ? 0 : resamples));
  if (n === 0) return out;
  // Alea, the generator of the engine's streams (sim/core/rng.ts), drawn from here directly: a
  // report imports no engine code, and the resamples stay what they were.
  const uniform = seedrandom.alea(opts.seed);
  const orderCur = orderOf(current);
  const orderBase = orderOf(baseline);
  const counts = new Uint32Array(n);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[Math.floor(uniform() * n)]++;
    stats.forEach((stat, s) => {
      out[s][b] =
        resampledStatistic(stat, current, orderCur, counts, n) -
        resampledStatistic(stat, baseline, orderBase, counts, n);
    });
  }
  for (const d of out) d.sort();
  return out;
}

/**
 * The lower end of the one-sided (1 - alpha) bootstrap interval of a difference: the k-th smallest
 * of the B resampled differences, k = max(1, floor(alpha * B)). It exceeds a tolerance exactly when
 * fewer than k resampled differences are at or below the tolerance, which (for integral alpha * B)
 * is exactly when `bootstrapPValue(sorted, tolerance) < alpha`.
 */
export function bootstrapLowerBound(sorted: Float64Array, alpha: number): number {
  if (sorted.length === 0) return NaN;
  const k = Math.max(1, Math.floor(alpha * sorted.length + 1e-9));
  return sorted[Math.min(k, sorted.length) - 1];
}

/** How many of the ascending values are at or below x (binary search). */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The bootstrap p-value of "the difference exceeds x": (1 + #{resampled differences <= x}) / (B + 1),
 * never 0 (the observed sample counts as one of the resamples).
 */
export function bootstrapPValue(sorted: Float64Array, x: number): number {
  if (sorted.length === 0) return NaN;
  return (1 + countAtMost(sorted, x)) / (sorted.length + 1);
}
