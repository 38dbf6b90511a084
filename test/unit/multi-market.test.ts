// Several markets (issue 7): the correlation factor, cross vs isolated margin on hand-built venues
// (a loss in one market reaches the others only under cross margin; a shortfall is covered by the
// other markets first), config errors naming the field, scoped statistics, determinism, and the
// contagion of a thin-market crash over 20 seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { choleskyFactor, correlationMatrix, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { ConservationCheck, runSimulation } from '../../sim/engine.js';
import { MarketLink } from '../../sim/perp/market-link.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';
import { setPrice, T0, trade, venueWorld, LIQUIDATOR } from '../helpers/venue-world.js';
import { propertyRuns } from '../helpers/property-runs.js';
import { userError } from '../helpers/inputs.js';

/** The built-in three-market scenarios scaled to a small world: each market's depth by the same factor. */
function smallMarkets(ref: string, extra: string[] = [], traders = 300, steps = 480) {
  const k = traders / 10_000;
  return smallScenario(
    ref,
    [
      `markets.BTC.market.depthUsdPerPct=${20_000_000 * k}`,
      `markets.ETH.market.depthUsdPerPct=${15_000_000 * k}`,
      `markets.ALT.market.depthUsdPerPct=${1_500_000 * k}`,
      ...extra,
    ],
    traders,
    steps,
  );
}

describe('correlated index processes', () => {
  it('factors a correlation matrix so that L times its transpose gives it back', () => {
    const m = correlationMatrix({ ...DEFAULT_CONFIG.multiMarket, correlationMatrix: [] }, 3);
    const full = [
      [1, 0.8, 0.5],
      [0.8, 1, 0.6],
      [0.5, 0.6, 1],
    ];
    for (const matrix of [m, full]) {
      const l = choleskyFactor(matrix)!;
      for (let r = 0; r < 3; r++)
        for (let c = 0; c < 3; c++) {
          let s = 0;
          for (let j = 0; j < 3; j++) s += l[r][j] * l[c][j];
          expect(s).toBeCloseTo(matrix[r][c], 12);
        }
    }
  });

  it('moves every market with the same draw when correlations jump to 1, and rejects a matrix that is not positive definite', () => {
    const ones = correlationMatrix({ ...DEFAULT_CONFIG.multiMarket, correlation: 1 }, 3);
    expect(choleskyFactor(ones)).toEqual([
      [1, 0, 0],
      [1, 0, 0],
      [1, 0, 0],
    ]);
    expect(
      choleskyFactor([
        [1, 0.9, -0.9],
        [0.9, 1, 0.9],
        [-0.9, 0.9, 1],
      ]),
    ).toBeUndefined();
  });

  it('gives index log returns the configured correlation (2,000 calm steps, two markets)', () => {
    const spec = smallScenario(
      'calm',
      [
        'markets.A.market.annualVolatility=0.6',
        'markets.B.market.annualVolatility=1.2',
        'multiMarket.correlation=0.6',
        'multiMarket.crossMarginShare=0',
      ],
      50,
      2000,
    );
    const r = runSimulation({ ...spec, seed: 3 });
    const [a, b] = r.marketTimelines.map((m) => m.timeline.index_price_usd);
    const ra: number[] = [];
    const rb: number[] = [];
    for (let t = 1; t < a.length; t++) {
      ra.push(Math.log(a[t] / a[t - 1]));
      rb.push(Math.log(b[t] / b[t - 1]));
    }
    const ma = mean(ra);
    const mb = mean(rb);
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let t = 0; t < ra.length; t++) {
      sab += (ra[t] - ma) * (rb[t] - mb);
      saa += (ra[t] - ma) ** 2;
      sbb += (rb[t] - mb) ** 2;
    }
    const corr = sab / Math.sqrt(saa * sbb);
    // Standard error of a sample correlation of 0.6 over 2,000 draws: about 0.015.
    expect(corr).toBeGreaterThan(0.55);
    expect(corr).toBeLessThan(0.65);
  });
});

describe('cross and isolated margin (two hand-built markets)', () => {
  /** Trader T0 long 80 units at 100 in each of two markets with 1,000 USD in each; cross-margined or not. */
  function twoMarkets(cross: boolean) {
    const a = venueWorld({ traders: 1, priceUsd: 100 });
    const b = venueWorld({ traders: 1, priceUsd: 100 });
    for (const w of [a, b]) expect(trade(w, T0, 80, 1000).ok).toBe(true);
    const flags = new Uint8Array(a.accounts.count);
    if (cross) flags[T0] = 1;
    const link = new MarketLink([a.venue, b.venue], cross ? [T0] : []);
    a.venue.setCrossMargin(link, flags);
    b.venue.setCrossMargin(link, flags);
    return { a, b, link };
  }

  function scan(w: { a: ReturnType<typeof venueWorld>; b: ReturnType<typeof venueWorld>; link: MarketLink }) {
    w.a.venue.refreshLiquidatable(1);
    w.b.venue.refreshLiquidatable(1);
    w.link.scan(1);
    return { a: [...w.a.venue.flagged], b: [...w.b.venue.flagged] };
  }

  it('under cross margin a fall in market A alone flags the account in A and B once summed equity is below summed maintenance', () => {
    const w = twoMarkets(true);
    // At 85: equity -200 + 1000 = 800 (less fees) vs maintenance 3% x (6,800 + 8,000) = 444: safe.
    setPrice(w.a, 85);
    expect(scan(w)).toEqual({ a: [], b: [] });
    // At 80: equity -600 + 1000 = 400 (less fees) vs 3% x 14,400 = 432: liquidatable in both markets.
    setPrice(w.a, 80);
    expect(scan(w)).toEqual({ a: [T0], b: [T0] });
    expect(w.a.venue.isLiquidatable(T0)).toBe(true);
    expect(w.b.venue.isLiquidatable(T0)).toBe(true);
  });

  it('under isolated margin the same fall flags only market A: B is spared', () => {
    const w = twoMarkets(false);
    setPrice(w.a, 80);
    expect(scan(w)).toEqual({ a: [T0], b: [] });
  });

  it("covers a cross account's shortfall in A with its equity in B: no bad debt, where isolated margin books some", () => {
    for (const cross of [true, false]) {
      const w = twoMarkets(cross);
      setPrice(w.a, 80);
      scan(w);
      const liq = w.a.venue.apply({ kind: 'liquidate', liquidator: LIQUIDATOR, account: T0, worstPriceUsd: 0 });
      expect(liq.ok).toBe(true);
      if (cross) {
        expect(w.a.venue.totals.badDebtUsd).toBe(0);
        // B paid A's loss beyond A's collateral: B's equity fell by that amount.
        expect(w.b.venue.equity(T0)).toBeLessThan(1000 - 600 + 1);
        expect(w.b.venue.equity(T0)).toBeGreaterThan(1000 - 600 - 200);
      } else expect(w.a.venue.totals.badDebtUsd).toBeGreaterThan(500);
      // Value is conserved over the two markets together (each venue keeps its own fund here).
      new ConservationCheck(DEFAULT_CONFIG.invariants, 1).check(2, [w.a.venue, w.b.venue], true);
    }
  });

  it('counts the other markets in the initial-margin test of a cross account: a trade isolated margin allows is refused', () => {
    const w = twoMarkets(true);
    setPrice(w.a, 87);
    // After buying 80 more in B: equity -40 in A + 1,000 in B = 960 against initial margin 5% x (16,000 + 6,960) = 1,148.
    expect(trade(w.b, T0, 80).ok).toBe(false);
    // Isolated, B alone has 1,000 against 5% x 16,000 = 800.
    const iso = twoMarkets(false);
    setPrice(iso.a, 87);
    expect(trade(iso.b, T0, 80).ok).toBe(true);
  });
});

describe('the cross-margin scan', () => {
  it('flags every cross account a brute-force check finds liquidatable, whatever the price paths and trades (it skips only accounts the price movement cannot have reached)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: -0.04, max: 0.04, noNaN: true }),
            fc.double({ min: -0.04, max: 0.04, noNaN: true }),
            fc.integer({ min: 0, max: 5 }),
            fc.double({ min: -20, max: 20, noNaN: true }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (moves) => {
          const traders = 6;
          const a = venueWorld({ traders, priceUsd: 100 });
          const b = venueWorld({ traders, priceUsd: 100 });
          const ids = Array.from({ length: traders }, (_, k) => T0 + k);
          ids.forEach((i, k) => {
            trade(a, i, (k % 2 ? 1 : -1) * (40 + 10 * k), 300 + 50 * k);
            trade(b, i, (k % 3 ? 1 : -1) * (30 + 5 * k), 300 + 40 * k);
          });
          const flags = new Uint8Array(a.accounts.count);
          for (const i of ids) flags[i] = 1;
          const link = new MarketLink([a.venue, b.venue], ids);
          a.venue.setCrossMargin(link, flags);
          b.venue.setCrossMargin(link, flags);
          let pa = 100;
          let pb = 100;
          moves.forEach(([ra, rb, who, size], n) => {
            const step = n + 1;
            pa *= Math.exp(ra);
            pb *= Math.exp(rb);
            setPrice(a, pa);
            setPrice(b, pb);
            a.venue.refreshLiquidatable(step);
            b.venue.refreshLiquidatable(step);
            link.scan(step);
            for (const i of ids) {
              if (a.venue.isLiquidatable(i)) expect(a.venue.flagged).toContain(i);
              if (b.venue.isLiquidatable(i)) expect(b.venue.flagged).toContain(i);
            }
            // A trade of one account between scans (refused or not) must not escape the next scan.
            trade(n % 2 ? a : b, ids[who], size);
          });
        },
      ),
      { seed: 17, numRuns: propertyRuns(150) },
    );
  });
});

describe('multi-market configs', () => {
  const { scenario, params } = loadScenario('thin-market-crash');

  it.each([
    ['markets.ALT.protocol.maintenanceMarginRate=0.5', 'markets.ALT.protocol.maintenanceMarginRate'],
    ['markets.ALT.agents.traders.count=5', 'markets.ALT.agents.traders.count'],
    ['markets.ALT.protocol.insuranceFundUsd=5', 'markets.ALT.protocol.insuranceFundUsd'],
    ['multiMarket.correlation=-0.9', 'multiMarket.correlation'],
    ['metrics.market=SOL', 'metrics.market'],
    ['collateral.enabled=true', 'collateral.enabled'],
  ])('refuses %s with one line naming %s', (set, field) => {
    const e = userError(() => resolveConfig(scenario.source, params, [set]));
    expect(e.message).toContain(field);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('refuses a market override of a parameter that does not exist, and a single market', () => {
    expect(userError(() => resolveConfig('x', {}, ['markets.ALT.protocol.nope=1'])).message).toContain(
      'unknown parameter',
    );
    expect(userError(() => resolveConfig('x', {}, ['markets.ALT.market.annualVolatility=1'])).message).toContain(
      'at least two markets',
    );
  });

  it('refuses a shock naming an unknown market, and a market shock or a correlation shock in a single-market run', () => {
    const spec = smallMarkets('thin-market-crash');
    const bad = { ...spec.scenario, shocks: [{ kind: 'priceJump' as const, step: 1, pct: -0.1, market: 'SOL' }] };
    expect(userError(() => runSimulation({ scenario: bad, config: spec.config, seed: 1 })).message).toContain(
      'shocks[0].market',
    );
    const single = smallScenario('calm', [], 50, 20);
    const named = { ...single.scenario, shocks: [{ kind: 'priceJump' as const, step: 1, pct: -0.1, market: 'BTC' }] };
    expect(userError(() => runSimulation({ ...single, scenario: named, seed: 1 })).message).toContain(
      'shocks[0].market',
    );
    const tooNegative = {
      ...spec.scenario,
      shocks: [{ kind: 'correlation' as const, step: 1, steps: 5, value: -0.9 }],
    };
    expect(userError(() => runSimulation({ scenario: tooNegative, config: spec.config, seed: 1 })).message).toContain(
      'shocks[0].value',
    );
    const corr = { ...single.scenario, shocks: [{ kind: 'correlation' as const, step: 1, steps: 5, value: 1 }] };
    expect(userError(() => runSimulation({ ...single, scenario: corr, seed: 1 })).message).toContain('shocks[0].kind');
  });
});

describe('multi-market runs (small world)', () => {
  it('are deterministic, write each market in timeline.csv, and metrics.market scopes the statistics to one market', () => {
    const spec = smallMarkets('thin-market-crash');
    const a = runSimulation({ ...spec, seed: 7 });
    const b = runSimulation({ ...spec, seed: 7 });
    expect(b.stats).toEqual(a.stats);
    expect(b.marketTimelines.map((m) => Array.from(m.timeline.liquidations))).toEqual(
      a.marketTimelines.map((m) => Array.from(m.timeline.liquidations)),
    );
    expect(a.marketTimelines.map((m) => m.name)).toEqual(['BTC', 'ETH', 'ALT']);
    // The venue's liquidations are the markets' summed.
    const perMarket = a.marketTimelines.map((m) => m.timeline.liquidations.reduce((s, x) => s + x, 0));
    expect(a.stats.liquidations).toBe(perMarket.reduce((s, x) => s + x, 0));
    // BTC and ETH positions liquidated because of ALT's loss are not liquidatable at their own index, but
    // the account is at every market's index: not induced by the oracle.
    expect(a.stats.induced_liquidations).toBeLessThan(0.2 * a.stats.liquidations);
    const alt = runSimulation({ ...smallMarkets('thin-market-crash', ['metrics.market=ALT']), seed: 7 });
    expect(alt.stats.liquidations).toBe(perMarket[2]);
    expect(alt.stats.index_drawdown_pct).toBeGreaterThan(55);
  });

  it("caps the initial book at the open-interest cap when capInitialBook is set: ALT's open interest starts at or below it", () => {
    const spec = smallMarkets('thin-market-crash', [
      'markets.ALT.breakers.openInterest.maxPerSideUsd=100000',
      'markets.ALT.breakers.openInterest.capInitialBook=true',
    ]);
    const r = runSimulation({ ...spec, seed: 7 });
    const alt = r.marketTimelines.find((m) => m.name === 'ALT')!.timeline;
    // At step 0 the price has moved one step from the start price at which the cap was applied.
    expect(alt.open_interest_long_usd[0]).toBeLessThan(100_000 * 1.05);
    expect(alt.open_interest_short_usd[0]).toBeLessThan(100_000 * 1.05);
    const free = runSimulation({ ...smallMarkets('thin-market-crash'), seed: 7 });
    expect(free.marketTimelines[2].timeline.open_interest_long_usd[0]).toBeGreaterThan(200_000);
  });

  it('contagion over 20 seeds: under cross margin the ALT crash liquidates BTC and ETH positions that isolated margin spares (their ALT losses eat the margin of the other markets), while isolated margin leaves more bad debt in ALT', () => {
    const window = (r: ReturnType<typeof runSimulation>, name: string) => {
      const liq = r.marketTimelines.find((m) => m.name === name)!.timeline.liquidations;
      let n = 0;
      for (let t = 300; t < 360; t++) n += liq[t];
      return n;
    };
    const cross = runSeeds(smallMarkets('thin-market-crash'), 20);
    const isolated = runSeeds(smallMarkets('thin-market-crash', ['multiMarket.crossMarginShare=0']), 20);
    const majors = (rs: typeof cross) => rs.map((r) => window(r, 'BTC') + window(r, 'ETH'));
    const altDebt = (rs: typeof cross) =>
      rs.map((r) => r.marketTimelines.find((m) => m.name === 'ALT')!.timeline.bad_debt_usd.at(-1)!);
    console.log(
      `thin-market-crash: BTC+ETH liquidations in the crash hour cross ${mean(majors(cross)).toFixed(1)} vs isolated ${mean(majors(isolated)).toFixed(1)}; ALT bad debt cross ${mean(altDebt(cross)).toFixed(0)} vs isolated ${mean(altDebt(isolated)).toFixed(0)}`,
    );
    expect(mean(majors(cross))).toBeGreaterThan(5 * Math.max(1, mean(majors(isolated))));
    expect(majors(cross).filter((n, s) => n > majors(isolated)[s]).length).toBeGreaterThanOrEqual(18);
    expect(mean(altDebt(isolated))).toBeGreaterThan(mean(altDebt(cross)));
  });
});
