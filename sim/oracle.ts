// The protocol's oracle: sources observed with latency, an aggregator, and a push rule
// (deviation threshold plus heartbeat) that decides when a new price is published. A frozen
// oracle publishes nothing. Only the published price reaches the protocol. No margin logic here.
import type { Config } from './config.js';

/** A price input of the oracle, read once per step. */
export interface OracleSource {
  readonly name: string;
  /** The source's price at this step, USD. */
  read(indexPriceUsd: number, markPriceUsd: number): number;
}

/** The external index composite blended with the venue's own mark (the venue is one of the index's venues). */
export function compositeSource(venueWeight: number): OracleSource {
  return {
    name: 'composite',
    read: (index, mark) => (1 - venueWeight) * index + venueWeight * mark,
  };
}

/** Combines the sources' delayed prices into one candidate price. */
export type Aggregator = (prices: readonly number[]) => number;

export const singleSource: Aggregator = (prices) => prices[0];

export class Oracle {
  /** The published price the protocol uses, USD. */
  priceUsd: number;
  /** Step of the last publication. */
  lastUpdateStep = 0;
  /** Whether the oracle published at the current step. */
  updatedThisStep = false;
  /** Ring buffer of aggregated candidates, for latency. */
  private readonly history: Float64Array;
  private readonly sources: OracleSource[];
  private readonly aggregate: Aggregator;

  constructor(
    private readonly cfg: Config['oracle'],
    initialPriceUsd: number,
  ) {
    this.sources = [compositeSource(cfg.venueWeight)];
    this.aggregate = singleSource;
    this.history = new Float64Array(cfg.latencySteps + 1).fill(initialPriceUsd);
    this.priceUsd = initialPriceUsd;
  }

  /** Observes the sources at `step` and publishes per the push rule unless frozen. */
  update(step: number, indexPriceUsd: number, markPriceUsd: number, frozen: boolean): void {
    const prices = this.sources.map((s) => s.read(indexPriceUsd, markPriceUsd));
    const len = this.history.length;
    this.history[step % len] = this.aggregate(prices);
    // The candidate seen now is the one observed `latencySteps` steps ago (or the oldest we have).
    const seen = this.history[(step + 1) % len];
    this.updatedThisStep = false;
    if (frozen) return;
    const deviation = Math.abs(seen - this.priceUsd) / this.priceUsd;
    if (deviation >= this.cfg.deviationThreshold || step - this.lastUpdateStep >= this.cfg.heartbeatSteps) {
      this.priceUsd = seen;
      this.lastUpdateStep = step;
      this.updatedThisStep = true;
    }
  }
}
