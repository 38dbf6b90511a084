// The files a sweep writes: runs.csv (one row per run), cells.csv (one row per scenario x parameter
// cell) and the manifest, each written to a temporary file and renamed into place, so an interrupted
// sweep never leaves a file that looks complete (reports/atomic-write.ts). Consumes run records in run order, one cell at a
// time, so memory does not grow with the number of runs. Reads records; never runs anything.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { GridValue } from '../scenarios/sweep-load.js';
import type { RunRecord } from '../sim/sweep/sweep-journal.js';
import type { PlanLocator, PlanMeta } from '../sim/sweep/sweep-plan.js';
import { AtomicFile, writeError, writeFileAtomic, writeTextAtomic } from './atomic-write.js';
import { cellMetrics, computeCell, type CellMetric } from './cell-stats.js';
import { formatNumber } from './format.js';
import { RunsParquet, writeCellsParquet } from './parquet-output.js';

/** One row of cells.csv, unformatted. */
export interface CellRow {
  cellIndex: number;
  scenario: string;
  values: GridValue[];
  /** In `cellMetrics(meta.stat_keys)` order; NaN where the cell has no ok run. */
  metrics: number[];
}

export function runsHeader(meta: PlanMeta): string[] {
  return [
    'run_id',
    'scenario',
    'replicate',
    'seed',
    ...meta.grid.map((a) => a.path),
    ...meta.stat_keys,
    'status',
    'error',
  ];
}

export function cellsHeader(meta: PlanMeta): string[] {
  return ['scenario', ...meta.grid.map((a) => a.path), ...cellMetrics(meta.stat_keys).map((m) => m.name)];
}

/** Names a budget may use: the numeric metric columns of cells.csv. */
export function cellMetricNames(statKeys: readonly string[]): string[] {
  return cellMetrics(statKeys).map((m) => m.name);
}

/** A cell of a CSV: numbers as formatNumber prints them, NaN (no value) empty. */
function cellText(v: GridValue): string {
  if (typeof v === 'number') return Number.isNaN(v) ? '' : formatNumber(v);
  return String(v);
}

function csvLine(fields: readonly string[]): string {
  return stringify([fields as string[]]);
}

/** The runs.csv line (with its newline) of a run record. */
/** `plan` places a run index in the plan (sim/sweep/sweep-plan.ts PLAN_LOCATOR: the writers import no sweep code). */
export function runsLine(meta: PlanMeta, record: RunRecord, plan: PlanLocator): string {
  const at = plan.runAt(meta, record.runIndex);
  const cell = plan.cellAt(meta, at.cellIndex);
  const stats = record.stats ? record.stats.map((x) => formatNumber(x)) : meta.stat_keys.map(() => '');
  return csvLine([
    String(record.runIndex),
    meta.scenarios[at.scenarioIndex].label,
    String(at.replicate),
    String(at.seed),
    ...cell.values.map(cellText),
    ...stats,
    record.status,
    record.error,
  ]);
}

export function cellsLine(row: CellRow): string {
  return csvLine([row.scenario, ...row.values.map(cellText), ...row.metrics.map(cellText)]);
}

/** Collects one cell's runs at a time (records must come in run order) and yields its row when complete. */
export class CellRows {
  private readonly metrics: CellMetric[];
  private cell = -1;
  private runs = 0;
  private errors = 0;
  private columns: number[][] = [];

  constructor(
    private readonly meta: PlanMeta,
    private readonly plan: PlanLocator,
  ) {
    this.metrics = cellMetrics(meta.stat_keys);
  }

  /** Adds a run; returns the previous cell's row when this run starts a new cell. */
  push(record: RunRecord): CellRow | null {
    const cell = Math.floor(record.runIndex / this.meta.replicates);
    let done: CellRow | null = null;
    if (cell !== this.cell) {
      done = this.finish();
      this.cell = cell;
      this.columns = this.meta.stat_keys.map(() => []);
    }
    this.runs++;
    if (record.stats) record.stats.forEach((x, k) => this.columns[k].push(x));
    else this.errors++;
    return done;
  }

  /** The last cell's row (call after the last run). */
  finish(): CellRow | null {
    if (this.cell < 0) return null;
    if (this.runs !== this.meta.replicates)
      throw new Error(`cell ${this.cell} has ${this.runs} runs, expected ${this.meta.replicates}`);
    const { scenarioIndex, values } = this.plan.cellAt(this.meta, this.cell);
    const row: CellRow = {
      cellIndex: this.cell,
      scenario: this.meta.scenarios[scenarioIndex].label,
      values,
      metrics: computeCell(this.metrics, this.meta.stat_keys, this.runs, this.errors, this.columns),
    };
    this.cell = -1;
    this.runs = 0;
    this.errors = 0;
    return row;
  }
}

/** Re-exported: the one atomic writer lives in reports/atomic-write.ts. */
export { writeFileAtomic };

/** sha256 (hex) of a file's bytes, read in chunks. */
export function fileSha256(path: string): string {
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeTextAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

export interface WrittenFiles {
  runs: number;
  errors: number;
  /** Rows of cells.csv, or null when only runs.csv was written (a shard). */
  cells: CellRow[] | null;
  /** sha256 of each file written, by file name (recorded in the manifest; merge checks runs.csv). */
  sha256: Record<string, string>;
}

/** The output formats: the CSVs always (check, report, merge and resume read them), and parquet copies on request. */
export type OutputFormat = 'csv' | 'parquet';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['csv', 'parquet'];

/** The files a sweep's results consist of in `format`, runs first. */
export function resultFiles(format: OutputFormat, withCells: boolean): string[] {
  const files = withCells ? ['runs.csv', 'cells.csv'] : ['runs.csv'];
  return format === 'parquet' ? [...files, ...files.map((f) => f.replace(/\.csv$/, '.parquet'))] : files;
}

/**
 * Writes runs.csv (and cells.csv when `withCells`) into `dir` from records in run order, and with
 * `format` parquet runs.parquet (and cells.parquet) from the same pass. Each file appears only
 * complete, by rename: the runs files first, then the cells files.
 */
export function writeSweepFiles(
  dir: string,
  meta: PlanMeta,
  records: Iterable<RunRecord>,
  withCells: boolean,
  plan: PlanLocator,
  format: OutputFormat = 'csv',
): WrittenFiles {
  const cells: CellRow[] = [];
  const builder = new CellRows(meta, plan);
  let runs = 0;
  let errors = 0;
  const sha256: Record<string, string> = {};
  const runsCsv = new AtomicFile(join(dir, 'runs.csv'));
  let runsPq: RunsParquet | null = null;
  try {
    runsPq = format === 'parquet' ? new RunsParquet(join(dir, 'runs.parquet'), meta, plan) : null;
    runsCsv.text(csvLine(runsHeader(meta)));
    for (const r of records) {
      runsCsv.text(runsLine(meta, r, plan));
      runsPq?.push(r);
      runs++;
      if (r.status === 'error') errors++;
      if (withCells) {
        const row = builder.push(r);
        if (row) cells.push(row);
      }
    }
  } catch (e) {
    runsCsv.abort();
    runsPq?.abort();
    throw writeError(join(dir, 'runs.csv'), e);
  }
  if (runsPq) {
    try {
      sha256['runs.parquet'] = runsPq.commit();
    } catch (e) {
      runsCsv.abort();
      throw e;
    }
  }
  sha256['runs.csv'] = runsCsv.commit();
  if (!withCells) return { runs, errors, cells: null, sha256 };
  const last = builder.finish();
  if (last) cells.push(last);
  if (format === 'parquet') sha256['cells.parquet'] = writeCellsParquet(join(dir, 'cells.parquet'), meta, cells);
  sha256['cells.csv'] = writeFileAtomic(join(dir, 'cells.csv'), (write) => {
    write(csvLine(cellsHeader(meta)));
    for (const row of cells) write(cellsLine(row));
  });
  return { runs, errors, cells, sha256 };
}
