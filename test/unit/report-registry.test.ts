// The run report reads the statistics' meanings and units from the registry (handed over by the
// caller as plain data), not from a list of its own: every statistic of a run shows its registry
// description.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReportHtml } from '../../reports/html/report-run.js';
import { summaryJson, timelineCsv } from '../../reports/run-output.js';
import { RUN_STATISTICS, runSimulation } from '../../sim/engine.js';
import { loadScenario, resolveConfig } from '../../scenarios/load.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function runDir(): string {
  const { scenario, params } = loadScenario('flash-crash');
  const config = resolveConfig(scenario.source, params, ['agents.traders.count=200']);
  const result = runSimulation({ scenario, config, seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'cascade-report-registry-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'timeline.csv'), timelineCsv(result));
  writeFileSync(join(dir, 'summary.json'), summaryJson(result, config, scenario.source, 'test'));
  return dir;
}

const unescape = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&quot;/g, '"');

describe('the run report', () => {
  const dir = runDir();

  it('shows every run statistic with its registry description', () => {
    const html = unescape(runReportHtml(dir, RUN_STATISTICS));
    for (const s of RUN_STATISTICS) expect(html, s.name).toContain(s.description);
  });

  it('shows no meaning for a statistic when the caller hands over no registry entries', () => {
    const html = unescape(runReportHtml(dir));
    expect(html).not.toContain(RUN_STATISTICS.find((s) => s.name === 'amplification')!.description);
  });
});
