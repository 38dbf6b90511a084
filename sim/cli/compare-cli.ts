// The `cascade compare A B` command handler: reads two finished sweep results directories, compares
// them (reports/compare.ts) and prints the side-by-side table, or the comparison as JSON with --json.
// For a person, not a gate: exit 0 whatever the differences; a missing or malformed directory or flag
// is a UserError (exit 2, one line naming it). No statistics here.
import { COMPARE_RUN_COLUMNS, compareJson, compareResults, compareTable } from '../../reports/compare.js';
import { UserError } from '../core/errors.js';
import { readResults, type Results } from '../sweep/results.js';

export interface CompareArgs {
  a?: string;
  b?: string;
  json?: boolean;
  quiet?: boolean;
  alpha?: string;
  stdout?: (text: string) => void;
}

import { where } from './output.js';

function side(results: Results, dir: string) {
  return { dir: where(dir), name: results.meta.name, cells: results.cells, runs: results.runs };
}

export function compareCommand(args: CompareArgs): number {
  const stdout = args.stdout ?? ((t: string) => void process.stdout.write(t));
  let alpha = 0.05;
  if (args.alpha !== undefined) {
    const s = String(args.alpha).trim();
    alpha = s === '' ? NaN : Number(s);
    if (!(alpha > 0 && alpha < 1))
      throw new UserError('--alpha', '', `expected a number between 0 and 1 (exclusive), got '${String(args.alpha)}'`);
  }
  const dirs = [String(args.a ?? ''), String(args.b ?? '')];
  for (const d of dirs) if (d.trim() === '') throw new UserError('compare', '', 'expected two results directories');
  const [a, b] = dirs.map((d) => readResults(d, COMPARE_RUN_COLUMNS));
  const comparison = compareResults(side(a, dirs[0]), side(b, dirs[1]), { alpha });
  if (args.json) stdout(compareJson(comparison));
  else if (!args.quiet) stdout(compareTable(comparison));
  return 0;
}
