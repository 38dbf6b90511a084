// The HTML report files without a browser, made by the CLI: no external URL, titled and labelled
// charts, heatmap values equal to cells.csv, histograms equal to runs.csv, timeline series equal to
// timeline.csv, check.json verdicts, user errors as one line with exit code 2. The ticks, the CSV
// reader and the report's in-process errors are in test/unit/report-html.test.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../reports/csv-read.js';
import { htmlReport, writeHtmlReport } from '../../reports/html-report.js';
import { binCounts } from '../../reports/html/histogram.js';
import {
  cascade,
  CLI,
  csvObjects,
  flashCrashRun,
  smallSweep,
  svgById,
  tagsWithClass,
  tagWithId,
  tempDir,
} from '../helpers/report-helpers.js';

const tmp = tempDir();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every way a page could reach the network: absolute URLs, protocol-relative URLs, external url(...). */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/https?:\/\/[^\s"'<>)]*/gi)) found.push(m[0]);
  for (const m of html.matchAll(/\b(?:src|href|xlink:href|action|poster)\s*=\s*"([^"]*)"/gi))
    if (!m[1].startsWith('#') && m[1] !== 'data:,') found.push(m[0]);
  for (const m of html.matchAll(/url\(\s*([^)]*)\)/gi)) if (!m[1].startsWith('#')) found.push(m[0]);
  for (const m of html.matchAll(/@import|<link[^>]+rel="stylesheet"|<script[^>]+src=|<iframe|<img|<object|<embed/gi))
    found.push(m[0]);
  return found;
}

describe('sweep report', () => {
  let dir = '';
  let html = '';
  beforeAll(() => {
    dir = smallSweep(tmp, { replicates: 10, report: true });
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });

  it('is written by sweep --report and holds no external URL', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toContain('xmlns');
  });

  it('shows the sweep name, seed, version and date in the header', () => {
    const header = html.slice(html.indexOf('<header'), html.indexOf('</header>'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(header).toContain('report-small');
    expect(header).toMatch(/<dt>seed<\/dt><dd>11<\/dd>/);
    expect(header).toContain(`<dd>${manifest.cascade_version}</dd>`);
    expect(header).toMatch(/<dt>date<\/dt><dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
  });

  it('draws one heatmap cell per cells.csv row and metric, holding the exact cells.csv text', () => {
    const cells = csvObjects(join(dir, 'cells.csv'));
    for (const metric of ['p_insolvent', 'bad_debt_p99_usd']) {
      const rects = tagsWithClass(html, 'rect', 'hm-cell').filter((r) => r['data-metric'] === metric);
      expect(rects).toHaveLength(cells.length);
      for (const c of cells) {
        const r = rects.find(
          (x) =>
            x['data-scenario'] === c.scenario &&
            x['data-x'] === c['protocol.maintenanceMarginRate'] &&
            x['data-y'] === c['protocol.liquidationFeeRate'],
        );
        expect(r?.['data-value']).toBe(c[metric]);
      }
    }
  });

  it('gives every chart a title and axis labels, and every heatmap cell a hover title with its value', () => {
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs.length).toBeGreaterThan(4);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg[^>]*><title>[^<]+<\/title>/);
      expect(svg).toMatch(/class="chart-title[^"]*"[^>]*>[^<]+</);
      expect(svg).toMatch(/class="axis-label x-label"[^>]*>[^<]+</);
    }
    const groups = [...html.matchAll(/<g class="hm-cell-group"><title>([^<]*)<\/title><rect ([^>]*)>/g)];
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      const value = /data-value="([^"]*)"/.exec(g[2])![1];
      expect(g[1]).toContain(`= ${value}`);
    }
  });

  it('marks the cells over a budget of the sweep file, judged as cascade check judges them', () => {
    const cells = csvObjects(join(dir, 'cells.csv'));
    const rects = tagsWithClass(html, 'rect', 'hm-cell');
    for (const r of rects) {
      const c = cells.find(
        (x) =>
          x.scenario === r['data-scenario'] &&
          x['protocol.maintenanceMarginRate'] === r['data-x'] &&
          x['protocol.liquidationFeeRate'] === r['data-y'],
      )!;
      const over =
        r['data-metric'] === 'p_insolvent'
          ? Number(c.p_insolvent_hi) > 1 // judged on the Wilson upper bound, as cascade check does
          : r['data-metric'] === 'bad_debt_p99_usd'
            ? c.scenario === 'flash-crash' && Number(c.bad_debt_p99_usd) >= 0
            : false; // the headline maps without a budget (uncovered mean, VaR95, LaR95)
      expect(r['data-over-budget'] === 'true').toBe(over);
    }
  });

  it('bins every ok run of runs.csv into its cell histogram', () => {
    const runs = csvObjects(join(dir, 'runs.csv'));
    const hists = tagsWithClass(html, 'svg', 'histogram');
    const notes = tagsWithClass(html, 'p', 'no-bad-debt').map((p) => p['data-scenario']);
    const scenarios = [...new Set(runs.map((r) => r.scenario))];
    for (const s of scenarios) {
      const mine = hists.filter((h) => h['data-scenario'] === s);
      if (notes.includes(s)) {
        expect(mine).toHaveLength(0);
        expect(runs.filter((r) => r.scenario === s).every((r) => Number(r.bad_debt_usd) === 0)).toBe(true);
        continue;
      }
      expect(mine).toHaveLength(4);
      for (const h of mine) {
        const edges = h['data-edges'].split(' ').map(Number);
        const values = runs
          .filter(
            (r) =>
              r.scenario === s &&
              r.status === 'ok' &&
              `${r['protocol.maintenanceMarginRate']},${r['protocol.liquidationFeeRate']}` === h['data-cell'],
          )
          // The histograms show uncovered bad debt (after the insurance fund), the headline.
          .map((r) => Number(r.uncovered_bad_debt_usd));
        expect(values).toHaveLength(10);
        expect(h['data-counts']).toBe(binCounts(values, edges).join(' '));
        expect(binCounts(values, edges).reduce((a, b) => a + b, 0)).toBe(values.length);
      }
    }
  });

  it('shows the cascade statistics and a sortable table with every cells.csv column', () => {
    const cellsText = readFileSync(join(dir, 'cells.csv'), 'utf8');
    const header = cellsText.slice(0, cellsText.indexOf('\n')).split(',');
    const table = html.slice(html.indexOf('<table class="sortable" id="cells-table">'));
    const ths = [...table.slice(0, table.indexOf('</thead>')).matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(ths).toEqual(header);
    expect(html).toContain('class="sortable cascade-table"');
    expect(html).toContain('<th>induced_liquidations_mean</th>');
  });

  it('shows check.json verdicts and outlines the failed budget cells from it', () => {
    const copy = join(tmp, 'with-check');
    cpSync(dir, copy, { recursive: true });
    const check = {
      format: 'cascade-check/1',
      verdict: 'fail',
      checks: [
        {
          kind: 'budget',
          scenario: 'flash-crash',
          cell: { 'protocol.maintenanceMarginRate': 0.02, 'protocol.liquidationFeeRate': 0.005 },
          metric: 'p_insolvent',
          op: '<=',
          bound: 0.01,
          value: 0.5,
          baseline: null,
          p_value: null,
          verdict: 'fail',
          message: 'p_insolvent 0.5 > 0.01',
        },
        {
          kind: 'regression',
          scenario: 'oracle-stall',
          cell: { 'protocol.maintenanceMarginRate': 0.04, 'protocol.liquidationFeeRate': 0.015 },
          metric: 'bad_debt_p99_usd',
          op: null,
          bound: null,
          value: 12345,
          baseline: 12000,
          p_value: 0.41,
          verdict: 'pass',
          message: 'no significant rise <ok> & "fine"',
        },
      ],
      summary: { checks: 2, passed: 1, failed: 1 },
    };
    writeFileSync(join(copy, 'check.json'), JSON.stringify(check));
    const page = readFileSync(writeHtmlReport(copy), 'utf8');
    expect(tagWithId(page, 'check-verdict')?.['data-verdict']).toBe('fail');
    const table = page.slice(
      page.indexOf('id="check-table"'),
      page.indexOf('</table>', page.indexOf('id="check-table"')),
    );
    expect(table.match(/<tr>/g)).toHaveLength(3);
    expect(table).toContain('\u2717 FAIL');
    expect(table).toContain('\u2713 pass');
    expect(table).toContain('no significant rise &lt;ok&gt; &amp; &quot;fine&quot;');
    const over = tagsWithClass(page, 'rect', 'hm-cell').filter((r) => r['data-over-budget'] === 'true');
    expect(over.map((r) => [r['data-scenario'], r['data-metric'], r['data-x'], r['data-y']])).toEqual([
      ['flash-crash', 'p_insolvent', '0.02', '0.005'],
    ]);
  });

  it('shows the verdicts cascade check writes and outlines exactly the cells of its failed budget checks', () => {
    const copy = join(tmp, 'checked');
    cpSync(dir, copy, { recursive: true });
    rmSync(join(copy, 'report.html'));
    const gate = spawnSync(process.execPath, [CLI, 'check', copy], { encoding: 'utf8', timeout: 120_000 });
    expect([0, 1]).toContain(gate.status);
    const check = JSON.parse(readFileSync(join(copy, 'check.json'), 'utf8'));
    const page = readFileSync(writeHtmlReport(copy), 'utf8');
    expect(tagWithId(page, 'check-verdict')?.['data-verdict']).toBe(check.verdict);
    const table = page.slice(
      page.indexOf('id="check-table"'),
      page.indexOf('</table>', page.indexOf('id="check-table"')),
    );
    expect(table.match(/<tr>/g)).toHaveLength(check.checks.length + 1);
    const heat = (m: string) => (m === 'p_insolvent_hi' || m === 'p_insolvent_lo' ? 'p_insolvent' : m);
    const expected = check.checks
      .filter(
        (c: { kind: string; verdict: string; metric: string }) =>
          c.kind === 'budget' && c.verdict === 'fail' && ['p_insolvent', 'bad_debt_p99_usd'].includes(heat(c.metric)),
      )
      .map((c: { scenario: string; metric: string; cell: Record<string, number> }) =>
        [
          c.scenario,
          heat(c.metric),
          String(c.cell['protocol.maintenanceMarginRate']),
          String(c.cell['protocol.liquidationFeeRate']),
        ].join(' '),
      );
    const outlined = tagsWithClass(page, 'rect', 'hm-cell')
      .filter((r) => r['data-over-budget'] === 'true')
      .map((r) => [r['data-scenario'], r['data-metric'], r['data-x'], r['data-y']].join(' '));
    expect(outlined.sort()).toEqual([...new Set(expected)].sort());
    // The sweep's budgets: every p_insolvent cell passes, every flash-crash p99 cell fails.
    expect(outlined).toHaveLength(4);
    expect(outlined.every((o) => o.startsWith('flash-crash bad_debt_p99_usd '))).toBe(true);
  });

  it('refuses a malformed check.json with one line naming it', () => {
    const copy = join(tmp, 'bad-check');
    cpSync(dir, copy, { recursive: true });
    writeFileSync(join(copy, 'check.json'), '{"format": "other"}');
    const r = cascade(['report', copy], 2);
    expect(r.stderr).toBe(
      `cascade: error: ${join(copy, 'check.json')}: format: expected 'cascade-check/1', got "other"\n`,
    );
  });

  it('puts the grid paths the user picks on the axes, and refuses a path not in the grid', () => {
    const page = htmlReport(dir, { x: 'protocol.liquidationFeeRate', y: 'protocol.maintenanceMarginRate' });
    const maps = tagsWithClass(page, 'svg', 'heatmap');
    expect(maps.every((m) => m['data-x-path'] === 'protocol.liquidationFeeRate')).toBe(true);
    expect(() => htmlReport(dir, { x: 'protocol.nope' })).toThrow("--x: 'protocol.nope' is not a grid path");
    const r = cascade(['report', dir, '--y', 'run.steps', '--out', join(tmp, 'never.html')], 2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain('--y');
  });
});

describe('sweep report of a three-parameter grid', () => {
  it('draws one heatmap per value of the third parameter', () => {
    const dir = smallSweep(tmp, {
      replicates: 2,
      name: 'three',
      extraGrid: ['  protocol.liquidatorFeeShare: [0.3, 0.7]'],
    });
    const page = htmlReport(dir);
    const maps = tagsWithClass(page, 'svg', 'heatmap');
    // 2 scenarios x 5 metrics (the 4 headline maps and the budgeted bad_debt_p99_usd) x 2 values of the third parameter.
    expect(maps).toHaveLength(20);
    expect(page).toContain('protocol.liquidatorFeeShare = 0.3');
    expect(page).toContain('protocol.liquidatorFeeShare = 0.7');
    const cells = csvObjects(join(dir, 'cells.csv'));
    expect(tagsWithClass(page, 'rect', 'hm-cell').filter((r) => r['data-metric'] === 'p_insolvent')).toHaveLength(
      cells.length,
    );
  });
});

describe('run report', () => {
  let dir = '';
  let html = '';
  beforeAll(() => {
    dir = flashCrashRun(tmp, 'run');
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });

  it('is written by run --report and holds no external URL', () => {
    expect(html).toContain('<body data-report="run">');
    expect(externalReferences(html)).toEqual([]);
  });

  it('draws the prices, the liquidations and the fund from timeline.csv, value for value', () => {
    const tl = readCsvTable(join(dir, 'timeline.csv'));
    const column = (c: string) => tl.rows.map((r) => r[tl.header.indexOf(c)]);
    const series = tagsWithClass(html, 'g', 'series');
    const values = (chart: string, col: string) =>
      tagsWithClass(svgById(html, chart), 'g', 'series').find((s) => s['data-column'] === col)?.['data-values'];
    expect(series.length).toBeGreaterThan(6);
    for (const c of ['index_price_usd', 'mark_price_usd', 'oracle_price_usd'])
      expect(values('chart-prices', c)).toBe(column(c).join(' '));
    expect(values('chart-liquidations', 'liquidations')).toBe(column('liquidations').join(' '));
    expect(values('chart-fund', 'insurance_fund_usd')).toBe(column('insurance_fund_usd').join(' '));
    expect(values('chart-fund', 'bad_debt_usd')).toBe(column('bad_debt_usd').join(' '));
    // One bar per step with liquidations, holding that step's count.
    const liq = column('liquidations');
    const bars = tagsWithClass(svgById(html, 'chart-liquidations'), 'rect', 'bar');
    const own = bars.filter((b) => liq[Number(b['data-i'])] === b['data-value']);
    expect(own.length).toBe(liq.filter((v) => Number(v) !== 0).length);
  });

  it('shades each cascade wave and marks each shock of summary.json', () => {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const chart = svgById(html, 'chart-liquidations');
    expect(tagsWithClass(chart, 'rect', 'band')).toHaveLength(summary.cascade_waves);
    const shocks = tagsWithClass(chart, 'g', 'marker').filter((m) => m['data-kind'] === 'shock');
    const steps = [...new Set(summary.shocks.map((s: { step: number }) => s.step))];
    expect(shocks).toHaveLength(steps.length);
    for (const s of summary.shocks) expect(shocks.some((m) => m['data-label'].includes(s.kind))).toBe(true);
  });

  it('writes to --out and says where', () => {
    const run = dir;
    const out = join(tmp, 'elsewhere', 'r.html');
    const r = cascade(['report', run, '--out', out]);
    expect(r.stdout).toBe(`wrote ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('<body data-report="run">');
  });

  it('marks breaker trips, alerts and governance events when the run reports them', () => {
    const copy = join(tmp, 'events');
    mkdirSync(copy);
    const tl = readCsvTable(join(dir, 'timeline.csv'));
    const alertAt = tl.header.indexOf('alerts');
    const header = alertAt < 0 ? [...tl.header, 'alerts'] : tl.header;
    const rows = tl.rows.map((r, step) => {
      const mask = step >= 100 && step < 110 ? '2' : step === 300 ? '5' : '0';
      return alertAt < 0 ? [...r, mask] : r.map((v, i) => (i === alertAt ? mask : v));
    });
    writeFileSync(join(copy, 'timeline.csv'), stringify([header, ...rows]));
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    summary.breaker_trip_steps = [200, 420];
    summary.governance_events = [{ step: 50, path: 'protocol.maintenanceMarginRate', value: 0.04, outcome: 'applied' }];
    writeFileSync(join(copy, 'summary.json'), JSON.stringify(summary));
    const page = htmlReport(copy);
    const markers = tagsWithClass(svgById(page, 'chart-prices'), 'g', 'marker');
    const hours = (step: number) => String((step * summary.step_seconds) / 3600);
    const of = (kind: string) => markers.filter((m) => m['data-kind'] === kind);
    expect(of('breaker').map((m) => m['data-x'])).toEqual([hours(200), hours(420)]);
    expect(of('alert').map((m) => [m['data-x'], m['data-label']])).toEqual([
      [hours(100), 'liquidation rate'],
      [hours(300), 'oracle divergence + insurance drawdown'],
    ]);
    expect(of('governance').map((m) => m['data-label'])).toEqual(['maintenanceMarginRate = 0.04 applied']);
  });
});

describe('report command errors', () => {
  it('refuses a missing directory with one line and exit code 2', () => {
    const missing = join(tmp, 'nope');
    expect(cascade(['report', missing], 2).stderr).toBe(`cascade: error: ${missing}: no such directory\n`);
  });
});

describe('attacks in the reports', () => {
  it("shows a run's attack accounting (every term of summary.json's attack block) and the attack figures", () => {
    const dir = join(tmp, 'attack-run');
    cascade(['run', 'bad-debt-farm', '--seed', '1', '--set', 'run.steps=120', '--out', dir, '--report']);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(html).toContain('id="attack"');
    const table = html.slice(html.indexOf('id="attack-table"'));
    for (const term of Object.keys(summary.attack)) expect(table).toContain(`>${term}<`);
    expect(html).toContain('attack profit (ROI)');
    expect(externalReferences(html)).toEqual([]);
  });

  it('maps P(attack profitable) and mean attack profit per cell for a sweep with attackers, and leaves them out of one without', () => {
    const dir = join(tmp, 'attack-sweep');
    cascade(['sweep', 'bad-debt-farm-defences', '--replicates', '2', '--out', dir, '--report', '--no-progress']);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('P(attack profitable)');
    expect(html).toContain('Mean attack profit (USD)');
    const plain = smallSweep(tmp, { replicates: 2, name: 'plain-for-attack' });
    cascade(['report', plain]);
    expect(readFileSync(join(plain, 'report.html'), 'utf8')).not.toContain('P(attack profitable)');
  });
});
