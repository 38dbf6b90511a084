// The `cascade` command line's definition (yargs): every command with its flags, its examples and
// its handler, and the two flags every command takes (--json, --quiet; sim/cli/output.ts). main.ts
// parses process.argv with it; `cascade reference` renders each command's --help from it into
// docs/reference/cli.md. Handlers live in the *-cli.ts files; no logic here.
import yargs, { type Argv } from 'yargs';
import { writeHtmlReport } from '../../reports/html-report.js';
import { ALL_STATISTICS } from '../engine.js';
import { checkCommand } from './check-cli.js';
import { compareCommand } from './compare-cli.js';
import { paramsCommand, scenariosCommand, validateCommand } from './info-cli.js';
import { outputFor, where } from './output.js';
import { referenceCommand } from './reference-cli.js';
import { runCommand } from './run-cli.js';
import { mergeCommand, sweepCommand } from './sweep-cli.js';

/** The width help is wrapped to, fixed so that the generated CLI reference does not depend on the terminal. */
export const HELP_WIDTH = 100;

const FORMAT_OPTION = {
  type: 'string',
  describe: 'csv (default), or parquet: also runs.parquet and cells.parquet (the CSVs are always written)',
} as const;

const THREADS_OPTION = { type: 'string', describe: 'worker threads (default: os.availableParallelism())' } as const;

const PROGRESS_OPTION = {
  type: 'boolean',
  describe:
    'progress on stderr: redrawn on a terminal, a line every 5 s otherwise (default on; --no-progress for none)',
} as const;

/** Every command, in the order of `cascade --help` (and of the CLI reference). */
export const COMMANDS = [
  'run',
  'sweep',
  'merge',
  'check',
  'compare',
  'report',
  'scenarios',
  'validate',
  'params',
  'reference',
] as const;

export interface ParserHooks {
  /** Runs a handler; turns its result or error into the exit code (main.ts). */
  guard<A>(handler: (args: A) => void | number | Promise<void | number>): (args: A) => Promise<void>;
  /** The help text of every command, for `cascade reference`. */
  helpTexts(): Promise<{ command: string; help: string }[]>;
  version: string;
}

/** The `cascade` parser over `argv`, not yet parsed. */
export function buildParser(argv: string[], hooks: ParserHooks): Argv {
  const { guard } = hooks;
  return yargs(argv)
    .scriptName('cascade')
    .usage('$0 <command> [options]\n\nAgent-based stress tests of a derivatives venue: run, sweep, gate.')
    .option('json', {
      type: 'boolean',
      global: true,
      describe: 'print one JSON document on stdout instead of text (errors stay one line each on stderr)',
    })
    .option('quiet', {
      type: 'boolean',
      global: true,
      describe: 'print nothing on stdout, no progress and no warnings; errors still go to stderr',
    })
    .command(
      'run <scenario>',
      'Run one seeded simulation of a scenario; print a summary and write timeline.csv and summary.json',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'built-in scenario name or path to a YAML/JSON file' })
          .option('seed', { type: 'string', default: '1', describe: 'run seed (integer)' })
          .option('set', { type: 'string', array: true, describe: 'override a parameter: path=value (repeatable)' })
          .option('out', { type: 'string', describe: 'output directory (default out/<scenario>-seed<seed>)' })
          .option('report', { type: 'boolean', default: false, describe: 'also write <out>/report.html' })
          .example('$0 run flash-crash', 'the built-in flash crash, seed 1, into out/flash-crash-seed1')
          .example('$0 run flash-crash --seed 7 --report', 'another seed, with an HTML report')
          .example('$0 run calm --set run.steps=500', 'override a parameter')
          .example('$0 run my-scenario.yaml --json', "summary.json's content on stdout, for scripts"),
      guard(runCommand),
    )
    .command(
      'sweep <file>',
      'Run a sweep (scenarios x parameter grid x seeded replicates) on a worker pool; write runs.csv, cells.csv and manifest.json',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'built-in sweep name or path to a YAML/JSON sweep file' })
          .option('threads', THREADS_OPTION)
          .option('out', { type: 'string', describe: 'output directory (default out/sweep-<name>)' })
          .option('replicates', { type: 'string', describe: "replicates per cell (replaces the file's)" })
          .option('seed', { type: 'string', describe: "base seed (replaces the file's)" })
          .option('shard', { type: 'string', describe: 'run only shard k of N (k/N); join shards with cascade merge' })
          .option('resume', { type: 'boolean', default: false, describe: 'continue the interrupted sweep in --out' })
          .option('progress', PROGRESS_OPTION)
          .option('fail-fast', { type: 'boolean', default: false, describe: 'stop at the first run that throws' })
          .option('report', { type: 'boolean', default: false, describe: 'also write <out>/report.html' })
          .option('format', FORMAT_OPTION)
          .example('$0 sweep default --report', 'the default sweep into out/sweep-default, with report.html')
          .example('$0 sweep my-sweep.yaml --replicates 200 --threads 8', 'more replicates on 8 threads')
          .example('$0 sweep my-sweep.yaml --shard 1/4 --out out/s1', 'shard 1 of 4 (join with cascade merge)')
          .example('$0 sweep my-sweep.yaml --out out/a --resume', 'continue an interrupted sweep'),
      guard(sweepCommand),
    )
    .command(
      'merge <dirs..>',
      'Join the output directories of sweep shards into the files one machine would have written',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'shard output directories' })
          .option('out', { type: 'string', describe: 'output directory (default out/sweep-<name>)' })
          .option('format', FORMAT_OPTION)
          .example('$0 merge out/s1 out/s2 out/s3 out/s4 --out out/all', 'join four shards'),
      guard(mergeCommand),
    )
    .command(
      'check <target>',
      'CI risk gate: run a sweep (or read a finished one) and check its risk budgets and, with --baseline, regressions; exit 1 when a check fails',
      (y) =>
        y
          .positional('target', {
            type: 'string',
            describe: 'built-in sweep name, sweep file, or a finished sweep output directory',
          })
          .option('baseline', {
            type: 'string',
            describe: 'output directory of the baseline sweep (e.g. from the main branch)',
          })
          .option('out', {
            type: 'string',
            describe: 'output directory (default out/sweep-<name>, or the results directory)',
          })
          .option('junit', { type: 'string', describe: 'also write JUnit XML to this file' })
          .option('threads', THREADS_OPTION)
          .option('alpha', { type: 'string', describe: 'significance level of the regression tests (default 0.05)' })
          .option('tolerance-p', { type: 'string', describe: 'allowed rise of P(insolvent) (default 0)' })
          .option('tolerance-usd', {
            type: 'string',
            describe: 'allowed rise of a bad-debt statistic, USD (default 0)',
          })
          .option('tolerance-rel', {
            type: 'string',
            describe: 'allowed rise of a bad-debt statistic, share of the baseline (default 0.05)',
          })
          .option('bootstrap', { type: 'string', describe: 'paired bootstrap resamples (default 1000)' })
          .option('allow-missing', {
            type: 'boolean',
            default: false,
            describe: 'report baseline cells or columns missing now as info, not failures',
          })
          .option('failures-only', {
            type: 'boolean',
            default: false,
            describe: 'show only the failed checks (and the summary line); check.json still holds them all',
          })
          .option('progress', PROGRESS_OPTION)
          .option('report', {
            type: 'boolean',
            default: false,
            describe: 'also write <out>/report.html with the verdicts',
          })
          .example('$0 check my-sweep.yaml --junit out/junit.xml', "run the sweep and gate on the file's budgets")
          .example('$0 check my-sweep.yaml --baseline out/main', 'also test for regressions against a baseline')
          .example('$0 check out/sweep-default --failures-only', 'gate a finished sweep, print only what failed'),
      guard(checkCommand),
    )
    .command(
      'compare <a> <b>',
      'Show two sweep results directories side by side: headline statistics of each cell, the difference and a paired test (for a person; always exit 0)',
      (y) =>
        y
          .positional('a', { type: 'string', describe: 'results directory A (e.g. the baseline)' })
          .positional('b', { type: 'string', describe: 'results directory B, compared with A (B - A)' })
          .option('alpha', { type: 'string', describe: 'significance level of the verdicts (default 0.05)' })
          .example('$0 compare out/main out/branch', 'what a change did to every cell'),
      guard(compareCommand),
    )
    .command(
      'report <dir>',
      'Write a self-contained HTML report (report.html) of a run or sweep results directory',
      (y) =>
        y
          .positional('dir', { type: 'string', describe: 'a cascade run --out or cascade sweep --out directory' })
          .option('out', { type: 'string', describe: 'output file (default <dir>/report.html)' })
          .option('x', { type: 'string', describe: 'sweep heatmaps: grid path across (default the first)' })
          .option('y', { type: 'string', describe: 'sweep heatmaps: grid path up (default the second)' })
          .option('metric', {
            type: 'string',
            describe:
              'sweep heatmaps: the cells.csv column to draw (default the headline: p_insolvent, uncovered bad debt, VaR95, LaR95)',
          })
          .example('$0 report out/sweep-default', 'write out/sweep-default/report.html')
          .example('$0 report out/sweep-default --metric liquidations_mean', 'heatmaps of another column'),
      guard((args) => {
        const out = outputFor(args);
        const file = writeHtmlReport(String(args.dir), args.out, {
          x: args.x,
          y: args.y,
          metric: args.metric,
          statistics: ALL_STATISTICS,
        });
        out.text(`wrote ${where(file)}\n`);
        out.doc({ command: 'report', files: [where(file)] });
      }),
    )
    .command(
      'scenarios',
      'List the built-in scenarios and sweeps',
      (y) => y.example('$0 scenarios --json', 'the list as JSON'),
      guard(scenariosCommand),
    )
    .command(
      'validate <file>',
      'Check a scenario or sweep file (or a built-in name) completely, without running it',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'a scenario or sweep file, or a built-in name' })
          .example('$0 validate my-scenario.yaml', 'schema, parameters, replay series')
          .example('$0 validate my-sweep.yaml', 'the sweep, its scenarios and every cell of its grid'),
      guard(validateCommand),
    )
    .command(
      'params',
      'List every parameter path with its default value',
      (y) =>
        y
          .example('$0 params | grep insurance', 'find a parameter')
          .example('$0 params --json', 'every parameter with its default, description and accepted values'),
      guard(paramsCommand),
    )
    .command(
      'reference',
      'Write the reference pages (parameters, outputs, CLI) generated from the config schema, the registries and this help into docs/reference',
      (y) =>
        y
          .option('out', { type: 'string', describe: 'output directory (default docs/reference)' })
          .example('$0 reference', 'regenerate docs/reference/*.md'),
      guard((args) => referenceCommand(args, hooks.helpTexts)),
    )
    .example('$0 run flash-crash', 'one seeded run of a built-in scenario')
    .example('$0 sweep default --report', 'a sweep with its HTML report')
    .example('$0 check default --junit out/junit.xml', "the CI gate on the sweep file's risk budgets")
    .example('$0 scenarios', 'what is built in')
    .example('$0 <command> --help', "a command's flags and examples")
    .demandCommand(1, `name a command: ${COMMANDS.join(', ')}`)
    .strict()
    .version(hooks.version)
    .help()
    .wrap(HELP_WIDTH);
}
