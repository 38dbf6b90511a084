#!/usr/bin/env node
// The `cascade` command line (yargs): run, sweep, merge, check, report, scenarios, validate, params. Maps user mistakes to one
// line on stderr and exit code 2, invariant violations and bugs to exit code 1.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { writeHtmlReport } from '../../reports/html-report.js';
import { summaryJson, summaryText, timelineCsv } from '../../reports/run-output.js';
import { writeOutputDir } from '../../reports/write-dir.js';
import { listBuiltins, loadScenario, packageRoot, readScenarioFile, resolveConfig } from '../../scenarios/load.js';
import { compileForConfig } from '../../scenarios/shocks.js';
import { parameterPaths } from '../config/index.js';
import { RUN_STATISTICS, runSimulation } from '../engine.js';
import { checkCommand } from './check-cli.js';
import { compareCommand } from './compare-cli.js';
import { referenceCommand } from './reference-cli.js';
import { InvariantError, UserError } from '../core/errors.js';
import { mergeCommand, sweepCommand } from './sweep-cli.js';
import { intFlag, joinDashValues } from './flags.js';

function version(): string {
  try {
    return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  } catch {
    return 'unknown';
  }
}

function asList(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

let exitCode = 0;

const FORMAT_OPTION = {
  type: 'string',
  describe: 'csv (default), or parquet: also runs.parquet and cells.parquet (the CSVs are always written)',
} as const;

/**
 * Wraps a command handler so that its errors become an exit code and one line on stderr: yargs
 * would otherwise let a throw from a handler escape as an uncaught exception with a stack trace.
 */
export function guard<A>(handler: (args: A) => void | number | Promise<void | number>): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      const code = await handler(args);
      if (typeof code === 'number') exitCode = code;
    } catch (e) {
      exitCode = report(e);
    }
  };
}

async function main(argv: string[]): Promise<number> {
  await yargs(argv)
    .scriptName('cascade')
    .usage('$0 <command> [options]')
    .command(
      'run <scenario>',
      'Run one seeded simulation of a scenario; print a summary and write timeline.csv and summary.json',
      (y) =>
        y
          .positional('scenario', { type: 'string', describe: 'built-in scenario name or path to a YAML/JSON file' })
          .option('seed', { type: 'string', default: '1', describe: 'run seed (integer)' })
          .option('set', { type: 'string', array: true, describe: 'override a parameter: path=value (repeatable)' })
          .option('out', { type: 'string', describe: 'output directory (default out/<scenario>-seed<seed>)' })
          .option('quiet', { type: 'boolean', default: false, describe: 'do not print the summary' })
          .option('report', { type: 'boolean', default: false, describe: 'also write <out>/report.html' }),
      guard((args) => {
        const seed = intFlag('--seed', args.seed, 0, 0xffffffff)!;
        const { scenario, params } = loadScenario(String(args.scenario));
        const config = resolveConfig(scenario.source, params, asList(args.set));
        let result;
        try {
          result = runSimulation({ scenario, config, seed });
        } catch (e) {
          if (!(e instanceof InvariantError)) throw e;
          // The replay command names this run exactly: scenario, seed and every --set given.
          const sets = asList(args.set).map((a) => ` --set ${a}`);
          process.stderr.write(
            `cascade: ${e.message}\n  replay: cascade run ${String(args.scenario)} --seed ${e.seed}${sets.join('')}\n`,
          );
          return 1;
        }
        const out = args.out ?? join('out', `${scenario.name}-seed${seed}`);
        writeOutputDir(out, {
          'timeline.csv': timelineCsv(result),
          'summary.json': summaryJson(result, config, scenario.source, version()),
        });
        if (!args.quiet)
          process.stdout.write(summaryText(result) + `\n  wrote ${out}/timeline.csv, ${out}/summary.json\n`);
        if (args.report) {
          writeHtmlReport(out, undefined, { statistics: RUN_STATISTICS });
          if (!args.quiet) process.stdout.write(`  wrote ${join(out, 'report.html')}\n`);
        }
      }),
    )
    .command(
      'sweep <file>',
      'Run a sweep (scenarios x parameter grid x seeded replicates) on a worker pool; write runs.csv, cells.csv and manifest.json',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'built-in sweep name or path to a YAML/JSON sweep file' })
          .option('threads', { type: 'string', describe: 'worker threads (default: os.availableParallelism())' })
          .option('out', { type: 'string', describe: 'output directory (default out/sweep-<name>)' })
          .option('replicates', { type: 'string', describe: "replicates per cell (replaces the file's)" })
          .option('seed', { type: 'string', describe: "base seed (replaces the file's)" })
          .option('shard', { type: 'string', describe: 'run only shard k of N (k/N); join shards with cascade merge' })
          .option('resume', { type: 'boolean', default: false, describe: 'continue the interrupted sweep in --out' })
          .option('progress', {
            type: 'boolean',
            describe:
              'progress on stderr: redrawn on a terminal, a line every 5 s otherwise (default on; --no-progress for none)',
          })
          .option('fail-fast', { type: 'boolean', default: false, describe: 'stop at the first run that throws' })
          .option('report', { type: 'boolean', default: false, describe: 'also write <out>/report.html' })
          .option('format', FORMAT_OPTION),
      guard((args) => sweepCommand(args)),
    )
    .command(
      'merge <dirs..>',
      'Join the output directories of sweep shards into the files one machine would have written',
      (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'shard output directories' })
          .option('out', { type: 'string', describe: 'output directory (default out/sweep-<name>)' })
          .option('format', FORMAT_OPTION),
      guard((args) => mergeCommand(args)),
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
          .option('threads', { type: 'string', describe: 'worker threads (default: os.availableParallelism())' })
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
          .option('progress', {
            type: 'boolean',
            describe:
              'progress on stderr: redrawn on a terminal, a line every 5 s otherwise (default on; --no-progress for none)',
          })
          .option('report', {
            type: 'boolean',
            default: false,
            describe: 'also write <out>/report.html with the verdicts',
          }),
      guard((args) => checkCommand(args)),
    )
    .command(
      'compare <a> <b>',
      'Show two sweep results directories side by side: headline statistics of each cell, the difference and a paired test (for a person; always exit 0)',
      (y) =>
        y
          .positional('a', { type: 'string', describe: 'results directory A (e.g. the baseline)' })
          .positional('b', { type: 'string', describe: 'results directory B, compared with A (B - A)' })
          .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' })
          .option('alpha', { type: 'string', describe: 'significance level of the verdicts (default 0.05)' }),
      guard((args) => compareCommand(args)),
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
          }),
      guard((args) => {
        const file = writeHtmlReport(String(args.dir), args.out, {
          x: args.x,
          y: args.y,
          metric: args.metric,
          statistics: RUN_STATISTICS,
        });
        const rel = relative(process.cwd(), file);
        process.stdout.write(`wrote ${rel && !rel.startsWith('..') ? rel : file}\n`);
      }),
    )
    .command(
      'scenarios',
      'List the built-in scenarios',
      {},
      guard(() => {
        for (const s of listBuiltins()) process.stdout.write(`${s.name.padEnd(18)} ${s.description}\n`);
      }),
    )
    .command(
      'validate <file>',
      'Check a scenario file (schema, parameters, replay series) without running it',
      (y) => y.positional('file', { type: 'string' }),
      guard((args) => {
        const file = String(args.file);
        readScenarioFile(file);
        const { scenario, params } = loadScenario(file);
        const config = resolveConfig(scenario.source, params);
        compileForConfig(scenario.shocks, new Map(scenario.series), config, scenario.source);
        process.stdout.write(
          `${file}: ok (${scenario.name}: ${scenario.shocks.length} shocks, ${config.run.steps} steps)\n`,
        );
      }),
    )
    .command(
      'params',
      'List every parameter path with its default value',
      {},
      guard(() => {
        for (const [path, value] of parameterPaths()) process.stdout.write(`${path} = ${JSON.stringify(value)}\n`);
      }),
    )
    .command(
      'reference',
      'Write the reference pages (parameters.md) generated from the config schema into docs/reference',
      (y) => y.option('out', { type: 'string', describe: 'output directory (default docs/reference)' }),
      guard((args) => referenceCommand(args)),
    )
    .demandCommand(1, 'name a command: run, sweep, merge, check, report, scenarios, validate or params')
    .strict()
    .version(version())
    .help()
    .fail((msg, err) => {
      // Argument validation failed before any handler ran: nothing is written, so stop right here
      // (returning would let yargs go on into the command).
      process.exit(report(err ?? new UserError('command line', '', msg)));
    })
    .parseAsync()
    .catch((e: unknown) => {
      exitCode = report(e);
    });
  return exitCode;
}

function report(e: unknown): number {
  if (e instanceof UserError) {
    process.stderr.write(`cascade: error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof InvariantError) {
    process.stderr.write(`cascade: ${e.message}\n  replay: cascade run <scenario> --seed ${e.seed}\n`);
    return 1;
  }
  process.stderr.write(`cascade: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}

// A reader that closes the pipe early (`cascade params | head -1`) ends the command the way SIGPIPE
// ends other tools: quietly, with the conventional exit code 141 (128 + SIGPIPE).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    process.exit(report(e));
  });
}

/** The flags that take a value: a value such as `-1/3` is theirs, not a short option. */
const VALUE_FLAGS = new Set(
  [
    'seed',
    'set',
    'out',
    'format',
    'threads',
    'replicates',
    'shard',
    'baseline',
    'junit',
    'alpha',
    'bootstrap',
    'x',
    'y',
    'metric',
  ]
    .concat(['tolerance-p', 'tolerance-usd', 'tolerance-rel'])
    .map((f) => `--${f}`),
);

main(joinDashValues(hideBin(process.argv), VALUE_FLAGS)).then((code) => {
  process.exitCode = code;
});
