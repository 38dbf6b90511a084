// The `cascade sweep` and `cascade merge` command handlers: parse and check the flags, call the
// sweep or merge, print the cells table on stdout and say where the files are. Flag mistakes are
// UserErrors (exit code 2). No sweep logic here.
import { ALL_STAT_KEYS, statisticsOfStatKeys } from '../engine.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cellsTable } from '../../reports/cells-table.js';
import { writeHtmlReport } from '../../reports/html-report.js';
import { UserError } from '../core/errors.js';
import { cellMetricNames, OUTPUT_FORMATS, type CellRow, type OutputFormat } from '../../reports/sweep-output.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { mergeShards } from '../sweep/merge.js';
import { acquireOutLock } from '../sweep/out-lock.js';
import { defaultOutDir, runSweep } from '../sweep/sweep.js';
import { parseShard, shardLabel, type PlanMeta, type Shard } from '../sweep/sweep-plan.js';
import { warnInfeasibleBudgets } from './check.js';
import { intFlag } from './flags.js';
import { outputFor, where, type Output, type OutputFlags } from './output.js';

/** The cells of a sweep as --json prints them: one object per cells.csv row (NaN as null). */
export function cellsJson(meta: PlanMeta, rows: readonly CellRow[]): Record<string, unknown>[] {
  const names = cellMetricNames(meta.stat_keys);
  return rows.map((r) => ({
    cell: r.cellIndex,
    scenario: r.scenario,
    params: Object.fromEntries(meta.grid.map((a, i) => [a.path, r.values[i]])),
    metrics: Object.fromEntries(names.map((n, i) => [n, Number.isFinite(r.metrics[i]) ? r.metrics[i] : null])),
  }));
}

export interface SweepArgs extends OutputFlags {
  file?: string;
  threads?: string;
  out?: string;
  replicates?: string;
  seed?: string;
  shard?: string;
  resume?: boolean;
  progress?: boolean;
  failFast?: boolean;
  /** Also write <out>/report.html when the sweep completes. */
  report?: boolean;
  /** csv (default) or parquet: also runs.parquet and cells.parquet. */
  format?: string;
}

/** The --format flag: csv (the default) or parquet (the CSVs and their parquet copies). */
export function formatFlag(raw: unknown): OutputFormat {
  if (raw === undefined) return 'csv';
  const f = String(raw);
  if (!(OUTPUT_FORMATS as readonly string[]).includes(f))
    throw new UserError('--format', '', `expected one of ${OUTPUT_FORMATS.join(', ')}, got '${f}'`);
  return f as OutputFormat;
}

export async function sweepCommand(args: SweepArgs): Promise<number> {
  const shard = args.shard === undefined ? null : parseShard(String(args.shard));
  if (args.report && shard)
    throw new UserError('--report', '', 'a shard has no cells.csv to report on: report on the merged directory');
  const threads = intFlag('--threads', args.threads, 1, 4096);
  const format = formatFlag(args.format);
  const replicates = intFlag('--replicates', args.replicates, 1, 100_000_000);
  const seed = intFlag('--seed', args.seed, 0, 0xffffffff);
  // The output directory is locked for the whole sweep: another sweep, merge or check into it is refused.
  // The sweep file is read first, so that a mistake in it creates no directory.
  const sweep = loadSweep(String(args.file), cellMetricNames(ALL_STAT_KEYS), { replicates, seed });
  const out = args.out ?? defaultOutDir(sweep.name, shard);
  const lock = acquireOutLock(out);
  const output = outputFor(args);
  warnInfeasibleBudgets(sweep.budgets, sweep.replicates, output.warn);
  try {
    return await sweepLocked(args, output, shard, out, threads, replicates, seed, format);
  } finally {
    lock.release();
  }
}

async function sweepLocked(
  args: SweepArgs,
  output: Output,
  shard: Shard | null,
  out: string,
  threads: number | undefined,
  replicates: number | undefined,
  seed: number | undefined,
  format: OutputFormat,
): Promise<number> {
  const outcome = await runSweep({
    ref: String(args.file),
    out,
    threads,
    replicates,
    seed,
    shard,
    resume: Boolean(args.resume),
    progress: output.progress && args.progress !== false,
    stderr: output.warn,
    failFast: Boolean(args.failFast),
    format,
  });
  if (outcome.status !== 'complete') return outcome.exitCode;
  const dir = where(outcome.outDir);
  const timing = `${outcome.executed} runs in ${outcome.wallTimeS.toFixed(1)} s, ${outcome.runsPerS.toFixed(1)} runs/s on ${outcome.threads} thread(s)`;
  const files = ['runs.csv', ...(outcome.cells ? ['cells.csv'] : []), 'manifest.json'].map((f) => join(dir, f));
  if (format === 'parquet')
    files.push(join(dir, 'runs.parquet'), ...(outcome.cells ? [join(dir, 'cells.parquet')] : []));
  if (outcome.cells) {
    output.text(cellsTable(outcome.meta, outcome.cells));
    output.text(`\n  ${timing}\n  wrote ${dir}/runs.csv, ${dir}/cells.csv, ${dir}/manifest.json\n`);
    if (args.report) {
      writeHtmlReport(outcome.outDir, undefined, {
        statistics: statisticsOfStatKeys(outcome.meta.stat_keys),
      });
      files.push(join(dir, 'report.html'));
      output.text(`  wrote ${dir}/report.html\n`);
    }
  } else {
    output.text(
      `sweep ${outcome.meta.name} shard ${shardLabel(shard!)}: ${timing}\n  wrote ${dir}/runs.csv, ${dir}/manifest.json (join the shards with cascade merge)\n`,
    );
  }
  output.doc({
    command: 'sweep',
    name: outcome.meta.name,
    out: dir,
    files,
    shard: shard ? shardLabel(shard) : null,
    runs: outcome.runs,
    errors: outcome.errors,
    executed: outcome.executed,
    threads: outcome.threads,
    wall_time_s: outcome.wallTimeS,
    cells: outcome.cells ? cellsJson(outcome.meta, outcome.cells) : null,
  });
  return outcome.exitCode;
}

/** Where `cascade merge` will write: --out, or out/sweep-<name> of the first shard's manifest (null when unreadable: the merge reports that). */
function mergeOutDir(dirs: readonly string[], out: string | undefined): string | null {
  if (out !== undefined) return out;
  if (dirs.length === 0) return null;
  try {
    const manifest = JSON.parse(readFileSync(join(dirs[0], 'manifest.json'), 'utf8')) as { plan?: { name?: unknown } };
    const name = manifest.plan?.name;
    return typeof name === 'string' ? defaultOutDir(name, null) : null;
  } catch {
    return null;
  }
}

export function mergeCommand(args: OutputFlags & { dirs?: string[]; out?: string; format?: string }): number {
  const dirs = (args.dirs ?? []).map(String);
  const format = formatFlag(args.format);
  const out = mergeOutDir(dirs, args.out);
  const lock = out === null ? null : acquireOutLock(out);
  try {
    return mergeLocked(dirs, args.out, format, outputFor(args));
  } finally {
    lock?.release();
  }
}

function mergeLocked(dirs: string[], out: string | undefined, format: OutputFormat, output: Output): number {
  const outcome = mergeShards(dirs, out, format);
  const dir = where(outcome.outDir);
  output.text(cellsTable(outcome.meta, outcome.cells));
  output.text(`\n  merged ${outcome.runs} runs\n  wrote ${dir}/runs.csv, ${dir}/cells.csv, ${dir}/manifest.json\n`);
  if (outcome.errors > 0) output.warn(`${outcome.errors} of ${outcome.runs} runs failed (status=error in runs.csv)\n`);
  const files = [
    'runs.csv',
    'cells.csv',
    'manifest.json',
    ...(format === 'parquet' ? ['runs.parquet', 'cells.parquet'] : []),
  ];
  output.doc({
    command: 'merge',
    name: outcome.meta.name,
    out: dir,
    files: files.map((f) => join(dir, f)),
    runs: outcome.runs,
    errors: outcome.errors,
    cells: cellsJson(outcome.meta, outcome.cells),
  });
  return outcome.exitCode;
}
