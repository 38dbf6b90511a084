// Shared by the `cascade check` CLI tests: a small venue in the layout a risk team keeps (a
// parameters file holding the risk parameters and its stress, a sweep file with budgets next to it),
// in which halving the maintenance margin clearly raises insolvency and bad debt; and the compiled
// CLI run as a child process without the CI environment of the machine running the tests.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, ROOT } from './sweep-helpers.js';

/**
 * A 200-trader world, 250 steps: the index falls 40% over two hours while depth halves. Traders run
 * high leverage (median 15x), so with a maintenance margin of 0.04 about a fifth of the runs end
 * insolvent and with 0.02 more than half (measured over seeds 1-5 when this was written).
 */
const WORLD_SETS: Record<string, number> = {
  'agents.traders.count': 200,
  'agents.traders.arrivalsPerStep': 0.06,
  'agents.traders.notionalMaxUsd': 100_000,
  'agents.traders.leverageMedian': 15,
  'market.depthUsdPerPct': 300_000,
  'protocol.insuranceFundUsd': 10_000,
  'agents.liquidators.capitalUsd': 40_000,
  'agents.arbitrageurs.capitalUsd': 60_000,
  'agents.marketMakers.capitalUsd': 1_000_000,
  'run.steps': 250,
};

export interface GateRepoOptions {
  /** protocol.maintenanceMarginRate in the parameters file. */
  mmr: number;
  /** Budget lines of the sweep file (YAML list items, as written). Default: none. */
  budgets?: string[];
  /** Sweep and scenario description. */
  description?: string;
  replicates?: number;
}

/**
 * Writes `dir/risk/params.yaml` (the venue's risk parameters with its stress scenario) and
 * `dir/risk/sweep.yaml` (that scenario x a liquidation-fee grid); returns the sweep file's path.
 */
export function writeGateRepo(dir: string, opts: GateRepoOptions): string {
  const risk = join(dir, 'risk');
  mkdirSync(risk, { recursive: true });
  const description = opts.description ?? 'The venue under a two-hour 40% fall.';
  writeFileSync(
    join(risk, 'params.yaml'),
    [
      'name: gate-crash',
      `description: ${description}`,
      'params:',
      '  protocol:',
      `    maintenanceMarginRate: ${opts.mmr}`,
      'shocks:',
      '  - { kind: priceDrift, step: 100, steps: 120, pct: -0.4 }',
      '  - { kind: depthDrain, step: 100, steps: 40, factor: 0.5 }',
      '',
    ].join('\n'),
  );
  const budgets = opts.budgets ?? [];
  const file = join(risk, 'sweep.yaml');
  writeFileSync(
    file,
    [
      'name: gate',
      `description: ${description}`,
      'scenarios:',
      '  - params.yaml',
      'set:',
      ...Object.entries(WORLD_SETS).map(([k, v]) => `  ${k}: ${v}`),
      'grid:',
      '  protocol.liquidationFeeRate: [0.015, 0.02]',
      `replicates: ${opts.replicates ?? 40}`,
      'seed: 1',
      ...(budgets.length ? ['budgets:', ...budgets.map((b) => `  - ${b}`)] : []),
      '',
    ].join('\n'),
  );
  return file;
}

/** Runs the compiled CLI to completion with the CI variables of this machine removed (plus `env`). */
export function cascade(args: readonly string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const base = { ...process.env };
  delete base.GITHUB_ACTIONS;
  delete base.GITHUB_STEP_SUMMARY;
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...base, ...env },
  });
}

/** The counts of the summary line that closes the check table. */
export function tableCounts(stdout: string): { checks: number; passed: number; failed: number; info: number } {
  const m = /^check: (\d+) checks, (\d+) passed, (\d+) failed, (\d+) info: (PASS|FAIL)$/m.exec(stdout);
  if (!m) throw new Error(`no summary line in:\n${stdout}`);
  return { checks: Number(m[1]), passed: Number(m[2]), failed: Number(m[3]), info: Number(m[4]) };
}

/** The rows of the check table (lines starting with a verdict). */
export function tableRows(stdout: string): string[] {
  return stdout.split('\n').filter((l) => /^(pass|FAIL|info) {2}/.test(l));
}
