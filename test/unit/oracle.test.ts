// The oracle's rules on hand-fed source prices (aggregation, latency, TWAP and EMA smoothing, the
// OSM-style delay, the change cap, the push rule, freezes, staleness, confidence, index noise), and
// the constant-product spot pool (invariant, price moves, fees, arbitrage toward the index).
import { describe, expect, it } from 'vitest';
import { ConfigSchema, type Config } from '../../sim/config/index.js';
import { median, Oracle, oracleSources, type OracleSource } from '../../sim/market/oracle.js';
import { streamFor, type Stream } from '../../sim/core/rng.js';
import { SpotPool } from '../../sim/market/spot-pool.js';
import { runSimulation } from '../../sim/engine.js';
import { smallScenario } from '../helpers/small-world.js';

const P0 = 100;

/** An oracle config from overrides, with defaults filled by the schema. */
function oracleConfig(overrides: Record<string, unknown>): Config['oracle'] {
  return ConfigSchema.parse({ oracle: overrides }).oracle;
}

/** An oracle starting at P0 that publishes the index at every step unless `overrides` say otherwise. */
function makeOracle(overrides: Record<string, unknown> = {}, noise: Stream = streamFor(1, 'oracle.noise')): Oracle {
  return new Oracle(oracleConfig({ deviationThreshold: 0, venueWeight: 0, ...overrides }), P0, noise);
}

/** Feeds the same price to every source at steps 1, 2, ...; returns the published price after each step. */
function feed(oracle: Oracle, prices: number[], firstStep = 1): number[] {
  return prices.map((p, k) => {
    oracle.update(firstStep + k, p, p, p, false);
    return oracle.priceUsd;
  });
}

describe('aggregation of the sources', () => {
  it('blends the index and the venue mark by venueWeight and ignores the spot pool in composite mode', () => {
    const o = makeOracle({ aggregation: 'composite', venueWeight: 0.25 });
    o.update(1, 100, 80, 1000, false);
    expect(o.priceUsd).toBeCloseTo(0.75 * 100 + 0.25 * 80, 12);
  });

  it('publishes the index alone with a venue weight of 0', () => {
    const o = makeOracle({ venueWeight: 0 });
    o.update(1, 104, 50, 50, false);
    expect(o.priceUsd).toBe(104);
  });

  it('takes the median of index, mark and spot pool in median mode, whichever source is in the middle', () => {
    const cases: [number, number, number, number][] = [
      [100, 90, 120, 100],
      [90, 100, 120, 100],
      [120, 90, 100, 100],
      [95, 95, 300, 95],
      [10, 200, 150, 150],
    ];
    for (const [index, mark, pool, median] of cases) {
      const o = makeOracle({ aggregation: 'median' });
      o.update(1, index, mark, pool, false);
      expect(o.priceUsd).toBe(median);
    }
  });

  it('lets no single manipulated source move the median price', () => {
    const o = makeOracle({ aggregation: 'median' });
    o.update(1, 100, 100, 10_000, false);
    expect(o.priceUsd).toBe(100);
    o.update(2, 100, 1, 100, false);
    expect(o.priceUsd).toBe(100);
  });
});

describe('the list of sources', () => {
  const src = (name: string, observes: OracleSource['observes'], weight = 0, noiseStd = 0): OracleSource => ({
    name,
    observes,
    noiseStd,
    weight,
  });

  it("is built from the oracle's keys: the index and the mark for composite, all three for median, the pool with the index for pool", () => {
    const names = (o: Record<string, unknown>) => oracleSources(oracleConfig(o)).map((s) => [s.name, s.weight]);
    expect(names({ aggregation: 'composite', venueWeight: 0.25 })).toEqual([
      ['index', 0.75],
      ['mark', 0.25],
    ]);
    expect(names({ aggregation: 'median' })).toEqual([
      ['index', 0],
      ['mark', 0],
      ['pool', 0],
    ]);
    expect(names({ aggregation: 'pool' })).toEqual([
      ['pool', 1],
      ['index', 0],
    ]);
    expect(oracleSources(oracleConfig({ indexNoiseStd: 0.01 })).map((s) => s.noiseStd)).toEqual([0.01, 0]);
  });

  it('gives the same bits as (1 - w) * index + w * mark for the composite', () => {
    for (const w of [0, 0.33, 0.5, 1]) {
      const o = makeOracle({ aggregation: 'composite', venueWeight: w });
      o.update(1, 101.37, 97.13, 5, false);
      expect(o.priceUsd).toBe((1 - w) * 101.37 + w * 97.13);
    }
  });

  it('publishes the pool alone in pool mode, with the gap to the index as its confidence', () => {
    const o = makeOracle({ aggregation: 'pool' });
    o.update(1, 100, 50, 110, false);
    expect(o.priceUsd).toBe(110);
    expect(o.confidenceUsd).toBe(5);
  });

  it('takes the median of four sources (the mean of the middle two) and the spread of all four', () => {
    const sources = [src('index', 'index'), src('mark', 'mark'), src('pool', 'pool'), src('index 2', 'index')];
    const o = new Oracle(
      oracleConfig({ aggregation: 'median', deviationThreshold: 0 }),
      P0,
      streamFor(1, 'n'),
      sources,
    );
    o.update(1, 100, 90, 300, false);
    // Sorted: 90, 100, 100, 300.
    expect(o.priceUsd).toBe(100);
    expect(o.confidenceUsd).toBe(105);
    o.update(2, 100, 90, 80, false);
    // Sorted: 80, 90, 100, 100.
    expect(o.priceUsd).toBe(95);
    expect(o.confidenceUsd).toBe(10);
  });

  it('weighs any number of sources in list order', () => {
    const sources = [src('index', 'index', 0.5), src('mark', 'mark', 0.3), src('pool', 'pool', 0.2)];
    const o = new Oracle(
      oracleConfig({ aggregation: 'composite', deviationThreshold: 0 }),
      P0,
      streamFor(1, 'n'),
      sources,
    );
    o.update(1, 100, 90, 120, false);
    expect(o.priceUsd).toBe(0.5 * 100 + 0.3 * 90 + 0.2 * 120);
    expect(o.confidenceUsd).toBe(15);
  });

  it('draws one normal per noisy source per step, in list order', () => {
    const sources = [src('a', 'index', 0, 0.01), src('b', 'mark'), src('c', 'index', 0, 0.02)];
    const o = new Oracle(
      oracleConfig({ aggregation: 'median', deviationThreshold: 0 }),
      P0,
      streamFor(3, 'n'),
      sources,
    );
    const ref = streamFor(3, 'n');
    o.update(1, 100, 100, 0, false);
    const a = 100 * Math.exp(0.01 * ref.normal());
    const c = 100 * Math.exp(0.02 * ref.normal());
    expect(o.priceUsd).toBe(median(Float64Array.of(a, 100, c)));
  });

  it('refuses a weighted composite without a source of non-zero weight', () => {
    expect(() => new Oracle(oracleConfig({}), P0, streamFor(1, 'n'), [src('index', 'index')])).toThrow(
      /non-zero weight/,
    );
  });

  it('gives the median of three by sorting, whichever order, and of one, two and five values', () => {
    const m3 = (a: number, b: number, c: number) => Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    const vs = [1, 2, 3, 2.5, -1];
    for (const a of vs)
      for (const b of vs) for (const c of vs) expect(median(Float64Array.of(a, b, c))).toBe(m3(a, b, c));
    expect(median(Float64Array.of(7))).toBe(7);
    expect(median(Float64Array.of(7, 3))).toBe(5);
    expect(median(Float64Array.of(5, 1, 4, 2, 3))).toBe(3);
  });
});

describe('latency', () => {
  it('publishes at each step the source price observed latencySteps steps earlier', () => {
    const o = makeOracle({ latencySteps: 3 });
    const prices = [101, 102, 103, 104, 105, 106, 107];
    const published = feed(o, prices);
    // Steps 1-3 still see what was observed before the first feed: the initial price.
    expect(published).toEqual([P0, P0, P0, 101, 102, 103, 104]);
  });

  it('publishes within the step with a latency of 0', () => {
    const o = makeOracle({ latencySteps: 0 });
    expect(feed(o, [101, 97])).toEqual([101, 97]);
  });
});

describe('smoothing', () => {
  it('publishes with a TWAP the mean of the last N seen values once N have been seen', () => {
    const o = makeOracle({ smoothing: 'twap', smoothingSteps: 4 });
    const prices = [100, 104, 108, 112, 116, 120, 90];
    const published = feed(o, prices);
    for (let k = 3; k < prices.length; k++) {
      const last4 = prices.slice(k - 3, k + 1);
      expect(published[k]).toBeCloseTo(last4.reduce((a, b) => a + b, 0) / 4, 10);
    }
  });

  it('averages only the values seen so far while the TWAP window is filling', () => {
    const o = makeOracle({ smoothing: 'twap', smoothingSteps: 10 });
    expect(feed(o, [110, 120, 90])).toEqual([110, 115, (110 + 120 + 90) / 3]);
  });

  it('averages the values seen after latency, not the raw sources', () => {
    const o = makeOracle({ smoothing: 'twap', smoothingSteps: 2, latencySteps: 1 });
    const published = feed(o, [110, 130, 150]);
    // Seen: 100 (initial), 110, 130.
    expect(published).toEqual([100, 105, 120]);
  });

  it('follows an EMA with alpha = 2 / (N + 1) starting from the initial price', () => {
    const n = 9;
    const alpha = 2 / (n + 1);
    const o = makeOracle({ smoothing: 'ema', smoothingSteps: n });
    const prices = [110, 110, 80, 95, 130];
    const published = feed(o, prices);
    let ema = P0;
    prices.forEach((p, k) => {
      ema += alpha * (p - ema);
      expect(published[k]).toBeCloseTo(ema, 10);
    });
    expect(published[0]).toBeCloseTo(102, 10);
  });

  it('publishes the raw value with an EMA of span 1 (alpha 1)', () => {
    const o = makeOracle({ smoothing: 'ema', smoothingSteps: 1 });
    expect(feed(o, [123, 77])).toEqual([123, 77]);
  });
});

describe('the OSM-style delay', () => {
  it('publishes at each step the value from delaySteps steps earlier', () => {
    const o = makeOracle({ delaySteps: 2 });
    const published = feed(o, [101, 102, 103, 104, 105]);
    expect(published).toEqual([P0, P0, 101, 102, 103]);
  });

  it('delays the smoothed value, so a TWAP and a delay add up', () => {
    const o = makeOracle({ delaySteps: 1, smoothing: 'twap', smoothingSteps: 2 });
    const published = feed(o, [110, 130, 150]);
    // TWAPs: 110, 120, 140; each published one step later.
    expect(published).toEqual([P0, 110, 120]);
  });
});

describe('the change cap per publication', () => {
  it('moves the published price by at most maxChangePerUpdate per publication toward the due value', () => {
    const o = makeOracle({ maxChangePerUpdate: 0.01 });
    const published = feed(o, [70, 70, 70]);
    expect(published[0]).toBeCloseTo(99, 10);
    expect(published[1]).toBeCloseTo(99 * 0.99, 10);
    expect(published[2]).toBeCloseTo(99 * 0.99 * 0.99, 10);
  });

  it('caps rises as well as falls', () => {
    const o = makeOracle({ maxChangePerUpdate: 0.02 });
    expect(feed(o, [150])[0]).toBeCloseTo(102, 10);
  });

  it('publishes a due value within the cap exactly', () => {
    const o = makeOracle({ maxChangePerUpdate: 0.01 });
    expect(feed(o, [100.5, 99.8])).toEqual([100.5, 99.8]);
  });

  it('needs about log(0.7) / log(0.99) = 36 publications to follow a 30% fall under a 1% cap', () => {
    const o = makeOracle({ maxChangePerUpdate: 0.01 });
    const published = feed(o, new Array<number>(40).fill(70));
    const publications = published.findIndex((p) => p === 70) + 1;
    expect(publications).toBe(Math.ceil(Math.log(0.7) / Math.log(0.99)));
  });
});

describe('the push rule', () => {
  it('publishes only when the due value moved by at least deviationThreshold since the last publication', () => {
    const o = makeOracle({ deviationThreshold: 0.01, heartbeatSteps: 1000 });
    o.update(1, 100.5, 100.5, 100.5, false);
    expect(o.updatedThisStep).toBe(false);
    expect(o.priceUsd).toBe(P0);
    o.update(2, 100.99, 100.99, 100.99, false);
    expect(o.updatedThisStep).toBe(false);
    o.update(3, 101, 101, 101, false);
    expect(o.updatedThisStep).toBe(true);
    expect(o.priceUsd).toBe(101);
    expect(o.lastUpdateStep).toBe(3);
  });

  it('measures the deviation from the last published price, not from the previous observation', () => {
    const o = makeOracle({ deviationThreshold: 0.01, heartbeatSteps: 1000 });
    // Creeping up by 0.4% a step: no single step moves 1%, but the third is 1.2% from the published 100.
    const published = feed(o, [100.4, 100.8, 101.2]);
    expect(published).toEqual([P0, P0, 101.2]);
  });

  it('publishes on the heartbeat even when the price has not moved by the threshold', () => {
    const o = makeOracle({ deviationThreshold: 0.05, heartbeatSteps: 10 });
    for (let step = 1; step < 10; step++) {
      o.update(step, 100.1, 100.1, 100.1, false);
      expect(o.updatedThisStep).toBe(false);
    }
    o.update(10, 100.1, 100.1, 100.1, false);
    expect(o.updatedThisStep).toBe(true);
    expect(o.priceUsd).toBe(100.1);
    // The next heartbeat counts from this publication.
    o.update(19, 100.2, 100.2, 100.2, false);
    expect(o.updatedThisStep).toBe(false);
    o.update(20, 100.2, 100.2, 100.2, false);
    expect(o.updatedThisStep).toBe(true);
  });
});

describe('freezes and staleness', () => {
  it('publishes nothing while frozen, however far the sources move, and catches up when the freeze ends', () => {
    const o = makeOracle({ heartbeatSteps: 1 });
    o.update(1, 101, 101, 101, false);
    for (let step = 2; step <= 5; step++) {
      o.update(step, 60, 60, 60, true);
      expect(o.updatedThisStep).toBe(false);
      expect(o.priceUsd).toBe(101);
      expect(o.lastUpdateStep).toBe(1);
    }
    o.update(6, 61, 61, 61, false);
    expect(o.updatedThisStep).toBe(true);
    expect(o.priceUsd).toBe(61);
  });

  it('flags the price stale once staleAfterSteps steps pass without a publication, and clears it on the next', () => {
    const o = makeOracle({ staleAfterSteps: 3 });
    o.update(1, 101, 101, 101, false);
    const stale: boolean[] = [];
    for (let step = 2; step <= 5; step++) {
      o.update(step, 90, 90, 90, true);
      stale.push(o.stale);
    }
    // Steps since the publication at step 1: 1, 2, 3, 4.
    expect(stale).toEqual([false, false, true, true]);
    o.update(6, 90, 90, 90, false);
    expect(o.stale).toBe(false);
  });

  it('counts steps without a publication as stale even when the oracle is not frozen but the price is flat', () => {
    const o = makeOracle({ deviationThreshold: 0.01, heartbeatSteps: 1000, staleAfterSteps: 2 });
    o.update(1, 100, 100, 100, false);
    o.update(2, 100, 100, 100, false);
    expect(o.stale).toBe(true);
  });

  it('never flags the price stale with staleAfterSteps 0', () => {
    const o = makeOracle({ staleAfterSteps: 0 });
    for (let step = 1; step <= 500; step++) o.update(step, 90, 90, 90, true);
    expect(o.stale).toBe(false);
  });
});

describe('confidence', () => {
  it('is half the spread of index, mark and pool at publication in median mode', () => {
    const o = makeOracle({ aggregation: 'median' });
    o.update(1, 100, 96, 110, false);
    expect(o.confidenceUsd).toBe(7);
  });

  it('is half the gap between index and mark in composite mode', () => {
    const o = makeOracle({ aggregation: 'composite', venueWeight: 0.5 });
    o.update(1, 100, 90, 500, false);
    expect(o.confidenceUsd).toBe(5);
  });

  it('changes only when the oracle publishes', () => {
    const o = makeOracle({ aggregation: 'median', deviationThreshold: 0.05, heartbeatSteps: 1000 });
    o.update(1, 100, 80, 120, false);
    // The median is unchanged (100): no publication, so the wider spread is not reported.
    expect(o.updatedThisStep).toBe(false);
    expect(o.confidenceUsd).toBe(0);
    o.update(2, 110, 80, 120, false);
    expect(o.updatedThisStep).toBe(true);
    expect(o.confidenceUsd).toBe(20);
  });

  it('is the spread of the observation it publishes when a delay is set (the sources behind the published price)', () => {
    const o = makeOracle({ aggregation: 'median', delaySteps: 2 });
    o.update(1, 100, 90, 130, false);
    o.update(2, 100, 100, 100, false);
    o.update(3, 100, 100, 100, false);
    // Step 3 publishes the median observed at step 1, whose sources spread over 40 USD.
    expect(o.priceUsd).toBe(100);
    expect(o.confidenceUsd).toBe(20);
  });

  it('is the spread observed with the published value, latencySteps earlier', () => {
    const o = makeOracle({ aggregation: 'median', latencySteps: 1 });
    o.update(1, 100, 90, 130, false);
    expect(o.confidenceUsd).toBe(0);
    o.update(2, 100, 100, 100, false);
    expect(o.priceUsd).toBe(100);
    expect(o.confidenceUsd).toBe(20);
  });
});

describe('index noise', () => {
  it('draws nothing from its stream when indexNoiseStd is 0', () => {
    const noise = streamFor(7, 'oracle.noise');
    const o = makeOracle({ indexNoiseStd: 0, venueWeight: 0 }, noise);
    expect(feed(o, [101, 102, 103])).toEqual([101, 102, 103]);
    expect(noise.uniform()).toBe(streamFor(7, 'oracle.noise').uniform());
  });

  it('multiplies the index by exp(std * z), one standard normal z per step from the oracle noise stream', () => {
    const std = 0.01;
    const o = makeOracle({ indexNoiseStd: std, venueWeight: 0 }, streamFor(7, 'oracle.noise'));
    const reference = streamFor(7, 'oracle.noise');
    const published = feed(o, [100, 100, 100]);
    for (const p of published) expect(p).toBeCloseTo(100 * Math.exp(std * reference.normal()), 9);
    expect(new Set(published).size).toBe(3);
  });

  it('leaves the index path of a run unchanged, because the noise draws from its own stream', () => {
    const quiet = smallScenario('calm', [], 50, 120);
    const noisy = smallScenario('calm', ['oracle.indexNoiseStd=0.01'], 50, 120);
    const a = runSimulation({ ...quiet, seed: 3 });
    const b = runSimulation({ ...noisy, seed: 3 });
    expect(Array.from(b.timeline.index_price_usd)).toEqual(Array.from(a.timeline.index_price_usd));
    expect(Array.from(b.timeline.oracle_price_usd)).not.toEqual(Array.from(a.timeline.oracle_price_usd));
  });
});

describe('the spot pool', () => {
  const LIQ = 1_000_000;
  function pool(overrides: Record<string, unknown> = {}): SpotPool {
    return new SpotPool(oracleConfig({ spotPool: { feeRate: 0, ...overrides } }).spotPool, P0);
  }

  it('starts at the initial price with liquidityUsd of quote and liquidityUsd / price of base', () => {
    const p = pool({ liquidityUsd: LIQ });
    expect(p.priceUsd).toBe(P0);
    // Buying 1% of the base reserve costs exactly k / (0.99 b) - q.
    const base = LIQ / P0;
    expect(p.swap(0.01 * base)).toBeCloseTo((base * LIQ) / (0.99 * base) - LIQ, 6);
  });

  it('keeps x * y = k across a sequence of buys and sells (price = k / x^2 for the tracked base reserve)', () => {
    const p = pool({ liquidityUsd: LIQ });
    let base = LIQ / P0;
    let quote = LIQ;
    const k = base * quote;
    for (const size of [500, -1200, 3000, -50, 10]) {
      const paid = p.swap(size);
      base -= size;
      expect(paid).toBeCloseTo(k / base - quote, 6);
      quote = k / base;
      expect(p.priceUsd).toBeCloseTo(k / (base * base), 9);
      expect(p.priceUsd).toBeCloseTo(quote / base, 9);
    }
  });

  it('raises the price on a buy and lowers it on a sell', () => {
    const p = pool({ liquidityUsd: LIQ });
    p.swap(1000);
    const afterBuy = p.priceUsd;
    expect(afterBuy).toBeGreaterThan(P0);
    p.swap(-3000);
    expect(p.priceUsd).toBeLessThan(afterBuy);
    expect(p.priceUsd).toBeLessThan(P0);
  });

  it('charges the fee on top of a buy, deducts it from a sale, and counts both in feesUsd', () => {
    const fee = 0.003;
    const plain = pool({ liquidityUsd: LIQ });
    const charged = pool({ liquidityUsd: LIQ, feeRate: fee });
    const buyFlow = plain.swap(1000);
    expect(charged.swap(1000)).toBeCloseTo(buyFlow * (1 + fee), 6);
    const sellFlow = plain.swap(-1000);
    expect(charged.swap(-1000)).toBeCloseTo(sellFlow * (1 - fee), 6);
    expect(charged.feesUsd).toBeCloseTo(fee * (buyFlow - sellFlow), 6);
    // The fee leaves the pool: its price path is the fee-free one.
    expect(charged.priceUsd).toBeCloseTo(plain.priceUsd, 9);
  });

  it('loses the trader money on a round trip of equal size', () => {
    const p = pool({ liquidityUsd: LIQ, feeRate: 0.003 });
    const paid = p.swap(2000);
    const received = -p.swap(-2000);
    expect(received).toBeLessThan(paid);
    expect(paid - received).toBeCloseTo(p.feesUsd, 6);
  });

  it('cannot be bought out: a buy takes at most 99.9% of the base reserve', () => {
    const p = pool({ liquidityUsd: LIQ });
    p.swap(1e12);
    // Base reserve 0.1% of the start: price = k / x^2 = P0 * 1000^2.
    expect(p.priceUsd).toBeCloseTo(P0 * 1e6, 0);
  });

  it('closes arbitrageShare of the log gap to the index on each arbitrage', () => {
    const p = pool({ liquidityUsd: LIQ, arbitrageShare: 0.3 });
    p.arbitrage(80);
    expect(Math.log(p.priceUsd / P0)).toBeCloseTo(0.3 * Math.log(80 / P0), 12);
    const before = p.priceUsd;
    p.arbitrage(80);
    expect(Math.log(p.priceUsd / before)).toBeCloseTo(0.3 * Math.log(80 / before), 12);
  });

  it('keeps x * y = k through arbitrage (a later swap costs what the invariant says)', () => {
    const p = pool({ liquidityUsd: LIQ, arbitrageShare: 0.5 });
    p.arbitrage(150);
    const k = LIQ * (LIQ / P0);
    const price = p.priceUsd;
    const base = Math.sqrt(k / price);
    const quote = k / base;
    expect(p.swap(100)).toBeCloseTo(k / (base - 100) - quote, 6);
  });

  it('does not move with an arbitrage share of 0', () => {
    const p = pool({ liquidityUsd: LIQ, arbitrageShare: 0 });
    p.arbitrage(50);
    expect(p.priceUsd).toBe(P0);
  });
});
