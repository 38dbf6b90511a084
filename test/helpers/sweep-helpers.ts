// Shared by the sweep test files: a small world to sweep (a short crash scenario plus the built-in
// calm one, 100 traders, 120 steps), temporary directories and the compiled CLI run as a child
// process, the way a user runs it.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsvLine } from '../../sim/sweep/merge.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'sim', 'cli', 'main.js');

export function tempDir(prefix = 'cascade-sweep-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A 120-step crash scenario: the index falls 30% in five steps while depth halves. */
export const MINI_CRASH = `name: mini-crash
description: The index falls 30% in five steps while depth halves, in a 120-step run.
shocks:
  - { kind: priceDrift, step: 30, steps: 5, pct: -0.30 }
  - { kind: depthDrain, step: 30, steps: 40, factor: 0.5 }
  - { kind: volatility, step: 30, steps: 40, multiplier: 3 }
`;

export interface SmallSweepOptions {
  replicates?: number;
  /** Extra YAML lines under `grid:` (two-space indented). */
  extraGrid?: string[];
  /** Extra `path=value` overrides for every scenario. */
  set?: string[];
  name?: string;
}

/**
 * Writes a small sweep (mini-crash and calm x a 2 x 2 margin/fee grid) into `dir`; returns its path.
 * 2 scenarios x 4 cells x `replicates` runs.
 */
export function writeSmallSweep(dir: string, opts: SmallSweepOptions = {}): string {
  writeFileSync(join(dir, 'mini-crash.yaml'), MINI_CRASH);
  const sets = ['agents.traders.count=100', 'run.steps=120', ...(opts.set ?? [])];
  const yaml = [
    `name: ${opts.name ?? 'small'}`,
    'description: A small test sweep.',
    'scenarios:',
    '  - mini-crash.yaml',
    '  - calm',
    'set:',
    ...sets.map((s) => `  - ${s}`),
    'grid:',
    '  protocol.maintenanceMarginRate: [0.02, 0.04]',
    '  protocol.liquidationFeeRate: [0.005, 0.015]',
    ...(opts.extraGrid ?? []),
    `replicates: ${opts.replicates ?? 6}`,
    'seed: 7',
    'budgets:',
    '  - p_insolvent <= 0.5',
    '  - { scenario: mini-crash, budget: "bad_debt_p99_usd <= 2e6" }',
    '',
  ].join('\n');
  const file = join(dir, 'small.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** Runs the compiled CLI to completion. */
export function cli(args: readonly string[], cwd: string = ROOT): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
}

/** Starts the compiled CLI without waiting for it. */
export function startCli(args: readonly string[], cwd: string = ROOT): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the exit code (or the signal's name) once the child exits. */
export function exited(child: ChildProcess): Promise<number | string> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
}

export function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** Rows of a one-line-per-record CSV, as objects keyed by the header. */
export function csvRows(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trimEnd().split('\n');
  const keys = parseCsvLine(head);
  return lines.map((l) => {
    const v = parseCsvLine(l);
    return Object.fromEntries(keys.map((k, i) => [k, v[i]]));
  });
}
