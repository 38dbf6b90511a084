// The time structure of a run report: cascade waves and flag runs as step spans, the event
// markers (breaker trips, guardian pauses, monitoring alerts, governance events), the note that
// explains them and the step window of the zoomed charts. Reads the parsed timeline and summary;
// never the files, never the world, and draws nothing.
import { columnNumbers, type CsvTable } from '../csv-read.js';
import type { Marker } from './svg-chart.js';

/** A run of steps [from, to] (inclusive). */
export interface StepSpan {
  from: number;
  to: number;
}

/**
 * Cascade waves as step spans: maximal runs of steps with liquidations, where gaps of at most
 * `gapSteps` quiet steps do not end a run. The same rule as sim/perp/statistics.ts `cascadeWaves`,
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

/** Steps of a summary list: numbers, or objects with a `step`. */
function summarySteps(summary: Readonly<Record<string, unknown>>, key: string): number[] {
  const list = summary[key];
  if (!Array.isArray(list)) return [];
  return list
    .map((e) =>
      typeof e === 'number' ? e : typeof e === 'object' && e !== null ? Number((e as { step?: unknown }).step) : NaN,
    )
    .filter((s) => Number.isInteger(s) && s >= 0);
}

/** Monitoring detectors by bit of the `alerts` timeline column (as sim/controls/monitor.ts numbers them). */
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
export function eventMarkers(
  tl: CsvTable,
  summary: Readonly<Record<string, unknown>>,
  atStep: (s: number) => number,
): Marker[] {
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

/** What the vertical lines and the shading of the time charts mean, for this run. */
export function eventNote(markers: readonly Marker[], gap: number): string {
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
export function cascadeWindow(
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
