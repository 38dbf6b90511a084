// The protocol's oracle: sources (the external index with optional noise, the venue's own mark, a
// thin spot pool), an aggregator (a weighted composite or the median), latency, smoothing (TWAP or
// EMA), a fixed delay (Maker OSM style), a push rule (deviation threshold plus heartbeat) with an
// optional cap on the change per update, and a staleness flag. A frozen oracle publishes nothing.
// Only the published price (and its confidence) reaches the protocol. No margin logic here.
import type { Config } from '../config/index.js';
import type { Stream } from '../core/rng.js';

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

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
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

  constructor(
    private readonly cfg: Config['oracle'],
    initialPriceUsd: number,
    private readonly noise: Stream,
  ) {
    this.observed = new Ring(cfg.latencySteps + 1, initialPriceUsd);
    this.confidences = new Ring(cfg.latencySteps + 1, 0);
    this.window = new Ring(cfg.smoothingSteps, initialPriceUsd);
    this.smoothed = new Ring(cfg.delaySteps + 1, initialPriceUsd);
    this.smoothedConfidence = new Ring(cfg.delaySteps + 1, 0);
    this.ema = initialPriceUsd;
    this.emaAlpha = 2 / (cfg.smoothingSteps + 1);
    this.priceUsd = initialPriceUsd;
  }

  /** Observes the sources at `step` and publishes per the push rule unless frozen. */
  update(step: number, indexPriceUsd: number, markPriceUsd: number, poolPriceUsd: number, frozen: boolean): void {
    const cfg = this.cfg;
    const index =
      cfg.indexNoiseStd > 0 ? indexPriceUsd * Math.exp(cfg.indexNoiseStd * this.noise.normal()) : indexPriceUsd;
    let candidate: number;
    let spread: number;
    if (cfg.aggregation === 'median') {
      candidate = median3(index, markPriceUsd, poolPriceUsd);
      spread = Math.max(index, markPriceUsd, poolPriceUsd) - Math.min(index, markPriceUsd, poolPriceUsd);
    } else if (cfg.aggregation === 'pool') {
      // The thin spot pool alone: the source an attacker can move with its own capital.
      candidate = poolPriceUsd;
      spread = Math.abs(poolPriceUsd - index);
    } else {
      const w = cfg.venueWeight;
      candidate = (1 - w) * index + w * markPriceUsd;
      spread = Math.abs(index - markPriceUsd);
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
