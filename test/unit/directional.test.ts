// Acceptance: the model responds to risk parameters and shocks in the direction a risk engineer
// expects, averaged over 20 common seeds (100..119) in a small world of 500 traders and 900 steps.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { builtinDir } from '../../scenarios/load.js';
import type { RunResult } from '../../sim/engine.js';
import type { RunStatKey } from '../../sim/perp/statistics.js';
import { mean, runSeeds, smallScenario } from '../helpers/small-world.js';

const TRADERS = 500;
const STEPS = 900;
const SEEDS = 20;
const FIRST_SEED = 100;

const cache = new Map<string, RunResult[]>();

/** Mean of a statistic over the common seeds for a scenario and extra `--set` assignments. */
function meanStat(ref: string, extra: string[], key: RunStatKey): number {
  const id = JSON.stringify([ref, extra]);
  let results = cache.get(id);
  if (!results) {
    results = runSeeds(smallScenario(ref, extra, TRADERS, STEPS), SEEDS, FIRST_SEED);
    cache.set(id, results);
  }
  return mean(results.map((r) => r.stats[key]));
}

describe('directional responses on the flash crash', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'cascade-directional-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('leaves less mean bad debt with a maintenance margin rate of 0.045 than with 0.015', () => {
    const low = meanStat('flash-crash', ['protocol.maintenanceMarginRate=0.015'], 'bad_debt_usd');
    const high = meanStat('flash-crash', ['protocol.maintenanceMarginRate=0.045'], 'bad_debt_usd');
    console.log(`mean bad debt: mmr 0.015 -> ${low.toFixed(0)} USD, mmr 0.045 -> ${high.toFixed(0)} USD`);
    expect(high).toBeLessThan(low);
  });

  it('amplifies the crash less on average with a venue book three times deeper', () => {
    const base = meanStat('flash-crash', [], 'amplification');
    const deep = meanStat(
      'flash-crash',
      [`market.depthUsdPerPct=${(3 * 15_000_000 * TRADERS) / 10_000}`],
      'amplification',
    );
    console.log(`mean amplification: default depth ${base.toFixed(4)}, triple depth ${deep.toFixed(4)}`);
    expect(deep).toBeLessThan(base);
  });

  it('leaves more mean bad debt when the liquidators are offline through the crash', () => {
    const crash = YAML.parse(readFileSync(join(builtinDir(), 'flash-crash.yaml'), 'utf8'));
    crash.name = 'flash-crash-keeper-outage';
    crash.shocks.push({ kind: 'liquidatorOutage', step: 598, steps: 45 });
    const file = join(tmp, 'flash-crash-keeper-outage.yaml');
    writeFileSync(file, YAML.stringify(crash));
    const base = meanStat('flash-crash', [], 'bad_debt_usd');
    const outage = meanStat(file, [], 'bad_debt_usd');
    console.log(`mean bad debt: flash-crash ${base.toFixed(0)} USD, with liquidator outage ${outage.toFixed(0)} USD`);
    expect(outage).toBeGreaterThan(base);
  });

  it('leaves more mean bad debt when the oracle is frozen through the crash (oracle-stall)', () => {
    const base = meanStat('flash-crash', [], 'bad_debt_usd');
    const stall = meanStat('oracle-stall', [], 'bad_debt_usd');
    console.log(`mean bad debt: flash-crash ${base.toFixed(0)} USD, oracle-stall ${stall.toFixed(0)} USD`);
    expect(stall).toBeGreaterThan(base);
  });
});
