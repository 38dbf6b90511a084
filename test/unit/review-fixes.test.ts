// Regression tests for defects a code review found: each pins the corrected behaviour.
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeOutputDir } from '../../reports/write-dir.js';
import { parsePriceCsv } from '../../scenarios/price-series.js';
import type { Shock } from '../../scenarios/schema.js';
import { compileShocks } from '../../scenarios/shocks.js';
import { ConfigSchema } from '../../sim/config/index.js';
import { runSimulation, type ResolvedScenario } from '../../sim/engine.js';
import { computeRunStats, createTimeline } from '../../sim/perp/statistics.js';

const scenario = (shocks: Shock[]): ResolvedScenario => ({
  name: 'review',
  description: 'review fixes',
  source: 'test',
  shocks,
  series: [],
});

describe('defects found in review', () => {
  it('writes a run into an existing directory without touching the other files there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cascade-out-'));
    writeFileSync(join(dir, 'keep.txt'), 'keep');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'summary.json'), 'old');
    writeOutputDir(dir, { 'timeline.csv': 'a\n', 'summary.json': '{}\n' });
    expect(readdirSync(dir).sort()).toEqual(['keep.txt', 'sub', 'summary.json', 'timeline.csv']);
  });

  it('takes governance proposals in step order even when the file lists them out of order', () => {
    const shocks = [
      { kind: 'paramChange', step: 200, path: 'protocol.takerFeeRate', value: 0.001, delaySteps: 0 },
      { kind: 'paramChange', step: 100, path: 'protocol.liquidationFeeRate', value: 0.02, delaySteps: 0 },
    ] as Shock[];
    expect(compileShocks(shocks, new Map(), 300, 60, 'test').proposals.map((p) => p.step)).toEqual([100, 200]);
    const config = ConfigSchema.parse({ run: { steps: 300 }, agents: { traders: { count: 50 } } });
    const r = runSimulation({ scenario: scenario(shocks), config, seed: 1 });
    expect(r.stats.governance_changes).toBe(2);
  });

  it('floors the index drawdown at 1% in amplification, so a rising index does not divide by about zero', () => {
    const tl = createTimeline(3);
    tl.index_price_usd.set([100, 101, 102]);
    tl.mark_price_usd.set([100, 95, 102]);
    tl.oracle_price_usd.set([100, 101, 102]);
    tl.insurance_fund_usd.set([1, 1, 1]);
    const end = {
      initialInsuranceUsd: 1,
      realizedBadDebtUsd: 0,
      realizedUncoveredUsd: 0,
      latentBadDebtUsd: 0,
      socializedLossUsd: 0,
      honestTraderPnlUsd: 0,
      protocolFeesUsd: 0,
      liquidations: 0,
      liquidatedNotionalUsd: 0,
      inducedLiquidations: 0,
      refusedActions: 0,
      oracleStaleSteps: 0,
      breakerTrips: 0,
      haltedSteps: 0,
      withdrawalsRefusedUsd: 0,
      firstAlertStep: -1,
      alertSteps: 0,
      governanceChanges: 0,
      governanceRefused: 0,
      guardianPauses: 0,
      marginRateMax: 0,
      marginRebuilds: 0,
      marginLeadSteps: 0,
      collateralSeizedUsd: 0,
      backstopCapitalUsd: 0,
      backstopEquityEndUsd: 0,
      backstopTakeovers: 0,
      adlEvents: 0,
      adlNotionalUsd: 0,
      adlResolved: 0,
      insuranceFeeInflowUsd: 0,
    };
    expect(computeRunStats(tl, end, ConfigSchema.parse({}).metrics).amplification).toBeCloseTo(0.05 / 0.01, 9);
  });

  it('skips random jumps due during a replay instead of firing them all when the replay ends', () => {
    // A flat replay for 300 steps, then jumps of exactly -1% each (no diffusion): about one per 29 steps.
    const bars = ['# test', 'timestamp,price,low,high'];
    for (let h = 0; h < 6; h++) bars.push(`2021-01-01T0${h}:00:00Z,100,100,100`);
    const csv = bars.join('\n');
    const config = ConfigSchema.parse({
      run: { steps: 400 },
      market: { annualVolatility: 0, jumpsPerDay: 50, jumpMeanLog: -0.01, jumpStdLog: 0 },
      agents: { traders: { count: 20 } },
    });
    const shocks = [
      {
        kind: 'replay',
        step: 0,
        file: 'x.csv',
        scale: 1,
        offsetSteps: 0,
        steps: 300,
        method: 'hold',
        visitExtremes: false,
      },
    ] as Shock[];
    const series: ResolvedScenario['series'] = [[0, parsePriceCsv(csv, 'x.csv')]];
    const r = runSimulation({ scenario: { ...scenario(shocks), series }, config, seed: 5 });
    let worst = 0;
    for (let s = 1; s < 400; s++)
      worst = Math.min(worst, Math.log(r.timeline.index_price_usd[s] / r.timeline.index_price_usd[s - 1]));
    expect(worst).toBeGreaterThan(-0.025);
  });
});
