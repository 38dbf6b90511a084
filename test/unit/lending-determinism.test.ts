// A lending run is a pure function of (scenario, config, seed): the same inputs give byte-identical
// summary.json and timeline.csv text, and a lending run leaves no state behind that a later perp run
// in the same process could read. Small worlds (200 borrowers; 300 perp traders, 700 steps).
import { describe, expect, it } from 'vitest';
import { simulate, summaryJson, timelineCsv, version } from '../../sim/api.js';
import { runSimulation } from '../../sim/engine.js';
import { smallScenario } from '../helpers/small-world.js';

const SMALL = ['lending.borrowers.count=200'];

function lendingFiles(ref: string, seed: number, set: string[] = []) {
  const r = simulate(ref, { seed, set: [...SMALL, ...set] });
  return { summary: summaryJson(r, r.config, ref, version()), timeline: timelineCsv(r), result: r };
}

describe('lending runs in process', () => {
  it('gives byte-identical summary.json and timeline.csv for the same crash scenario and seed, run twice in a row', () => {
    const a = lendingFiles('lending-crash-starved', 7);
    const b = lendingFiles('lending-crash-starved', 7);
    expect(b.summary).toBe(a.summary);
    expect(b.timeline).toBe(a.timeline);
    // Non-trivial: the crash liquidated accounts and the summary carries the lending statistics.
    expect(a.result.stats.liquidations).toBeGreaterThan(0);
    expect(JSON.parse(a.summary)).toHaveProperty('utilization_peak_pct');
  });

  it('gives byte-identical summary.json and timeline.csv for the same attack scenario and seed, run twice in a row', () => {
    const a = lendingFiles('lending-oracle-manipulation', 3);
    const b = lendingFiles('lending-oracle-manipulation', 3);
    expect(b.summary).toBe(a.summary);
    expect(b.timeline).toBe(a.timeline);
    expect(a.result.stats.attack_profit_usd).not.toBe(0);
  });

  it('gives a different timeline for a different seed', () => {
    const a = lendingFiles('lending-crash', 1);
    const b = lendingFiles('lending-crash', 2);
    expect(b.timeline).not.toBe(a.timeline);
  });

  it('gives the same perp result whether or not lending runs were made before it in the same process (no shared state)', () => {
    const perp = () => runSimulation({ ...smallScenario('flash-crash', [], 300, 700), seed: 11 });
    const before = perp();
    lendingFiles('lending-crash-starved', 5);
    lendingFiles('lending-borrow-squeeze', 5);
    const after = perp();
    expect(after).toEqual(before);
    expect(timelineCsv(after)).toBe(timelineCsv(before));
  });

  it('gives the same lending result whether or not a perp run was made before it in the same process', () => {
    const before = lendingFiles('lending-crash', 9);
    runSimulation({ ...smallScenario('mango', [], 300, 700), seed: 9 });
    const after = lendingFiles('lending-crash', 9);
    expect(after.summary).toBe(before.summary);
    expect(after.timeline).toBe(before.timeline);
  });
});
