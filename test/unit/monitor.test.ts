// Monitoring detectors on hand-built inputs, the alert statistics, and the detectors on whole runs.
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { ConfigSchema } from '../../sim/config/index.js';
import { alertStats, createTimeline } from '../../sim/perp/statistics.js';
import { DETECTORS, Monitor, topShare, type MonitorInput } from '../../sim/controls/monitor.js';
import { runSeeds, smallScenario } from '../helpers/small-world.js';

const monitoring = (over: Record<string, unknown> = {}) => ConfigSchema.parse({ monitoring: over }).monitoring;
const quiet: MonitorInput = {
  indexPriceUsd: 100,
  oraclePriceUsd: 100,
  liquidatedNotionalUsd: 0,
  openInterestUsd: 1e6,
  insuranceFundUsd: 1000,
  concentrationShare: NaN,
};

describe('detectors', () => {
  it('raises the oracle-divergence alert only beyond its threshold', () => {
    const m = new Monitor(monitoring({ oracleDivergencePct: 0.02 }), 1000);
    expect(m.observe(0, { ...quiet, oraclePriceUsd: 101.9 })).toBe(0);
    expect(m.observe(1, { ...quiet, oraclePriceUsd: 97.9 })).toBe(DETECTORS.oracleDivergence);
    expect(m.firstAlertStep).toBe(1);
  });

  it('raises the liquidation-rate alert when a step liquidates more than the share of open interest', () => {
    const m = new Monitor(monitoring({ liquidationRatePct: 0.01 }), 1000);
    expect(m.observe(0, { ...quiet, liquidatedNotionalUsd: 9_000 })).toBe(0);
    expect(m.observe(1, { ...quiet, liquidatedNotionalUsd: 11_000 })).toBe(DETECTORS.liquidationRate);
  });

  it('measures insurance drawdown from the running peak, not from the start', () => {
    const m = new Monitor(monitoring({ insuranceDrawdownPct: 0.25 }), 1000);
    m.observe(0, { ...quiet, insuranceFundUsd: 2000 });
    expect(m.observe(1, { ...quiet, insuranceFundUsd: 1600 })).toBe(0);
    expect(m.observe(2, { ...quiet, insuranceFundUsd: 1400 })).toBe(DETECTORS.insuranceDrawdown);
  });

  it('keeps the last concentration measurement between measurements', () => {
    const m = new Monitor(monitoring({ concentrationShare: 0.3 }), 1000);
    expect(m.observe(0, { ...quiet, concentrationShare: 0.5 })).toBe(DETECTORS.concentration);
    expect(m.observe(1, quiet)).toBe(DETECTORS.concentration);
    expect(m.observe(2, { ...quiet, concentrationShare: 0.1 })).toBe(0);
  });

  it('reports nothing when monitoring is off', () => {
    const m = new Monitor(monitoring({ enabled: false }), 1000);
    expect(m.observe(0, { ...quiet, oraclePriceUsd: 10, insuranceFundUsd: 0 })).toBe(0);
    expect(m.firstAlertStep).toBe(-1);
  });

  it('computes the share of the largest positions in the total absolute size', () => {
    const sizes = Float64Array.from([5, -3, 1, 0, -1]);
    expect(topShare(sizes, [0, 1, 2, 3, 4], 2)).toBeCloseTo(8 / 10, 12);
    expect(topShare(sizes, [2, 3, 4], 1)).toBeCloseTo(1 / 2, 12);
    expect(topShare(sizes, [3], 3)).toBe(0);
  });
});

describe('alert statistics', () => {
  const timeline = (firstLoss: number) => {
    const tl = createTimeline(10);
    if (firstLoss >= 0) for (let t = firstLoss; t < 10; t++) tl.uncovered_bad_debt_usd[t] = 5;
    return tl;
  };

  it('counts the lead from the first alert to the first uncovered bad debt and marks the run detected', () => {
    expect(alertStats(timeline(7), 3, 4, 100)).toEqual({
      alert_steps: 4,
      first_alert_step: 3,
      alert_lead_steps: 4,
      detected: 1,
      false_alarm: 0,
    });
  });

  it('gives a negative lead and no detection when the alert came after the loss', () => {
    expect(alertStats(timeline(2), 5, 1, 100)).toMatchObject({ alert_lead_steps: -3, detected: 0 });
  });

  it('marks a false alarm when an alert fired in a run without bad debt', () => {
    expect(alertStats(timeline(-1), 5, 1, 0)).toMatchObject({ false_alarm: 1, detected: 0, alert_lead_steps: 0 });
  });
});

describe('detectors on whole runs', () => {
  it('alert ahead of the uncovered bad debt in most flash-crash runs and raise few alarms on a calm day, because the crash shows in liquidations and the fund before the fund runs dry', () => {
    // The default world (10,000 traders): the thresholds' defaults are set for it, and it runs in milliseconds.
    const full = (ref: string) => {
      const { scenario, params } = loadScenario(ref);
      return { scenario, config: resolveConfig(scenario.source, params) };
    };
    const crash = runSeeds(full('flash-crash'), 20);
    const calm = runSeeds(full('calm'), 20);
    const insolvent = crash.filter((r) => r.stats.insolvent === 1);
    const detected = insolvent.filter((r) => r.stats.detected === 1).length;
    const falseAlarms = calm.filter((r) => r.stats.false_alarm === 1).length;
    console.log(
      `flash-crash: ${detected}/${insolvent.length} insolvent runs detected; calm: ${falseAlarms}/20 false alarms`,
    );
    expect(insolvent.length).toBeGreaterThan(10);
    expect(detected / insolvent.length).toBeGreaterThan(0.8);
    expect(falseAlarms).toBeLessThanOrEqual(1);
  });

  it('leave the simulation itself unchanged: switching monitoring off changes only the alert statistics', () => {
    const on = runSeeds(smallScenario('flash-crash', [], 200, 700), 2);
    const off = runSeeds(smallScenario('flash-crash', ['monitoring.enabled=false'], 200, 700), 2);
    for (let k = 0; k < 2; k++) {
      expect(off[k].stats.bad_debt_usd).toBe(on[k].stats.bad_debt_usd);
      expect(Array.from(off[k].timeline.mark_price_usd)).toEqual(Array.from(on[k].timeline.mark_price_usd));
      expect(off[k].stats.alert_steps).toBe(0);
    }
  });
});
