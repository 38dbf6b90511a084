// Flag values the commands share: decimal integer flags, and flag values that begin with '-'
// (`--shard -1/3`), which the argument parser would otherwise split into short options. Pure
// functions of their arguments; mistakes are UserErrors naming the flag.
import { UserError } from '../core/errors.js';

/**
 * Parses a decimal integer flag in [min, max] (min >= 0); undefined stays undefined. Decimal
 * digits only: Number() would take '' as 0 and accept 0x10 or 1e3.
 */
export function intFlag(flag: string, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UserError(flag, '', `expected an integer from ${min} to ${max}, got '${text}'`);
  return n;
}

/**
 * Joins `--flag <value>` into `--flag=<value>` when the value begins with '-' but is not itself a
 * flag (`--shard -1/3`, `--seed -5`), for the flags that take a value, so that the value reaches
 * the flag's own check and its error names the flag.
 */
export function joinDashValues(argv: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (valueFlags.has(a) && next !== undefined && /^-(?!-)/.test(next) && next !== '-') {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}
