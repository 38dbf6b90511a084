// The lending family's agent populations (agents/lending/) on hand-built views with fixed numbers:
// liquidators' close-factor repay, dust, capital and participation rule; suppliers' triggers;
// managed borrowers' repay to target; the oracle manipulator's CPMM pump and borrow; determinism.
import { BookVenue } from '../../sim/market/book-venue.js';
import { describe, expect, it } from 'vitest';
import { ethUsdcParams, reserve } from './lending-fixtures.js';
import { BorrowSqueezer, OracleManipulator, unitsToPumpCpmm } from '../../agents/lending/attackers.js';
import { LendingLiquidators, cpmmSellProceedsUsd } from '../../agents/lending/liquidators.js';
import { Borrowers, Loopers, Suppliers } from '../../agents/lending/users.js';
import { Stream } from '../../sim/core/rng.js';
import type {
  DexView,
  Health,
  LendingAction,
  LendingPoolView,
  LendingView,
  PoolParams,
} from '../../sim/lending/types.js';

/** Asset 0: ETH (collateral, $2,000); asset 1: USDC (debt, $1). */
const params = ethUsdcParams;

interface FakeState {
  params: PoolParams;
  prices: number[];
  /** supply[account][asset], units. */
  supply: number[][];
  /** debt[account][asset], units. */
  debt: number[][];
  cash?: number[];
  utilization?: number[];
}

function fakePool(s: FakeState): LendingPoolView {
  const oraclePriceUsd = Float64Array.from(s.prices);
  const n = s.params.reserves.length;
  const health = (account: number): Health => {
    const h: Health = { thresholdValueUsd: 0, borrowPowerUsd: 0, collateralUsd: 0, debtUsd: 0, healthFactor: Infinity };
    for (let a = 0; a < n; a++) {
      const r = s.params.reserves[a];
      const v = (s.supply[account]?.[a] ?? 0) * oraclePriceUsd[a];
      if (r.collateral) {
        h.collateralUsd += v;
        h.thresholdValueUsd += v * r.liquidationThreshold;
        h.borrowPowerUsd += v * r.ltv;
      }
      h.debtUsd += (s.debt[account]?.[a] ?? 0) * oraclePriceUsd[a];
    }
    h.healthFactor = h.debtUsd > 0 ? h.thresholdValueUsd / h.debtUsd : Infinity;
    return h;
  };
  return {
    params: s.params,
    accounts: s.supply.length,
    oraclePriceUsd,
    supplyUnits: (account, asset) => s.supply[account]?.[asset] ?? 0,
    debtUnits: (account, asset) => s.debt[account]?.[asset] ?? 0,
    eMode: () => 0,
    health,
    cashUnits: (asset) => s.cash?.[asset] ?? 1e12,
    totalSupplyUnits: () => 0,
    totalDebtUnits: () => 0,
    utilization: (asset) => s.utilization?.[asset] ?? 0,
    borrowRatePerYear: () => 0,
    reservesUnits: () => 0,
    absorbedUnits: () => 0,
    storeFrontPriceUsd: () => 0,
    liquidationAllowed: () => true,
    healthFactor: (account) => health(account).healthFactor,
    queuedUnits: () => 0,
  };
}

function dex(baseUnits: number, priceUsd: number, feeRate = 0.003): DexView {
  return { reserves: { baseUnits, quoteUsd: baseUnits * priceUsd }, feeRate, priceUsd };
}

function view(pool: LendingPoolView, over: Partial<LendingView> = {}): LendingView {
  const liquidatable: number[] = [];
  for (let i = 0; i < pool.accounts; i++) if (pool.healthFactor(i) < 1) liquidatable.push(i);
  return {
    step: 0,
    pool,
    marketPriceUsd: Float64Array.from(pool.oraclePriceUsd),
    dex: [dex(10_000, 2000), dex(1e9, 1)],
    cex: pool.params.reserves.map(() => new BookVenue({ depthUsdPerPct: 0, feeRate: 0, recoveryShare: 0 }, 1)),
    gasUsd: 10,
    liquidatorOutage: 0,
    liquidatable,
    liquidatorCapitalUsd: new Float64Array(8).fill(1e6),
    supplierRunShare: new Float64Array(pool.params.reserves.length),
    attackerUsd: new Float64Array(4).fill(1e6),
    ...over,
  };
}

/** 10 ETH ($20,000) against 16,500 USDC: HF 16,000/16,500 ≈ 0.97, above the full-close 0.95. */
function oneUnderwater(over: Partial<PoolParams> = {}): LendingPoolView {
  return fakePool({ params: params(over), prices: [2000, 1], supply: [[10, 0]], debt: [[0, 16_500]] });
}

function liquidators(count: number, over: { gasUsd?: number; minProfitUsd?: number; maxPerStep?: number } = {}) {
  const streams = Array.from({ length: count }, (_, l) => new Stream(`liq-${l}`));
  const opts = { count, capitalUsd: 1e6, gasUsd: 10, minProfitUsd: 0, maxPerStep: 5, ...over };
  return new LendingLiquidators(opts, streams);
}

function decide(agent: { decide(v: LendingView, out: LendingAction[]): void }, v: LendingView): LendingAction[] {
  const out: LendingAction[] = [];
  agent.decide(v, out);
  return out;
}

describe('lending liquidators (Aave model)', () => {
  it('repays the close-factor share of the largest debt against the largest collateral when the sale beats cost and gas', () => {
    const out = decide(liquidators(1), view(oneUnderwater()));
    expect(out).toEqual([
      { kind: 'liquidate', liquidator: 0, account: 0, debtAsset: 1, collateralAsset: 0, repayUnits: 8250 },
    ]);
  });

  it('prices its share of the seized collateral with the CPMM formula: 4.310625 ETH into 10,000 ETH fetch $8,591.69', () => {
    // Seized 8,250 x 1.05 / 2,000 = 4.33125 ETH; the protocol keeps 0.1 x (4.33125 - 4.125) = 0.020625.
    const proceeds = cpmmSellProceedsUsd({ baseUnits: 10_000, quoteUsd: 2e7 }, 0.003, 4.310625);
    expect(proceeds).toBeCloseTo(8591.6938, 3);
  });

  it('skips the account when the DEX slippage and gas beat the bonus (profit $164.57 before gas on a 200 ETH pool)', () => {
    const pool = oneUnderwater();
    const thin = [dex(200, 2000), dex(1e9, 1, 0)];
    expect(decide(liquidators(1), view(pool, { dex: thin, gasUsd: 150 }))).toHaveLength(1);
    expect(decide(liquidators(1), view(pool, { dex: thin, gasUsd: 170 }))).toEqual([]);
  });

  it('skips the account when the slippage alone beats the bonus (a 100 ETH pool, no gas)', () => {
    const out = decide(liquidators(1), view(oneUnderwater(), { dex: [dex(100, 2000), dex(1e9, 1)], gasUsd: 0 }));
    expect(out).toEqual([]);
  });

  it('does nothing while offline: with an outage of one half, only the second of two liquidators acts', () => {
    const out = decide(liquidators(2), view(oneUnderwater(), { liquidatorOutage: 0.5 }));
    expect(out.map((a) => (a.kind === 'liquidate' ? a.liquidator : -1))).toEqual([1]);
    expect(decide(liquidators(1), view(oneUnderwater(), { liquidatorOutage: 0.5 }))).toEqual([]);
  });

  it('repays the whole debt when a close-factor repay would leave less than the minimum leftover', () => {
    // Half of 16,500 leaves 8,250 of debt, below a minimum leftover of 9,000: the whole 16,500 it is.
    const out = decide(liquidators(1), view(oneUnderwater({ minLeftoverUsd: 9000 })));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'liquidate', repayUnits: 16_500 });
  });

  it('caps the repay by its capital less gas (5,000 USD of capital, 10 of gas: 4,990 USDC)', () => {
    const capital = new Float64Array([5000]);
    const out = decide(liquidators(1), view(oneUnderwater(), { liquidatorCapitalUsd: capital }));
    expect(out).toEqual([
      { kind: 'liquidate', liquidator: 0, account: 0, debtAsset: 1, collateralAsset: 0, repayUnits: 4990 },
    ]);
  });

  it('skips a reserve whose liquidation is not allowed', () => {
    const pool = { ...oneUnderwater(), liquidationAllowed: (a: number) => a !== 0 };
    expect(decide(liquidators(1), view(pool))).toEqual([]);
  });

  it('counts its own earlier sales into the same DEX pool this step: on a 150 ETH pool it takes one of two like accounts', () => {
    // The first sale clears $105.98; the second, into the pool it has already pushed down, would lose $347.54.
    const pool = fakePool({
      params: params(),
      prices: [2000, 1],
      supply: [
        [10, 0],
        [10, 0],
      ],
      debt: [
        [0, 16_500],
        [0, 16_500],
      ],
    });
    const v = view(pool, { dex: [dex(150, 2000), dex(1e9, 1)], gasUsd: 0 });
    expect(decide(liquidators(1), v)).toHaveLength(1);
    expect(decide(liquidators(2), v)).toHaveLength(2);
  });

  it('is deterministic: liquidators seeded alike propose the same liquidations in the same order', () => {
    const supply = Array.from({ length: 6 }, () => [10, 0]);
    const debt = Array.from({ length: 6 }, (_, i) => [0, 16_500 + 10 * i]);
    const pool = fakePool({ params: params(), prices: [2000, 1], supply, debt });
    const a = decide(liquidators(3, { maxPerStep: 2 }), view(pool));
    const b = decide(liquidators(3, { maxPerStep: 2 }), view(pool));
    expect(a).toHaveLength(6);
    expect(a).toEqual(b);
  });
});

describe('lending liquidators (Compound model)', () => {
  // Base asset 1 (USDC); the protocol holds 10 absorbed ETH for sale at the store front, $1,950.
  const compound = (reservesUnits: number): LendingPoolView => ({
    ...fakePool({
      params: params({ model: 'compound', targetReservesUnits: 1e6 }),
      prices: [2000, 1],
      supply: [[10, 0]],
      debt: [[0, 16_500]],
    }),
    absorbedUnits: (a) => (a === 0 ? 10 : 0),
    storeFrontPriceUsd: () => 1950,
    reservesUnits: () => reservesUnits,
  });

  it('the first online liquidator absorbs a liquidatable account whose collateral resells above the store-front price by more than gas', () => {
    const out = decide(liquidators(2), view(compound(1e6), { liquidatorOutage: 0.5 }));
    expect(out).toEqual([{ kind: 'absorb', liquidator: 1, account: 0 }]);
  });

  it('buys the absorbed collateral (10 ETH for 19,500 USDC) while the base reserves are below target and the DEX pays more', () => {
    const v = view(compound(0), { liquidatable: [] });
    expect(decide(liquidators(1), v)).toEqual([{ kind: 'buyCollateral', liquidator: 0, asset: 0, baseUnits: 19_500 }]);
    expect(decide(liquidators(1), view(compound(1e6), { liquidatable: [] }))).toEqual([]);
  });
});

describe('lending suppliers', () => {
  const pool = (utilization: number) =>
    fakePool({
      params: params(),
      prices: [2000, 1],
      supply: [
        [0, 100],
        [0, 200],
        [0, 300],
      ],
      debt: [[], [], []],
      utilization: [0, utilization],
    });
  const suppliers = (seed = 's') =>
    new Suppliers({ withdrawAboveUtilization: 0.9, withdrawOnDrawdownPct: 0 }, [0, 1, 2], [1, 1, 1], new Stream(seed));

  it('withdraw their whole balance, queued, once their reserve is past the utilization trigger, and only once', () => {
    const s = suppliers();
    expect(decide(s, view(pool(0.85)))).toEqual([]);
    expect(decide(s, view(pool(0.95)))).toEqual([
      { kind: 'withdraw', account: 0, asset: 1, units: 100, queue: true },
      { kind: 'withdraw', account: 1, asset: 1, units: 200, queue: true },
      { kind: 'withdraw', account: 2, asset: 1, units: 300, queue: true },
    ]);
    expect(decide(s, view(pool(0.95)))).toEqual([]);
  });

  it('send the run share of the suppliers of an asset to withdraw during a supplier run (one third of three: one)', () => {
    const s = suppliers();
    const out = decide(
      s,
      view(pool(0.5), { supplierRunShare: new Float64Array(pool(0.5).params.reserves.length).fill(1 / 3) }),
    );
    expect(out).toHaveLength(1);
    expect(
      decide(s, view(pool(0.5), { supplierRunShare: new Float64Array(pool(0.5).params.reserves.length).fill(1) })),
    ).toHaveLength(2);
  });

  it('withdraw once the first collateral asset has fallen the drawdown percentage from its first price', () => {
    const s = new Suppliers({ withdrawAboveUtilization: 1, withdrawOnDrawdownPct: 20 }, [0], [1], new Stream('d'));
    const p = pool(0);
    expect(decide(s, view(p, { marketPriceUsd: new Float64Array([2000, 1]) }))).toEqual([]);
    expect(decide(s, view(p, { marketPriceUsd: new Float64Array([1700, 1]) }))).toEqual([]);
    expect(decide(s, view(p, { marketPriceUsd: new Float64Array([1600, 1]) }))).toHaveLength(1);
  });
});

describe('lending borrowers and loopers', () => {
  // Account 0 (managed) and 1 (not): 10 ETH, threshold value 16,000, debt 15,000: HF 1.0667.
  const pool = fakePool({
    params: params(),
    prices: [2000, 1],
    supply: [
      [10, 0],
      [10, 0],
    ],
    debt: [
      [0, 15_000],
      [0, 15_000],
    ],
  });
  const opts = { managedShare: 0.5, actBelowHealthFactor: 1.1, targetHealthFactor: 1.25 };

  it('a managed borrower repays to its target health factor exactly (15,000 - 16,000/1.25 = 2,200 USDC); the unmanaged one does nothing', () => {
    const out = decide(new Borrowers(opts, [0, 1], 0, 1, new Stream('b')), view(pool));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'repay', account: 0, asset: 1 });
    const units = out[0].kind === 'repay' ? out[0].units : NaN;
    expect(units).toBeCloseTo(2200, 9);
    expect(16_000 / (15_000 - units)).toBeCloseTo(1.25, 12);
  });

  it('a managed borrower below health factor 1 does not act (it is too late)', () => {
    const under = fakePool({ params: params(), prices: [1800, 1], supply: [[10, 0]], debt: [[0, 15_000]] });
    expect(decide(new Borrowers({ ...opts, managedShare: 1 }, [0], 0, 1, new Stream('b')), view(under))).toEqual([]);
  });

  it('a managed looper deleverages by repaying to its target health factor as a borrower does', () => {
    const out = decide(new Loopers(opts, [0, 1], 0, 1, new Stream('l')), view(pool));
    expect(out).toHaveLength(1);
    expect(out[0].kind === 'repay' ? out[0].units : NaN).toBeCloseTo(2200, 9);
  });
});

describe('lending attackers', () => {
  // Asset 0: the thin token ($1, 1,000 units on its DEX), collateral with LTV 0.5; asset 1: USDC.
  const thinParams = params({ reserves: [reserve('THIN', { ltv: 0.5 }), reserve('USDC', { collateral: false })] });
  const opts = { asset: 0, borrowAsset: 1, capitalUsd: 1e6, step: 3, pumpPct: 300 };

  it('the CPMM pump size: a 300% pump of a 1,000-unit pool buys 500 units (x / sqrt(4) left)', () => {
    expect(unitsToPumpCpmm({ baseUnits: 1000, quoteUsd: 1000 }, 300)).toBeCloseTo(500, 12);
  });

  it('the manipulator buys the pump at its step, within its capital, and nothing at other steps', () => {
    const pool = fakePool({ params: thinParams, prices: [1, 1], supply: [[]], debt: [[]] });
    const dexes = [dex(1000, 1, 0.003), dex(1e9, 1)];
    const m = new OracleManipulator(opts, 0, 0);
    expect(decide(m, view(pool, { step: 2, dex: dexes }))).toEqual([]);
    const out = decide(m, view(pool, { step: 3, dex: dexes }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ kind: 'swap', attacker: 0, asset: 0 });
    expect(out[0].kind === 'swap' ? out[0].units : NaN).toBeCloseTo(500, 9);
    // $100 buys 1,000 x 99.7 / 1,099.7 units.
    const poor = decide(new OracleManipulator({ ...opts, capitalUsd: 100 }, 0, 0), view(pool, { step: 3, dex: dexes }));
    expect(poor[0].kind === 'swap' ? poor[0].units : NaN).toBeCloseTo((1000 * 99.7) / 1099.7, 9);
  });

  it('after the oracle of the same step the manipulator supplies what it bought and borrows 99.9% of its power at the pumped oracle price', () => {
    const m = new OracleManipulator(opts, 0, 0);
    const before = fakePool({ params: thinParams, prices: [1, 1], supply: [[]], debt: [[]] });
    decide(m, view(before, { step: 3, dex: [dex(1000, 1), dex(1e9, 1)] }));
    const pumped = fakePool({ params: thinParams, prices: [4, 1], supply: [[]], debt: [[]] });
    const out: LendingAction[] = [];
    m.decidePostOracle(view(pumped, { step: 3 }), out);
    // 500 units x $4 x LTV 0.5 = $1,000 of power: 999 USDC.
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ kind: 'supply', account: 0, asset: 0 });
    expect(out[0].kind === 'supply' ? out[0].units : NaN).toBeCloseTo(500, 9);
    expect(out[1]).toMatchObject({ kind: 'borrow', account: 0, asset: 1 });
    expect(out[1].kind === 'borrow' ? out[1].units : NaN).toBeCloseTo(999, 9);
  });

  it("the manipulator's borrow is no more than the pool's cash", () => {
    const m = new OracleManipulator(opts, 0, 0);
    const before = fakePool({ params: thinParams, prices: [1, 1], supply: [[]], debt: [[]] });
    decide(m, view(before, { step: 3, dex: [dex(1000, 1), dex(1e9, 1)] }));
    const pumped = fakePool({ params: thinParams, prices: [4, 1], supply: [[]], debt: [[]], cash: [0, 600] });
    const out: LendingAction[] = [];
    m.decidePostOracle(view(pumped, { step: 3 }), out);
    expect(out[1]).toEqual({ kind: 'borrow', account: 0, asset: 1, units: 600 });
  });

  it('the borrow squeezer borrows the thin asset at its step and then buys it with a tenth of the other half per step', () => {
    // Collateral USDC-like asset 1 at $1 with LTV 0.75; it borrows asset 0 (thin, $1).
    const p = params({ reserves: [reserve('THIN', { collateral: false }), reserve('USDC')] });
    const pool = fakePool({ params: p, prices: [1, 1], supply: [[]], debt: [[]] });
    const sq = new BorrowSqueezer({ asset: 0, collateralAsset: 1, capitalUsd: 2000, step: 5, pumpPct: 0 }, 0, 0);
    const dexes = [dex(1000, 1, 0), dex(1e9, 1)];
    const post: LendingAction[] = [];
    sq.decidePostOracle(view(pool, { step: 5, dex: dexes }), post);
    expect(post[0]).toEqual({ kind: 'supply', account: 0, asset: 1, units: 1000 });
    expect(post[1].kind === 'borrow' ? post[1].units : NaN).toBeCloseTo(749.25, 9);
    const buy = decide(sq, view(pool, { step: 6, dex: dexes }));
    // $100 buys 1,000 x 100 / 1,100 units from a fee-less pool.
    expect(buy[0].kind === 'swap' ? buy[0].units : NaN).toBeCloseTo(100_000 / 1100, 9);
    expect(decide(sq, view(pool, { step: 16, dex: dexes }))).toEqual([]);
  });
});
