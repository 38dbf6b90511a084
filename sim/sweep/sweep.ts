// Runs a sweep: loads and plans it (every user mistake is reported before any run starts), feeds the
// runs of the sweep or of one shard to the worker pool, journals each run as it finishes (so a killed
// sweep can resume without running anything twice), shows progress, stops on Ctrl-C or the first
// error when asked, then writes runs.csv, cells.csv and manifest.json in run order. Prints nothing
// on stdout (the CLI does) and computes no statistics itself (reports/ does).
import { checkRegularFile } from '../../reports/atomic-write.js';
import { checkOutPath, ensureDir } from '../../reports/write-dir.js';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import {
  writeJsonAtomic,
  writeSweepFiles,
  cellMetricNames,
  type CellRow,
  type OutputFormat,
} from '../../reports/sweep-output.js';
import { packageRoot } from '../../scenarios/load.js';
import { loadSweep, type LoadedSweep } from '../../scenarios/sweep-load.js';
import { UserError } from '../core/errors.js';
import { ALL_STAT_KEYS, sweepStatKeys } from '../engine.js';
import { runPool, type PlainError } from './pool.js';
import { Progress } from './progress.js';
import { Journal, type RunRecord } from './sweep-journal.js';
import {
  buildPlan,
  PLAN_LOCATOR,
  cellAt,
  gridCellCount,
  runAt,
  shardLabel,
  shardRunIndex,
  shardSize,
  type PlanMeta,
  type Shard,
  type SweepPlan,
} from './sweep-plan.js';
import type { SweepTask, SweepTaskResult, SweepWorkerData } from './sweep-worker.js';

export const JOURNAL_FILE = 'runs.journal.jsonl';
export const MANIFEST_FORMAT = 'cascade-sweep-manifest/1';

/** The files a sweep (and a check or --report on it) writes next to its journal. */
const SWEEP_FILES = [
  'runs.csv',
  'cells.csv',
  'runs.parquet',
  'cells.parquet',
  'manifest.json',
  'check.json',
  'report.html',
];

export interface SweepOptions {
  /** Built-in sweep name or path to a sweep file. */
  ref: string;
  /** Output directory. Default `out/sweep-<name>` (`-shard-<k>-of-<N>` for a shard). */
  out?: string;
  /** Worker threads. Default os.availableParallelism(). */
  threads?: number;
  /** Replaces the file's replicate count. */
  replicates?: number;
  /** Replaces the file's base seed. */
  seed?: number;
  /** Run only this slice of the runs. Default: all. */
  shard?: Shard | null;
  /** Continue the interrupted sweep in the output directory. Default false. */
  resume?: boolean;
  /** Show progress on stderr (in place on a terminal, a line every 5 s otherwise). Default true. */
  progress?: boolean;
  /** Stop at the first run that throws. Default false. */
  failFast?: boolean;
  /** Also write runs.parquet and cells.parquet ('parquet'). Default 'csv': the CSVs only. */
  format?: OutputFormat;
  /** Where messages and progress go. Default process.stderr. */
  stderr?: (text: string) => void;
  /** Stop gracefully on SIGINT/SIGTERM (journal kept). Default true. */
  handleSignals?: boolean;
}

export interface SweepOutcome {
  /** 0 all runs ok; 1 a run errored (or --fail-fast stopped); 130/143 interrupted by SIGINT/SIGTERM. */
  exitCode: number;
  status: 'complete' | 'already-complete' | 'interrupted' | 'stopped';
  outDir: string;
  meta: PlanMeta;
  shard: Shard | null;
  /** Rows of cells.csv; null for a shard or an unfinished sweep. */
  cells: CellRow[] | null;
  /** Runs in this sweep or shard, and how many errored (of those done). */
  runs: number;
  errors: number;
  /** Runs executed by this process (not taken from the journal). */
  executed: number;
  threads: number;
  wallTimeS: number;
  runsPerS: number;
  peakRssMb: number;
}

export function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

export function defaultOutDir(name: string, shard: Shard | null): string {
  return join('out', shard ? `sweep-${name}-shard-${shard.index}-of-${shard.count}` : `sweep-${name}`);
}

/** The compiled worker: Node 20 worker threads cannot load TypeScript, so even tests use dist/. */
export function workerFile(): string {
  const file = join(packageRoot(), 'dist', 'sim', 'sweep', 'sweep-worker.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run 'npm run build' first`);
  return file;
}

/** The error column of runs.csv: one line, no stack (the bytes must not depend on the thread). */
function errorText(e: PlainError): string {
  const text = e.name === 'InvariantError' || e.name === 'Error' ? e.message : `${e.name}: ${e.message}`;
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The command that replays a run of the sweep on its own. */
function replayCommand(sweep: LoadedSweep, meta: PlanMeta, runIndex: number): string {
  const at = runAt(meta, runIndex);
  const s = sweep.scenarios[at.scenarioIndex];
  const ref = s.scenario.source.startsWith('builtin:') ? s.scenario.name : s.scenario.source;
  const values = cellAt(meta, at.cellIndex).values;
  const sets = [...s.sets, ...meta.grid.map((a, k) => `${a.path}=${String(values[k])}`)];
  return `cascade run ${ref} --seed ${at.seed}${sets.map((x) => ` --set ${x}`).join('')}`;
}

/**
 * Removes an earlier sweep's files from `outDir` before new results are written there: its runs,
 * cells and manifest, and the verdict (check.json) and report.html drawn from them. Only in a
 * directory that is a sweep's (its manifest or journal says so): files cascade did not write are
 * never deleted or replaced, and the write is refused in one line instead.
 */
export function removeEarlierSweepFiles(outDir: string): void {
  const stale = SWEEP_FILES.filter((f) => existsSync(join(outDir, f)));
  if (stale.length === 0) return;
  const ours = existsSync(join(outDir, JOURNAL_FILE)) || readManifest(outDir)?.format === MANIFEST_FORMAT;
  if (!ours)
    throw new UserError(
      '--out',
      '',
      `${outDir} holds ${stale.join(', ')} but no cascade sweep manifest or journal; refusing to replace them: use another --out`,
    );
  for (const f of stale) rmSync(join(outDir, f), { force: true });
}

function readManifest(dir: string): Record<string, unknown> | null {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function manifest(
  sweep: LoadedSweep,
  plan: SweepPlan,
  opts: SweepOptions,
  shard: Shard | null,
  written: { runs: number; errors: number; sha256: Record<string, string> },
  timing: { threads: number; wallTimeS: number; executed: number; resumed: number; peakRssMb: number },
): Record<string, unknown> {
  const { meta } = plan;
  const perScenario = gridCellCount(meta.grid);
  const listSeeds = meta.replicates <= 10_000;
  return {
    format: MANIFEST_FORMAT,
    complete: true,
    cascade_version: meta.cascade_version,
    sweep_hash: meta.sweep_hash,
    sweep: { name: sweep.name, description: sweep.description, source: sweep.source, file: sweep.content },
    command_line_overrides: { replicates: opts.replicates ?? null, seed: opts.seed ?? null },
    shard: shard ? { index: shard.index, count: shard.count } : null,
    files: Object.keys(written.sha256),
    sha256: written.sha256,
    runs: written.runs,
    errors: written.errors,
    threads: timing.threads,
    wall_time_s: Number(timing.wallTimeS.toFixed(3)),
    runs_executed: timing.executed,
    runs_resumed: timing.resumed,
    runs_per_s: timing.wallTimeS > 0 ? Number((timing.executed / timing.wallTimeS).toFixed(2)) : 0,
    peak_rss_mb: timing.peakRssMb,
    node_version: process.version,
    plan: meta,
    run_order: 'run_id = index: scenarios in file order, then grid cells (first grid path slowest), then replicates',
    seeds: {
      base: meta.seed,
      derivation:
        "FNV-1a 32-bit hash of '<base>|<scenario name>|<replicate>' (sim/core/rng.ts deriveRunSeed); the same in every cell",
      by_scenario: listSeeds
        ? Object.fromEntries(
            meta.scenarios.map((s, k) => [
              s.label,
              Array.from(
                { length: meta.replicates },
                (_, r) => runAt(meta, k * perScenario * meta.replicates + r).seed,
              ),
            ]),
          )
        : null,
    },
    scenarios: sweep.scenarios.map((s, k) => ({
      label: s.label,
      name: s.scenario.name,
      source: s.scenario.source,
      sets: s.sets,
      // The first cell's config; the other cells differ only at the grid paths.
      config: plan.cells[k * perScenario].config,
    })),
    budgets: sweep.budgets,
  };
}

/** Runs a sweep (or a shard of one) to completion, interruption or the first error with failFast. */
export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const started = performance.now();
  const stderr = opts.stderr ?? ((t: string) => void process.stderr.write(t));
  const shard = opts.shard ?? null;
  const threadsWanted = opts.threads ?? availableParallelism();
  if (!Number.isInteger(threadsWanted) || threadsWanted < 1)
    throw new UserError('--threads', '', `expected a positive integer, got '${threadsWanted}'`);

  const sweep = loadSweep(opts.ref, cellMetricNames(ALL_STAT_KEYS), { replicates: opts.replicates, seed: opts.seed });
  const plan = buildPlan(sweep, packageVersion(), sweepStatKeys(sweep));
  const { meta } = plan;
  const size = shardSize(meta.total_runs, shard);
  checkOutPath(opts.out);
  const outDir = resolve(opts.out ?? defaultOutDir(meta.name, shard));
  checkOutPath(outDir);
  if (existsSync(outDir) && !statSync(outDir).isDirectory())
    throw new UserError('--out', '', `${outDir} exists and is not a directory`);
  ensureDir(outDir);

  const journalPath = join(outDir, JOURNAL_FILE);
  const header = { sweep_hash: meta.sweep_hash, shard: shard ? shardLabel(shard) : null, runs: size };
  const slotOf = (runIndex: number): number => {
    const j = shard ? (runIndex - (shard.index - 1)) / shard.count : runIndex;
    return Number.isInteger(j) && j >= 0 && j < size ? j : -1;
  };
  const base = {
    outDir,
    meta,
    shard,
    runs: size,
    executed: 0,
    wallTimeS: 0,
    runsPerS: 0,
    peakRssMb: 0,
  };

  // A link planted at the journal's name would have the sweep append through it: refused first.
  checkRegularFile(journalPath);
  let journal: Journal;
  if (opts.resume && existsSync(journalPath)) {
    journal = Journal.resume(journalPath, header, slotOf);
  } else {
    const done = opts.resume ? readManifest(outDir) : null;
    if (
      done &&
      done.sweep_hash === meta.sweep_hash &&
      JSON.stringify(done.shard) === JSON.stringify(shard ? { index: shard.index, count: shard.count } : null)
    ) {
      stderr(`${outDir} already holds this sweep, complete: nothing to resume\n`);
      const errors = Number(done.errors) || 0;
      return { ...base, exitCode: errors > 0 ? 1 : 0, status: 'already-complete', cells: null, errors, threads: 0 };
    }
    if (done)
      throw new UserError(
        '--resume',
        '',
        `${outDir} holds a different sweep; use another --out, or drop --resume to start over`,
      );
    if (opts.resume) stderr(`${outDir}: no interrupted sweep to resume; starting from the first run\n`);
    else if (existsSync(journalPath))
      stderr(`${outDir} held an interrupted sweep; starting over (--resume would have continued it)\n`);
    // A previous sweep's files must not sit next to a new, unfinished one and look like its results.
    removeEarlierSweepFiles(outDir);
    journal = Journal.create(journalPath, header);
  }

  const resumed = journal.done;
  let errors = journal.errors;
  let executed = 0;
  let firstError: { runIndex: number; message: string } | null = null;
  const remaining = size - resumed;
  const threads = Math.max(1, Math.min(threadsWanted, remaining));
  const progress = new Progress({
    label: `sweep ${meta.name}${shard ? ` shard ${shardLabel(shard)}` : ''}`,
    total: size,
    done: resumed,
    // On by default: redrawn in place on a terminal, a line every 5 s in a log (CI sees the sweep is alive).
    enabled: opts.progress ?? true,
    inPlace: Boolean(process.stderr.isTTY),
    write: stderr,
  });

  function* tasks(): Generator<SweepTask> {
    for (let j = 0; j < size; j++) {
      if (journal.has(j)) continue;
      const at = runAt(meta, shardRunIndex(shard, j));
      yield { runIndex: at.runIndex, cellIndex: at.cellIndex, seed: at.seed };
    }
  }

  const controller = new AbortController();
  let signal: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals): void => {
    signal = s;
    controller.abort();
  };
  const handleSignals = opts.handleSignals ?? true;
  if (handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  let end: Awaited<ReturnType<typeof runPool>> = 'done';
  try {
    if (remaining > 0) {
      const workerData: SweepWorkerData = {
        scenarios: plan.scenarios,
        cells: plan.cells,
        statKeys: meta.stat_keys,
      };
      end = await runPool<SweepTask, SweepTaskResult>({
        workerFile: workerFile(),
        threads,
        workerData,
        tasks: tasks(),
        signal: controller.signal,
        onSettled(task, outcome) {
          const record: RunRecord = outcome.ok
            ? { runIndex: task.runIndex, status: 'ok', error: '', stats: outcome.value }
            : { runIndex: task.runIndex, status: 'error', error: errorText(outcome.error), stats: null };
          journal.append(slotOf(task.runIndex), record);
          executed++;
          if (record.status === 'error') {
            errors++;
            firstError ??= { runIndex: task.runIndex, message: record.error };
            if (opts.failFast) return 'stop';
          }
          progress.update(journal.done, errors);
        },
      });
    }
  } catch (e) {
    journal.close();
    throw e;
  } finally {
    if (handleSignals) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
  progress.finish(journal.done, errors);

  const wallTimeS = (performance.now() - started) / 1000;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const timing = { executed, threads, wallTimeS, runsPerS: wallTimeS > 0 ? executed / wallTimeS : 0, peakRssMb };
  const again = [
    `cascade sweep ${opts.ref} --out ${outDir} --resume`,
    shard ? ` --shard ${shardLabel(shard)}` : '',
    opts.replicates !== undefined ? ` --replicates ${opts.replicates}` : '',
    opts.seed !== undefined ? ` --seed ${opts.seed}` : '',
  ].join('');
  const describeError = (f: { runIndex: number; message: string }): string => {
    const at = runAt(meta, f.runIndex);
    return `run ${f.runIndex} (${meta.scenarios[at.scenarioIndex].label}, replicate ${at.replicate}, seed ${at.seed}): ${f.message}\n  replay: ${replayCommand(sweep, meta, f.runIndex)}`;
  };

  if (end === 'aborted' || end === 'stopped') {
    journal.close();
    const kept = `${journal.done} of ${size} runs are kept in ${journalPath}; continue with: ${again}`;
    if (end === 'aborted') {
      stderr(`interrupted (${signal ?? 'aborted'}): ${kept}\n`);
      return {
        ...base,
        ...timing,
        exitCode: signal === 'SIGTERM' ? 143 : 130,
        status: 'interrupted',
        cells: null,
        errors,
      };
    }
    stderr(`stopped at the first error (--fail-fast): ${describeError(firstError!)}\n${kept}\n`);
    return { ...base, ...timing, exitCode: 1, status: 'stopped', cells: null, errors };
  }

  let firstInFiles: { runIndex: number; message: string } | null = null;
  function* records(): Generator<RunRecord> {
    for (let j = 0; j < size; j++) {
      const r = journal.read(j);
      if (r.status === 'error' && !firstInFiles) firstInFiles = { runIndex: r.runIndex, message: r.error };
      yield r;
    }
  }
  const written = writeSweepFiles(outDir, meta, records(), shard === null, PLAN_LOCATOR, opts.format ?? 'csv');
  writeJsonAtomic(
    join(outDir, 'manifest.json'),
    manifest(sweep, plan, opts, shard, written, { threads, wallTimeS, executed, resumed, peakRssMb }),
  );
  journal.remove();
  if (written.errors > 0) {
    const first = firstInFiles as { runIndex: number; message: string } | null;
    stderr(
      `${written.errors} of ${size} runs failed (status=error in runs.csv)${first ? `; first: ${describeError(first)}` : ''}\n`,
    );
  }
  return {
    ...base,
    ...timing,
    exitCode: written.errors > 0 ? 1 : 0,
    status: 'complete',
    cells: written.cells,
    errors: written.errors,
  };
}
