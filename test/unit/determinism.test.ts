// A run is a pure function of (scenario, config, seed), and streams per concern give common random
// numbers: parameters and extra agents do not move the index path. The same checked end to end
// through the CLI (byte-identical files) is in test/cli/determinism.test.ts.
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../sim/engine.js';
import { smallScenario } from '../helpers/small-world.js';

const TRADERS = 300;
const STEPS = 700;

function run(extra: string[] = [], seed = 11) {
  return runSimulation({ ...smallScenario('flash-crash', extra, TRADERS, STEPS), seed });
}

describe('runs in process', () => {
  it('gives identical statistics and timelines for the same scenario, config and seed', () => {
    const a = run();
    const b = run();
    expect(b.stats).toEqual(a.stats);
    expect(b.timeline).toEqual(a.timeline);
    expect(b).toEqual(a);
    // Non-trivial: the crash liquidated accounts.
    expect(a.stats.liquidations).toBeGreaterThan(0);
  });

  it('gives a different timeline for a different seed', () => {
    const a = run([], 11);
    const b = run([], 12);
    expect(b.timeline.index_price_usd).not.toEqual(a.timeline.index_price_usd);
    expect(b.stats).not.toEqual(a.stats);
  });

  it('keeps the index path when the maintenance margin rate changes (common random numbers)', () => {
    const a = run(['protocol.maintenanceMarginRate=0.03']);
    const b = run(['protocol.maintenanceMarginRate=0.02']);
    expect(b.timeline.index_price_usd).toEqual(a.timeline.index_price_usd);
    // The parameter did change the run.
    expect(b.timeline.liquidations).not.toEqual(a.timeline.liquidations);
  });

  it('keeps the index path when liquidators are added (common random numbers)', () => {
    const a = run(['agents.liquidators.count=5']);
    const b = run(['agents.liquidators.count=12']);
    expect(b.accounts.total).toBe(a.accounts.total + 7);
    expect(b.timeline.index_price_usd).toEqual(a.timeline.index_price_usd);
  });

  it('keeps the index path when the trader population changes (common random numbers)', () => {
    const a = run(['agents.traders.count=300']);
    const b = run(['agents.traders.count=200']);
    expect(b.timeline.index_price_usd).toEqual(a.timeline.index_price_usd);
    expect(b.timeline.open_interest_long_usd).not.toEqual(a.timeline.open_interest_long_usd);
  });
});
