// The HTML report of one run directory (timeline.csv and summary.json, as `cascade run` writes
// them): prices with shock markers, liquidations as bars, the insurance fund and bad debt, cascade
// waves shaded, halts and alerts marked, and the run's statistics. Reads the files; never the world.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../sim/core/errors.js';
import type { FieldMeta } from '../../sim/core/registry.js';
import { columnNumbers, columnText, readCsvTable } from '../csv-read.js';
import { REGISTRY_UNIT_TEXT } from '../format.js';
import { figureHtml, metaList, pageHtml, tableHtml } from './page.js';
import { attackParts } from './run-attack.js';
import { cascadeWindow, eventMarkers, eventNote, flagSpans, runWaves } from './run-events.js';
import { marketChartsSvg } from './run-markets.js';
import { fileDate } from './sweep-files.js';
import { chartSvg, type Band, type Marker, type Series } from './svg-chart.js';
import { esc, OKABE_ITO as C } from './svg.js';
import { clock, formatValue, type Unit } from './ticks.js';

// The spans, waves and alert names moved to run-events.ts; the report's importers keep these names.
export { alertNames, flagSpans, runWaves, waveSpans, type StepSpan } from './run-events.js';

const TIMELINE_REQUIRED = [
  'step',
  'time_s',
  'index_price_usd',
  'mark_price_usd',
  'oracle_price_usd',
  'liquidations',
  'insurance_fund_usd',
  'bad_debt_usd',
] as const;

/** What summary.json must hold for the report. */
interface Summary {
  scenario: string;
  seed: number;
  steps: number;
  step_seconds: number;
  shocks: { step: number; kind: string }[];
  config?: { metrics?: { waveGapSteps?: number } };
  [key: string]: unknown;
}

function readSummary(file: string): Summary {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(file, '', code ? `cannot read: ${code}` : `not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new UserError(file, '', 'expected a JSON object (the summary.json of cascade run)');
  const s = raw as Record<string, unknown>;
  for (const k of ['scenario', 'seed', 'steps', 'step_seconds'])
    if (s[k] === undefined) throw new UserError(file, k, 'missing (expected the summary.json of cascade run)');
  if (s.shocks !== undefined && !Array.isArray(s.shocks)) throw new UserError(file, 'shocks', 'expected a list');
  return { ...s, shocks: (s.shocks as Summary['shocks']) ?? [] } as Summary;
}

/** Unit column text and display format of a run statistic. */
function statUnit(name: string, meta: FieldMeta | undefined): { text: string; format: Unit } {
  const text = meta ? REGISTRY_UNIT_TEXT[meta.unit] : undefined;
  const shown = statFormat(name);
  return { text: text ?? shown.text, format: shown.format };
}

/** A statistic's display format (and unit text, for a summary without registry entries) from its name. */
function statFormat(name: string): { text: string; format: Unit } {
  if (['insolvent', 'detected', 'false_alarm'].includes(name)) return { text: '0/1', format: 'plain' };
  if (name === 'amplification') return { text: 'ratio', format: 'plain' };
  if (name === 'margin_rate_max') return { text: 'fraction', format: 'plain' };
  if (name.endsWith('_step')) return { text: 'step', format: 'plain' };
  const unit = unitOf(name);
  if (unit === 'plain') return { text: 'count', format: 'count' };
  return { text: UNIT_TEXT[unit], format: unit === 'steps' ? 'count' : unit };
}

/** A number's display unit from its name's suffix. */
export function unitOf(name: string): Unit {
  if (name.endsWith('_usd')) return 'usd';
  if (name.endsWith('_pct')) return 'pct';
  if (name.startsWith('p_')) return 'fraction';
  if (name.endsWith('_steps')) return 'steps';
  return 'plain';
}

const UNIT_TEXT: Record<Unit, string> = {
  usd: 'USD',
  pct: '%',
  fraction: 'fraction',
  steps: 'steps',
  count: 'count',
  hours: 'h',
  plain: '',
};

const IDENTITY = new Set(['scenario', 'source', 'seed', 'steps', 'step_seconds', 'trader_accounts', 'cascade_version']);

/** The run report's HTML. */
/** `statistics`: the registry entries of the run statistics (their meanings and units), from the caller. */
export function runReportHtml(dir: string, statistics: readonly FieldMeta[] = []): string {
  const meta = new Map(statistics.map((m) => [m.name, m]));
  const timelineFile = join(dir, 'timeline.csv');
  const summaryFile = join(dir, 'summary.json');
  const summary = readSummary(summaryFile);
  const tl = readCsvTable(timelineFile, TIMELINE_REQUIRED);
  if (tl.rows.length === 0) throw new UserError(timelineFile, '', 'has no rows');
  const col = (name: string) => columnNumbers(tl, name);
  const text = (name: string) => columnText(tl, name);
  const has = (name: string) => tl.header.includes(name);
  const hours = col('time_s').map((s) => s / 3600);
  const stepHours = hours.length > 1 ? hours[1] - hours[0] : Number(summary.step_seconds) / 3600;
  const atStep = (step: number) => (step < hours.length ? hours[step] : step * stepHours);
  const gap = summary.config?.metrics?.waveGapSteps ?? 2;
  const liquidations = col('liquidations');
  const waves = runWaves(liquidations, gap);
  const waveBands: Band[] = waves.map((w, k) => ({
    from: atStep(w.from),
    to: atStep(w.to),
    label: `cascade wave ${k + 1}: steps ${w.from}\u2013${w.to} (${w.to - w.from + 1} steps), ${liquidations.slice(w.from, w.to + 1).reduce((a, b) => a + b, 0)} liquidations`,
  }));

  // Events: shocks (summary), breaker trips and alerts (when the model reports them).
  const markers: Marker[] = summary.shocks.map((s) => ({ x: atStep(s.step), label: s.kind, kind: 'shock' }));
  markers.push(...eventMarkers(tl, summary, atStep));
  const halts = has('halted') ? flagSpans(col('halted')) : [];

  const xLabel = `time since start (h:mm; one step = ${Number(summary.step_seconds)} s)`;
  const common = { x: hours, xLabel, xUnit: 'hours' as const, markers };
  const series = (
    name: string,
    column: string,
    color: string,
    kind: 'line' | 'bar' = 'line',
    dash?: string,
    width?: number,
  ): Series =>
    kind === 'bar'
      ? { kind, name, column, values: col(column), text: text(column), color }
      : { kind, name, column, values: col(column), text: text(column), color, dash, width };

  const priceSeries = [
    series('index', 'index_price_usd', C.black, 'line', undefined, 1.6),
    series('mark (venue)', 'mark_price_usd', C.vermillion, 'line', '7 4', 2),
    series('oracle', 'oracle_price_usd', C.skyBlue, 'line', '2 3', 2.6),
  ];
  const liqSeries = [series('liquidations', 'liquidations', C.vermillion, 'bar')];
  if (has('induced_liquidations'))
    liqSeries.push(series('of which induced (not liquidatable at the index)', 'induced_liquidations', C.blue, 'bar'));
  const fundSeries = [
    series('insurance fund', 'insurance_fund_usd', C.blue, 'line', undefined, 2.4),
    series('bad debt (cumulative)', 'bad_debt_usd', C.vermillion, 'line', '7 4', 2.2),
  ];
  if (has('uncovered_bad_debt_usd'))
    fundSeries.push(series('uncovered bad debt (cumulative)', 'uncovered_bad_debt_usd', C.black, 'line', '2 3', 2.2));
  const bandProps = { bands: waveBands, bandName: 'cascade wave' };
  const haltBands: Band[] = halts.map((h) => ({
    from: atStep(h.from),
    to: atStep(h.to),
    label: `trading halted: steps ${h.from}\u2013${h.to}`,
  }));

  const charts: string[] = [];
  charts.push(
    chartSvg({
      ...common,
      ...bandProps,
      id: 'chart-prices',
      title: 'Index, mark and oracle prices',
      yLabel: 'price (USD)',
      yUnit: 'usd',
      series: priceSeries,
    }),
  );
  charts.push(
    chartSvg({
      ...common,
      ...bandProps,
      id: 'chart-liquidations',
      title: 'Liquidations per step',
      yLabel: 'liquidations per step (count)',
      yUnit: 'count',
      series: liqSeries,
    }),
  );
  charts.push(
    chartSvg({
      ...common,
      ...bandProps,
      id: 'chart-fund',
      title: 'Insurance fund and bad debt',
      yLabel: 'USD',
      yUnit: 'usd',
      yFromZero: true,
      series: fundSeries,
    }),
  );

  charts.push(...marketChartsSvg(tl, { ...common, ...bandProps }));

  // The cascade up close: from shortly before the first wave that follows a shock (or the first
  // wave) to shortly after the busiest wave.
  const zoom = cascadeWindow(waves, liquidations, summary.shocks, hours.length);
  let zoomHtml = '';
  if (zoom) {
    const xRange: [number, number] = [hours[zoom.from], hours[zoom.to]];
    const z = { ...common, ...bandProps, xRange, height: 260 };
    zoomHtml = [
      `<h2 id="cascade">The cascade up close</h2>`,
      `<p class="note">Steps ${zoom.from}\u2013${zoom.to} (${clock(hours[zoom.from])} to ${clock(hours[zoom.to])} h:mm), around the busiest cascade wave. Shaded: cascade waves.</p>`,
      chartSvg({
        ...z,
        id: 'chart-zoom-prices',
        title: 'Prices during the cascade',
        yLabel: 'price (USD)',
        yUnit: 'usd',
        series: priceSeries,
      }),
      chartSvg({
        ...z,
        id: 'chart-zoom-liquidations',
        title: 'Liquidations during the cascade',
        yLabel: 'liquidations per step (count)',
        yUnit: 'count',
        series: liqSeries,
      }),
      chartSvg({
        ...z,
        id: 'chart-zoom-fund',
        title: 'Insurance fund and bad debt during the cascade',
        yLabel: 'USD',
        yUnit: 'usd',
        yFromZero: true,
        series: fundSeries,
      }),
    ].join('\n');
  }

  const liquidity: Series[] = [];
  if (has('depth_usd_per_pct'))
    liquidity.push(series('venue depth (USD per 1% move)', 'depth_usd_per_pct', C.green, 'line', undefined, 2));
  if (has('open_interest_long_usd'))
    liquidity.push(series('open interest, long', 'open_interest_long_usd', C.orange, 'line', '7 4', 2));
  if (has('open_interest_short_usd'))
    liquidity.push(series('open interest, short', 'open_interest_short_usd', C.purple, 'line', '2 3', 2.4));
  const liquidityChart =
    liquidity.length > 0
      ? chartSvg({
          ...common,
          bands: haltBands,
          bandName: 'trading halted',
          id: 'chart-liquidity',
          title: 'Venue depth and open interest',
          yLabel: 'USD',
          yUnit: 'usd',
          yFromZero: true,
          series: liquidity,
        })
      : '';

  // Statistics.
  const stats = Object.entries(summary).filter(([k, v]) => typeof v === 'number' && !IDENTITY.has(k)) as [
    string,
    number,
  ][];
  const statRows = stats.map(([k, v]) => {
    const unit = statUnit(k, meta.get(k));
    return [
      { text: k, cls: 'text' },
      { text: formatValue(v, unit.format), sort: v, title: String(v) },
      { text: unit.text, cls: 'text' },
      { text: meta.get(k)?.description ?? '', cls: 'text' },
    ];
  });
  const s = (k: string): number => (typeof summary[k] === 'number' ? (summary[k] as number) : NaN);
  const figures = [
    figureHtml('insolvent', s('insolvent') > 0 ? 'YES' : 'no', s('insolvent') > 0),
    figureHtml('bad debt', formatValue(s('bad_debt_usd'), 'usd')),
    figureHtml('uncovered bad debt', formatValue(s('uncovered_bad_debt_usd'), 'usd'), s('uncovered_bad_debt_usd') > 0),
    figureHtml('insurance fund minimum', formatValue(s('insurance_fund_min_usd'), 'usd')),
    figureHtml(
      'liquidations (induced)',
      `${formatValue(s('liquidations'), 'count')} (${formatValue(s('induced_liquidations'), 'count')})`,
    ),
    figureHtml(
      'cascade waves (longest)',
      `${formatValue(waves.length, 'count')} (${formatValue(s('longest_wave_steps'), 'count')} steps)`,
    ),
    figureHtml(
      'index / mark drawdown',
      `${formatValue(s('index_drawdown_pct'), 'pct')} / ${formatValue(s('mark_drawdown_pct'), 'pct')}`,
    ),
    figureHtml('amplification', `${formatValue(s('amplification'), 'plain')}x`),
  ];
  // The attackers' accounting (README "Attacks"), when the run had attackers.
  const attack = attackParts(summary);
  figures.push(...attack.figures);

  const shockRows = summary.shocks.map((sh) => [
    { text: String(sh.step), sort: sh.step },
    { text: clock(atStep(sh.step)), sort: atStep(sh.step) },
    { text: sh.kind, cls: 'text' },
  ]);
  const waveRows = waves.map((w, k) => {
    const n = liquidations.slice(w.from, w.to + 1).reduce((a, b) => a + b, 0);
    return [
      String(k + 1),
      String(w.from),
      String(w.to),
      clock(atStep(w.from)),
      String(w.to - w.from + 1),
      formatValue(n, 'count'),
    ];
  });
  const refused = summary.refused_by_reason;
  const refusedRows =
    typeof refused === 'object' && refused !== null
      ? Object.entries(refused as Record<string, number>).map(([k, v]) => [
          { text: k, cls: 'text' },
          { text: String(v), sort: v },
        ])
      : [];

  const hoursTotal = (Number(summary.steps) * Number(summary.step_seconds)) / 3600;
  const title = `cascade run report: ${summary.scenario}, seed ${summary.seed}`;
  const body = [
    `<header class="report"><h1>${esc(title)}</h1>`,
    `<p class="lead">One simulated run of scenario <b>${esc(summary.scenario)}</b>: ${esc(String(summary.steps))} steps of ${esc(String(summary.step_seconds))} s (${formatValue(hoursTotal, 'hours')}).</p>`,
    metaList([
      ['scenario', `${summary.scenario} (${String(summary.source ?? '')})`],
      ['seed', String(summary.seed)],
      ['trader accounts', String(summary.trader_accounts ?? '')],
      ['cascade version', String(summary.cascade_version ?? 'unknown')],
      ['run written', fileDate(summaryFile)],
      ['files', `${timelineFile}, ${summaryFile}`],
    ]),
    `<nav class="toc"><a href="#charts">charts</a><a href="#cascade">cascade up close</a><a href="#statistics">statistics</a><a href="#events">shocks and waves</a></nav></header>`,
    `<div class="figures">${figures.join('')}</div>`,
    `<h2 id="charts">Over the whole run</h2>`,
    `<p class="note">${eventNote(markers, gap)}</p>`,
    `<div class="charts">${charts.join('\n')}</div>`,
    zoomHtml,
    liquidityChart ? `<h2 id="liquidity">Liquidity</h2>${liquidityChart}` : '',
    `<h2 id="statistics">Run statistics</h2>`,
    tableHtml(
      [{ text: 'statistic', cls: 'text' }, 'value', { text: 'unit', cls: 'text' }, { text: 'meaning', cls: 'text' }],
      statRows,
      {
        sortable: true,
        id: 'stats-table',
      },
    ),
    attack.section,
    refusedRows.length
      ? `<h3>Refused actions by reason</h3>${tableHtml([{ text: 'reason', cls: 'text' }, 'count'], refusedRows, { sortable: true })}`
      : '',
    `<h2 id="events">Shocks and cascade waves</h2>`,
    shockRows.length
      ? tableHtml(['step', 'time (h:mm)', { text: 'shock', cls: 'text' }], shockRows, { id: 'shocks-table' })
      : '<p class="note">No shocks.</p>',
    waveRows.length
      ? tableHtml(['wave', 'first step', 'last step', 'starts at (h:mm)', 'length (steps)', 'liquidations'], waveRows, {
          sortable: true,
          id: 'waves-table',
        })
      : '<p class="note">No liquidations, so no cascade wave.</p>',
  ].join('\n');
  return pageHtml(title, 'run', body);
}
