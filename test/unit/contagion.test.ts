// The contagion world (sim/contagion/): its config checks (a lending section is needed, the flow asset
// must be a lending asset), its registries (every part's columns and statistics under the part's
// prefix, units carried over, world figures first), the composition leaving each protocol's own run
// untouched (the perp part equals a perp run of the same seed; with the links off, the lending part
// equals a lending run), the shared index (the lending WETH price is the perp index scaled), the
// family in the engine, and determinism (the same seed byte-identical). Small worlds (300 traders,
// 100 borrowers, 720 steps).
import { describe, expect, it } from 'vitest';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';
import { simulate, summaryJson, timelineCsv, version } from '../../sim/api.js';
import { ConfigSchema } from '../../sim/config/index.js';
import { compositeColumns, Composition, type AnyProtocol, type Part } from '../../sim/contagion/parts.js';
import { CONTAGION_COLUMNS, CONTAGION_STATS } from '../../sim/contagion/statistics.js';
import { defineRegistry } from '../../sim/core/registry.js';
import { familyOf, familyOfStatKeys, FAMILY_STAT_KEYS, runSimulation, sweepStatKeys } from '../../sim/engine.js';
import { LENDING_STATS } from '../../sim/lending/statistics.js';
import { LENDING_COLUMNS } from '../../sim/lending/timeline.js';
import { PERP_STATS } from '../../sim/perp/statistics.js';
import { PERP_COLUMNS } from '../../sim/perp/timeline.js';

const SMALL = ['agents.traders.count=300', 'lending.borrowers.count=100'];

/** contagion-crash's shocks, run with its params less `drop` (a section) and plus `sets`. */
function runWithout(drop: string[], sets: string[], seed: number) {
  const { scenario, params } = loadScenario('contagion-crash');
  const kept = Object.fromEntries(Object.entries(params).filter(([k]) => !drop.includes(k)));
  return runSimulation({ scenario, config: resolveConfig('test', kept, sets), seed });
}

function issues(input: unknown): { path: string; message: string }[] {
  const r = ConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('the contagion config section', () => {
  it('resolves its links to their defaults: a shared index, WETH, the whole flow', () => {
    const cfg = ConfigSchema.parse({ lending: {}, contagion: {} });
    expect(cfg.contagion?.links).toEqual({ sharedIndex: true, perpFlowAsset: 'WETH', perpFlowShare: 1 });
    expect(cfg.contagion?.lendingOracle).toBeUndefined();
    expect(familyOf(cfg)).toBe('contagion');
  });

  it('refuses a contagion section without a lending section, naming the section', () => {
    expect(issues({ contagion: {} })).toEqual([
      { path: 'contagion', message: expect.stringMatching(/lending section/) },
    ]);
  });

  it('refuses a flow asset the lending section does not have, naming the field and the assets', () => {
    const found = issues({ lending: {}, contagion: { links: { perpFlowAsset: 'WBTC' } } });
    expect(found).toEqual([
      { path: 'contagion.links.perpFlowAsset', message: "unknown asset 'WBTC' (lending.assets: WETH, USDC)" },
    ]);
  });

  it('refuses a flow share outside 0-1', () => {
    expect(issues({ lending: {}, contagion: { links: { perpFlowShare: 1.5 } } })[0].path).toBe(
      'contagion.links.perpFlowShare',
    );
  });

  it('leaves a config without the section resolving as before: no contagion key', () => {
    expect('contagion' in ConfigSchema.parse({ lending: {} })).toBe(false);
    expect('contagion' in ConfigSchema.parse({})).toBe(false);
  });
});

describe("the contagion world's registries", () => {
  it("holds every part's timeline column under its prefix, with the part's unit and a prefixed description", () => {
    for (const [part, columns] of [
      ['perp', PERP_COLUMNS],
      ['lending', LENDING_COLUMNS],
    ] as const)
      for (const c of columns.specs) {
        const p = CONTAGION_COLUMNS.get(`${part}_${c.name}`);
        expect(p, `${part}_${c.name}`).toBeDefined();
        expect(p!.unit).toBe(c.unit);
        expect(p!.description).toContain(c.description);
      }
  });

  it("holds every part's run statistic under its prefix, after the world's own", () => {
    const names = CONTAGION_STATS.names;
    expect(names.slice(0, 3)).toEqual(['insolvent', 'protocols_insolvent', 'bad_debt_usd']);
    for (const s of PERP_STATS.specs) expect(CONTAGION_STATS.get(`perp_${s.name}`)?.unit).toBe(s.unit);
    for (const s of LENDING_STATS.specs) expect(CONTAGION_STATS.get(`lending_${s.name}`)?.unit).toBe(s.unit);
    // Budgets and CSV headers take snake_case names only.
    for (const n of names) expect(n).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it('is a family of the engine: its stat keys name it, and a sweep whose grid sets contagion runs it', () => {
    expect(FAMILY_STAT_KEYS.contagion).toEqual(CONTAGION_STATS.names);
    expect(familyOfStatKeys(CONTAGION_STATS.names)).toBe('contagion');
    const keys = sweepStatKeys({
      source: 'sweep.yaml',
      grid: [{ path: 'contagion.links.perpFlowShare' }],
      scenarios: [{ label: 'contagion-crash', overrides: { lending: {}, contagion: {} } }],
    });
    expect(keys).toBe(FAMILY_STAT_KEYS.contagion);
    expect(() =>
      sweepStatKeys({
        source: 'sweep.yaml',
        grid: [],
        scenarios: [
          { label: 'contagion-crash', overrides: { contagion: {} } },
          { label: 'lending-crash', overrides: { lending: {} } },
        ],
      }),
    ).toThrow(/one protocol family/);
  });
});

describe('a contagion run', () => {
  it('gives byte-identical summary.json and timeline.csv for the same scenario and seed, run twice', () => {
    const files = () => {
      const r = simulate('contagion-crash', { seed: 5, set: SMALL });
      return { summary: summaryJson(r, r.config, 'contagion-crash', version()), timeline: timelineCsv(r), r };
    };
    const a = files();
    const b = files();
    expect(b.summary).toBe(a.summary);
    expect(b.timeline).toBe(a.timeline);
    expect(a.r.family).toBe('contagion');
    expect(a.r.stats.perp_liquidations).toBeGreaterThan(0);
    expect(a.r.stats.lending_liquidations).toBeGreaterThan(0);
  });

  it("sums the protocols' bad debt and liquidations into the world's statistics", () => {
    const s = simulate('contagion-crash', { seed: 2, set: SMALL }).stats;
    expect(s.bad_debt_usd).toBeCloseTo(s.perp_bad_debt_usd + s.lending_bad_debt_usd, 6);
    expect(s.liquidations).toBe(s.perp_liquidations + s.lending_liquidations);
    expect(s.protocols_insolvent).toBe(s.perp_insolvent + s.lending_insolvent);
  });

  it("leaves the perp venue's own run untouched: its part's statistics equal a perp run's of the same seed", () => {
    const world = simulate('contagion-crash', { seed: 3, set: SMALL });
    const perp = runWithout(['lending', 'contagion'], [SMALL[0]], 3);
    expect(perp.family).toBe('perp');
    for (const [k, v] of Object.entries(perp.stats)) expect(world.stats[`perp_${k}`], k).toBe(v);
  });

  it("with the links off leaves the lending pool's own run untouched: its part's statistics equal a lending run's", () => {
    const unlinked = ['contagion.links.sharedIndex=false', 'contagion.links.perpFlowShare=0'];
    const world = simulate('contagion-crash', { seed: 4, set: [...SMALL, ...unlinked] });
    // The pool alone reads the top-level oracle section: the one contagion.lendingOracle gives it in the world.
    const lending = runWithout(['contagion'], [...SMALL, 'oracle.aggregation=pool'], 4);
    expect(lending.family).toBe('lending');
    for (const [k, v] of Object.entries(lending.stats)) expect(world.stats[`lending_${k}`], k).toBe(v);
  });

  it('with a shared index moves the lending WETH price as the perp index, scaled by the initial prices', () => {
    // WETH's preset has no GBM of its own and a beta of 1; the perp index starts at 3000, WETH at 2000.
    const r = simulate('contagion-crash', { seed: 6, set: [...SMALL, 'market.initialPriceUsd=3000'] });
    const perp = r.timeline.perp_index_price_usd;
    const weth = r.timeline.lending_index_price_usd;
    expect(perp[400]).not.toBeCloseTo(perp[0], 0);
    for (let t = 0; t < perp.length; t += 7) expect(weth[t] / ((perp[t] * 2000) / 3000)).toBeCloseTo(1, 9);
  });

  it('without a shared index moves the lending WETH price on a path of its own', () => {
    const r = simulate('contagion-crash', { seed: 6, set: [...SMALL, 'contagion.links.sharedIndex=false'] });
    const perp = r.timeline.perp_index_price_usd;
    const weth = r.timeline.lending_index_price_usd;
    expect(Math.abs(weth[200] / perp[200] - 1)).toBeGreaterThan(1e-6);
  });
});

describe('the composition of parts', () => {
  /** A part holding `held` against `external`, with no stages and one column. */
  const part = (name: string, held: () => number, external: number): Part => {
    const columns = defineRegistry('timeline column', [
      { name: 'value_usd', unit: 'usd', across: 'venue', description: 'what the part holds' },
    ]);
    const protocol: AnyProtocol = {
      columns,
      stats: defineRegistry('run statistic', []),
      stages: [],
      record: (step, tl) => (tl.value_usd[step] = held()),
      balance: () => ({ heldUsd: held(), externalUsd: external, scaleUsd: Math.max(1, external) }),
      violation: () => undefined,
      statContext: () => ({}),
    };
    return { name, label: name, columns, stats: protocol.stats, protocol };
  };

  it("reports one part's gap that the summed balance would hide in the other's scale, naming the part", () => {
    let small = 100;
    const parts = [part('big', () => 1e9, 1e9), part('small', () => small, 100)];
    const comp = new Composition(parts, compositeColumns([], parts), 1, [], 1e-9);
    expect(comp.violation(true)).toBeUndefined();
    small = 100.5;
    // Summed: a gap of 0.5 against a scale of 1e9 passes a 1e-9 tolerance; the part's own check does not.
    const b = comp.balance();
    expect(Math.abs(b.heldUsd - b.externalUsd)).toBeLessThanOrEqual(1e-9 * b.scaleUsd);
    expect(comp.violation(true)).toMatch(/^small: value not conserved/);
  });

  it("lays the parts' columns out under their prefixes, sharing the parts' own arrays", () => {
    const parts = [part('a', () => 1, 1), part('b', () => 2, 2)];
    const comp = new Composition(parts, compositeColumns([], parts), 3, [], 1e-9);
    expect(Object.keys(comp.timeline)).toEqual(['a_value_usd', 'b_value_usd']);
    comp.record(1);
    expect(comp.timeline.b_value_usd[1]).toBe(2);
  });
});
