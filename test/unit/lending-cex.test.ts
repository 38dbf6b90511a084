// The CEX order book a lending liquidator may sell into (sim/market/book-venue.ts) and the choice of
// venue: exact figures for the linear-in-log book, and whole runs where a deep book lowers bad debt.
import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/api.js';
import { BookVenue } from '../../sim/market/book-venue.js';

const book = () => new BookVenue({ depthUsdPerPct: 1_000_000, feeRate: 0.001, recoveryShare: 0.5 }, 2000);

describe('the CEX book', () => {
  it('pays units x price x (1 - e^-k) / k less the fee, with k = notional / (100 x depth)', () => {
    // 500 ETH at $2,000 = $1M into $1M per 1%: k = 0.01.
    const k = 0.01;
    expect(book().quoteSellUsd(500)).toBeCloseTo(500 * 2000 * (-Math.expm1(-k) / k) * 0.999, 6);
  });

  it('pays the same for one sale as for the same units sold in two pieces', () => {
    const one = book();
    const two = book();
    const whole = one.sell(500);
    const pieces = two.sell(200) + two.sell(300);
    expect(pieces).toBeCloseTo(whole, 6);
    expect(two.priceUsd).toBeCloseTo(one.priceUsd, 9);
  });

  it('moves its price down by e^-k and lets makers close half the offset at the next step', () => {
    const b = book();
    b.sell(500);
    expect(b.priceUsd).toBeCloseTo(2000 * Math.exp(-0.01), 9);
    b.recover(2000);
    expect(b.priceUsd).toBeCloseTo(2000 * Math.exp(-0.005), 9);
  });

  it('is off with no depth: it quotes nothing and sells nothing', () => {
    const off = new BookVenue({ depthUsdPerPct: 0, feeRate: 0, recoveryShare: 0 }, 2000);
    expect(off.quoteSellUsd(10)).toBe(0);
    expect(off.sell(10)).toBe(0);
    expect(off.priceUsd).toBe(2000);
  });
});

describe('liquidators with a CEX book for WETH (lending-crash-starved, 1,000 borrowers, seeds 1..3)', () => {
  const loss = (sets: string[]) =>
    [1, 2, 3].map((seed) => simulate('lending-crash-starved', { seed, set: sets }).stats.protocol_loss_usd);

  it('leave less bad debt with a $2M-per-1% book beside the drained DEX pool than with the pool alone, in every seed', () => {
    const without = loss([]);
    const withBook = loss(['lending.assets.WETH.cex.depthUsdPerPct=2000000']);
    console.log(
      `CEX book: protocol loss without ${without.map((x) => x.toFixed(0)).join(', ')} | with ${withBook.map((x) => x.toFixed(0)).join(', ')}`,
    );
    withBook.forEach((x, i) => expect(x).toBeLessThanOrEqual(without[i]));
    expect(withBook.reduce((a, b) => a + b, 0)).toBeLessThan(without.reduce((a, b) => a + b, 0));
  });

  it('change nothing while the book is off (depth 0, the default)', () => {
    expect(loss(['lending.assets.WETH.cex.depthUsdPerPct=0'])).toEqual(loss([]));
  });
});
