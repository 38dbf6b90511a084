// The HTML report of one run directory (timeline.csv and summary.json, as `cascade run` writes
// them): prices with shock markers, liquidations as bars, the insurance fund and bad debt, cascade
// waves shaded, halts and alerts marked, and the run's statistics. Reads the files; never the world.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../sim/core/errors.js';
import { columnNumbers, columnText, readCsvTable, type CsvTable } from '../csv-read.js';
import { metaList, pageHtml, tableHtml } from './page.js';
import { chartSvg, type Band, type Marker, type Series } from './svg-chart.js';
import { esc, OKABE_ITO as C } from './svg.js';
import { clock, formatValue, type Unit } from './ticks.js';

/** A run of steps [from, to] (inclusive). */
export interface StepSpan {
  from: number;
  to: number;
}

/**
 * Cascade waves as step spans: maximal runs of steps with liquidations, where gaps of at most
 * `gapSteps` quiet steps do not end a run. The same rule as sim/core/metrics.ts `cascadeWaves`,
 * which counts them; test/report-html.test.ts checks that both agree on any liquidation series.
 */
export function waveSpans(liquidations: ArrayLike<number>, gapSteps: number): StepSpan[] {
  const spans: StepSpan[] = [];
  let last = -Infinity;
  for (let t = 0; t < liquidations.length; t++) {
    if (!(liquidations[t] > 0)) continue;
    if (t - last - 1 > gapSteps) spans.push({ from: t, to: t });
    else spans[spans.length - 1].to = t;
    last = t;
  }
  return spans;
}

/**
 * The cascade waves of a run's liquidations column, as spans. A report imports no engine code, so the
 * agreement with the engine's `cascadeWaves` is checked by the test suite, not here at run time; nor
 * against summary.json's cascade_waves, which counts the waves of one market when metrics.market is set.
 */
export function runWaves(liquidations: ArrayLike<number>, gapSteps: number): StepSpan[] {
  return waveSpans(liquidations, gapSteps);
}

/** Maximal runs of steps where `flags` is non-zero. */
export function flagSpans(flags: ArrayLike<number>): StepSpan[] {
  const spans: StepSpan[] = [];
  for (let t = 0; t < flags.length; t++) {
    if (!(flags[t] > 0)) continue;
    if (spans.length && spans[spans.length - 1].to === t - 1) spans[spans.length - 1].to = t;
    else spans.push({ from: t, to: t });
  }
  return spans;
}

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

/** Meaning of the terms of summary.json's `attack` block (README "Attacks"). */
const ATTACK_DOC: Record<string, string> = {
  capitalUsd: "the attackers' total capital, USD",
  depositedUsd: 'collateral deposited into their venue accounts, USD',
  withdrawnUsd: 'collateral withdrawn from them, USD',
  endEquityUsd: 'positive equity left in their accounts at the end, USD',
  spotPaidUsd: 'USD paid to the spot pool',
  spotReceivedUsd: 'USD received from the spot pool',
  spotUnits: 'spot units still held',
  spotValueUsd: 'those units at the final index price, USD',
  profitUsd: "the attackers' gain, USD",
  costUsd: 'fees and slippage they paid (venue and spot pool), USD',
  roi: 'profit over capital',
  counterpartyLossUsd: 'loss of every other venue account (walk-away value), USD',
  lpLossUsd: "the spot pool's liquidity providers' and arbitrageurs' loss, USD",
  venueLossUsd: 'insurance drawdown + unresolved and latent bad debt - fee revenue, USD',
};

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

/** Meaning and unit of the summary's statistics (README, Outputs); unknown keys get their unit from the name. */
const STAT_DOC: Record<string, string> = {
  insolvent: '1 when uncovered bad debt > 0',
  bad_debt_usd: 'realized plus latent bad debt, before the insurance fund',
  uncovered_bad_debt_usd: 'bad debt the insurance fund could not cover',
  latent_bad_debt_usd: 'negative equity of accounts still open at the end',
  insurance_fund_min_usd: 'lowest insurance fund balance',
  insurance_fund_end_usd: 'final insurance fund balance',
  insurance_drawdown_pct: 'largest peak-to-trough fall of the insurance fund',
  liquidations: 'liquidations executed (each partial one counts)',
  liquidated_notional_usd: 'notional closed by liquidations, at the oracle price',
  induced_liquidations: 'liquidations of accounts not liquidatable at the index price',
  cascade_waves: 'runs of liquidation steps (gaps up to metrics.waveGapSteps)',
  longest_wave_steps: 'length of the longest wave',
  amplification: 'max(mark, oracle drawdown) / index drawdown',
  index_drawdown_pct: 'largest fall of the index',
  mark_drawdown_pct: 'largest fall of the mark',
  oracle_drawdown_pct: 'largest fall of the oracle',
  max_oracle_deviation_pct: 'largest |oracle - index| / index',
  socialized_loss_usd: 'uncovered bad debt charged to accounts in profit',
  honest_trader_pnl_usd: 'traders\u2019 final equity minus net deposits',
  protocol_fees_usd: 'trading fees plus the fund\u2019s share of liquidation fees',
  refused_actions: 'agent actions the venue refused',
  oracle_stale_steps: 'steps the oracle was stale',
  breaker_trips: 'circuit-breaker (price band) trips',
  halted_steps: 'steps trading was halted',
  withdrawals_refused_usd: 'withdrawals refused by the rate limit',
  alert_steps: 'steps with at least one monitoring alert',
  first_alert_step: 'first step with a monitoring alert (-1: none)',
  alert_lead_steps: 'steps from the first alert to the first uncovered bad debt',
  detected: '1 when an alert came at or before the first uncovered bad debt',
  false_alarm: '1 when an alert fired in a run without bad debt',
  governance_changes: 'governance parameter changes applied',
  governance_refused: 'governance proposals refused',
  guardian_pauses: 'emergency guardian pauses',
  margin_rate_max: 'largest market-wide maintenance rate in force',
  margin_rebuilds: 'liquidation-heap rebuilds after the volatility margin rate moved',
};

/** Unit column text and display format of a run statistic. */
function statUnit(name: string): { text: string; format: Unit } {
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

function fileDate(file: string): string {
  try {
    return statSync(file)
      .mtime.toISOString()
      .replace(/\.\d+Z$/, 'Z');
  } catch {
    return 'unknown';
  }
}

/** Steps of a summary list: numbers, or objects with a `step`. */
function summarySteps(summary: Summary, key: string): number[] {
  const list = summary[key];
  if (!Array.isArray(list)) return [];
  return list
    .map((e) =>
      typeof e === 'number' ? e : typeof e === 'object' && e !== null ? Number((e as { step?: unknown }).step) : NaN,
    )
    .filter((s) => Number.isInteger(s) && s >= 0);
}

/** Monitoring detectors by bit of the `alerts` timeline column (as sim/monitor.ts numbers them). */
const ALERT_BITS: [number, string][] = [
  [1, 'oracle divergence'],
  [2, 'liquidation rate'],
  [4, 'insurance drawdown'],
  [8, 'concentration'],
];

/** The detectors a bitmask names. */
export function alertNames(mask: number): string {
  const names = ALERT_BITS.filter(([bit]) => (mask & bit) !== 0).map(([, n]) => n);
  for (let bit = 16; bit <= mask; bit *= 2) if ((mask & bit) !== 0) names.push(`detector ${bit}`);
  return names.join(' + ') || 'alert';
}

/**
 * Event markers beyond the shocks, from whatever the run reports: circuit-breaker trips
 * (summary `breaker_trip_steps`, or a `breaker_trips` list or column; else the starts of `halted`
 * spans), guardian pauses, monitoring alerts (the onsets of `alerts` spans, named by detector) and
 * governance events.
 */
function eventMarkers(tl: CsvTable, summary: Summary, atStep: (s: number) => number): Marker[] {
  const out: Marker[] = [];
  const has = (c: string) => tl.header.includes(c);
  let trips = summarySteps(summary, 'breaker_trip_steps');
  if (trips.length === 0) trips = summarySteps(summary, 'breaker_trips');
  if (trips.length === 0 && has('breaker_trips'))
    trips = columnNumbers(tl, 'breaker_trips').flatMap((v, step) => (v > 0 ? [step] : []));
  if (trips.length > 0) for (const s of trips) out.push({ x: atStep(s), label: 'breaker trip', kind: 'breaker' });
  else if (has('halted'))
    for (const h of flagSpans(columnNumbers(tl, 'halted')))
      out.push({ x: atStep(h.from), label: 'halt', kind: 'breaker' });
  for (const s of summarySteps(summary, 'guardian_pause_steps'))
    out.push({ x: atStep(s), label: 'guardian pause', kind: 'breaker' });
  if (has('alerts')) {
    const mask = columnNumbers(tl, 'alerts');
    for (const span of flagSpans(mask)) {
      let union = 0;
      for (let t = span.from; t <= span.to; t++) union |= mask[t];
      out.push({ x: atStep(span.from), label: alertNames(union), kind: 'alert' });
    }
  } else for (const s of summarySteps(summary, 'alerts')) out.push({ x: atStep(s), label: 'alert', kind: 'alert' });
  const gov = summary.governance_events;
  if (Array.isArray(gov))
    for (const e of gov as { step?: unknown; path?: unknown; value?: unknown; outcome?: unknown }[]) {
      const step = Number(e?.step);
      if (!Number.isInteger(step)) continue;
      const what = typeof e.path === 'string' ? `${e.path.split('.').pop()} = ${String(e.value)}` : 'governance';
      out.push({ x: atStep(step), label: `${what} ${String(e.outcome ?? '')}`.trim(), kind: 'governance' });
    }
  return out;
}

/** The run report's HTML. */
export function runReportHtml(dir: string): string {
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

  // A multi-market run: each market's index (relative to its start) and its cumulative liquidations,
  // where contagion across markets shows (README "Several markets").
  const marketNames = tl.header
    .filter((h) => h.endsWith('.liquidations'))
    .map((h) => h.slice(0, -'.liquidations'.length));
  const palette = [C.blue, C.vermillion, C.green, C.orange, C.purple, C.skyBlue, C.black];
  const dashes = [undefined, '7 4', '2 3', '9 3 2 3', '4 4', '1 2', '12 4'];
  const marketSeries = (make: (name: string) => number[], unitText: (v: number) => string) =>
    marketNames.map((name, k): Series => {
      const values = make(name);
      return {
        kind: 'line',
        name,
        column: name,
        values,
        text: values.map(unitText),
        color: palette[k % palette.length],
        dash: dashes[k % dashes.length],
        width: 2,
      };
    });
  if (marketNames.length > 1 && marketNames.every((n) => has(`${n}.index_price_usd`))) {
    const relative = marketSeries(
      (n) => {
        const v = col(`${n}.index_price_usd`);
        return v.map((x) => (100 * x) / v[0] - 100);
      },
      (v) => v.toFixed(2),
    );
    const cumulative = marketSeries(
      (n) => {
        let sum = 0;
        return col(`${n}.liquidations`).map((x) => (sum += x));
      },
      (v) => String(v),
    );
    charts.push(
      chartSvg({
        ...common,
        ...bandProps,
        id: 'chart-market-index',
        title: 'Index by market, change since the start',
        yLabel: 'index change (%)',
        yUnit: 'plain',
        series: relative,
      }),
      chartSvg({
        ...common,
        ...bandProps,
        id: 'chart-market-liquidations',
        title: 'Liquidations by market (cumulative)',
        yLabel: 'liquidations (count)',
        yUnit: 'count',
        yFromZero: true,
        series: cumulative,
      }),
    );
  }

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
    const unit = statUnit(k);
    return [
      { text: k, cls: 'text' },
      { text: formatValue(v, unit.format), sort: v, title: String(v) },
      { text: unit.text, cls: 'text' },
      { text: STAT_DOC[k] ?? '', cls: 'text' },
    ];
  });
  const s = (k: string): number => (typeof summary[k] === 'number' ? (summary[k] as number) : NaN);
  const figure = (k: string, v: string, bad = false) =>
    `<div class="figure${bad ? ' bad' : ''}"><div class="k">${esc(k)}</div><div class="v">${esc(v)}</div></div>`;
  const figures = [
    figure('insolvent', s('insolvent') > 0 ? 'YES' : 'no', s('insolvent') > 0),
    figure('bad debt', formatValue(s('bad_debt_usd'), 'usd')),
    figure('uncovered bad debt', formatValue(s('uncovered_bad_debt_usd'), 'usd'), s('uncovered_bad_debt_usd') > 0),
    figure('insurance fund minimum', formatValue(s('insurance_fund_min_usd'), 'usd')),
    figure(
      'liquidations (induced)',
      `${formatValue(s('liquidations'), 'count')} (${formatValue(s('induced_liquidations'), 'count')})`,
    ),
    figure(
      'cascade waves (longest)',
      `${formatValue(waves.length, 'count')} (${formatValue(s('longest_wave_steps'), 'count')} steps)`,
    ),
    figure(
      'index / mark drawdown',
      `${formatValue(s('index_drawdown_pct'), 'pct')} / ${formatValue(s('mark_drawdown_pct'), 'pct')}`,
    ),
    figure('amplification', `${formatValue(s('amplification'), 'plain')}x`),
  ];
  // The attackers' accounting (README "Attacks"), when the run had attackers.
  const attack =
    summary.attack !== null && typeof summary.attack === 'object' ? (summary.attack as Record<string, unknown>) : null;
  if (attack) {
    figures.push(
      figure(
        'attack profit (ROI)',
        `${formatValue(s('attack_profit_usd'), 'usd')} (${formatValue(100 * s('attack_roi'), 'pct')})`,
        s('attack_profit_usd') > 0,
      ),
      figure('protocol loss', formatValue(s('protocol_loss_usd'), 'usd'), s('protocol_loss_usd') > 0),
    );
  }
  const attackRows = attack
    ? Object.entries(attack)
        .filter(([, v]) => typeof v === 'number')
        .map(([k, v]) => {
          const unit: Unit = k === 'roi' ? 'fraction' : k === 'spotUnits' ? 'plain' : 'usd';
          return [
            { text: k, cls: 'text' },
            { text: formatValue(v as number, unit), sort: v as number, title: String(v) },
            { text: ATTACK_DOC[k] ?? '', cls: 'text' },
          ];
        })
    : [];

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
    attackRows.length
      ? `<h2 id="attack">Attack accounting</h2><p class="note">The attackers' gain and where it came from (README "Attacks"): profit = withdrawn + end equity - deposited + spot received - spot paid + spot value, and it equals the counterparties' + liquidity providers' + venue's losses within the conservation tolerance.</p>${tableHtml([{ text: 'term', cls: 'text' }, 'value', { text: 'meaning', cls: 'text' }], attackRows, { id: 'attack-table' })}`
      : '',
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

/** What the vertical lines and the shading of the time charts mean, for this run. */
function eventNote(markers: readonly Marker[], gap: number): string {
  const count = (kind: Marker['kind']) => markers.filter((m) => m.kind === kind).length;
  const parts = [
    `Black dashed vertical lines: shocks, at the step each starts (${count('shock')}).`,
    `Grey shading: cascade waves (runs of steps with liquidations; gaps of up to ${gap} quiet steps do not end a wave).`,
    count('breaker')
      ? `Pink dotted lines: circuit-breaker trips, halts and guardian pauses (${count('breaker')}).`
      : 'No circuit-breaker trip, halt or pause in this run.',
    count('alert')
      ? `Orange dash-dot lines: onsets of monitoring alerts, named by detector (${count('alert')}).`
      : 'No monitoring alert in this run.',
    count('governance') ? `Green dashed lines: governance events (${count('governance')}).` : '',
    'Hover a chart to read every series at a step.',
  ];
  return parts.filter(Boolean).join(' ');
}

/** The step window of the zoomed charts, or null when there is no wave. */
function cascadeWindow(
  waves: readonly StepSpan[],
  liquidations: readonly number[],
  shocks: readonly { step: number }[],
  steps: number,
): StepSpan | null {
  if (waves.length === 0) return null;
  let busiest = waves[0];
  let most = -1;
  for (const w of waves) {
    const n = liquidations.slice(w.from, w.to + 1).reduce((a, b) => a + b, 0);
    if (n > most) [most, busiest] = [n, w];
  }
  // Start at the last shock before the busiest wave, if it is near; pad either side.
  const before = shocks.filter((s) => s.step <= busiest.from).map((s) => s.step);
  const start = before.length ? Math.max(...before) : busiest.from;
  const from0 = busiest.from - start <= 240 ? Math.min(start, busiest.from) : busiest.from;
  const span = busiest.to - from0 + 1;
  const pad = Math.max(10, Math.round(span * 0.5));
  const from = Math.max(0, from0 - pad);
  const to = Math.min(steps - 1, busiest.to + 2 * pad);
  if (to - from + 1 >= steps * 0.8) return null;
  return { from, to };
}
