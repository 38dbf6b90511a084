// Every built-in sweep, whatever the library holds (the YAML files of scenarios/builtin-sweeps/, read
// from the folder rather than listed here): it is listed, loads and validates (its scenarios resolve,
// its grid and budgets name known parameters and metrics), is named after its file, says what it is
// for, and plans: each scenario x grid cell is a valid config whose shocks fit its horizon.
import { describe, expect, it } from 'vitest';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { builtinSweepDir, listBuiltinSweeps, loadSweep } from '../../scenarios/sweep-load.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';
import { buildPlan, gridCellCount } from '../../sim/sweep/sweep-plan.js';
import { BUILTIN_SWEEP_DIR, BUILTIN_SWEEPS } from '../helpers/builtins.js';

const METRICS = cellMetricNames(RUN_STAT_KEYS);

describe('the built-in sweeps', () => {
  it('are the YAML files of scenarios/builtin-sweeps/, listed in name order', () => {
    expect(builtinSweepDir()).toBe(BUILTIN_SWEEP_DIR);
    expect(BUILTIN_SWEEPS.length).toBeGreaterThan(0);
    expect(listBuiltinSweeps()).toEqual(BUILTIN_SWEEPS);
  });

  it.each(BUILTIN_SWEEPS)('loads and validates %s, named after its file, with a description', (name) => {
    const sweep = loadSweep(name, METRICS);
    expect(sweep.source).toBe(`builtin:${name}`);
    expect(sweep.name).toBe(name);
    expect(sweep.description.length).toBeGreaterThan(10);
    expect(sweep.scenarios.length).toBeGreaterThan(0);
    expect(sweep.replicates).toBeGreaterThan(0);
  });

  it.each(BUILTIN_SWEEPS)('plans %s: one valid config per scenario x grid cell', (name) => {
    const sweep = loadSweep(name, METRICS);
    const plan = buildPlan(sweep, '1', RUN_STAT_KEYS);
    expect(plan.cells).toHaveLength(sweep.scenarios.length * gridCellCount(sweep.grid));
    expect(plan.meta.total_runs).toBe(plan.cells.length * sweep.replicates);
  });
});
