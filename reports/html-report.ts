// `cascade report`: turns a results directory into one self-contained report.html (inline SVG,
// CSS and script; no network). A run directory (timeline.csv, summary.json) gets the run report, a
// sweep directory (runs.csv, cells.csv, manifest.json) the sweep report. Reads result files only.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../sim/core/errors.js';
import { writeTextAtomic } from './atomic-write.js';
import { checkOutPath } from './write-dir.js';
import { runReportHtml } from './html/report-run.js';
import { sweepReportHtml, type SweepReportOptions } from './html/report-sweep.js';

export type ResultsKind = 'run' | 'sweep';

/** Which results a directory holds, by its files; a UserError naming the directory otherwise. */
export function resultsKind(dir: string): ResultsKind {
  if (!existsSync(dir)) throw new UserError(dir, '', 'no such directory');
  if (!statSync(dir).isDirectory()) throw new UserError(dir, '', 'is not a directory (expected a results directory)');
  const has = (f: string) => existsSync(join(dir, f));
  if (has('timeline.csv') && has('summary.json')) return 'run';
  if (has('cells.csv') && has('runs.csv') && has('manifest.json')) return 'sweep';
  if (has('runs.csv') && has('manifest.json'))
    throw new UserError(dir, '', 'holds a sweep shard (no cells.csv): join the shards with cascade merge first');
  if (has('runs.journal.jsonl'))
    throw new UserError(dir, '', 'holds an unfinished sweep (a journal, no cells.csv): finish it with --resume first');
  throw new UserError(
    dir,
    '',
    'holds neither a run (timeline.csv, summary.json) nor a sweep (runs.csv, cells.csv, manifest.json)',
  );
}

/** The report's HTML for a results directory. */
export function htmlReport(resultsDir: string, options: SweepReportOptions = {}): string {
  if (resultsKind(resultsDir) === 'sweep') return sweepReportHtml(resultsDir, options);
  if (options.metric !== undefined)
    throw new UserError('--metric', '', `picks a sweep heatmap's cells.csv column; ${resultsDir} holds a run`);
  return runReportHtml(resultsDir, options.statistics);
}

/**
 * Writes the HTML report of `resultsDir` to `outFile` (default `<resultsDir>/report.html`; an
 * existing directory gets `report.html` inside) through a temporary file and a rename, and returns
 * the path written. `options` pick the sweep heatmaps' axes and carry the statistics' meanings.
 */
export function writeHtmlReport(resultsDir: string, outFile?: string, options: SweepReportOptions = {}): string {
  checkOutPath(outFile);
  const html = htmlReport(resultsDir, options);
  let target = outFile ?? join(resultsDir, 'report.html');
  if (existsSync(target) && statSync(target).isDirectory()) target = join(target, 'report.html');
  target = resolve(target);
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (e) {
    throw new UserError('--out', '', `cannot create ${dirname(target)}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  try {
    writeTextAtomic(target, html);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError('--out', '', `cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  return target;
}
