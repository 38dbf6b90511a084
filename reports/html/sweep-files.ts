// The files a sweep report reads besides the CSVs: manifest.json (the plan, the budgets, how the
// sweep ran) and check.json (the verdicts of `cascade check`), checked for the fields the report
// shows, each mistake a UserError naming the file and field; and a file's date. Reads; never writes.
import { readFileSync, statSync } from 'node:fs';
import type { Budget } from '../../scenarios/sweep-schema.js';
import { UserError } from '../../sim/core/errors.js';

export interface Manifest {
  format?: string;
  cascade_version?: string;
  node_version?: string;
  sweep_hash?: string;
  sweep?: { name?: string; description?: string; source?: string };
  command_line_overrides?: { replicates?: number | null; seed?: number | null };
  shard?: unknown;
  runs?: number;
  errors?: number;
  threads?: number;
  wall_time_s?: number;
  merged_from?: unknown[];
  plan: {
    name: string;
    scenarios: { label: string; name: string }[];
    grid: { path: string; values: unknown[] }[];
    replicates: number;
    seed: number;
    cells: number;
    total_runs: number;
    /** The run statistics' names in runs.csv order (the runs' protocol family). */
    stat_keys?: string[];
  };
  budgets?: Budget[];
}

/** One check of check.json (`cascade check`). */
export interface CheckEntry {
  kind: string;
  scenario: string;
  cell: Record<string, unknown>;
  metric: string;
  op: string | null;
  bound: number | null;
  value: number | null;
  baseline: number | null;
  p_value: number | null;
  verdict: string;
  message: string;
}

export interface CheckFile {
  format: string;
  verdict: string;
  checks: CheckEntry[];
  summary?: { checks?: number; passed?: number; failed?: number };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(file, '', code ? `cannot read: ${code}` : `not valid JSON: ${(e as Error).message}`);
  }
}

export function readManifest(file: string): Manifest {
  const m = readJson(file) as Partial<Manifest> | null;
  if (typeof m !== 'object' || m === null || typeof m.plan !== 'object' || m.plan === null)
    throw new UserError(file, 'plan', 'missing (expected the manifest.json of cascade sweep or merge)');
  const p = m.plan;
  if (!Array.isArray(p.scenarios) || !Array.isArray(p.grid))
    throw new UserError(file, 'plan', 'expected scenarios and grid lists');
  return m as Manifest;
}

/** Reads and checks check.json's shape (the fields the report shows). */
export function readCheckFile(file: string): CheckFile {
  const c = readJson(file) as Partial<CheckFile> | null;
  if (typeof c !== 'object' || c === null) throw new UserError(file, '', 'expected a JSON object');
  if (typeof c.format !== 'string' || !c.format.startsWith('cascade-check/'))
    throw new UserError(file, 'format', `expected 'cascade-check/1', got ${JSON.stringify(c.format)}`);
  if (!Array.isArray(c.checks)) throw new UserError(file, 'checks', 'expected a list');
  c.checks.forEach((k, i) => {
    if (typeof k !== 'object' || k === null) throw new UserError(file, `checks[${i}]`, 'expected an object');
    for (const f of ['kind', 'scenario', 'metric', 'verdict'] as const)
      if (typeof k[f] !== 'string') throw new UserError(file, `checks[${i}].${f}`, 'expected a string');
  });
  return c as CheckFile;
}

/** When a results file was written (its mtime, to the second), for the reports' metadata; "unknown" when unreadable. */
export function fileDate(file: string): string {
  try {
    return statSync(file)
      .mtime.toISOString()
      .replace(/\.\d+Z$/, 'Z');
  } catch {
    return 'unknown';
  }
}
