// Directional acceptance of the pool-lending family (issue 15): liquidator supply, the oracle's
// aggregation and delay, and each lending attacker with its defence off and on, over 20 common seeds
// (1..20) of the built-in scenarios shrunk to 200 borrowers (each run takes tens of milliseconds).
// Figures were measured (printed below, one line per test) before they were asserted.
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig, simulate } from '../../sim/api.js';
import { runSimulation, type RunResult } from '../../sim/engine.js';
import type { Shock } from '../../scenarios/schema.js';
import { mean } from '../helpers/small-world.js';

const SEEDS = 20;
const SMALL = ['lending.borrowers.count=200'];

const cache = new Map<string, RunResult[]>();

/** Runs of seeds 1..20 of built-in `ref` with 200 borrowers and `sets` (each arm run once). */
function runs(ref: string, sets: readonly string[] = []): RunResult[] {
  const id = JSON.stringify([ref, sets]);
  let out = cache.get(id);
  if (!out) {
    out = [];
    for (let seed = 1; seed <= SEEDS; seed++) out.push(simulate(ref, { seed, set: [...SMALL, ...sets] }));
    cache.set(id, out);
  }
  return out;
}

const col = (rs: readonly RunResult[], key: string): number[] => rs.map((r) => r.stats[key as keyof typeof r.stats]);

/** Mean protocol loss and mean attack profit of an arm, printed with a label. */
function arm(label: string, ref: string, sets: readonly string[] = []) {
  const rs = runs(ref, sets);
  const loss = col(rs, 'protocol_loss_usd');
  const profit = col(rs, 'attack_profit_usd');
  return { label, rs, loss, profit, meanLoss: mean(loss), meanProfit: mean(profit) };
}

function log(...arms: ReturnType<typeof arm>[]): void {
  console.log(
    arms
      .map(
        (a) =>
          `${a.label}: mean protocol_loss_usd ${a.meanLoss.toFixed(0)}, mean attack_profit_usd ${a.meanProfit.toFixed(0)}`,
      )
      .join(' | '),
  );
}

describe('liquidators and the oracle in a lending crash (20 seeds)', () => {
  it('has less protocol loss with ten independent liquidators than with one when four in five go offline and gas spikes (lending-crash-starved), on average and in most seeds', () => {
    const one = arm('starved, 1 liquidator', 'lending-crash-starved', ['lending.liquidators.count=1']);
    const ten = arm('starved, 10 liquidators', 'lending-crash-starved', ['lending.liquidators.count=10']);
    log(one, ten);
    expect(one.meanLoss).toBeGreaterThan(0);
    expect(ten.meanLoss).toBeLessThan(one.meanLoss);
    const better = ten.loss.filter((x, i) => x < one.loss[i]).length;
    expect(better).toBeGreaterThan(SEEDS / 2);
  });

  it('has more protocol loss when the oracle reports prices 30 steps late (liquidations start after the collateral has already fallen) than with no delay', () => {
    const prompt = arm('crash, no delay', 'lending-crash');
    const late = arm('crash, delaySteps 30', 'lending-crash', ['oracle.delaySteps=30']);
    log(prompt, late);
    expect(late.meanLoss).toBeGreaterThan(prompt.meanLoss);
  });
});

describe('the oracle manipulator on lending-oracle-manipulation (20 seeds)', () => {
  it('profits in every seed and leaves the pool a loss when the oracle reads the one DEX pool it pumps (aggregation pool)', () => {
    const pool = arm('pool oracle', 'lending-oracle-manipulation');
    log(pool);
    expect(pool.profit.every((x) => x > 0)).toBe(true);
    expect(pool.loss.every((x) => x > 0)).toBe(true);
    expect(pool.meanLoss).toBeGreaterThan(pool.meanProfit);
  });

  it('loses money in every seed and costs the pool nothing when the oracle takes the median of its sources (the single-venue print is outvoted)', () => {
    const median = arm('median oracle', 'lending-oracle-manipulation', ['oracle.aggregation=median']);
    log(median);
    expect(median.profit.every((x) => x < 0)).toBe(true);
    expect(median.loss.every((x) => x < 1)).toBe(true);
  });

  it('loses money in every seed and costs the pool nothing under a TKN supply cap of 100,000 units (the pumped token cannot back a large loan)', () => {
    const cap = arm('TKN supply cap 100k', 'lending-oracle-manipulation', ['lending.assets.TKN.supplyCapUnits=100000']);
    log(cap);
    expect(cap.profit.every((x) => x < 0)).toBe(true);
    expect(cap.loss.every((x) => x < 1)).toBe(true);
  });
});

describe('the borrow squeezer on lending-borrow-squeeze (20 seeds)', () => {
  it('profits in every seed without a borrow cap by liquidating its own squeezed position at the pumped price, and leaves the pool a loss many times its profit', () => {
    const open = arm('no borrow cap', 'lending-borrow-squeeze');
    log(open);
    open.profit.forEach((x) => expect(x).toBeGreaterThan(0));
    expect(open.meanLoss).toBeGreaterThan(1_000_000);
    open.loss.forEach((x, i) => expect(x).toBeGreaterThan(10 * open.profit[i]));
  });

  it('loses money in every seed under a THIN borrow cap of 1,000,000 units', () => {
    const capped = arm('THIN borrow cap 1M', 'lending-borrow-squeeze', ['lending.assets.THIN.borrowCapUnits=1000000']);
    log(capped);
    capped.profit.forEach((x) => expect(x).toBeLessThan(0));
  });

  it('leaves the pool almost no loss under a THIN borrow cap of 1,000,000 units (the squeezed debt stays small)', () => {
    const open = arm('no borrow cap', 'lending-borrow-squeeze');
    const capped = arm('THIN borrow cap 1M', 'lending-borrow-squeeze', ['lending.assets.THIN.borrowCapUnits=1000000']);
    log(open, capped);
    expect(capped.loss.every((x) => x < 1)).toBe(true);
    expect(capped.meanLoss).toBeLessThan(open.meanLoss / 1000);
  });
});

// lending-supplier-run with USDC not collateral, so that collateral_value_usd counts the WETH
// supplied (by the suppliers and the borrowers) only; 400 steps, the run at step 300, half the
// suppliers of the named asset. Each figure is compared with the same seed without the run.
describe('the governance attacker on lending-governance-attack (20 seeds)', () => {
  it('profits in every seed when a captured governance may cut the WETH threshold to 50% and raise the bonus to 15% at once', () => {
    const off = arm('governance attack, no bounds', 'lending-governance-attack');
    log(off);
    off.profit.forEach((x) => expect(x).toBeGreaterThan(0));
  });

  it('makes nothing in any seed under risk-steward bounds of a 5% largest relative change (the proposals are refused)', () => {
    const on = arm('governance attack, steward bounds 5%', 'lending-governance-attack', [
      'governance.maxRelativeChange=0.05',
    ]);
    log(on);
    on.profit.forEach((x) => expect(x).toBe(0));
    on.rs.forEach((r) => expect(r.events.governance.every((e) => e.outcome === 'refused')).toBe(true));
  });

  it('makes nothing in any seed when governance imposes a 240-step minimum timelock its zero-delay proposals cannot meet', () => {
    const on = arm('governance attack, minimum timelock 240', 'lending-governance-attack', [
      'governance.minDelaySteps=240',
    ]);
    log(on);
    on.profit.forEach((x) => expect(x).toBe(0));
  });
});

describe('a supplier run on one asset (lending-supplier-run, 5 seeds)', () => {
  const { scenario, params } = loadScenario('lending-supplier-run');
  const config = resolveConfig(scenario.source, params, [
    ...SMALL,
    'run.steps=400',
    'lending.assets.USDC.collateral=false',
  ]);
  const at = (asset: string | undefined, seed: number) => {
    const shocks: Shock[] = asset === undefined ? [] : [{ kind: 'supplierRun', step: 300, share: 0.5, asset }];
    const tl = runSimulation({ scenario: { ...scenario, shocks }, config, seed }).timeline;
    return { collateral: tl.collateral_value_usd[301], utilization: tl.utilization_max_pct[301] };
  };
  const seeds = [1, 2, 3, 4, 5];
  const figures = (asset: string | undefined) => seeds.map((seed) => at(asset, seed));
  const none = figures(undefined);
  const usdc = figures('USDC');
  const weth = figures('WETH');
  const m = (xs: { collateral: number; utilization: number }[], k: 'collateral' | 'utilization') =>
    mean(xs.map((x) => x[k]));
  console.log(
    `supplier run, step 301: no run: collateral ${m(none, 'collateral').toFixed(0)} USD, utilization ${m(none, 'utilization').toFixed(2)}% | run on USDC: ${m(usdc, 'collateral').toFixed(0)}, ${m(usdc, 'utilization').toFixed(2)}% | run on WETH: ${m(weth, 'collateral').toFixed(0)}, ${m(weth, 'utilization').toFixed(2)}%`,
  );

  it('raises the USDC utilization when half the USDC suppliers withdraw', () => {
    usdc.forEach((x, i) => expect(x.utilization).toBeGreaterThan(none[i].utilization + 5));
  });

  // A run names its asset: the view carries each asset's run share (it once carried the largest for all).
  it('leaves the WETH suppliers in the pool when the run is on USDC (the collateral value is as without the run)', () => {
    usdc.forEach((x, i) => expect(x.collateral).toBeCloseTo(none[i].collateral, -4));
  });

  it('leaves the USDC utilization as without the run when the run is on WETH', () => {
    weth.forEach((x, i) => expect(x.utilization).toBeCloseTo(none[i].utilization, 6));
  });
});
