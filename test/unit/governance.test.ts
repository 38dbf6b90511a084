// Governance and the guardian on hand-built inputs, and their effect on whole runs: timelocks,
// risk-steward bounds, execution-time validation, guardian latency, pause scope and grace period.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../sim/config/index.js';
import { runSimulation } from '../../sim/engine.js';
import { Governance, Guardian } from '../../sim/controls/governance.js';
import { DETECTORS } from '../../sim/controls/monitor.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';

const govConfig = (over: Record<string, unknown> = {}) => ConfigSchema.parse({ governance: over }).governance;

describe('timelocked parameter changes under risk-steward bounds', () => {
  it('queues a proposal and releases it exactly when its timelock ends', () => {
    const g = new Governance(govConfig());
    g.propose({ step: 10, path: 'protocol.maintenanceMarginRate', value: 0.04, delaySteps: 5 }, 0.03);
    expect(g.due(14)).toEqual([]);
    expect(g.due(15)).toEqual([{ path: 'protocol.maintenanceMarginRate', value: 0.04 }]);
    expect(g.due(16)).toEqual([]);
  });

  it('refuses a proposal whose timelock is shorter than the minimum delay', () => {
    const g = new Governance(govConfig({ minDelaySteps: 30 }));
    g.propose({ step: 0, path: 'protocol.liquidationFeeRate', value: 0.02, delaySteps: 10 }, 0.015);
    expect(g.refused).toBe(1);
    expect(g.events[0]).toMatchObject({ outcome: 'refused' });
    expect(g.due(1000)).toEqual([]);
  });

  it('refuses a change larger than the maximum relative change and accepts one within it', () => {
    const g = new Governance(govConfig({ maxRelativeChange: 0.5 }));
    g.propose({ step: 0, path: 'protocol.maintenanceMarginRate', value: 0.05, delaySteps: 0 }, 0.03);
    g.propose({ step: 0, path: 'protocol.maintenanceMarginRate', value: 0.04, delaySteps: 0 }, 0.03);
    expect(g.refused).toBe(1);
    expect(g.due(0)).toEqual([{ path: 'protocol.maintenanceMarginRate', value: 0.04 }]);
  });

  it('refuses a change larger than the maximum absolute change', () => {
    const g = new Governance(govConfig({ maxAbsoluteChange: 0.0025 }));
    g.propose({ step: 0, path: 'protocol.maintenanceMarginRate', value: 0.035, delaySteps: 0 }, 0.03);
    expect(g.refused).toBe(1);
  });

  it('refuses a second change of the same parameter before the minimum spacing has passed', () => {
    const g = new Governance(govConfig({ minStepsBetweenUpdates: 100 }));
    g.propose({ step: 0, path: 'protocol.takerFeeRate', value: 0.001, delaySteps: 0 }, 0.0005);
    g.propose({ step: 50, path: 'protocol.takerFeeRate', value: 0.002, delaySteps: 0 }, 0.001);
    g.propose({ step: 60, path: 'protocol.liquidationFeeRate', value: 0.02, delaySteps: 0 }, 0.015);
    expect(g.refused).toBe(1);
    expect(g.events.filter((e) => e.outcome === 'queued').map((e) => e.path)).toEqual([
      'protocol.takerFeeRate',
      'protocol.liquidationFeeRate',
    ]);
  });
});

describe('the emergency guardian', () => {
  const guardianConfig = (over: Record<string, unknown>) =>
    ConfigSchema.parse({ governance: { guardian: { enabled: true, ...over } } }).governance.guardian;

  it('pauses trading a reaction latency after its detector fires, for the pause length', () => {
    const g = new Guardian(guardianConfig({ latencySteps: 3, pauseSteps: 5, scope: 'market' }));
    const paused: boolean[] = [];
    for (let step = 0; step < 12; step++) {
      const alerts = step === 2 ? DETECTORS.oracleDivergence : 0;
      paused.push(g.decide(step, alerts).pauseTrading);
    }
    // Fires at 2, pauses from 5 to 9 inclusive.
    expect(paused.map((p) => (p ? 1 : 0))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0]);
    expect(g.pauses).toBe(1);
  });

  it('ignores detectors other than its trigger', () => {
    const g = new Guardian(guardianConfig({ trigger: 'insuranceDrawdown', latencySteps: 0 }));
    expect(g.decide(0, DETECTORS.oracleDivergence | DETECTORS.liquidationRate).pauseTrading).toBe(false);
    expect(g.decide(1, DETECTORS.insuranceDrawdown).pauseTrading).toBe(true);
  });

  it('keeps liquidations off during the grace period after a market pause ends (Aave style)', () => {
    const g = new Guardian(
      guardianConfig({ latencySteps: 0, pauseSteps: 2, scope: 'market', liquidationGraceSteps: 3 }),
    );
    const states = [0, 1, 2, 3, 4, 5, 6].map((s) => g.decide(s, s === 0 ? DETECTORS.oracleDivergence : 0));
    expect(states.map((x) => (x.pauseTrading ? 1 : 0))).toEqual([1, 1, 0, 0, 0, 0, 0]);
    expect(states.map((x) => (x.pauseLiquidations ? 1 : 0))).toEqual([0, 0, 1, 1, 1, 0, 0]);
  });

  it('does nothing when disabled', () => {
    const g = new Guardian(ConfigSchema.parse({}).governance.guardian);
    expect(g.decide(0, 15)).toEqual({ pauseTrading: false, pauseLiquidations: false });
  });
});

describe('governance in whole runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cascade-gov-'));
  const crash = readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'builtin', 'flash-crash.yaml'), 'utf8');
  const withChange = (name: string, line: string) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, crash.replace(/^name: .*$/m, `name: ${name}`) + line + '\n');
    return file;
  };

  it('applies a maintenance-margin change at the end of its timelock and records it in the run events', () => {
    const file = withChange(
      'gov-raise',
      '  - { kind: paramChange, step: 100, path: protocol.maintenanceMarginRate, value: 0.045, delaySteps: 60 }',
    );
    const r = runSimulation({ ...smallScenario(file, [], 200, 700), seed: 3 });
    expect(r.stats.governance_changes).toBe(1);
    expect(r.events.governance.map((e) => [e.step, e.outcome])).toEqual([
      [100, 'queued'],
      [160, 'applied'],
    ]);
  });

  it('rejects at execution a change that would put maintenance above initial margin', () => {
    const file = withChange(
      'gov-invalid',
      '  - { kind: paramChange, step: 10, path: protocol.maintenanceMarginRate, value: 0.08, delaySteps: 5 }',
    );
    const r = runSimulation({ ...smallScenario(file, [], 200, 700), seed: 3 });
    expect(r.stats.governance_changes).toBe(0);
    expect(r.stats.governance_refused).toBe(1);
    expect(r.events.governance[1]).toMatchObject({ step: 15, outcome: 'rejected-at-execution' });
  });

  it('lowers mean bad debt on flash-crash when a timelocked raise of maintenance margin lands before the crash, and not when its timelock ends after it', () => {
    // A risk team raising margins ahead of a crash protects the venue only if the timelock ends in time.
    const early = withChange(
      'gov-early',
      '  - { kind: paramChange, step: 300, path: protocol.maintenanceMarginRate, value: 0.045, delaySteps: 120 }',
    );
    const late = withChange(
      'gov-late',
      '  - { kind: paramChange, step: 300, path: protocol.maintenanceMarginRate, value: 0.045, delaySteps: 400 }',
    );
    const base = mean(
      runSeeds(smallScenario('flash-crash', ['protocol.maintenanceMarginRate=0.015']), 20).map(
        (r) => r.stats.bad_debt_usd,
      ),
    );
    const before = mean(
      runSeeds(smallScenario(early, ['protocol.maintenanceMarginRate=0.015']), 20).map((r) => r.stats.bad_debt_usd),
    );
    const after = mean(
      runSeeds(smallScenario(late, ['protocol.maintenanceMarginRate=0.015']), 20).map((r) => r.stats.bad_debt_usd),
    );
    console.log(
      `mean bad debt: no change ${base.toFixed(0)}, raise before the crash ${before.toFixed(0)}, raise after it ${after.toFixed(0)} USD`,
    );
    expect(before).toBeLessThan(base);
    expect(Math.abs(after - base)).toBeLessThan(Math.abs(before - base));
  });
});

describe('the guardian in whole runs', () => {
  const guardian = (pauseSteps: number) => [
    'governance.guardian.enabled=true',
    'governance.guardian.trigger=liquidationRate',
    'governance.guardian.scope=liquidations',
    'governance.guardian.latencySteps=0',
    `governance.guardian.pauseSteps=${pauseSteps}`,
  ];
  const meanBadDebt = (ref: string, extra: string[]) =>
    mean(runSeeds(smallScenario(ref, extra), 20).map((r) => r.stats.bad_debt_usd));

  it('lowers mean bad debt in a V-shaped crash when it pauses liquidations on a liquidation spike, because the price is back before the pause ends', () => {
    const base = meanBadDebt('v-crash', []);
    const guarded = meanBadDebt('v-crash', guardian(30));
    console.log(`v-crash mean bad debt: ${base.toFixed(0)} without the guardian, ${guarded.toFixed(0)} with it`);
    expect(guarded).toBeLessThan(0.5 * base);
  });

  it('raises mean bad debt in a slow bleed when it pauses liquidations, because the fall is real and positions sink through bankruptcy while paused', () => {
    const base = meanBadDebt('slow-bleed', []);
    const guarded = meanBadDebt('slow-bleed', guardian(120));
    console.log(`slow-bleed mean bad debt: ${base.toFixed(0)} without the guardian, ${guarded.toFixed(0)} with it`);
    expect(guarded).toBeGreaterThan(1.5 * base);
  });
});

describe('risk-steward bounds in whole runs', () => {
  it('leave more mean bad debt in timelocked-raise when a 50% cap on relative change refuses the tripling of maintenance margin, because the protection never lands', () => {
    const free = runSeeds(smallScenario('timelocked-raise'), 20);
    const bounded = runSeeds(smallScenario('timelocked-raise', ['governance.maxRelativeChange=0.5']), 20);
    expect(bounded.every((r) => r.stats.governance_refused === 1 && r.stats.governance_changes === 0)).toBe(true);
    const a = mean(free.map((r) => r.stats.bad_debt_usd));
    const b = mean(bounded.map((r) => r.stats.bad_debt_usd));
    console.log(
      `timelocked-raise mean bad debt: ${a.toFixed(0)} with the raise, ${b.toFixed(0)} when the steward refuses it`,
    );
    expect(b).toBeGreaterThan(a);
  });
});
