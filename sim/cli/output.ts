// What a command prints, by the two output flags every command takes: `--json` (one JSON document
// on stdout, nothing else there) and `--quiet` (nothing on stdout, no progress and no warnings on
// stderr; errors still go to stderr, and the exit code says what happened). Commands write through
// an Output instead of process.stdout so that the flags mean the same everywhere.
import { relative } from 'node:path';

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
}

export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** Text for a person: printed unless --json or --quiet. */
  text(t: string): void;
  /** The command's JSON document: printed (indented, one document) with --json only. */
  doc(value: unknown): void;
  /** A warning or note on stderr: printed unless --quiet. */
  warn(t: string): void;
  /** Whether progress may be drawn on stderr (not under --quiet). */
  readonly progress: boolean;
}

export interface OutputStreams {
  stdout?: (t: string) => void;
  stderr?: (t: string) => void;
}

/** The Output of a command's flags, writing to process.stdout/stderr unless streams are given. */
export function outputFor(flags: OutputFlags, streams: OutputStreams = {}): Output {
  const stdout = streams.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = streams.stderr ?? ((t: string) => void process.stderr.write(t));
  const json = Boolean(flags.json);
  const quiet = Boolean(flags.quiet);
  return {
    json,
    quiet,
    text: (t) => {
      if (!json && !quiet) stdout(t);
    },
    doc: (value) => {
      if (json) stdout(JSON.stringify(value, null, 2) + '\n');
    },
    warn: (t) => {
      if (!quiet) stderr(t);
    },
    progress: !quiet,
  };
}

/** A path as the user should read it: relative to the working directory when inside it. */
export function where(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
