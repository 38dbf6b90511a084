// The HTML report of a sweep directory (runs.csv, cells.csv and manifest.json, and check.json when
// `cascade check` ran): per scenario the headline table (P(insolvent) with its Wilson interval,
// uncovered bad debt, VaR95, LaR95: after the insurance fund pays), heatmaps of the headline metrics
// (or of the one --metric column) and of every budgeted metric over two grid parameters, each map
// with its own colour scale, the uncovered-bad-debt distribution of every cell, cascade statistics,
// budget verdicts and the sortable cells table. Reads the files; never runs anything.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../sim/core/errors.js';
import type { FieldMeta } from '../../sim/core/registry.js';
import { judgedColumn } from '../check-eval.js';
import { columnLabel, LAR95_COLUMN, UNCOVERED_MEAN_COLUMN, VAR95_COLUMN } from '../headline.js';
import { columnText, readCsvTable, type CsvTable } from '../csv-read.js';
import { heatmapSvg, type HeatCell } from './heatmap.js';
import { binCounts, binEdges, histogramSvg } from './histogram.js';
import { metaList, pageHtml, slug, tableHtml, type Cell } from './page.js';
import {
  cellUnit,
  colourDomain,
  distinct,
  gridValueText,
  HEATMAP_METRICS,
  heatmapMetric,
  insolvencyCell,
  numberCell,
  type HeatmapMetric,
} from './sweep-cells.js';
import { fileDate, readCheckFile, readManifest, type CheckFile } from './sweep-files.js';
import { esc, OKABE_ITO } from './svg.js';
import { formatValue, type Unit } from './ticks.js';

export interface SweepReportOptions {
  /** Grid path on the heatmaps' x axis (default: the first grid path). */
  x?: string;
  /** Grid path on the y axis (default: the second grid path, or the first one that is not x). */
  y?: string;
  /** The run statistics' registry entries (unit and meaning), handed over by the caller (sim/engine.ts RUN_STATISTICS). */
  statistics?: readonly FieldMeta[];
  /**
   * A cells.csv metric column to draw the heatmaps of, instead of the default set (P(insolvent),
   * uncovered bad debt mean, VaR95, LaR95 and every budgeted metric). An unknown column is a
   * UserError naming --metric and listing the valid ones.
   */
  metric?: string;
}

const OPS: Record<string, (a: number, b: number) => boolean> = {
  '<=': (a, b) => a <= b,
  '<': (a, b) => a < b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

/** The cascade statistics shown per scenario, when cells.csv has them. */
const CASCADE_COLUMNS = [
  'liquidations_mean',
  'liquidations_p95',
  'induced_liquidations_mean',
  'induced_liquidations_p95',
  'cascade_waves_p50',
  'cascade_waves_p95',
  'longest_wave_p95_steps',
  'amplification_p50',
  'amplification_p95',
  'insurance_drawdown_p95_pct',
  'liquidated_notional_mean_usd',
];

/** The sweep report's HTML. */
export function sweepReportHtml(dir: string, opts: SweepReportOptions = {}): string {
  const manifestFile = join(dir, 'manifest.json');
  const manifest = readManifest(manifestFile);
  const plan = manifest.plan;
  // A lending sweep's loss is measured against the pool's reserves, a perp venue's against its insurance fund.
  const backstop = (plan.stat_keys ?? []).includes('reserves_end_usd') ? "pool's reserves" : 'insurance fund';
  const paths = plan.grid.map((g) => g.path);
  const cells = readCsvTable(join(dir, 'cells.csv'), ['scenario', ...paths, 'runs']);
  const runs = readCsvTable(join(dir, 'runs.csv'), ['scenario', ...paths, 'status']);
  const checkFile = join(dir, 'check.json');
  let check: CheckFile | null = null;
  try {
    statSync(checkFile);
    check = readCheckFile(checkFile);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }

  const pick = (flag: string, p: string | undefined): string | undefined => {
    if (p === undefined) return undefined;
    if (!paths.includes(p))
      throw new UserError(
        flag,
        '',
        `'${p}' is not a grid path of this sweep (its grid: ${paths.join(', ') || 'none'})`,
      );
    return p;
  };
  const xPath = pick('--x', opts.x) ?? paths.find((p) => p !== opts.y) ?? null;
  const yPath = pick('--y', opts.y) ?? paths.find((p) => p !== xPath) ?? null;
  if (xPath !== null && xPath === yPath) throw new UserError('--y', '', `must differ from --x (${xPath})`);
  const rest = paths.filter((p) => p !== xPath && p !== yPath);

  const cellScenario = columnText(cells, 'scenario');
  const scenarios = plan.scenarios.map((s) => s.label).filter((l) => cellScenario.includes(l));
  const cellValue = (row: string[], name: string) => row[cells.header.indexOf(name)];
  const gridOf = (row: string[], table: CsvTable = cells) => paths.map((p) => row[table.header.indexOf(p)]);
  const xValues = xPath ? distinct(columnText(cells, xPath)) : [''];
  const yValues = yPath ? distinct(columnText(cells, yPath)) : [''];
  const restCombos = distinct(cells.rows.map((r) => rest.map((p) => cellValue(r, p)).join('\u0000'))).map((k) =>
    k === '' && rest.length === 0 ? [] : k.split('\u0000'),
  );

  // Budget outlines: check.json's failed budget checks when it exists, else the sweep file's budgets
  // judged as `cascade check` judges them (a P(insolvent) budget on its Wilson bound: judgedColumn).
  // A check on p_insolvent_hi or _lo belongs to the p_insolvent map.
  const belongs = (checkMetric: string, metric: string) =>
    checkMetric === metric || checkMetric === `${metric}_hi` || checkMetric === `${metric}_lo`;
  const overBudget = (scenario: string, row: string[], metric: string): string | undefined => {
    if (check) {
      const failed = check.checks.filter(
        (c) =>
          c.kind === 'budget' &&
          c.verdict === 'fail' &&
          belongs(c.metric, metric) &&
          c.scenario === scenario &&
          paths.every((p) => c.cell?.[p] === undefined || String(c.cell[p]) === cellValue(row, p)),
      );
      return failed.length
        ? failed.map((c) => `${c.metric} ${c.op ?? ''} ${c.bound ?? ''}`.trim()).join('; ')
        : undefined;
    }
    const broken = (manifest.budgets ?? []).filter((b) => {
      if (b.metric !== metric || (b.scenario !== null && b.scenario !== scenario) || !OPS[b.op]) return false;
      const column = judgedColumn(b);
      const text = cells.header.includes(column) ? cellValue(row, column) : '';
      // A cell without a value (every run failed) fails its budget, as in cascade check.
      return text === '' || !OPS[b.op](Number(text), b.limit);
    });
    return broken.length
      ? broken.map((b) => (judgedColumn(b) === b.metric ? b.text : `${b.text} (on ${judgedColumn(b)})`)).join('; ')
      : undefined;
  };

  // Heatmaps: the --metric column, or the headline, every budgeted metric (so that its outlines show)
  // and the attack maps; each scenario's map has its own colour domain and legend.
  const metricCols = cells.header.filter((h) => h !== 'scenario' && !paths.includes(h));
  if (opts.metric !== undefined && !metricCols.includes(opts.metric))
    throw new UserError(
      '--metric',
      '',
      `'${opts.metric}' is not a cells.csv column of this sweep (valid: ${metricCols.join(', ')})`,
    );
  const budgeted = (check ? check.checks.filter((c) => c.kind === 'budget').map((c) => c.metric) : [])
    .concat((manifest.budgets ?? []).map((b) => b.metric))
    .map((m) => (m === 'p_insolvent_hi' || m === 'p_insolvent_lo' ? 'p_insolvent' : m));
  const shown: HeatmapMetric[] =
    opts.metric !== undefined
      ? [heatmapMetric(opts.metric)]
      : [
          ...HEATMAP_METRICS,
          ...distinct(budgeted)
            .filter((m) => !HEATMAP_METRICS.some((h) => h.metric === m))
            .map(heatmapMetric),
        ];
  const heatmaps = new Map<string, string[]>();
  const attacked =
    cells.header.includes('attack_profit_mean_usd') &&
    columnText(cells, 'attack_profit_mean_usd').some((t) => t !== '' && Number(t) !== 0);
  const xLabels = xPath ? xValues.map((v) => gridValueText(xPath, v)) : undefined;
  const yLabels = yPath ? yValues.map((v) => gridValueText(yPath, v)) : undefined;
  for (const hm of shown) {
    if (!cells.header.includes(hm.metric) || (hm.attack && !attacked)) continue;
    for (const scenario of scenarios) {
      const rows = cells.rows.filter((r) => r[0] === scenario);
      const [d0, d1] = colourDomain(
        rows.map((r) => cellValue(r, hm.metric)),
        hm.unit,
      );
      for (const combo of restCombos) {
        const inCombo = rows.filter((r) => rest.every((p, k) => cellValue(r, p) === combo[k]));
        const hcells: HeatCell[] = inCombo.map((r) => ({
          x: xPath ? cellValue(r, xPath) : '',
          y: yPath ? cellValue(r, yPath) : '',
          text: cellValue(r, hm.metric),
          overBudget: overBudget(scenario, r, hm.metric),
          note: [
            ...rest.map((p) => `${p} = ${cellValue(r, p)}`),
            `${cellValue(r, 'runs')} runs, ${cellValue(r, 'errors') || 0} failed`,
          ].join('\n'),
        }));
        const fixed = rest.length ? rest.map((p, k) => `${p} = ${combo[k]}`).join(', ') : undefined;
        const id = `hm-${slug(scenario)}-${slug(hm.metric)}${combo.length ? `-${slug(combo.join('-'))}` : ''}`;
        const svg = heatmapSvg({
          id,
          title: `${scenario}: ${hm.title}`,
          scenario,
          metric: hm.metric,
          unit: hm.unit,
          xPath,
          yPath,
          xValues,
          yValues,
          xLabels,
          yLabels,
          cells: hcells,
          domain: [d0, d1],
          fixed,
        });
        heatmaps.set(scenario, [...(heatmaps.get(scenario) ?? []), svg]);
      }
    }
  }

  // Uncovered-bad-debt histograms per cell (after the insurance fund; bad_debt_usd, before it, for
  // results without the column), bins shared within a scenario, VaR95 marked.
  const runStatus = columnText(runs, 'status');
  const runScenario = columnText(runs, 'scenario');
  const debtColumn = runs.header.includes('uncovered_bad_debt_usd') ? 'uncovered_bad_debt_usd' : 'bad_debt_usd';
  const uncovered = debtColumn === 'uncovered_bad_debt_usd';
  const markerColumn = uncovered ? VAR95_COLUMN : 'bad_debt_p95_usd';
  const markerLabel = uncovered ? 'VaR95' : 'p95';
  const hasBadDebt = runs.header.includes(debtColumn);
  const badDebt = hasBadDebt ? columnText(runs, debtColumn).map((t) => (t === '' ? NaN : Number(t))) : [];
  const histograms = new Map<string, string>();
  if (hasBadDebt)
    for (const scenario of scenarios) {
      const rows = cells.rows.filter((r) => r[0] === scenario);
      const byCell = new Map<string, number[]>();
      runs.rows.forEach((r, i) => {
        if (runScenario[i] !== scenario || runStatus[i] !== 'ok') return;
        const key = gridOf(r, runs).join('\u0000');
        byCell.set(key, [...(byCell.get(key) ?? []), badDebt[i]]);
      });
      const all = [...byCell.values()].flat().filter(Number.isFinite);
      if (all.every((v) => v === 0)) {
        histograms.set(
          scenario,
          `<p class="note no-bad-debt" data-scenario="${esc(scenario)}">Every one of the ${all.length} ok runs of this scenario ended without ${uncovered ? 'uncovered bad debt (the insurance fund covered any bad debt)' : 'bad debt'}.</p>`,
        );
        continue;
      }
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of all) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      const edges = binEdges(lo, hi, 12);
      const counted = rows.map((r) => {
        const values = byCell.get(gridOf(r).join('\u0000')) ?? [];
        return { r, values, counts: binCounts(values, edges) };
      });
      const yMax = Math.max(1, ...counted.flatMap((c) => c.counts));
      const svgs = counted.map(({ r, values, counts }, k) => {
        const label = paths.length
          ? paths.map((p) => `${shortName(p)} = ${gridValueText(p, cellValue(r, p))}`)
          : [scenario];
        const zero = values.filter((v) => v === 0).length;
        const mark = cells.header.includes(markerColumn) ? cellValue(r, markerColumn) : '';
        const markText = mark === '' ? '' : `${markerLabel} ${formatValue(Number(mark), 'usd')}`;
        return histogramSvg({
          id: `hist-${slug(scenario)}-${k}`,
          title: label,
          subtitle: `${values.length} ok runs \u00b7 ${zero} without ${uncovered ? 'uncovered ' : ''}bad debt${markText === '' ? '' : ` \u00b7 ${markText} (dashed)`}`,
          edges,
          counts,
          xLabel: uncovered ? 'uncovered bad debt per run, after the insurance fund (USD)' : 'bad debt per run (USD)',
          xUnit: 'usd',
          yLabel: 'runs',
          yMax,
          color: OKABE_ITO.blue,
          marker: mark === '' ? undefined : { x: Number(mark), label: markText },
          data: { scenario, cell: gridOf(r).join(','), runs: String(values.length) },
        });
      });
      histograms.set(scenario, svgs.join('\n'));
    }

  // Tables.
  const headCell = (h: string) => ({ text: h, cls: h === 'scenario' ? 'text' : undefined });
  const cascadeCols = CASCADE_COLUMNS.filter((c) => cells.header.includes(c));
  const cascadeTable = (scenario: string) =>
    tableHtml(
      [...paths.map(headCell), ...cascadeCols.map(headCell)],
      cells.rows
        .filter((r) => r[0] === scenario)
        .map((r) => [
          ...paths.map((p) => ({ text: cellValue(r, p), sort: cellValue(r, p) })),
          ...cascadeCols.map((c) => numberCell(cellValue(r, c), cellUnit(c))),
        ]),
      { sortable: true, cls: 'cascade-table' },
    );
  const headlineCols = [UNCOVERED_MEAN_COLUMN, VAR95_COLUMN, LAR95_COLUMN, 'bad_debt_mean_usd'].filter((c) =>
    cells.header.includes(c),
  );
  const hasP = ['p_insolvent', 'p_insolvent_lo', 'p_insolvent_hi'].every((c) => cells.header.includes(c));
  const headlineTable = (scenario: string) =>
    tableHtml(
      [
        ...paths.map(headCell),
        ...(hasP ? [{ text: 'P(insolvent) [95% CI]', title: 'p_insolvent [p_insolvent_lo, p_insolvent_hi]' }] : []),
        ...headlineCols.map((c) => ({
          text: c === 'bad_debt_mean_usd' ? 'pre-fund bad debt mean' : (columnLabel(c) ?? c),
          title: c,
        })),
      ],
      cells.rows
        .filter((r) => r[0] === scenario)
        .map((r) => [
          ...paths.map((p) => ({
            text: gridValueText(p, cellValue(r, p)),
            sort: cellValue(r, p),
            title: cellValue(r, p),
          })),
          ...(hasP
            ? [
                insolvencyCell(
                  cellValue(r, 'p_insolvent'),
                  cellValue(r, 'p_insolvent_lo'),
                  cellValue(r, 'p_insolvent_hi'),
                ),
              ]
            : []),
          ...headlineCols.map((c) => numberCell(cellValue(r, c), cellUnit(c))),
        ]),
      { sortable: true, cls: 'headline-table' },
    );
  const cellsTable = tableHtml(
    cells.header.map((h) => {
      const label = columnLabel(h);
      return label === null ? headCell(h) : { text: h, title: `${h}: ${label}` };
    }),
    cells.rows.map((r) => [
      { text: r[0], cls: 'text' },
      ...paths.map((p) => ({ text: cellValue(r, p), sort: cellValue(r, p) })),
      ...metricCols.map((c) => numberCell(cellValue(r, c), cellUnit(c))),
    ]),
    { sortable: true, id: 'cells-table' },
  );

  // Budget verdicts.
  let verdicts: string;
  if (check) {
    const failed = check.checks.filter((c) => c.verdict === 'fail').length;
    const rows = check.checks.map((c) => {
      const v = c.verdict === 'pass' ? '\u2713 pass' : c.verdict === 'fail' ? '\u2717 FAIL' : `\u2013 ${c.verdict}`;
      const cell = Object.entries(c.cell ?? {})
        .map(([k, val]) => `${shortName(k)}=${String(val)}`)
        .join(', ');
      const num = (x: number | null | undefined, unit: Unit): Cell =>
        x === null || x === undefined
          ? { text: '', sort: '' }
          : { text: formatValue(x, unit), sort: x, title: String(x) };
      const unit = cellUnit(c.metric);
      return [
        {
          text: v,
          cls: c.verdict === 'fail' ? 'fail text' : c.verdict === 'pass' ? 'pass text' : 'text',
          sort: c.verdict,
        },
        { text: c.kind, cls: 'text' },
        { text: c.scenario, cls: 'text' },
        { text: cell, cls: 'text' },
        { text: c.metric, cls: 'text' },
        {
          text: `${c.op ?? ''} ${c.bound === null || c.bound === undefined ? '' : formatValue(c.bound, unit)}`.trim(),
          cls: 'text',
          title: String(c.bound ?? ''),
        },
        num(c.value, unit),
        num(c.baseline, unit),
        num(c.p_value, 'plain'),
        { text: c.message ?? '', cls: 'text' },
      ];
    });
    verdicts = [
      `<p class="lead" id="check-verdict" data-verdict="${esc(check.verdict)}">Risk gate (<code>cascade check</code>, check.json): <b>${check.verdict === 'pass' ? '\u2713 PASS' : check.verdict === 'fail' ? '\u2717 FAIL' : esc(check.verdict)}</b>, ${failed} of ${check.checks.length} checks failed. On the heatmaps, a dashed border and \u2717 mark the cells of failed budget checks.</p>`,
      tableHtml(
        ['verdict', 'kind', 'scenario', 'cell', 'metric', 'budget', 'value', 'baseline', 'p-value', 'message'].map(
          (h) => (['value', 'baseline', 'p-value'].includes(h) ? h : { text: h, cls: 'text' }),
        ),
        rows,
        { sortable: true, id: 'check-table' },
      ),
    ].join('\n');
  } else {
    const b = manifest.budgets ?? [];
    verdicts = b.length
      ? `<p class="note">No check.json in this directory: run <code>cascade check</code> for the verdicts. The sweep file's budgets: ${b.map((x) => `<code>${esc(x.text)}</code>${x.scenario ? ` (${esc(x.scenario)})` : ''}`).join(', ')}. On the heatmaps, a dashed border and \u2717 mark a cell that breaks one of them as <code>cascade check</code> judges it (a P(insolvent) budget on its 95% Wilson bound, <code>p_insolvent_hi</code> for an upper limit).</p>`
      : '<p class="note">The sweep file declares no risk budgets, and no check.json is present.</p>';
  }

  const name = manifest.sweep?.name ?? plan.name;
  const title = `cascade sweep report: ${name}`;
  const cellsPerScenario = plan.cells / Math.max(1, plan.scenarios.length);
  const meta: [string, string][] = [
    ['sweep', `${name}${manifest.sweep?.description ? ` \u2014 ${manifest.sweep.description}` : ''}`],
    ['source', manifest.sweep?.source ?? ''],
    ['seed', String(plan.seed)],
    ['replicates', String(plan.replicates)],
    [
      'plan',
      `${plan.scenarios.length} scenario(s) x ${cellsPerScenario} cell(s) x ${plan.replicates} replicates = ${plan.total_runs} runs`,
    ],
    ['grid', plan.grid.map((g) => `${g.path} \u2208 {${g.values.map(String).join(', ')}}`).join('; ') || 'none'],
    ['runs', `${manifest.runs ?? runs.rows.length} (${manifest.errors ?? 0} failed)`],
    ['cascade version', String(manifest.cascade_version ?? 'unknown')],
    ['node version', String(manifest.node_version ?? 'unknown')],
    ['date', `${fileDate(manifestFile)} (manifest written)`],
    [
      'execution',
      `${manifest.threads ?? '?'} thread(s), ${manifest.wall_time_s ?? '?'} s${Array.isArray(manifest.merged_from) ? `, merged from ${manifest.merged_from.length} shards` : ''}`,
    ],
    ['sweep hash', String(manifest.sweep_hash ?? '')],
  ];
  const toc = [
    '<a href="#budgets">budgets</a>',
    ...scenarios.map((s) => `<a href="#scenario-${slug(s)}">${esc(s)}</a>`),
    '<a href="#cells">cells table</a>',
  ];
  const scenarioSections = scenarios.map((s) =>
    [
      `<section id="scenario-${slug(s)}" data-scenario="${esc(s)}">`,
      `<h2>Scenario ${esc(s)}</h2>`,
      `<h3>Headline: insolvency, VaR95 and LaR95 (after the ${backstop})</h3>`,
      `<p class="note">P(insolvent): share of runs left with bad debt the ${backstop} could not cover (<code>p_insolvent</code>, 95% Wilson interval). Uncovered mean: <code>${UNCOVERED_MEAN_COLUMN}</code>. VaR95: <code>${VAR95_COLUMN}</code>, the 95th percentile of uncovered bad debt. LaR95: <code>${LAR95_COLUMN}</code>, the 95th percentile of liquidated notional. Pre-fund bad debt mean: <code>bad_debt_mean_usd</code>, measured before the ${backstop} pays.</p>`,
      headlineTable(s),
      `<div class="charts">${(heatmaps.get(s) ?? []).join('\n')}</div>`,
      hasBadDebt
        ? uncovered
          ? `<h3>Uncovered bad debt per run, by cell</h3><p class="note">Histograms of <code>uncovered_bad_debt_usd</code> (bad debt left after the insurance fund paid) over the cell's ok runs (runs.csv); bins and the count axis are shared across this scenario's cells. Dashed line: the cell's VaR95 (cells.csv <code>${VAR95_COLUMN}</code>).</p><div class="charts">${histograms.get(s) ?? ''}</div>`
          : `<h3>Bad debt per run, by cell</h3><p class="note">Histograms of <code>bad_debt_usd</code> (before the insurance fund) over the cell's ok runs (runs.csv); bins and the count axis are shared across this scenario's cells. Dashed line: the cell's p95 (cells.csv <code>bad_debt_p95_usd</code>).</p><div class="charts">${histograms.get(s) ?? ''}</div>`
        : '',
      cascadeCols.length ? `<h3>Cascade statistics</h3>${cascadeTable(s)}` : '',
      '</section>',
    ].join('\n'),
  );
  const body = [
    `<header class="report"><h1>${esc(title)}</h1>`,
    manifest.sweep?.description ? `<p class="lead">${esc(manifest.sweep.description)}</p>` : '',
    metaList(meta),
    `<nav class="toc">${toc.join('')}</nav></header>`,
    `<h2 id="budgets">Risk budgets</h2>`,
    verdicts,
    `<p class="note">Heatmaps: one per scenario and metric, ${xPath ? `<code>${esc(xPath)}</code> across` : ''}${yPath ? `, <code>${esc(yPath)}</code> up` : ''}${rest.length ? `, one map per value of ${rest.map((p) => `<code>${esc(p)}</code>`).join(', ')}` : ''}. Each map has its own colour scale (viridis: dark = low, yellow = high) and legend, so a scenario's cells compare with each other, not across scenarios; each cell shows its value, and hovering shows the exact cells.csv number. ${opts.metric !== undefined ? `Metric: <code>${esc(opts.metric)}</code> (<code>cascade report --metric</code>).` : `Metrics: the headline (P(insolvent), uncovered bad debt mean, VaR95, LaR95) and every budgeted metric; <code>cascade report DIR --metric COLUMN</code> draws any cells.csv column instead.`}</p>`,
    ...scenarioSections,
    `<h2 id="cells">All cells</h2><p class="note">Every column of cells.csv (click a header to sort; hover a number for its exact value).</p>`,
    cellsTable,
  ].join('\n');
  return pageHtml(title, 'sweep', body);
}

/** A grid path's last segment, for compact labels. */
function shortName(path: string): string {
  return path.split('.').pop() ?? path;
}
