// Yield-seeking lending suppliers (agents/lending/users.ts, lending.suppliers.targetSupplyRatePerYear
// and yieldFlowSharePerStep) on hand-built views with fixed numbers: off by default, supply above the
// target, unqueued withdraw below it (capped at the balance), a supplier that ran stays out; then two
// whole runs: yield seeking changes the supplier-run scenario and the defaults leave results unchanged.
import { describe, expect, it } from 'vitest';
import { ethUsdcParams } from './lending-fixtures.js';
import { Suppliers } from '../../agents/lending/users.js';
import { Stream } from '../../sim/core/rng.js';
import { simulate } from '../../sim/api.js';
import type { LendingAction, LendingPoolView, LendingView } from '../../sim/lending/types.js';

/** Asset 0: ETH (collateral, $2,000); asset 1: USDC (debt, $1). */
const params = ethUsdcParams;

/** A mutable fake pool: supply[account][asset] units, and each reserve's utilization and borrow rate per year. */
interface FakeState {
  supply: number[][];
  utilization: number[];
  borrowRatePerYear: number[];
}

function fakePool(s: FakeState): LendingPoolView {
  const p = params();
  const oraclePriceUsd = Float64Array.from([2000, 1]);
  const health = () => ({
    thresholdValueUsd: 0,
    borrowPowerUsd: 0,
    collateralUsd: 0,
    debtUsd: 0,
    healthFactor: Infinity,
  });
  return {
    params: p,
    accounts: s.supply.length,
    oraclePriceUsd,
    supplyUnits: (account, asset) => s.supply[account]?.[asset] ?? 0,
    debtUnits: () => 0,
    eMode: () => 0,
    health,
    cashUnits: () => 1e12,
    totalSupplyUnits: () => 0,
    totalDebtUnits: () => 0,
    utilization: (asset) => s.utilization[asset] ?? 0,
    borrowRatePerYear: (asset) => s.borrowRatePerYear[asset] ?? 0,
    reservesUnits: () => 0,
    absorbedUnits: () => 0,
    storeFrontPriceUsd: () => 0,
    liquidationAllowed: () => true,
    healthFactor: () => Infinity,
    queuedUnits: () => 0,
  };
}

function view(pool: LendingPoolView, over: Partial<LendingView> = {}): LendingView {
  return {
    step: 0,
    pool,
    marketPriceUsd: Float64Array.from(pool.oraclePriceUsd),
    dex: [],
    cex: [],
    gasUsd: 10,
    liquidatorOutage: 0,
    liquidatable: [],
    liquidatorCapitalUsd: new Float64Array(8).fill(1e6),
    supplierRunShare: new Float64Array(pool.params.reserves.length),
    attackerUsd: new Float64Array(4).fill(1e6),
    ...over,
  };
}

function decide(agent: Suppliers, v: LendingView): LendingAction[] {
  const out: LendingAction[] = [];
  agent.decide(v, out);
  return out;
}

/** Two USDC suppliers of 1,000 and 50 units; USDC at 50% utilization. */
function state(borrowRatePerYear: number): FakeState {
  return {
    supply: [
      [0, 1000],
      [0, 50],
    ],
    utilization: [0, 0.5],
    borrowRatePerYear: [0, borrowRatePerYear],
  };
}

const YIELD = { withdrawAboveUtilization: 0.9, withdrawOnDrawdownPct: 0, targetSupplyRatePerYear: 0.05 };
const suppliers = (yieldFlowSharePerStep: number, targetSupplyRatePerYear = 0.05) =>
  new Suppliers({ ...YIELD, targetSupplyRatePerYear, yieldFlowSharePerStep }, [0, 1], [1, 1], new Stream('y'));

describe('yield-seeking lending suppliers', () => {
  it('are off with the defaults (share 0 or target 0): nothing at a calm step, whatever the rate', () => {
    for (const rate of [0.01, 0.5]) {
      const pool = fakePool(state(rate));
      expect(
        decide(
          new Suppliers({ withdrawAboveUtilization: 0.9, withdrawOnDrawdownPct: 0 }, [0, 1], [1, 1], new Stream('y')),
          view(pool),
        ),
      ).toEqual([]);
      expect(decide(suppliers(0), view(pool))).toEqual([]);
      expect(decide(suppliers(0.1, 0), view(pool))).toEqual([]);
    }
  });

  it('compute the supply rate as borrow rate x utilization x (1 - reserve factor)', () => {
    expect(Suppliers.supplyRatePerYear(view(fakePool(state(0.2))), 1)).toBeCloseTo(0.2 * 0.5 * 0.9, 12);
  });

  it('supply share x their step-0 balance while the supply rate is above the target', () => {
    // Supply rate 0.2 x 0.5 x 0.9 = 9% > 5%.
    const s = state(0.2);
    const a = suppliers(0.1);
    expect(decide(a, view(fakePool(s)))).toEqual([
      { kind: 'supply', account: 0, asset: 1, units: 100 },
      { kind: 'supply', account: 1, asset: 1, units: 5 },
    ]);
    // The flow is a share of the step-0 balance, not of the balance now.
    s.supply[0][1] = 1100;
    s.supply[1][1] = 55;
    expect(decide(a, view(fakePool(s)))).toEqual([
      { kind: 'supply', account: 0, asset: 1, units: 100 },
      { kind: 'supply', account: 1, asset: 1, units: 5 },
    ]);
  });

  it('withdraw share x their step-0 balance, unqueued, while the rate is below the target, never more than they hold', () => {
    // Supply rate 0.05 x 0.5 x 0.9 = 2.25% < 5%.
    const s = state(0.05);
    const a = suppliers(0.1);
    expect(decide(a, view(fakePool(s)))).toEqual([
      { kind: 'withdraw', account: 0, asset: 1, units: 100, queue: false },
      { kind: 'withdraw', account: 1, asset: 1, units: 5, queue: false },
    ]);
    s.supply[0][1] = 30;
    s.supply[1][1] = 0;
    expect(decide(a, view(fakePool(s)))).toEqual([{ kind: 'withdraw', account: 0, asset: 1, units: 30, queue: false }]);
    // Emptied by the outflow (not a run), it comes back when the rate is attractive again.
    s.supply[0][1] = 0;
    s.borrowRatePerYear[1] = 0.2;
    expect(decide(a, view(fakePool(s)))).toEqual([
      { kind: 'supply', account: 0, asset: 1, units: 100 },
      { kind: 'supply', account: 1, asset: 1, units: 5 },
    ]);
  });

  it('do nothing at exactly the target rate', () => {
    // 0.1 x 0.5 x 0.9 = 4.5%; target 4.5%.
    expect(decide(suppliers(0.1, 0.1 * 0.5 * 0.9), view(fakePool(state(0.1))))).toEqual([]);
  });

  it('run on stress first (everything, queued), and a supplier that ran never comes back', () => {
    const s = state(0.2);
    const a = suppliers(0.1);
    // Both at step 0 (records the step-0 balances), then a run of half of the two: one withdraws everything.
    decide(a, view(fakePool(s)));
    const run = decide(a, view(fakePool(s), { supplierRunShare: new Float64Array([0, 0.5]) }));
    const ran = run.filter((x) => x.kind === 'withdraw');
    expect(ran).toHaveLength(1);
    const w = ran[0] as Extract<LendingAction, { kind: 'withdraw' }>;
    expect(w.queue).toBe(true);
    expect(w.units).toBe(s.supply[w.account][1]);
    // The other one keeps seeking yield in the same step.
    expect(run.filter((x) => x.kind === 'supply')).toHaveLength(1);
    // The one that ran stays out, above the target or after its balance is gone.
    s.supply[w.account][1] = 0;
    const later = decide(a, view(fakePool(s)));
    expect(later).toHaveLength(1);
    expect(later[0]).toMatchObject({ kind: 'supply', account: 1 - w.account });
    // A utilization past the trigger sends the remaining one everything, queued, not a flow.
    s.utilization[1] = 0.95;
    expect(decide(a, view(fakePool(s)))).toEqual([
      { kind: 'withdraw', account: 1 - w.account, asset: 1, units: s.supply[1 - w.account][1], queue: true },
    ]);
    expect(decide(a, view(fakePool(s)))).toEqual([]);
  });
});

describe('yield-seeking suppliers in a whole run', () => {
  const base = ['lending.borrowers.count=200'];

  it('change the supplier-run scenario: the USDC utilization peak is not the same as without them', () => {
    const off = simulate('lending-supplier-run', { seed: 1, set: base });
    const on = simulate('lending-supplier-run', {
      seed: 1,
      set: [...base, 'lending.suppliers.targetSupplyRatePerYear=0.05', 'lending.suppliers.yieldFlowSharePerStep=0.01'],
    });
    expect(Number.isFinite(on.stats.utilization_peak_pct)).toBe(true);
    expect(on.stats.utilization_peak_pct).not.toBe(off.stats.utilization_peak_pct);
  });

  it('leave the default results unchanged (share 0 explicitly gives the same statistics)', () => {
    const dflt = simulate('lending-crash', { seed: 1, set: base });
    const zero = simulate('lending-crash', { seed: 1, set: [...base, 'lending.suppliers.yieldFlowSharePerStep=0'] });
    expect(zero.stats).toEqual(dflt.stats);
  });
});
