// The protocol's oracle: a list of sources (`oracleSources`: the external index with optional noise,
// the venue's own mark, a thin spot pool), an aggregator over the list (a weighted composite or the
// median; the spot pool alone is a composite of one), latency, smoothing (TWAP or EMA), a fixed delay
// (Maker OSM style), a push rule (deviation threshold plus heartbeat) with an optional cap on the change
// per update, and a staleness flag. A frozen oracle publishes nothing. Only the published price (and
// its confidence) reaches the protocol. No margin logic here.
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';

/** What a source reads: the external index, the venue's own mark price, or the thin spot pool. */
export type OracleObservation = 'index' | 'mark' | 'pool';

/** One source of the oracle, in the list's order (the order of its noise draws and of the weighted sum). */
export interface OracleSource {
  /** Its name, for messages and tests. */
  readonly name: string;
  /** What it observes. */
  readonly observes: OracleObservation;
  /** Relative noise of the observation (log standard deviation; one normal per step from the oracle's noise stream when > 0). */
  readonly noiseStd: number;
  /** Its weight in a weighted composite; a source of weight 0 takes no part in the sum (only in the spread). */
  readonly weight: number;
}

/**
 * The oracle's sources for a config, in order: the one place that turns the oracle's keys into the
 * list (a source is added here, with its config keys). Every source counts in the spread (the
 * confidence); `composite` weighs the index by 1 - venueWeight and the mark by venueWeight; `pool`
 * publishes the spot pool alone (weight 1) with the index beside it for the spread; `median` takes the
 * median of the index, the mark and the pool. Latency is the oracle's (`latencySteps`), the same for
 * every source.
 */
export function oracleSources(cfg: Config['oracle']): OracleSource[] {
  const index = (weight: number): OracleSource => ({
    name: 'index',
    observes: 'index',
    noiseStd: cfg.indexNoiseStd,
    weight,
  });
  const mark = (weight: number): OracleSource => ({ name: 'mark', observes: 'mark', noiseStd: 0, weight });
  const pool = (weight: number): OracleSource => ({ name: 'pool', observes: 'pool', noiseStd: 0, weight });
  switch (cfg.aggregation) {
    case 'median':
      return [index(0), mark(0), pool(0)];
    case 'pool':
      // The thin spot pool alone: the source an attacker can move with its own capital.
      return [pool(1), index(0)];
    case 'composite':
      return [index(1 - cfg.venueWeight), mark(cfg.venueWeight)];
  }
}

/** A ring of the last `n` values of a series. */
class Ring {
  private readonly values: Float64Array;
  private next = 0;
  count = 0;

  constructor(n: number, fill: number) {
    this.values = new Float64Array(Math.max(1, n)).fill(fill);
  }

  push(v: number): void {
    this.values[this.next] = v;
    this.next = (this.next + 1) % this.values.length;
    if (this.count < this.values.length) this.count++;
  }

  /** The value pushed `age` pushes ago (0: the latest); the oldest kept when fewer were pushed. */
  ago(age: number): number {
    const n = this.values.length;
    return this.values[(this.next - 1 - Math.min(age, n - 1) + 2 * n) % n];
  }

  mean(): number {
    let s = 0;
    for (let k = 0; k < this.count; k++) s += this.values[k];
    return s / this.count;
  }
}

/**
 * The median of `values[0..n)`, sorting them in place (insertion sort: the lists are short); the mean
 * of the two middle values when `n` is even.
 */
export function median(values: Float64Array, n = values.length): number {
  for (let i = 1; i < n; i++) {
    const v = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > v) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = v;
  }
  const h = n >> 1;
  return n % 2 === 1 ? values[h] : (values[h - 1] + values[h]) / 2;
}

export class Oracle {
  /** The published price the protocol uses, USD. */
  priceUsd: number;
  /** Half the spread of the sources behind the published price (a confidence interval), USD. */
  confidenceUsd = 0;
  /** Step of the last publication. */
  lastUpdateStep = 0;
  /** Whether the oracle published at the current step. */
  updatedThisStep = false;
  /** Whether the published price is older than `staleAfterSteps`. */
  stale = false;
  private readonly observed: Ring;
  private readonly confidences: Ring;
  private readonly smoothed: Ring;
  /** Confidence behind each smoothed value, delayed alongside it. */
  private readonly smoothedConfidence: Ring;
  private readonly window: Ring;
  private ema: number;
  private readonly emaAlpha: number;
  /** This step's observation of each source, in list order (reused; the median sorts it). */
  private readonly observations: Float64Array;
  private readonly byMedian: boolean;

  constructor(
    private readonly cfg: Config['oracle'],
    initialPriceUsd: number,
    private readonly noise: Stream,
    /** The sources, in order (`oracleSources(cfg)` unless given). */
    readonly sources: readonly OracleSource[] = oracleSources(cfg),
  ) {
    this.byMedian = cfg.aggregation === 'median';
    if (sources.length === 0) throw new Error('Oracle: no sources');
    if (!this.byMedian && sources.every((s) => s.weight === 0))
      throw new Error('Oracle: a weighted composite needs a source of non-zero weight');
    this.observations = new Float64Array(sources.length);
    this.observed = new Ring(cfg.latencySteps + 1, initialPriceUsd);
    this.confidences = new Ring(cfg.latencySteps + 1, 0);
    this.window = new Ring(cfg.smoothingSteps, initialPriceUsd);
    this.smoothed = new Ring(cfg.delaySteps + 1, initialPriceUsd);
    this.smoothedConfidence = new Ring(cfg.delaySteps + 1, 0);
    this.ema = initialPriceUsd;
    this.emaAlpha = 2 / (cfg.smoothingSteps + 1);
    this.priceUsd = initialPriceUsd;
  }

  /**
   * Observes the sources at `step` (each reads the index, the venue mark or the spot pool price given),
   * aggregates them and publishes per the push rule unless frozen.
   */
  update(step: number, indexPriceUsd: number, markPriceUsd: number, poolPriceUsd: number, frozen: boolean): void {
    const cfg = this.cfg;
    const { sources, observations: obs } = this;
    const n = sources.length;
    // Observe in list order (noise draws follow it); the spread is that of every source.
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < n; k++) {
      const s = sources[k];
      const raw = s.observes === 'index' ? indexPriceUsd : s.observes === 'mark' ? markPriceUsd : poolPriceUsd;
      const v = s.noiseStd > 0 ? raw * Math.exp(s.noiseStd * this.noise.normal()) : raw;
      obs[k] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const spread = hi - lo;
    let candidate: number;
    if (this.byMedian) candidate = median(obs, n);
    else {
      // The weighted sum in list order, from the first source of non-zero weight, without those of weight 0.
      let k = 0;
      while (sources[k].weight === 0) k++;
      candidate = sources[k].weight * obs[k];
      for (k++; k < n; k++) {
        const w = sources[k].weight;
        if (w !== 0) candidate += w * obs[k];
      }
    }
    this.observed.push(candidate);
    this.confidences.push(spread / 2);
    // What the oracle sees now was observed `latencySteps` ago.
    const seen = this.observed.ago(cfg.latencySteps);
    let value = seen;
    if (cfg.smoothing === 'twap') {
      this.window.push(seen);
      value = this.window.mean();
    } else if (cfg.smoothing === 'ema') {
      this.ema += this.emaAlpha * (seen - this.ema);
      value = this.ema;
    }
    this.smoothed.push(value);
    this.smoothedConfidence.push(this.confidences.ago(cfg.latencySteps));
    const due = this.smoothed.ago(cfg.delaySteps);

    this.updatedThisStep = false;
    if (!frozen) {
      const deviation = Math.abs(due - this.priceUsd) / this.priceUsd;
      if (deviation >= cfg.deviationThreshold || step - this.lastUpdateStep >= cfg.heartbeatSteps) {
        const cap = cfg.maxChangePerUpdate;
        this.priceUsd = cap > 0 ? Math.min(this.priceUsd * (1 + cap), Math.max(this.priceUsd * (1 - cap), due)) : due;
        this.confidenceUsd = this.smoothedConfidence.ago(cfg.delaySteps);
        this.lastUpdateStep = step;
        this.updatedThisStep = true;
      }
    }
    this.stale = cfg.staleAfterSteps > 0 && step - this.lastUpdateStep >= cfg.staleAfterSteps;
  }
}
