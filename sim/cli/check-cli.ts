// The `cascade check` command handler: parses and checks the flags (a mistake is a UserError, exit
// code 2) and calls the check. No check logic here (sim/cli/check.ts).
import { DEFAULT_REGRESSION_OPTIONS } from '../../reports/check-eval.js';
import { runCheck } from './check.js';
import { UserError } from '../core/errors.js';
import { intFlag } from './flags.js';

export interface CheckArgs {
  target?: string;
  baseline?: string;
  out?: string;
  junit?: string;
  threads?: string;
  alpha?: string;
  toleranceP?: string;
  toleranceUsd?: string;
  toleranceRel?: string;
  bootstrap?: string;
  allowMissing?: boolean;
  progress?: boolean;
  report?: boolean;
  json?: boolean;
  quiet?: boolean;
  failuresOnly?: boolean;
}

/** Parses a number flag; `ok` says whether the value is allowed and `expected` what is. */
function numberFlag(
  flag: string,
  raw: unknown,
  fallback: number,
  ok: (x: number) => boolean,
  expected: string,
): number {
  if (raw === undefined) return fallback;
  const s = String(raw).trim();
  const x = Number(s);
  if (s === '' || !Number.isFinite(x) || !ok(x))
    throw new UserError(flag, '', `expected ${expected}, got '${String(raw)}'`);
  return x;
}

/** Names the flag given as an empty string (yargs turns `--baseline` without a value into ''). */
function pathFlag(flag: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (String(raw).trim() === '') throw new UserError(flag, '', 'expected a path');
  return String(raw);
}

export async function checkCommand(args: CheckArgs): Promise<number> {
  const d = DEFAULT_REGRESSION_OPTIONS;
  return runCheck({
    target: String(args.target),
    baseline: pathFlag('--baseline', args.baseline),
    out: pathFlag('--out', args.out),
    junit: pathFlag('--junit', args.junit),
    threads: intFlag('--threads', args.threads, 1, 4096),
    progress: args.progress,
    alpha: numberFlag('--alpha', args.alpha, d.alpha, (x) => x > 0 && x < 1, 'a number between 0 and 1 (exclusive)'),
    toleranceP: numberFlag(
      '--tolerance-p',
      args.toleranceP,
      d.toleranceP,
      (x) => x >= 0 && x <= 1,
      'a fraction from 0 to 1',
    ),
    toleranceUsd: numberFlag(
      '--tolerance-usd',
      args.toleranceUsd,
      d.toleranceUsd,
      (x) => x >= 0,
      'a number of USD >= 0',
    ),
    toleranceRel: numberFlag('--tolerance-rel', args.toleranceRel, d.toleranceRel, (x) => x >= 0, 'a fraction >= 0'),
    resamples: intFlag('--bootstrap', args.bootstrap, 100, 1_000_000) ?? d.resamples,
    allowMissing: Boolean(args.allowMissing),
    report: Boolean(args.report),
    json: Boolean(args.json),
    quiet: Boolean(args.quiet),
    failuresOnly: Boolean(args.failuresOnly),
  });
}
