// The governance attacker (issue 8, README "Attacks"): its proposals, closed accounting, and
// directional results over 20 seeds on its scenario (governance-attack). Measured (printed) before asserted.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../sim/engine.js';
import { attackSummary, runAttackScenario } from '../helpers/attack-helpers.js';

const runGov = (sets: string[]): RunResult[] => runAttackScenario('governance-attack', sets);

const summary = (label: string, runs: RunResult[]) => attackSummary('governance attacker', label, runs);

describe('the governance attacker on governance-attack (20 seeds)', () => {
  const runs = runGov([]);
  const base = summary('no timelock', runs);

  it('gets its four changes queued and applied with the shortest timelock allowed', () => {
    const events = runs[0].events.governance;
    expect(events.filter((e) => e.outcome === 'queued').map((e) => e.path)).toEqual([
      'protocol.initialMarginRate',
      'protocol.maintenanceMarginRate',
      'protocol.liquidationFeeRate',
      'protocol.liquidatorFeeShare',
    ]);
    expect(events.filter((e) => e.outcome === 'applied')).toHaveLength(4);
  });

  it('profits with no timelock, and the venue loses: every flagged account pays its whole notional as fee, beyond its equity, to the insurance fund and bad debt', () => {
    expect(base.p).toBe(1);
    expect(base.profit).toBeGreaterThan(10_000_000);
    expect(base.loss).toBeGreaterThan(base.profit);
  });

  it('keeps its accounting closed: profit = counterparties + venue losses within the conservation tolerance', () => {
    for (const r of runs.slice(0, 5)) {
      const a = r.attack!;
      expect(Math.abs(a.profitUsd - (a.counterpartyLossUsd + a.venueLossUsd))).toBeLessThan(1);
    }
  });

  it('earns less the longer the minimum timelock, because more honest traders have left before the change lands (all of them 120 steps after the proposal)', () => {
    const profits = [60, 120].map((d) => summary(`timelock ${d}`, runGov([`governance.minDelaySteps=${d}`])).profit);
    expect(profits[0]).toBeLessThan(base.profit);
    expect(profits[1]).toBeLessThan(0.01 * base.profit);
  });

  it('is stopped outright by a risk-steward bound of +100% per change (margin 5% -> 50% and fee 1.5% -> 100% are refused)', () => {
    const s = summary('steward +100%', runGov(['governance.maxRelativeChange=1']));
    expect(s.p).toBeLessThan(0.05);
    expect(s.loss).toBe(0);
  });
});
