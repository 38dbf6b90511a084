// `cascade check`, the CI risk gate: runs a sweep with the sweep orchestration of sim/sweep/sweep.ts (or
// takes a finished results directory), evaluates the sweep's risk budgets and, given a baseline
// results directory, the paired regression tests, then writes check.json (and JUnit XML), prints the
// table and, under GitHub Actions, annotations and a step summary. Decides the exit code: 0 every
// check passed, 1 a check failed. No statistics here (reports/check-eval.ts), no simulation (the pool).
import { checkOutPath, ensureDir } from '../../reports/write-dir.js';
import { appendFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  evaluateBudgets,
  evaluateErrors,
  evaluateRegressions,
  type RegressionOptions,
} from '../../reports/check-eval.js';
import type { Budget } from '../../scenarios/sweep-schema.js';
import { feasibilityWarning, infeasibleBudgets } from '../../reports/budget-feasibility.js';
import { checkJson, checkTable, githubAnnotations, markdownSummary, summarize } from '../../reports/check-report.js';
import { readResults, type Results } from '../sweep/results.js';
import { cellsTable } from '../../reports/cells-table.js';
import { junitXml } from '../../reports/junit.js';
import { cellMetricNames, writeFileAtomic, type CellRow } from '../../reports/sweep-output.js';
import { loadSweep } from '../../scenarios/sweep-load.js';
import { writeHtmlReport } from '../../reports/html-report.js';
import { UserError } from '../core/errors.js';
import { ALL_STAT_KEYS, statisticsOfStatKeys } from '../engine.js';
import { acquireOutLock, type OutLock } from '../sweep/out-lock.js';
import { defaultOutDir, runSweep } from '../sweep/sweep.js';
import { outputFor, where, type Output } from './output.js';

export const CHECK_FILE = 'check.json';

export interface CheckOptions extends RegressionOptions {
  /** A sweep (built-in name or file) to run, or the output directory of a finished sweep. */
  target: string;
  /** Output directory of the baseline sweep (typically run on the main branch). Default: none. */
  baseline?: string;
  /**
   * Where the sweep's files and check.json go. Default for a sweep: out/sweep-<name>, as
   * `cascade sweep`; for a results directory: that directory.
   */
  out?: string;
  /** Write JUnit XML to this file. Default: none. */
  junit?: string;
  /** Worker threads of the sweep. Default os.availableParallelism(). */
  threads?: number;
  /** Progress line on stderr while the sweep runs. Default: when stderr is a terminal. */
  progress?: boolean;
  /** Also write <out>/report.html (with the verdicts) after the check. Default false. */
  report?: boolean;
  /** Environment read for GITHUB_ACTIONS and GITHUB_STEP_SUMMARY. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Print one JSON document (the check.json content, the verdict and the files) instead of the tables. */
  json?: boolean;
  /** Print nothing on stdout but GitHub annotations; no progress and no warnings. */
  quiet?: boolean;
  /** The table shows the failed checks only (and the summary line); the headline cells table is left out. */
  failuresOnly?: boolean;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/**
 * Warns on stderr, one line per budget, about the budgets no cell can pass with `replicates` runs
 * (a P(insolvent) budget judged on a Wilson bound that stays above its limit even at 0 events).
 * `cascade sweep` and `cascade check` call it before running, so the user can raise --replicates.
 */
export function warnInfeasibleBudgets(
  budgets: readonly Budget[],
  replicates: number,
  stderr: (text: string) => void,
): void {
  for (const f of infeasibleBudgets(budgets, replicates)) stderr(`cascade: warning: ${feasibilityWarning(f)}\n`);
}

/** A results directory's cells as the cells table reads them (metrics in cells.csv column order). */
function resultCellRows(results: Results): CellRow[] {
  const names = cellMetricNames(results.meta.stat_keys);
  return results.cells.map((c) => ({
    cellIndex: c.index,
    scenario: c.scenario,
    values: results.meta.grid.map((a) => c.params[a.path]),
    metrics: names.map((n) => c.metrics.get(n) ?? NaN),
  }));
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Runs the check; returns the exit code (0 pass, 1 a check failed, or the sweep's 1/130/143 when it did not finish). */
export async function runCheck(opts: CheckOptions): Promise<number> {
  const stdout = opts.stdout ?? ((t: string) => void process.stdout.write(t));
  const output = outputFor(opts, { stdout, stderr: opts.stderr });
  const env = opts.env ?? process.env;

  // --out, the JUnit path and the baseline first: a mistake there should not cost a whole sweep.
  checkOutPath(opts.out);
  if (opts.junit !== undefined) {
    const file = resolve(opts.junit);
    if (isDirectory(file)) throw new UserError('--junit', '', `${opts.junit} is a directory (expected a file name)`);
    ensureDir(dirname(file), '--junit');
  }
  if (opts.baseline !== undefined && opts.out !== undefined && resolve(opts.out) === resolve(opts.baseline))
    throw new UserError(
      '--out',
      '',
      `${opts.out} is the --baseline directory; the check would write into the baseline: use another --out`,
    );
  let baseline: Results | null = null;
  if (opts.baseline !== undefined) {
    if (!isDirectory(opts.baseline))
      throw new UserError(
        '--baseline',
        '',
        `${opts.baseline}: no such directory (expected the output directory of a sweep)`,
      );
    baseline = readResults(opts.baseline);
  }

  // The output directory is locked from here to the end: another sweep, merge or check into it is refused.
  let lock: OutLock | null = null;
  try {
    return await checkLocked(opts, baseline, output, stdout, env, (dir) => (lock = acquireOutLock(dir)));
  } finally {
    (lock as OutLock | null)?.release();
  }
}

async function checkLocked(
  opts: CheckOptions,
  baseline: Results | null,
  output: Output,
  stdout: (text: string) => void,
  env: NodeJS.ProcessEnv,
  lockDir: (dir: string) => void,
): Promise<number> {
  let results: Results;
  let outDir: string;
  let annotateFile: string | null = null;
  if (isDirectory(opts.target)) {
    outDir = resolve(opts.out ?? opts.target);
    lockDir(outDir);
    results = readResults(opts.target);
    warnInfeasibleBudgets(results.budgets, results.meta.replicates, output.warn);
    // The headline of the finished sweep, as `cascade sweep` printed it, above the checks.
    if (!opts.failuresOnly) output.text(cellsTable(results.meta, resultCellRows(results)) + '\n');
  } else {
    // Where the sweep will write, known before it starts so that it can never overwrite the baseline.
    const sweep = loadSweep(opts.target, cellMetricNames(ALL_STAT_KEYS));
    const out = resolve(opts.out ?? defaultOutDir(sweep.name, null));
    if (opts.baseline !== undefined && resolve(opts.baseline) === out)
      throw new UserError('--out', '', `${out} is the --baseline directory; the sweep would overwrite it`);
    lockDir(out);
    warnInfeasibleBudgets(sweep.budgets, sweep.replicates, output.warn);
    // A check.json of earlier results must not sit next to new ones while they are made.
    if (isDirectory(out)) rmSync(join(out, CHECK_FILE), { force: true });
    const outcome = await runSweep({
      ref: opts.target,
      out,
      threads: opts.threads,
      progress: output.progress && opts.progress !== false,
      stderr: output.warn,
    });
    if (outcome.status !== 'complete') return outcome.exitCode;
    if (outcome.cells && !opts.failuresOnly) output.text(cellsTable(outcome.meta, outcome.cells));
    output.text(
      `\n  ${outcome.executed} runs in ${outcome.wallTimeS.toFixed(1)} s, ${outcome.runsPerS.toFixed(1)} runs/s on ${outcome.threads} thread(s)\n\n`,
    );
    results = readResults(outcome.outDir);
    outDir = outcome.outDir;
    if (!sweep.source.startsWith('builtin:')) annotateFile = sweep.source;
  }

  if (baseline && baseline.cascadeVersion !== results.cascadeVersion)
    output.warn(
      `note: the baseline was computed by cascade ${baseline.cascadeVersion}, the current results by ${results.cascadeVersion}: differences may come from the model, not the parameters\n`,
    );

  const checks = [
    ...evaluateBudgets(results.cells, results.budgets, results.cellColumns),
    ...(baseline
      ? evaluateRegressions(
          { cells: results.cells, runs: results.runs, dir: results.dir },
          { cells: baseline.cells, runs: baseline.runs, dir: baseline.dir },
          opts,
        )
      : []),
    ...evaluateErrors(results.cells, results.runs),
  ];
  const summary = summarize(checks);
  const { meta } = results;
  const gridCells = meta.cells / meta.scenarios.length;
  const context = [
    `sweep ${meta.name}: ${meta.scenarios.length} scenario(s) x ${gridCells} cell(s) x ${meta.replicates} replicates`,
    `${results.budgets.length} budget(s)`,
    baseline
      ? `baseline ${where(resolve(baseline.dir))} (${baseline.meta.cells} cells x ${baseline.meta.replicates} replicates)`
      : 'no baseline',
  ].join(', ');

  ensureDir(outDir);
  const checkFile = join(outDir, CHECK_FILE);
  const json = checkJson(checks);
  writeFileAtomic(checkFile, (w) => w(json));
  const written = [where(checkFile)];
  if (opts.junit !== undefined) {
    const file = resolve(opts.junit);
    const xml = junitXml(checks, `cascade check ${meta.name}`);
    writeFileAtomic(file, (w) => w(xml));
    written.push(where(file));
  }

  if (opts.report)
    written.push(where(writeHtmlReport(outDir, undefined, { statistics: statisticsOfStatKeys(meta.stat_keys) })));
  output.text(checkTable(checks, `check ${context}`, { failuresOnly: opts.failuresOnly }));
  output.text(`  wrote ${written.join(', ')}\n`);
  output.doc({
    command: 'check',
    name: meta.name,
    out: where(outDir),
    files: written,
    passed: summary.passed,
    failed: summary.failed,
    info: summary.info,
    check: JSON.parse(json) as unknown,
  });
  if (checks.length === 0)
    output.warn('cascade check: warning: nothing was checked (the sweep has no budgets and no --baseline was given)\n');
  // Workflow commands for GitHub, not text for a person: kept under --quiet, left out with --json (one document).
  if (env.GITHUB_ACTIONS === 'true' && !output.json) stdout(githubAnnotations(checks, annotateFile));
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdownSummary(checks, context));
  return summary.failed > 0 ? 1 : 0;
}
