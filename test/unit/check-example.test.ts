// The worked CI example (examples/ci-gate) stays usable: its sweep loads and plans with the current
// parameters and budget metrics, its risk parameters stay out of the grid (so the baseline's cells
// match), and the GitHub Actions and GitLab CI jobs parse and run the gate the README describes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { RUN_STAT_KEYS } from '../../sim/perp/statistics.js';
import { buildPlan } from '../../sim/sweep/sweep-plan.js';
import { ROOT } from '../helpers/sweep-helpers.js';

const EXAMPLE = join(ROOT, 'examples', 'ci-gate');
const yamlFile = (path: string): Record<string, unknown> =>
  YAML.parse(readFileSync(join(EXAMPLE, path), 'utf8')) as Record<string, unknown>;

describe('the ci-gate example', () => {
  it('has a sweep that loads and plans, with budgets and the parameters file as its scenario', () => {
    const sweep = loadSweep(join(EXAMPLE, 'risk', 'sweep.yaml'), cellMetricNames(RUN_STAT_KEYS));
    expect(sweep.scenarios.map((s) => s.label)).toEqual(['venue']);
    expect(sweep.budgets.map((b) => b.text)).toEqual(['p_insolvent <= 0.05', 'bad_debt_mean_usd <= 15000']);
    const plan = buildPlan(sweep, 'test', RUN_STAT_KEYS);
    expect(plan.meta.total_runs).toBe(200);
    expect(plan.cells[0].config.protocol.maintenanceMarginRate).toBe(0.04);
  });

  it('keeps the risk parameters of params.yaml out of the grid', () => {
    const params = yamlFile('risk/params.yaml').params as Record<string, Record<string, unknown>>;
    const riskPaths = Object.entries(params).flatMap(([group, values]) =>
      Object.keys(values).map((k) => `${group}.${k}`),
    );
    const grid = Object.keys(yamlFile('risk/sweep.yaml').grid as Record<string, unknown>);
    expect(riskPaths.length).toBeGreaterThan(0);
    expect(grid.filter((p) => riskPaths.includes(p))).toEqual([]);
  });

  it('has a GitHub Actions workflow that gates pull requests on risk/** against a cached baseline', () => {
    const wf = yamlFile('.github/workflows/risk-gate.yml');
    const on = wf.on as { pull_request: { paths: string[] } };
    expect(on.pull_request.paths).toContain('risk/**');
    const steps = (
      wf.jobs as Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>
    )['risk-gate'].steps;
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'));
    expect(cache?.with?.path).toBe('.baseline');
    expect(cache?.with?.key).toContain("hashFiles('.base/risk/**')");
    const runs = steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('cascade sweep .base/risk/sweep.yaml --out .baseline');
    expect(runs).toMatch(
      /cascade check risk\/sweep\.yaml[\s\S]*--baseline \.baseline[\s\S]*--junit out\/risk-gate\/junit\.xml/,
    );
  });

  it('has a GitLab CI job that runs the same gate and reports its JUnit XML', () => {
    const job = yamlFile('.gitlab-ci.yml')['risk-gate'] as {
      script: string[];
      artifacts: { reports: { junit: string } };
    };
    const script = job.script.join('\n');
    expect(script).toContain('cascade sweep .base/risk/sweep.yaml --out .baseline');
    expect(script).toMatch(/cascade check risk\/sweep\.yaml[\s\S]*--junit out\/risk-gate\/junit\.xml/);
    expect(job.artifacts.reports.junit).toBe('out/risk-gate/junit.xml');
  });
});
