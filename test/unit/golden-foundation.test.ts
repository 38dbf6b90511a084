// Guards the foundation's results: with every later mechanism at its default (off), the foundation's
// timeline columns and statistics must not change by a single byte. A change here must be on purpose:
// regenerate with `UPDATE_GOLDEN=1 npx vitest run test/unit/golden-foundation.test.ts` and say why in the commit.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../reports/format.js';
import { runSimulation } from '../../sim/engine.js';
import { smallScenario } from '../helpers/small-world.js';

const GOLDEN = join(import.meta.dirname, '..', 'golden', 'foundation.json');

/** The foundation's timeline columns and statistics (issue 2); later issues may add others beside them. */
const COLUMNS = [
  'step',
  'time_s',
  'index_price_usd',
  'mark_price_usd',
  'oracle_price_usd',
  'basis_pct',
  'depth_usd_per_pct',
  'open_interest_long_usd',
  'open_interest_short_usd',
  'liquidations',
  'liquidated_notional_usd',
  'induced_liquidations',
  'liquidatable_accounts',
  'insurance_fund_usd',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
  'socialized_loss_usd',
  'funding_rate',
  'oracle_updated',
  'refused_actions',
] as const;
const STATS = [
  'insolvent',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
  'latent_bad_debt_usd',
  'insurance_fund_min_usd',
  'insurance_fund_end_usd',
  'insurance_drawdown_pct',
  'liquidations',
  'liquidated_notional_usd',
  'induced_liquidations',
  'cascade_waves',
  'longest_wave_steps',
  'amplification',
  'index_drawdown_pct',
  'mark_drawdown_pct',
  'oracle_drawdown_pct',
  'max_oracle_deviation_pct',
  'socialized_loss_usd',
  'honest_trader_pnl_usd',
  'protocol_fees_usd',
  'refused_actions',
] as const;

const CASES = [
  { scenario: 'flash-crash', seed: 1 },
  { scenario: 'flash-crash', seed: 2 },
  { scenario: 'oracle-stall', seed: 1 },
  { scenario: 'liquidity-crunch', seed: 3 },
  { scenario: 'calm', seed: 4 },
];

function fingerprint(scenarioName: string, seed: number): { timeline_sha256: string; stats: Record<string, number> } {
  const spec = smallScenario(scenarioName, [], 300, 800);
  const r = runSimulation({ ...spec, seed });
  const rows: number[][] = [];
  for (let t = 0; t < r.steps; t++) rows.push(COLUMNS.map((c) => (r.timeline as Record<string, Float64Array>)[c][t]));
  const stats: Record<string, number> = {};
  for (const k of STATS) stats[k] = (r.stats as Record<string, number>)[k];
  return { timeline_sha256: createHash('sha256').update(toCsv(COLUMNS, rows)).digest('hex'), stats };
}

describe('the foundation results stay byte-identical', () => {
  const actual = Object.fromEntries(CASES.map((c) => [`${c.scenario}#${c.seed}`, fingerprint(c.scenario, c.seed)]));
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, JSON.stringify(actual, null, 2) + '\n');
  // A missing golden file fails the tests: written from the code under test, it would pass whatever that computes.
  const golden = existsSync(GOLDEN) ? (JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof actual) : undefined;
  const regenerate = `restore it from git, or regenerate it on purpose with UPDATE_GOLDEN=1 npx vitest run test/unit/golden-foundation.test.ts (and say why in the commit)`;

  for (const c of CASES) {
    const key = `${c.scenario}#${c.seed}`;
    it(`reproduces ${c.scenario} seed ${c.seed}: every foundation statistic and the foundation timeline columns`, () => {
      if (!golden) expect.fail(`the golden file ${GOLDEN} is missing: ${regenerate}`);
      if (!golden[key]) expect.fail(`the golden file ${GOLDEN} has no entry ${key}: ${regenerate}`);
      expect(actual[key].stats).toEqual(golden[key].stats);
      expect(actual[key].timeline_sha256).toBe(golden[key].timeline_sha256);
    });
  }
});
