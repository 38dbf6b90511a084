#!/usr/bin/env node
// The `cascade` command line's entry point: parses the arguments with the parser of
// sim/cli/commands.ts and maps user mistakes to one line on stderr per mistake and exit code 2,
// invariant violations and bugs to exit code 1. `cascade` with no arguments prints the help.
import { hideBin } from 'yargs/helpers';
import { InvariantError, UserError } from '../core/errors.js';
import { packageVersion } from '../sweep/sweep.js';
import { buildParser, COMMANDS, type ParserHooks } from './commands.js';
import { joinDashValues } from './flags.js';

let exitCode = 0;

/** At most this many mistakes of one input are printed; the rest are counted. */
const MAX_ERROR_LINES = 20;

/**
 * Wraps a command handler so that its errors become an exit code and one line on stderr: yargs
 * would otherwise let a throw from a handler escape as an uncaught exception with a stack trace.
 */
function guard<A>(handler: (args: A) => void | number | Promise<void | number>): (args: A) => Promise<void> {
  return async (args: A) => {
    try {
      const code = await handler(args);
      if (typeof code === 'number') exitCode = code;
    } catch (e) {
      exitCode = report(e);
    }
  };
}

/** The --help text of the program and of every command, wrapped at the fixed width, for the CLI reference. */
async function helpTexts(): Promise<{ command: string; help: string }[]> {
  const texts: { command: string; help: string }[] = [];
  for (const command of ['', ...COMMANDS]) {
    const argv = command ? [command, '--help'] : ['--help'];
    const help = await new Promise<string>((done) => {
      void buildParser(argv, HOOKS)
        .exitProcess(false)
        .parse(argv, {}, (_err: unknown, _argv: unknown, output: string) => done(output));
    });
    texts.push({ command, help: help.trimEnd() + '\n' });
  }
  return texts;
}

const HOOKS: ParserHooks = { guard, helpTexts, version: packageVersion() };

async function main(argv: string[]): Promise<number> {
  const parser = buildParser(argv, HOOKS);
  if (argv.length === 0) {
    // No command: the help with its examples, on stdout, as a start.
    process.stdout.write((await parser.getHelp()) + '\n');
    return 0;
  }
  await parser
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
    // Every mistake found in the input, one line each.
    const all = [e, ...e.others];
    for (const u of all.slice(0, MAX_ERROR_LINES)) process.stderr.write(`cascade: error: ${u.message}\n`);
    if (all.length > MAX_ERROR_LINES)
      process.stderr.write(`cascade: error: ... and ${all.length - MAX_ERROR_LINES} more in ${e.source}\n`);
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
