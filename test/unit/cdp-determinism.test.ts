// A CDP run is a pure function of (scenario, config, seed): the same inputs give byte-identical
// summary.json and timeline.csv text, a different seed a different path, and a CDP run leaves no state
// behind that a later perp or lending run in the same process could read. Small worlds (100 vaults).
import { describe, expect, it } from 'vitest';
import { simulate, summaryJson, timelineCsv, version } from '../../sim/api.js';

const SMALL = ['cdp.vaultOwners.count=100', 'run.steps=400'];

function cdpFiles(ref: string, seed: number, set: string[] = []) {
  const r = simulate(ref, { seed, set: [...SMALL, ...set] });
  return { summary: summaryJson(r, r.config, ref, version()), timeline: timelineCsv(r), result: r };
}

describe('CDP runs in process', () => {
  it('give byte-identical summary.json and timeline.csv for the same scenario and seed, run twice in a row', () => {
    const a = cdpFiles('cdp-crash', 7);
    const b = cdpFiles('cdp-crash', 7);
    expect(b.summary).toBe(a.summary);
    expect(b.timeline).toBe(a.timeline);
    // Non-trivial: the crash kicked auctions and the summary carries the CDP statistics.
    expect(a.result.family).toBe('cdp');
    expect(a.result.stats.auctions).toBeGreaterThan(0);
    expect(JSON.parse(a.summary)).toHaveProperty('peg_max_price_usd');
  });

  it('give a different timeline for a different seed', () => {
    expect(cdpFiles('cdp-crash', 2).timeline).not.toBe(cdpFiles('cdp-crash', 1).timeline);
  });

  it('leave no state behind: a lending run gives the same result before and after CDP runs', () => {
    const lending = () => {
      const r = simulate('lending-crash', { seed: 3, set: ['lending.borrowers.count=100', 'run.steps=700'] });
      return timelineCsv(r);
    };
    const before = lending();
    cdpFiles('cdp-crash', 3);
    cdpFiles('cdp-crash', 4, ['cdp.collateral.ETH.auction.kind=english']);
    expect(lending()).toBe(before);
  });
});
