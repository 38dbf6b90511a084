// Attackers (issue 8, README "Attacks"): the attackers config section and its errors, the venue rules
// the oracle manipulator relies on (self-matched cross trades, withdrawal against unrealized profit,
// attacker accounts margined, liquidatable and counted in open interest, the pool-only oracle, the
// band's withdrawal halt), and closed attack accounting on the mango scenario.
import { describe, expect, it } from 'vitest';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { AccountKind, AccountStore, isPositionTaker } from '../../sim/core/accounts.js';
import { ConfigSchema, DEFAULT_CONFIG } from '../../sim/config/index.js';
import { runSimulation, type RunSpec } from '../../sim/engine.js';
import { UserError } from '../../sim/core/errors.js';
import { Market } from '../../sim/market/market.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';
import { PerpVenue } from '../../sim/perp/perp-venue.js';
import { streamFor } from '../../sim/core/rng.js';
import { buildPlan } from '../../sim/sweep/sweep-plan.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { setPrice, T0, venueWorld } from '../helpers/venue-world.js';

const MANGO = loadScenario('mango');

function mango(sets: string[] = []): Omit<RunSpec, 'seed'> {
  return { scenario: MANGO.scenario, config: resolveConfig(MANGO.scenario.source, MANGO.params, sets) };
}

describe('the attackers config section', () => {
  it('is off by default: an empty list', () => {
    expect(DEFAULT_CONFIG.attackers).toEqual([]);
  });

  it('fills the oracle manipulator defaults around a capital', () => {
    const cfg = ConfigSchema.parse({ attackers: [{ kind: 'oracle-manipulator', capitalUsd: 1e6 }] });
    expect(cfg.attackers[0]).toEqual({
      kind: 'oracle-manipulator',
      capitalUsd: 1e6,
      startStep: 60,
      spotShare: 0.5,
      marginUse: 0.9,
      pumpMultiple: 2,
      holdSteps: 30,
      unwindSteps: 30,
    });
  });

  it.each([
    ['zero capital', { kind: 'oracle-manipulator', capitalUsd: 0 }, 'params.attackers[0].capitalUsd'],
    ['a missing capital', { kind: 'oracle-manipulator' }, 'params.attackers[0].capitalUsd'],
    ['an unknown kind', { kind: 'flash-loaner', capitalUsd: 1e6 }, 'params.attackers[0].kind'],
    ['an unknown field', { kind: 'oracle-manipulator', capitalUsd: 1e6, leverage: 3 }, 'params.attackers[0].leverage'],
  ])('rejects %s with one UserError line naming the field', (_what, attacker, field) => {
    let error: unknown;
    try {
      resolveConfig('broken.yaml', { attackers: [attacker] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const text = (error as Error).message;
    expect(text).toContain('broken.yaml');
    expect(text).toContain(field);
    expect(text).not.toContain('\n');
  });
});

describe('venue rules for attackers', () => {
  it('a cross trade self-matches at the mark: opposite positions, the taker fee on each side, no impact on the book', () => {
    const w = venueWorld({ depthUsdPerPct: 1e6 });
    w.venue.deposit(T0, 1e6);
    w.venue.deposit(T0 + 1, 1e6);
    const mark = w.market.markPriceUsd;
    const fees = w.venue.totals.tradingFeesUsd;
    expect(w.venue.apply({ kind: 'cross', buyer: T0, seller: T0 + 1, size: 100 }).ok).toBe(true);
    expect(w.market.markPriceUsd).toBe(mark);
    expect(w.accounts.size[T0]).toBe(100);
    expect(w.accounts.size[T0 + 1]).toBe(-100);
    expect(w.accounts.size[0]).toBe(0);
    expect(w.venue.totals.tradingFeesUsd - fees).toBeCloseTo(2 * 100 * mark * DEFAULT_CONFIG.protocol.takerFeeRate, 6);
    expect(w.accounts.totals.traderLong).toBe(100);
    expect(w.accounts.totals.traderShort).toBe(100);
  });

  it('a cross trade is refused beyond initial margin and beyond the open-interest cap', () => {
    const w = venueWorld({ breakers: { openInterest: { maxPerSideUsd: 600_000 } } });
    w.venue.deposit(T0, 1e6);
    w.venue.deposit(T0 + 1, 1e4);
    // 100 units at 3000 need 15,000 of initial margin at 5%.
    expect(w.venue.apply({ kind: 'cross', buyer: T0, seller: T0 + 1, size: 100 }).reason).toBe('initial-margin');
    w.venue.deposit(T0 + 1, 1e6);
    expect(w.venue.apply({ kind: 'cross', buyer: T0, seller: T0 + 1, size: 250 }).reason).toBe('open-interest-cap');
    expect(w.venue.apply({ kind: 'cross', buyer: T0, seller: T0 + 1, size: 150 }).ok).toBe(true);
  });

  it('withdrawal against unrealized profit is refused by default and allowed with protocol.withdrawUnrealizedProfit, down to initial margin', () => {
    for (const allow of [false, true]) {
      const w = venueWorld({ protocol: { withdrawUnrealizedProfit: allow } });
      w.venue.deposit(T0, 30_000);
      w.venue.deposit(T0 + 1, 1e6);
      expect(w.venue.apply({ kind: 'cross', buyer: T0, seller: T0 + 1, size: 100 }).ok).toBe(true);
      setPrice(w, 6000);
      const equity = w.venue.equity(T0);
      const free = equity - 0.05 * 100 * 6000;
      const out = w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: free - 1 });
      expect(out.ok).toBe(allow);
      if (!allow) expect(out.reason).toBe('exceeds-collateral');
      else {
        expect(w.venue.equity(T0)).toBeCloseTo(equity - free + 1, 6);
        expect(w.accounts.cash[T0]).toBe(0);
        expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 2 }).reason).toBe('initial-margin');
      }
    }
  });

  it('withdrawals are refused while the venue halts them (the price band with haltWithdrawals)', () => {
    const w = venueWorld();
    w.venue.deposit(T0, 1000);
    w.venue.withdrawalsHalted = true;
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 10 }).reason).toBe('halted');
    w.venue.withdrawalsHalted = false;
    expect(w.venue.apply({ kind: 'withdraw', account: T0, amountUsd: 10 }).ok).toBe(true);
  });

  it('attacker accounts are position takers: counted in open interest, margined and liquidatable like traders', () => {
    expect(isPositionTaker(AccountKind.attacker)).toBe(true);
    expect(isPositionTaker(AccountKind.trader)).toBe(true);
    expect(isPositionTaker(AccountKind.liquidator)).toBe(false);
    const accounts = new AccountStore([AccountKind.maker, AccountKind.liquidator, AccountKind.attacker]);
    const market = new Market(
      { ...DEFAULT_CONFIG.market, depthUsdPerPct: 1e15 },
      60,
      compileShocks([], new Map(), 10, 60, 'test'),
      streamFor(1, 'market.path'),
      streamFor(1, 'market.jumps'),
    );
    const venue = new PerpVenue(DEFAULT_CONFIG.protocol, 60, accounts, market, 0, 3000);
    venue.deposit(0, 1e9);
    venue.deposit(1, 1e7);
    venue.deposit(2, 10_000);
    expect(venue.apply({ kind: 'trade', account: 2, size: 100, depositUsd: 0 }).reason).toBe('initial-margin');
    expect(venue.apply({ kind: 'trade', account: 2, size: 50, depositUsd: 0 }).ok).toBe(true);
    expect(accounts.totals.traderLong).toBe(50);
    venue.setPrices(2850, 2850);
    venue.refreshLiquidatable(1);
    expect(venue.flagged).toEqual([2]);
    expect(venue.apply({ kind: 'liquidate', liquidator: 1, account: 2, worstPriceUsd: 0 }).ok).toBe(true);
    expect(venue.attackerFeesUsd).toBeGreaterThan(0);
  });
});

describe('the pool-only oracle', () => {
  it("publishes the spot pool's price (oracle.aggregation = pool)", () => {
    const r = runSimulation({ ...mango(), seed: 1 });
    const tl = r.timeline;
    let updated = 0;
    for (let t = 0; t < r.steps; t++) {
      if (tl.oracle_updated[t] !== 1) continue;
      updated++;
      expect(tl.oracle_price_usd[t]).toBe(tl.spot_pool_price_usd[t]);
    }
    expect(updated).toBeGreaterThan(10);
  });
});

describe('attack accounting on mango', () => {
  const SETTINGS = [
    [],
    ['oracle.aggregation=median'],
    ['protocol.withdrawUnrealizedProfit=false'],
    ['breakers.openInterest.maxPerSideUsd=12000000'],
    ['oracle.smoothing=twap', 'oracle.smoothingSteps=120'],
  ];

  it.each(SETTINGS.map((s) => [s.join(' ') || 'no defence', s]))(
    'is closed with %s: attacker profit = counterparties + spot LPs + venue losses within the conservation tolerance',
    (_label, sets) => {
      for (const seed of [1, 2, 3]) {
        const spec = mango(sets as string[]);
        const r = runSimulation({ ...spec, seed });
        const a = r.attack!;
        const tol = spec.config.invariants.tolerance * Math.max(1, a.depositedUsd + 1e9);
        expect(Math.abs(a.profitUsd - (a.counterpartyLossUsd + a.lpLossUsd + a.venueLossUsd))).toBeLessThan(tol);
        // The definition, term by term.
        expect(a.profitUsd).toBeCloseTo(
          a.withdrawnUsd + a.endEquityUsd - a.depositedUsd + a.spotReceivedUsd - a.spotPaidUsd + a.spotValueUsd,
          4,
        );
        expect(r.stats.attack_profit_usd).toBe(a.profitUsd);
        expect(r.stats.attack_roi).toBeCloseTo(a.profitUsd / 10_000_000, 12);
        expect(r.stats.attack_cost_usd).toBeGreaterThan(0);
        expect(a.spotPaidUsd).toBeLessThanOrEqual(5_000_000 * (1 + 1e-12));
      }
    },
  );

  it('a run with attackers is a pure function of (scenario, config, seed): the same seed gives the same statistics and accounting', () => {
    const a = runSimulation({ ...mango(), seed: 11 });
    const b = runSimulation({ ...mango(), seed: 11 });
    expect(b.stats).toEqual(a.stats);
    expect(b.attack).toEqual(a.attack);
    expect(Array.from(b.timeline.oracle_price_usd)).toEqual(Array.from(a.timeline.oracle_price_usd));
  });

  it('an attacker does not change the price path (its streams are its own): the index is the same with and without it', () => {
    const withAttack = runSimulation({ ...mango(), seed: 7 });
    const spec = mango();
    const without = runSimulation({ ...spec, config: { ...spec.config, attackers: [] }, seed: 7 });
    expect(Array.from(withAttack.timeline.index_price_usd)).toEqual(Array.from(without.timeline.index_price_usd));
    expect(without.attack).toBeUndefined();
    expect(without.stats.attack_profit_usd).toBe(0);
    expect(without.stats.attack_roi).toBe(0);
    expect(without.stats.protocol_loss_usd).toBeGreaterThanOrEqual(0);
  });
});

describe('the built-in sweep mango-defences', () => {
  it('plans the undefended mango run first, then each defence alone, every entry with the attacker', () => {
    const metrics = cellMetricNames(RUN_STAT_KEYS);
    const p = buildPlan(loadSweep('mango-defences', metrics), '1', RUN_STAT_KEYS);
    expect(p.meta.scenarios.map((s) => s.label)).toEqual([
      'mango',
      'mango.median',
      'mango.twap-15',
      'mango.twap-60',
      'mango.twap-120',
      'mango.twap-180',
      'mango.twap-240',
      'mango.oi-cap-50m',
      'mango.oi-cap-20m',
      'mango.oi-cap-15m',
      'mango.oi-cap-12m',
      'mango.oi-cap-10m',
      'mango.no-unrealized',
      'mango.band',
      'mango.band-withdrawals',
    ]);
    expect(p.cells.every((c) => c.config.attackers.length === 1)).toBe(true);
    expect(metrics).toContain('p_attack_profitable');
    expect(metrics).toContain('attack_profit_mean_usd');
  });
});

describe('the built-in sweep insurance-drain-defences', () => {
  it('plans insurance-drain x initial margin rate {0.05 .. 0.33}, the drainer in every cell', () => {
    const p = buildPlan(loadSweep('insurance-drain-defences', cellMetricNames(RUN_STAT_KEYS)), '1', RUN_STAT_KEYS);
    expect(p.meta.scenarios.map((s) => s.label)).toEqual(['insurance-drain']);
    expect(p.meta.grid).toEqual([
      { path: 'protocol.initialMarginRate', values: [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.33] },
    ]);
    expect(p.cells.every((c) => c.config.attackers[0].kind === 'insurance-drainer')).toBe(true);
  });
});

describe('the built-in sweep liquidator-strike', () => {
  it('plans flash-crash and slow-bleed x liquidators {0, 1, 2, 5, 10} x latency {0, 2, 5, 10}', () => {
    const p = buildPlan(loadSweep('liquidator-strike', cellMetricNames(RUN_STAT_KEYS)), '1', RUN_STAT_KEYS);
    expect(p.meta.scenarios.map((s) => s.label)).toEqual(['flash-crash', 'slow-bleed']);
    expect(p.meta.grid).toEqual([
      { path: 'agents.liquidators.count', values: [0, 1, 2, 5, 10] },
      { path: 'agents.liquidators.latencySteps', values: [0, 2, 5, 10] },
    ]);
    expect(p.cells).toHaveLength(40);
  });
});

describe('the built-in sweep liquidation-hunt-defences', () => {
  it('plans the undefended hunt first, then the venue-weight, liquidation-cap and full-liquidation entries, the hunter in every cell', () => {
    const p = buildPlan(loadSweep('liquidation-hunt-defences', cellMetricNames(RUN_STAT_KEYS)), '1', RUN_STAT_KEYS);
    expect(p.meta.scenarios.map((s) => s.label)).toEqual([
      'liquidation-hunt',
      'liquidation-hunt.venue-weight-0.9',
      'liquidation-hunt.venue-weight-0.75',
      'liquidation-hunt.venue-weight-0.5',
      'liquidation-hunt.venue-weight-0',
      'liquidation-hunt.liq-cap-8m',
      'liquidation-hunt.liq-cap-6m',
      'liquidation-hunt.liq-cap-4m',
      'liquidation-hunt.liq-cap-2m',
      'liquidation-hunt.full',
      'liquidation-hunt.venue-weight-0.33',
    ]);
    expect(p.cells.every((c) => c.config.attackers[0].kind === 'liquidation-hunter')).toBe(true);
  });
});

describe('the built-in sweep governance-attack-defences', () => {
  it('plans the attack with no timelock, then longer minimum timelocks, then a steward bound', () => {
    const p = buildPlan(loadSweep('governance-attack-defences', cellMetricNames(RUN_STAT_KEYS)), '1', RUN_STAT_KEYS);
    expect(p.cells.map((c) => c.config.governance.minDelaySteps)).toEqual([0, 30, 60, 90, 120, 150, 240, 0]);
    expect(p.cells[7].config.governance.maxRelativeChange).toBe(1);
    expect(p.cells.every((c) => c.config.attackers[0].kind === 'governance-attacker')).toBe(true);
  });
});

describe('the built-in sweep stale-oracle-defences', () => {
  it('plans the 5-step delay first, then shorter delays, higher fees and no withdrawal of unrealized profit', () => {
    const p = buildPlan(loadSweep('stale-oracle-defences', cellMetricNames(RUN_STAT_KEYS)), '1', RUN_STAT_KEYS);
    expect(p.cells.map((c) => c.config.oracle.delaySteps)).toEqual([5, 4, 3, 2, 1, 0, 5, 5, 5, 5]);
    expect(p.cells.map((c) => c.config.protocol.takerFeeRate).slice(6, 9)).toEqual([0.005, 0.01, 0.02]);
    expect(p.cells[9].config.protocol.withdrawUnrealizedProfit).toBe(false);
    expect(p.cells.every((c) => c.config.attackers[0].kind === 'stale-oracle-front-runner')).toBe(true);
  });
});
