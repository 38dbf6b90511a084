// Acceptance of the oracle and circuit-breaker defences: each moves a run statistic in the direction
// its test name argues, on average over 20 common seeds (100..119) in a small world of 500 traders
// and 900 steps. Where the direction depends on the scenario, both scenarios are tested. Breaker
// sizes in USD are the full-size values scaled by the small world's factor (500 / 10,000).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { builtinDir } from '../../scenarios/load.js';
import type { RunStatKey, RunStats } from '../../sim/perp/statistics.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';

const TRADERS = 500;
const STEPS = 900;
const SEEDS = 20;
const FIRST_SEED = 100;
/** Full-size USD figures scale by this in the small world. */
const SCALE = TRADERS / 10_000;

const cache = new Map<string, RunStats[]>();

/** Statistics of the common seeds for a scenario and extra `--set` assignments (each set run once). */
function statsOf(ref: string, extra: string[]): RunStats[] {
  const id = JSON.stringify([ref, extra]);
  let stats = cache.get(id);
  if (!stats) {
    stats = runSeeds(smallScenario(ref, extra, TRADERS, STEPS), SEEDS, FIRST_SEED).map((r) => r.stats as RunStats);
    cache.set(id, stats);
  }
  return stats;
}

function meanStat(ref: string, extra: string[], key: RunStatKey): number {
  return mean(statsOf(ref, extra).map((s) => s[key]));
}

/** Means of `key` without and with `extra`, logged with a label. */
function compare(label: string, ref: string, extra: string[], key: RunStatKey, base: string[] = []) {
  const off = meanStat(ref, base, key);
  const on = meanStat(ref, [...base, ...extra], key);
  const digits = key === 'amplification' ? 4 : 1;
  console.log(`${basename(ref, '.yaml')}: ${label}: mean ${key} ${off.toFixed(digits)} -> ${on.toFixed(digits)}`);
  return { off, on };
}

const TWAP = (n: number) => ['oracle.smoothing=twap', `oracle.smoothingSteps=${n}`];
const EMA = (n: number) => ['oracle.smoothing=ema', `oracle.smoothingSteps=${n}`];
const BAND_ALL = ['breakers.priceBand.enabled=true', 'breakers.priceBand.haltLiquidations=true'];
const LIQ_CAP = [`breakers.maxLiquidationNotionalPerStepUsd=${400_000 * SCALE}`];

const tmp = mkdtempSync(join(tmpdir(), 'cascade-defences-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** flash-crash with the oracle frozen for 45 steps from the bottom of the fall (step 610) into the recovery. */
function freezeAtBottom(): string {
  const file = join(tmp, 'flash-crash-freeze-at-bottom.yaml');
  const crash = YAML.parse(readFileSync(join(builtinDir(), 'flash-crash.yaml'), 'utf8'));
  crash.name = 'flash-crash-freeze-at-bottom';
  crash.shocks.push({ kind: 'oracleFreeze', step: 610, steps: 45 });
  writeFileSync(file, YAML.stringify(crash));
  return file;
}

describe('oracle smoothing (TWAP, EMA)', () => {
  it("cuts induced liquidations on flash-crash with a 10-step TWAP, because a slow oracle does not follow the venue's own liquidation selling", () => {
    const { off, on } = compare('TWAP 10', 'flash-crash', TWAP(10), 'induced_liquidations');
    expect(on).toBeLessThan(0.6 * off);
  });

  it('raises bad debt on flash-crash with a 10-step TWAP, because the fall is real and the lagging oracle liquidates late, deeper into losses', () => {
    const { off, on } = compare('TWAP 10', 'flash-crash', TWAP(10), 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.4 * off);
  });

  it('lowers bad debt in a V-shaped crash with a 30-step TWAP, because the fall reverses within the window and the smoothed price barely moves', () => {
    const { off, on } = compare('TWAP 30', 'v-crash', TWAP(30), 'bad_debt_usd');
    expect(on).toBeLessThan(0.5 * off);
  });

  it('multiplies induced liquidations in a V-shaped crash with a 10-step TWAP, because the lagging oracle is still near the bottom after the index has recovered', () => {
    const { off, on } = compare('TWAP 10', 'v-crash', TWAP(10), 'induced_liquidations');
    expect(on).toBeGreaterThan(3 * off);
  });

  it('cuts induced liquidations on flash-crash with a 10-step EMA, as the TWAP does', () => {
    const { off, on } = compare('EMA 10', 'flash-crash', EMA(10), 'induced_liquidations');
    expect(on).toBeLessThan(0.6 * off);
  });

  it('raises bad debt on flash-crash with a 10-step EMA, as the TWAP does, because the move is real', () => {
    const { off, on } = compare('EMA 10', 'flash-crash', EMA(10), 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.4 * off);
  });
});

describe('the OSM-style delay', () => {
  it('raises bad debt on flash-crash with a 5-step delay, because liquidations start five steps into a real fall', () => {
    const { off, on } = compare('delay 5', 'flash-crash', ['oracle.delaySteps=5'], 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.4 * off);
  });

  it('raises bad debt even in a V-shaped crash with a 5-step delay, unlike a TWAP, because the delayed price still reaches the bottom, after the index has recovered', () => {
    const { off, on } = compare('delay 5', 'v-crash', ['oracle.delaySteps=5'], 'bad_debt_usd');
    expect(on).toBeGreaterThan(2 * off);
  });
});

describe('the change cap per publication', () => {
  it('raises bad debt on flash-crash with a 1% cap, because following a real 30% fall takes 36 publications', () => {
    const { off, on } = compare('cap 1%', 'flash-crash', ['oracle.maxChangePerUpdate=0.01'], 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.3 * off);
  });

  it('lowers bad debt in a V-shaped crash with a 1% cap, because the index recovers before the capped price reaches the bottom', () => {
    const { off, on } = compare('cap 1%', 'v-crash', ['oracle.maxChangePerUpdate=0.01'], 'bad_debt_usd');
    expect(on).toBeLessThan(0.5 * off);
  });
});

describe('median aggregation (index, venue mark, spot pool)', () => {
  it("cuts induced liquidations on flash-crash, because the venue's own selling moves only one of three sources", () => {
    const { off, on } = compare('median', 'flash-crash', ['oracle.aggregation=median'], 'induced_liquidations');
    expect(on).toBeLessThan(0.25 * off);
  });

  it('raises bad debt on flash-crash, because the median drops the venue mark, which leads the real fall and so liquidated earlier in the composite', () => {
    const { off, on } = compare('median', 'flash-crash', ['oracle.aggregation=median'], 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.1 * off);
  });
});

describe('the stale-oracle guard', () => {
  const guard = ['oracle.staleAfterSteps=10', 'oracle.staleAction=halt-liquidations'];

  it('leaves bad debt unchanged on oracle-stall when it halts liquidations, because a price frozen above the crash flags no new account to liquidate', () => {
    const { off, on } = compare('stale guard', 'oracle-stall', guard, 'bad_debt_usd', ['oracle.staleAfterSteps=10']);
    expect(meanStat('oracle-stall', guard, 'oracle_stale_steps')).toBeGreaterThan(30);
    expect(on).toBe(off);
  });

  it('lowers bad debt when the oracle freezes at the bottom of a crash that recovers, because it stops liquidations at the stale bottom price that the recovery would have undone', () => {
    const { off, on } = compare('stale guard', freezeAtBottom(), guard, 'bad_debt_usd', ['oracle.staleAfterSteps=10']);
    expect(on).toBeLessThan(0.97 * off);
  });
});

describe('confidence-aware margin', () => {
  const noisyMedian = ['oracle.aggregation=median', 'oracle.indexNoiseStd=0.002'];

  it('lowers bad debt on flash-crash over a noisy median oracle with k = 2, because longs are valued below the median while the sources disagree and are liquidated earlier', () => {
    const { off, on } = compare('confidence k=2', 'flash-crash', ['oracle.confidenceK=2'], 'bad_debt_usd', noisyMedian);
    expect(on).toBeLessThan(0.95 * off);
  });

  it('multiplies induced liquidations on flash-crash over a noisy median oracle with k = 2, because it liquidates at a margin price below the index', () => {
    const { off, on } = compare(
      'confidence k=2',
      'flash-crash',
      ['oracle.confidenceK=2'],
      'induced_liquidations',
      noisyMedian,
    );
    expect(on).toBeGreaterThan(10 * off);
  });
});

describe('the price-band halt', () => {
  it('lowers bad debt in a V-shaped crash when it halts trading and liquidations, because the crash recovers within the 30-step halt', () => {
    const { off, on } = compare('band, liquidations halted', 'v-crash', BAND_ALL, 'bad_debt_usd');
    expect(meanStat('v-crash', BAND_ALL, 'breaker_trips')).toBeGreaterThanOrEqual(1);
    expect(on).toBeLessThan(0.2 * off);
  });

  it('raises bad debt on flash-crash when it halts trading and liquidations, because the fall is real and liquidations resume 30 steps later at a lower price', () => {
    const { off, on } = compare('band, liquidations halted', 'flash-crash', BAND_ALL, 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.2 * off);
  });

  it('raises bad debt on flash-crash even when it halts only trading, because arbitrageurs cannot pull the mark back while liquidators keep selling into it', () => {
    const { off, on } = compare(
      'band, trading halted',
      'flash-crash',
      ['breakers.priceBand.enabled=true'],
      'bad_debt_usd',
    );
    expect(on).toBeGreaterThan(1.1 * off);
  });
});

describe('open-interest controls', () => {
  it('lower bad debt on flash-crash with a hard cap per side, because refused increases leave less leveraged exposure when the crash comes', () => {
    const cap = [`breakers.openInterest.maxPerSideUsd=${10_000_000 * SCALE}`];
    const { off, on } = compare('OI cap', 'flash-crash', cap, 'bad_debt_usd');
    expect(meanStat('flash-crash', cap, 'refused_actions')).toBeGreaterThan(
      meanStat('flash-crash', [], 'refused_actions'),
    );
    expect(on).toBeLessThan(0.96 * off);
  });

  it("lower bad debt on flash-crash with dYdX's mid-cap OI-scaled initial margin, because new positions need more margin as open interest grows", () => {
    const imf = [
      `breakers.openInterest.imfScaleLowUsd=${40_000_000 * SCALE}`,
      `breakers.openInterest.imfScaleHighUsd=${100_000_000 * SCALE}`,
    ];
    const { off, on } = compare('OI-scaled IMF', 'flash-crash', imf, 'bad_debt_usd');
    expect(on).toBeLessThan(0.96 * off);
  });
});

describe('the liquidation throughput cap', () => {
  it('raises bad debt on flash-crash, because the backlog of accounts waiting for their turn keeps losing as the real fall goes on', () => {
    const { off, on } = compare('liquidation cap', 'flash-crash', LIQ_CAP, 'bad_debt_usd');
    expect(on).toBeGreaterThan(1.15 * off);
  });

  it('lowers price amplification on flash-crash, because less liquidation selling hits the book in each step', () => {
    const { off, on } = compare('liquidation cap', 'flash-crash', LIQ_CAP, 'amplification');
    expect(on - 1).toBeLessThan(0.6 * (off - 1));
  });

  it('lowers bad debt in a V-shaped crash, because the accounts it holds back are liquidated after the recovery, or not at all', () => {
    const { off, on } = compare('liquidation cap', 'v-crash', LIQ_CAP, 'bad_debt_usd');
    expect(on).toBeLessThan(0.8 * off);
  });
});

describe('the withdrawal limit', () => {
  it("never binds on flash-crash at dYdX's hourly limit, max(1M USD, 1% of TVL) scaled, because traders only withdraw margin above 1.5 x initial", () => {
    const limit = ['breakers.withdrawals.enabled=true', `breakers.withdrawals.floorUsd=${1_000_000 * SCALE}`];
    const { off, on } = compare('withdrawal limit', 'flash-crash', limit, 'bad_debt_usd');
    expect(meanStat('flash-crash', limit, 'withdrawals_refused_usd')).toBe(0);
    expect(on).toBe(off);
  });

  it('lowers bad debt on flash-crash when traders withdraw often and the limit binds, because refused withdrawals leave spare margin in accounts that the crash later puts underwater', () => {
    const crowd = ['agents.traders.withdrawProbability=0.6'];
    const limit = [
      'breakers.withdrawals.enabled=true',
      'breakers.withdrawals.floorUsd=0',
      'breakers.withdrawals.tvlShare=0.001',
      'breakers.withdrawals.periodSteps=1440',
    ];
    const { off, on } = compare('tight withdrawal limit', 'flash-crash', limit, 'bad_debt_usd', crowd);
    expect(meanStat('flash-crash', [...crowd, ...limit], 'withdrawals_refused_usd')).toBeGreaterThan(0);
    expect(on).toBeLessThan(0.92 * off);
  });
});
