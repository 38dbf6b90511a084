// Seeded random streams, one per concern (market path, schedule, each agent population),
// derived from the run seed so that adding an agent never changes the price path.
// Must not read time, Math.random or any global state.
import seedrandom from 'seedrandom';

/** A seeded uniform generator on [0, 1) with the distributions the model draws from. */
export class Stream {
  private readonly next: () => number;
  private spareNormal = NaN;

  constructor(seed: string) {
    this.next = seedrandom.alea(seed);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller, caching the second variate). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return z;
    }
    let u = this.next();
    while (u <= 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    let u = this.next();
    while (u <= 0) u = this.next();
    return -Math.log(u) * mean;
  }

  /** Pareto (type I) with scale xMin and tail index alpha: heavy-tailed sizes. */
  pareto(xMin: number, alpha: number): number {
    let u = this.next();
    while (u <= 0) u = this.next();
    return xMin * Math.pow(u, -1 / alpha);
  }

  /** Poisson count with the given mean (Knuth for small means, normal approximation above 30). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Shuffles the array in place (Fisher-Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/** The seed of one run: from the base seed, the scenario name and the replicate, never the parameter cell. */
export function deriveRunSeed(baseSeed: number, scenario: string, replicate: number): number {
  return hashToUint32(`${baseSeed}|${scenario}|${replicate}`);
}

/** A named stream of a run: streams of different concerns are independent. */
export function streamFor(runSeed: number, concern: string): Stream {
  return new Stream(`${runSeed}:${concern}`);
}

/** FNV-1a 32-bit hash: stable across platforms and Node versions. */
export function hashToUint32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
