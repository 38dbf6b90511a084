// End to end in a real browser: the HTML reports open in headless Chromium (Debian's `chromium`,
// driven by playwright-core) offline, with every network request blocked and none attempted, no
// console or page errors, and charts that hold the numbers of the CSVs: the heatmaps equal cells.csv
// (a small sweep and the default sweep), the run charts equal timeline.csv (a full-size flash-crash
// run). Screenshots go to out/report-screenshots/ for review.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../reports/csv-read.js';
import { formatValue } from '../../reports/html/ticks.js';
import { cascade, csvObjects, flashCrashRun, ROOT, smallSweep, tempDir } from '../helpers/report-helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const INSTALL = `install it with 'apt-get update && apt-get install -y --no-install-recommends chromium' (Debian; .ci/run does this), or point CHROMIUM_PATH at a Chromium binary`;
const SHOTS = join(ROOT, 'out', 'report-screenshots');
const haveChromium = existsSync(CHROMIUM);

if (!haveChromium && !process.env.CI)
  console.warn(`report-browser.test.ts: skipped, no Chromium at ${CHROMIUM}: ${INSTALL}`);

describe.runIf(!haveChromium && process.env.CI)('browser test prerequisites', () => {
  it('finds Chromium (in CI the browser test must not be skipped)', () => {
    throw new Error(`no Chromium at ${CHROMIUM}: ${INSTALL}`);
  });
});

/** What one page load saw: console errors, uncaught errors and requests that tried to leave the disk. */
interface Visit {
  page: Page;
  errors: string[];
  network: string[];
}

describe.runIf(haveChromium)('HTML reports in headless Chromium', () => {
  const tmp = tempDir('cascade-report-browser-');
  let context: BrowserContext;
  const network: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      offline: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Everything but the report file itself is refused, and recorded.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      network.push(url);
      return route.abort();
    });
  });

  afterAll(async () => {
    await context?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function visit(file: string): Promise<Visit> {
    const page = await context.newPage();
    const v: Visit = { page, errors: [], network: [] };
    page.on('console', (m) => {
      if (m.type() === 'error') v.errors.push(m.text());
    });
    page.on('pageerror', (e) => v.errors.push(String(e)));
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('file:') && !url.startsWith('data:')) v.network.push(url);
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    return v;
  }

  /** The heatmap cells as the browser sees them: data attributes, drawn size and the text shown. */
  async function heatmapCells(page: Page) {
    return page.$$eval('rect.hm-cell', (rects) =>
      rects.map((r) => {
        const box = r.getBoundingClientRect();
        return {
          scenario: r.getAttribute('data-scenario') ?? '',
          metric: r.getAttribute('data-metric') ?? '',
          x: r.getAttribute('data-x') ?? '',
          y: r.getAttribute('data-y') ?? '',
          value: r.getAttribute('data-value') ?? '',
          width: box.width,
          height: box.height,
          text: r.parentElement?.querySelector('text.hm-text')?.textContent ?? '',
          title: r.parentElement?.querySelector('title')?.textContent ?? '',
        };
      }),
    );
  }

  /** Every cells.csv row has its heatmap cell, drawn, showing its value, with the exact text in data-value. */
  async function expectHeatmapsEqualCells(page: Page, dir: string): Promise<void> {
    const cells = csvObjects(join(dir, 'cells.csv'));
    const drawn = await heatmapCells(page);
    for (const metric of ['p_insolvent', 'bad_debt_p99_usd']) {
      const mine = drawn.filter((d) => d.metric === metric);
      expect(mine).toHaveLength(cells.length);
      for (const c of cells) {
        const d = mine.find(
          (m) =>
            m.scenario === c.scenario &&
            m.x === c['protocol.maintenanceMarginRate'] &&
            m.y === c['protocol.liquidationFeeRate'],
        );
        expect(d, `${metric} of ${c.scenario} ${c['protocol.maintenanceMarginRate']}`).toBeDefined();
        expect(d!.value).toBe(c[metric]);
        expect(d!.width).toBeGreaterThan(20);
        expect(d!.height).toBeGreaterThan(10);
        expect(d!.text.replace(' \u2717', '')).toBe(
          formatValue(Number(c[metric]), metric === 'p_insolvent' ? 'fraction' : 'usd'),
        );
        expect(d!.title).toContain(`${metric} = ${c[metric]}`);
      }
    }
  }

  function expectClean(v: Visit): void {
    expect(v.errors).toEqual([]);
    expect(v.network).toEqual([]);
    expect(network).toEqual([]);
  }

  it('opens a small sweep report offline with heatmaps equal to cells.csv and a working sortable table', async () => {
    const dir = smallSweep(tmp, { replicates: 10, report: true });
    const v = await visit(join(dir, 'report.html'));
    expectClean(v);
    await expectHeatmapsEqualCells(v.page, dir);
    // Histograms drawn for the cells, each bar's count from runs.csv binning (checked without a browser too).
    const bars = await v.page.$$eval('svg.histogram rect.hist-bar', (rs) => rs.length);
    expect(bars).toBeGreaterThan(0);
    // Sorting by p_insolvent orders the rows by it.
    const table = v.page.locator('#cells-table');
    const col = (await table.locator('thead th').allTextContents()).indexOf('p_insolvent');
    await table.locator('thead th').nth(col).click();
    expect(await table.locator('thead th').nth(col).getAttribute('aria-sort')).toBe('ascending');
    const sorted = await table
      .locator('tbody tr')
      .evaluateAll((rows, c) => rows.map((r) => Number(r.querySelectorAll('td')[c].getAttribute('data-sort'))), col);
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));
    await v.page.screenshot({ path: join(SHOTS, 'sweep-small.png'), fullPage: true });
    await v.page.close();
  });

  it('opens the report of a full-size flash-crash run with charts equal to timeline.csv, the cascade in plain view', async () => {
    const dir = flashCrashRun(tmp, 'flash-crash', true);
    const v = await visit(join(dir, 'report.html'));
    expectClean(v);
    const tl = readCsvTable(join(dir, 'timeline.csv'));
    const column = (c: string) => tl.rows.map((r) => r[tl.header.indexOf(c)]);
    const series = await v.page.$$eval('svg.time-chart g.series', (gs) =>
      gs.map((g) => ({
        chart: g.closest('svg')?.id ?? '',
        column: g.getAttribute('data-column') ?? '',
        values: g.getAttribute('data-values') ?? '',
        points: [...g.querySelectorAll('polyline')].reduce(
          (n, p) => n + (p.getAttribute('points') ?? '').trim().split(/\s+/).length,
          0,
        ),
        bars: [...g.querySelectorAll('rect.bar')].map((b) => [
          Number(b.getAttribute('data-i')),
          b.getAttribute('data-value'),
        ]),
      })),
    );
    const get = (chart: string, col: string) => series.find((s) => s.chart === chart && s.column === col)!;
    for (const c of ['index_price_usd', 'mark_price_usd', 'oracle_price_usd']) {
      expect(get('chart-prices', c).values).toBe(column(c).join(' '));
      expect(get('chart-prices', c).points).toBe(tl.rows.length);
    }
    for (const c of ['insurance_fund_usd', 'bad_debt_usd'])
      expect(get('chart-fund', c).values).toBe(column(c).join(' '));
    const liq = column('liquidations');
    const bars = get('chart-liquidations', 'liquidations').bars;
    expect(bars).toEqual(liq.flatMap((v2, i) => (Number(v2) !== 0 ? [[i, v2]] : [])));

    // The cascade up close: the zoomed window holds the dip, liquidation bars and the fund falling.
    const zoom = await v.page.$eval('#chart-zoom-prices', (svg) => svg.getAttribute('data-i') ?? '');
    const [i0, i1] = zoom.split(' ').map(Number);
    const index = column('index_price_usd').map(Number);
    const fund = column('insurance_fund_usd').map(Number);
    const low = index.indexOf(Math.min(...index));
    expect(low).toBeGreaterThanOrEqual(i0);
    expect(low).toBeLessThanOrEqual(i1);
    expect(Math.min(...index.slice(i0, i1 + 1))).toBeLessThan(0.9 * index[i0]);
    expect(get('chart-zoom-liquidations', 'liquidations').bars.length).toBeGreaterThan(0);
    expect(Math.min(...fund.slice(i0, i1 + 1))).toBeLessThan(fund[i0]);
    const bands = await v.page.$$eval('#chart-liquidations rect.band', (r) => r.length);
    expect(bands).toBe(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).cascade_waves);

    // Hovering a chart reads out every series at the step under the pointer.
    const box = (await v.page.locator('#chart-prices').boundingBox())!;
    await v.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    expect(await v.page.locator('#chart-prices .readout').textContent()).toMatch(/^\d+:\d\d \(step \d+\): index \$/);
    await v.page.mouse.move(0, 0);
    await v.page.screenshot({ path: join(SHOTS, 'run-flash-crash.png'), fullPage: true });
    await v.page.locator('#cascade').scrollIntoViewIfNeeded();
    await v.page.screenshot({ path: join(SHOTS, 'run-flash-crash-cascade.png') });
    await v.page.close();
  });

  it('opens the report of the default sweep (4 replicates) with heatmaps equal to its cells.csv', async () => {
    const out = join(tmp, 'default');
    cascade(['sweep', 'default', '--replicates', '4', '--threads', '2', '--out', out, '--no-progress', '--report']);
    const v = await visit(join(out, 'report.html'));
    expectClean(v);
    await expectHeatmapsEqualCells(v.page, out);
    expect(await v.page.locator('h1').textContent()).toContain('default');
    await v.page.screenshot({ path: join(SHOTS, 'sweep-default.png'), fullPage: true });
    await v.page.close();
  });
});
