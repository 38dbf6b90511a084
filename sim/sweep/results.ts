// Reads a finished sweep's output directory for `cascade check`, `cascade compare` and the package API:
// manifest.json (the plan and the budgets), cells.csv (every cell's statistics, for budgets) and the
// run columns of runs.csv that the paired tests need (seed, status, and by default insolvent and
// bad_debt_usd). Every problem with the files
// is a UserError naming the file. Reads files line by line; computes no statistic and runs nothing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Budget, BudgetOperator } from '../../scenarios/sweep-schema.js';
import { BUDGET_OPERATORS } from '../../scenarios/sweep-schema.js';
import type { GridValue } from '../../scenarios/sweep-load.js';
import { UserError } from '../core/errors.js';
import { readLines } from './line-reader.js';
import { JOURNAL_FILE, MANIFEST_FORMAT } from './sweep.js';
import { cellAt, type PlanMeta } from './sweep-plan.js';
import { parseCsvLine } from '../../reports/csv-read.js';
import { formatNumber } from '../../reports/format.js';
import { fileSha256 } from '../../reports/sweep-output.js';

/** The run statistics the regression tests read from runs.csv. */
export const REGRESSION_RUN_COLUMNS = ['insolvent', 'bad_debt_usd'] as const;

/** One scenario x parameter cell of a results directory. */
export interface ResultCell {
  /** Cell index in the plan (the row of cells.csv, from 0). */
  index: number;
  /** Scenario label. */
  scenario: string;
  /** Grid path -> value, in grid order. */
  params: Record<string, GridValue>;
  /** Identifies the cell across two results: the scenario label and every grid path's value as printed. */
  key: string;
  /** cells.csv metric columns by name; NaN where the file has no value. */
  metrics: Map<string, number>;
}

/** The run-level data of a results directory, indexed by run index (cell index x replicates + replicate). */
export interface ResultRuns {
  replicates: number;
  seeds: Float64Array;
  /** 1 for status=ok, 0 for status=error. */
  ok: Uint8Array;
  /** The run columns asked for (default the regression tests') that runs.csv has; absent ones are left out. */
  columns: Map<string, Float64Array>;
}

export interface Results {
  /** The directory as given. */
  dir: string;
  meta: PlanMeta;
  cascadeVersion: string;
  budgets: Budget[];
  /** The metric columns of cells.csv, in file order. */
  cellColumns: string[];
  cells: ResultCell[];
  runs: ResultRuns;
}

/** The printed form of a grid value, as in the CSV files. */
export function valueText(v: GridValue): string {
  return typeof v === 'number' ? formatNumber(v) : String(v);
}

/** The key that matches a cell across two results: scenario label and grid values, grid paths sorted. */
export function cellKey(scenario: string, params: Record<string, GridValue>): string {
  const pairs = Object.keys(params)
    .sort()
    .map((p) => `${p}=${valueText(params[p])}`);
  return JSON.stringify([scenario, ...pairs]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Reads and checks manifest.json; returns it with its plan. */
function readManifest(dir: string): { manifest: Record<string, unknown>; meta: PlanMeta } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(dir, '', 'no such directory');
  const file = join(dir, 'manifest.json');
  if (!existsSync(file))
    throw new UserError(
      dir,
      '',
      existsSync(join(dir, JOURNAL_FILE))
        ? 'the sweep did not finish (it has a journal but no manifest.json): complete it with cascade sweep --resume first'
        : 'no manifest.json: not the output directory of a cascade sweep',
    );
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(file, '', `invalid JSON: ${(e as Error).message}`);
  }
  if (!isRecord(manifest) || manifest.format !== MANIFEST_FORMAT || manifest.complete !== true)
    throw new UserError(file, '', `not a complete cascade sweep manifest (expected format ${MANIFEST_FORMAT})`);
  if (isRecord(manifest.shard))
    throw new UserError(dir, '', 'is one shard of a sweep: join the shards with cascade merge first');
  const meta = manifest.plan;
  if (
    !isRecord(meta) ||
    !Array.isArray(meta.scenarios) ||
    !Array.isArray(meta.grid) ||
    !Array.isArray(meta.stat_keys) ||
    !Number.isInteger(meta.replicates) ||
    !Number.isInteger(meta.cells) ||
    !Number.isInteger(meta.total_runs)
  )
    throw new UserError(file, 'plan', 'missing or malformed (expected the plan of the sweep)');
  return { manifest, meta: meta as unknown as PlanMeta };
}

/** The budgets recorded in the manifest, checked against the cells.csv columns and the scenario labels. */
function readBudgets(file: string, raw: unknown, columns: readonly string[], labels: readonly string[]): Budget[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new UserError(file, 'budgets', 'expected a list of budgets');
  return raw.map((b, i) => {
    const field = `budgets[${i}]`;
    if (
      !isRecord(b) ||
      typeof b.metric !== 'string' ||
      !BUDGET_OPERATORS.includes(b.op as BudgetOperator) ||
      typeof b.limit !== 'number' ||
      !Number.isFinite(b.limit) ||
      !(b.scenario === null || typeof b.scenario === 'string')
    )
      throw new UserError(file, field, 'expected {metric, op, limit, scenario, text} as cascade sweep writes it');
    if (!columns.includes(b.metric))
      throw new UserError(
        file,
        field,
        `unknown metric '${b.metric}': not a column of cells.csv (columns: ${columns.join(', ')})`,
      );
    if (b.scenario !== null && !labels.includes(b.scenario))
      throw new UserError(file, `${field}.scenario`, `'${b.scenario}' is not a scenario of this sweep`);
    const op = b.op as BudgetOperator;
    const text = typeof b.text === 'string' ? b.text : `${b.metric} ${op} ${b.limit}`;
    return { metric: b.metric, op, limit: b.limit, scenario: b.scenario, text };
  });
}

/** Checks a file against the sha256 the manifest recorded for it (when it recorded one). */
function checkSha(manifest: Record<string, unknown>, dir: string, name: string): string {
  const file = join(dir, name);
  if (!existsSync(file)) throw new UserError(dir, '', `${name} is missing`);
  const recorded = isRecord(manifest.sha256) ? manifest.sha256[name] : undefined;
  if (typeof recorded === 'string' && recorded !== fileSha256(file))
    throw new UserError(file, '', 'does not match the sha256 recorded in manifest.json (edited or corrupt)');
  return file;
}

function parseLine(file: string, lineNo: number, text: string): string[] {
  try {
    return parseCsvLine(text);
  } catch (e) {
    throw new UserError(file, `line ${lineNo}`, `malformed CSV: ${(e as Error).message}`);
  }
}

/**
 * Parses cells.csv text whose first columns are `scenario` and the grid paths: one cell per row with
 * its grid values as printed and every other column as a number (empty -> NaN). Checks nothing
 * against a plan (readResults does).
 */
export function parseCellsCsv(
  text: string,
  gridPaths: readonly string[],
  file = 'cells.csv',
): { columns: string[]; rows: { scenario: string; values: string[]; metrics: Map<string, number> }[] } {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new UserError(file, '', 'is empty (expected a header row)');
  const header = parseLine(file, 1, lines[0]);
  const lead = ['scenario', ...gridPaths];
  if (lead.some((c, k) => header[k] !== c))
    throw new UserError(file, 'line 1', `header must start with ${lead.join(',')}; got ${header.join(',')}`);
  const columns = header.slice(lead.length);
  const rows = lines.slice(1).map((line, k) => {
    const fields = parseLine(file, k + 2, line);
    if (fields.length !== header.length)
      throw new UserError(file, `line ${k + 2}`, `has ${fields.length} fields, the header has ${header.length}`);
    const metrics = new Map<string, number>();
    columns.forEach((c, j) => {
      const s = fields[lead.length + j];
      metrics.set(c, s === '' ? NaN : Number(s));
    });
    return { scenario: fields[0], values: fields.slice(1, lead.length), metrics };
  });
  return { columns, rows };
}

/**
 * Reads a finished sweep's directory (manifest.json, cells.csv, runs.csv). `runColumns` are the run
 * statistics of runs.csv to keep (default the regression tests' columns); those runs.csv lacks are left out.
 */
export function readResults(dir: string, runColumns: readonly string[] = REGRESSION_RUN_COLUMNS): Results {
  const { manifest, meta } = readManifest(dir);
  const manifestFile = join(dir, 'manifest.json');
  const gridPaths = meta.grid.map((a) => a.path);
  const labels = meta.scenarios.map((s) => s.label);

  const cellsFile = checkSha(manifest, dir, 'cells.csv');
  const parsed = parseCellsCsv(readFileSync(cellsFile, 'utf8'), gridPaths, cellsFile);
  if (parsed.rows.length !== meta.cells)
    throw new UserError(
      cellsFile,
      '',
      `has ${parsed.rows.length} cells, the sweep plan in manifest.json has ${meta.cells}`,
    );
  const cells: ResultCell[] = parsed.rows.map((row, index) => {
    const { scenarioIndex, values } = cellAt(meta, index);
    const scenario = meta.scenarios[scenarioIndex].label;
    if (row.scenario !== scenario || values.some((v, a) => valueText(v) !== row.values[a]))
      throw new UserError(cellsFile, `line ${index + 2}`, 'does not match the sweep plan in manifest.json');
    const params = Object.fromEntries(gridPaths.map((p, a) => [p, values[a]]));
    return { index, scenario, params, key: cellKey(scenario, params), metrics: row.metrics };
  });

  const runsFile = checkSha(manifest, dir, 'runs.csv');
  const lines = readLines(runsFile);
  const head = lines.next();
  const header = head.done ? [] : parseLine(runsFile, 1, head.value.text);
  const lead = ['run_id', 'scenario', 'replicate', 'seed', ...gridPaths];
  if (lead.some((c, k) => header[k] !== c) || header[header.length - 2] !== 'status')
    throw new UserError(runsFile, 'line 1', 'header does not match the sweep plan in manifest.json');
  const statusAt = header.length - 2;
  const total = meta.total_runs;
  const seeds = new Float64Array(total);
  const ok = new Uint8Array(total);
  const wanted = runColumns.filter((c) => header.includes(c));
  const columns = new Map(wanted.map((c) => [c, new Float64Array(total)]));
  const at = wanted.map((c) => header.indexOf(c));
  let i = 0;
  for (const line of lines) {
    const lineNo = i + 2;
    if (line.text === '' && !line.complete) break;
    const fields = parseLine(runsFile, lineNo, line.text);
    if (fields.length !== header.length)
      throw new UserError(runsFile, `line ${lineNo}`, `has ${fields.length} fields, the header has ${header.length}`);
    if (i >= total || Number(fields[0]) !== i || Number(fields[2]) !== i % meta.replicates)
      throw new UserError(runsFile, `line ${lineNo}`, `does not match run ${i} of the sweep plan in manifest.json`);
    seeds[i] = Number(fields[3]);
    ok[i] = fields[statusAt] === 'ok' ? 1 : 0;
    wanted.forEach((c, k) => {
      const s = fields[at[k]];
      columns.get(c)![i] = s === '' ? NaN : Number(s);
    });
    i++;
  }
  if (i !== total) throw new UserError(runsFile, '', `has ${i} runs, the sweep plan in manifest.json has ${total}`);

  return {
    dir,
    meta,
    cascadeVersion: typeof manifest.cascade_version === 'string' ? manifest.cascade_version : 'unknown',
    budgets: readBudgets(manifestFile, manifest.budgets, parsed.columns, labels),
    cellColumns: parsed.columns,
    cells,
    runs: { replicates: meta.replicates, seeds, ok, columns },
  };
}
