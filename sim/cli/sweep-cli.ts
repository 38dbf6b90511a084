// The `cascade sweep` and `cascade merge` command handlers: parse and check the flags, call the
// sweep or merge, print the cells table on stdout and say where the files are. Flag mistakes are
// UserErrors (exit code 2). No sweep logic here.
import { RUN_STATISTICS, RUN_STAT_KEYS } from '../engine.js';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cellsTable } from '../../reports/cells-table.js';
import { writeHtmlReport } from '../../reports/html-report.js';
import { UserError } from '../core/errors.js';
import { cellMetricNames, OUTPUT_FORMATS, type OutputFormat } from '../../reports/sweep-output.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { mergeShards } from '../sweep/merge.js';
import { acquireOutLock } from '../sweep/out-lock.js';
import { defaultOutDir, runSweep } from '../sweep/sweep.js';
import { parseShard, shardLabel, type Shard } from '../sweep/sweep-plan.js';
import { warnInfeasibleBudgets } from './check.js';
import { intFlag } from './flags.js';

function where(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') ? rel : dir;
}

export interface SweepArgs {
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
  const sweep = loadSweep(String(args.file), cellMetricNames(RUN_STAT_KEYS), { replicates, seed });
  const out = args.out ?? defaultOutDir(sweep.name, shard);
  const lock = acquireOutLock(out);
  warnInfeasibleBudgets(sweep.budgets, sweep.replicates, (t) => void process.stderr.write(t));
  try {
    return await sweepLocked(args, shard, out, threads, replicates, seed, format);
  } finally {
    lock.release();
  }
}

async function sweepLocked(
  args: SweepArgs,
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
    progress: args.progress,
    failFast: Boolean(args.failFast),
    format,
  });
  if (outcome.status !== 'complete') return outcome.exitCode;
  const dir = where(outcome.outDir);
  const timing = `${outcome.executed} runs in ${outcome.wallTimeS.toFixed(1)} s, ${outcome.runsPerS.toFixed(1)} runs/s on ${outcome.threads} thread(s)`;
  if (outcome.cells) {
    process.stdout.write(cellsTable(outcome.meta, outcome.cells));
    process.stdout.write(`\n  ${timing}\n  wrote ${dir}/runs.csv, ${dir}/cells.csv, ${dir}/manifest.json\n`);
    if (args.report) {
      writeHtmlReport(outcome.outDir, undefined, { statistics: RUN_STATISTICS });
      process.stdout.write(`  wrote ${dir}/report.html\n`);
    }
  } else {
    process.stdout.write(
      `sweep ${outcome.meta.name} shard ${shardLabel(shard!)}: ${timing}\n  wrote ${dir}/runs.csv, ${dir}/manifest.json (join the shards with cascade merge)\n`,
    );
  }
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

export function mergeCommand(args: { dirs?: string[]; out?: string; format?: string }): number {
  const dirs = (args.dirs ?? []).map(String);
  const format = formatFlag(args.format);
  const out = mergeOutDir(dirs, args.out);
  const lock = out === null ? null : acquireOutLock(out);
  try {
    return mergeLocked(dirs, args.out, format);
  } finally {
    lock?.release();
  }
}

function mergeLocked(dirs: string[], out: string | undefined, format: OutputFormat): number {
  const outcome = mergeShards(dirs, out, format);
  const dir = where(outcome.outDir);
  process.stdout.write(cellsTable(outcome.meta, outcome.cells));
  process.stdout.write(
    `\n  merged ${outcome.runs} runs\n  wrote ${dir}/runs.csv, ${dir}/cells.csv, ${dir}/manifest.json\n`,
  );
  if (outcome.errors > 0)
    process.stderr.write(`${outcome.errors} of ${outcome.runs} runs failed (status=error in runs.csv)\n`);
  return outcome.exitCode;
}
