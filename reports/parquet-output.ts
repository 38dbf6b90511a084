// Columnar copies of runs.csv and cells.csv (`--format parquet`): the same rows and the same values
// (numbers rounded exactly as the CSV prints them), written one row group at a time through the
// atomic writer, so memory does not grow with the number of runs and an interrupted write leaves no
// file. Writer: hyparquet-writer (pure JavaScript, one dependency; chosen over parquet-wasm and
// DuckDB's node API by size and measurement, see docs). Reads rows; never runs anything.
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { GridValue } from '../scenarios/sweep-load.js';
import type { RunRecord } from '../sim/sweep/sweep-journal.js';
import type { PlanLocator, PlanMeta } from '../sim/sweep/sweep-plan.js';
import { AtomicFile } from './atomic-write.js';
import { cellMetrics } from './cell-stats.js';
import { formatNumber } from './format.js';

/** The parquet types the outputs use: identifiers as 64-bit integers, numbers as doubles, text as UTF-8. */
type ColumnType = 'INT64' | 'DOUBLE' | 'STRING' | 'BOOLEAN';

interface Column {
  name: string;
  type: ColumnType;
}

/** A value as its CSV cell reads back: numbers to 12 significant digits, NaN (no value) null. */
function csvNumber(x: number): number | null {
  return Number.isNaN(x) ? null : Number(formatNumber(x));
}

/** Rows per row group: large enough for fast scans, small enough to bound memory (~50 MB at 100 columns). */
const ROW_GROUP_ROWS = 65_536;

/** Flushes the writer's buffer into the atomic file once it holds more than 1 MB. */
class FileByteWriter extends ByteWriter {
  constructor(private readonly file: AtomicFile) {
    super(1 << 20);
  }
  override ensure(size: number): void {
    if (this.index > 1 << 20) this.drain();
    super.ensure(size);
  }
  flush(): void {
    this.drain();
  }
  override finish(): void {
    this.drain();
  }
  private drain(): void {
    if (this.index === 0) return;
    this.file.bytes(new Uint8Array(this.buffer, 0, this.index).slice());
    this.index = 0;
  }
}

/** A parquet file written row by row: `push` a row, `commit` to complete it, `abort` to leave nothing. */
export class ParquetRows {
  private readonly file: AtomicFile;
  private readonly writer: ParquetWriter;
  private readonly buffers: (number | bigint | string | boolean | null)[][];
  private rows = 0;

  constructor(
    path: string,
    private readonly columns: readonly Column[],
  ) {
    this.file = new AtomicFile(path);
    this.writer = new ParquetWriter({
      writer: new FileByteWriter(this.file),
      schema: [
        { name: 'root', num_children: columns.length },
        ...columns.map((c) =>
          c.type === 'STRING'
            ? {
                name: c.name,
                type: 'BYTE_ARRAY' as const,
                converted_type: 'UTF8' as const,
                repetition_type: 'OPTIONAL' as const,
              }
            : { name: c.name, type: c.type, repetition_type: 'OPTIONAL' as const },
        ),
      ],
      createdBy: 'cascade',
    });
    this.buffers = columns.map(() => []);
  }

  push(values: readonly (number | bigint | string | boolean | null)[]): void {
    for (let c = 0; c < this.columns.length; c++) this.buffers[c].push(values[c]);
    if (++this.rows === ROW_GROUP_ROWS) this.flushGroup();
  }

  /** Completes the file; returns the sha256 (hex) of its bytes. */
  commit(): string {
    try {
      this.flushGroup();
      void this.writer.finish();
    } catch (e) {
      this.file.abort();
      throw e;
    }
    return this.file.commit();
  }

  abort(): void {
    this.file.abort();
  }

  private flushGroup(): void {
    if (this.rows === 0) return;
    void this.writer.write({
      columnData: this.columns.map((c, k) => ({ name: c.name, data: this.buffers[k] })),
      rowGroupSize: this.rows,
    });
    for (const b of this.buffers) b.length = 0;
    this.rows = 0;
  }
}

/** The type of a grid axis's values (every value of an axis has its parameter's type). */
function gridType(values: readonly GridValue[]): ColumnType {
  const v = values[0];
  return typeof v === 'number' ? 'DOUBLE' : typeof v === 'boolean' ? 'BOOLEAN' : 'STRING';
}

function gridValue(v: GridValue): number | string | boolean | null {
  return typeof v === 'number' ? csvNumber(v) : v;
}

/** runs.parquet: runs.csv's columns and rows (an error run's statistics are null), one run at a time in run order. */
export class RunsParquet {
  private readonly out: ParquetRows;

  constructor(
    path: string,
    private readonly meta: PlanMeta,
    private readonly plan: PlanLocator,
  ) {
    this.out = new ParquetRows(path, [
      { name: 'run_id', type: 'INT64' },
      { name: 'scenario', type: 'STRING' },
      { name: 'replicate', type: 'INT64' },
      { name: 'seed', type: 'INT64' },
      ...meta.grid.map((a) => ({ name: a.path, type: gridType(a.values) })),
      ...meta.stat_keys.map((name) => ({ name, type: 'DOUBLE' as const })),
      { name: 'status', type: 'STRING' },
      { name: 'error', type: 'STRING' },
    ]);
  }

  push(record: RunRecord): void {
    const { meta, plan } = this;
    const at = plan.runAt(meta, record.runIndex);
    const cell = plan.cellAt(meta, at.cellIndex);
    this.out.push([
      BigInt(record.runIndex),
      meta.scenarios[at.scenarioIndex].label,
      BigInt(at.replicate),
      BigInt(at.seed),
      ...cell.values.map(gridValue),
      ...(record.stats ? record.stats.map(csvNumber) : meta.stat_keys.map(() => null)),
      record.status,
      record.error,
    ]);
  }

  commit(): string {
    return this.out.commit();
  }

  abort(): void {
    this.out.abort();
  }
}

/** What cells.parquet needs of a cells.csv row (reports/sweep-output.ts CellRow). */
interface CellValues {
  scenario: string;
  values: readonly GridValue[];
  metrics: readonly number[];
}

/** cells.parquet: cells.csv's columns and rows. Returns the file's sha256. */
export function writeCellsParquet(path: string, meta: PlanMeta, rows: readonly CellValues[]): string {
  const columns: Column[] = [
    { name: 'scenario', type: 'STRING' },
    ...meta.grid.map((a) => ({ name: a.path, type: gridType(a.values) })),
    ...cellMetrics(meta.stat_keys).map((m) => ({ name: m.name, type: 'DOUBLE' as const })),
  ];
  const out = new ParquetRows(path, columns);
  try {
    for (const row of rows) out.push([row.scenario, ...row.values.map(gridValue), ...row.metrics.map(csvNumber)]);
  } catch (e) {
    out.abort();
    throw e;
  }
  return out.commit();
}
