// The bad-debt farmer (issue 8, README "Attacks"): its accounts and self-matched open interest, closed
// accounting, a malformed config, and directional results over 20 seeds on its scenario (bad-debt-farm,
// a thin market whose oracle reads the mark) with each defence. Figures were measured (printed below)
// before they were asserted.
import { describe, expect, it } from 'vitest';
import { AccountKind } from '../../sim/core/accounts.js';
import { ConfigSchema } from '../../sim/config/index.js';
import type { RunResult } from '../../sim/engine.js';
import { attackSummary, runAttackScenario } from '../helpers/attack-helpers.js';

const runFarm = (sets: string[], seeds = 20, steps?: number): RunResult[] =>
  runAttackScenario('bad-debt-farm', steps ? [...sets, `run.steps=${steps}`] : sets, seeds);

const summary = (label: string, runs: RunResult[]) => attackSummary('bad-debt farmer', label, runs);

describe('the bad-debt farmer: rules', () => {
  it('spreads maximum-leverage longs over its accounts, self-matched against its one short', () => {
    const [r] = runFarm([], 1, 62);
    // 20 longs and the short follow the 3,000 traders.
    expect(r.accounts.total).toBe(1 + 3 + 5 + 3000 + 21);
    // 30% of 10M at 98% of 20x (less fees): about 58.8M of long open interest added at step 61.
    const added = r.timeline.open_interest_long_usd[61] - r.timeline.open_interest_long_usd[60];
    expect(added).toBeGreaterThan(55e6);
    expect(added).toBeLessThan(60e6);
    expect(r.timeline.open_interest_short_usd[61] - r.timeline.open_interest_short_usd[60]).toBeCloseTo(added, -5);
  });

  it('refuses zero capital and an unknown field, naming the field', () => {
    const zero = ConfigSchema.safeParse({ attackers: [{ kind: 'bad-debt-farmer', capitalUsd: 0 }] });
    expect(zero.success).toBe(false);
    expect(zero.error!.issues[0].path).toEqual(['attackers', 0, 'capitalUsd']);
    const typo = ConfigSchema.safeParse({ attackers: [{ kind: 'bad-debt-farmer', capitalUsd: 1e6, acounts: 3 }] });
    expect(typo.success).toBe(false);
  });

  it("closes its accounting: the farmer's gain equals the counterparties', liquidity providers' and venue's losses", () => {
    for (const r of runFarm([], 3)) {
      const a = r.attack!;
      const tol = 1e-6 * a.capitalUsd;
      expect(Math.abs(a.profitUsd - (a.counterpartyLossUsd + a.lpLossUsd + a.venueLossUsd))).toBeLessThan(tol);
      expect(AccountKind.attacker).toBe(4);
    }
  });
});

describe('the bad-debt farmer over 20 seeds', () => {
  it('profits on bad-debt-farm while the venue loses, because its longs are past bankruptcy when the oracle publishes the pushed mark and the fund pays their shortfall', () => {
    const s = summary('no defence', runFarm([]));
    expect(s.p).toBeGreaterThanOrEqual(0.95);
    expect(s.profit).toBeGreaterThan(0);
    expect(s.loss).toBeGreaterThan(3e6);
  });

  it('stops paying under an open-interest cap of 20M USD per side, because the self-matched open interest it needs is refused', () => {
    const s = summary('OI cap 20M', runFarm(['breakers.openInterest.maxPerSideUsd=20000000']));
    expect(s.p).toBeLessThan(0.05);
  });

  it("stops paying under auto-deleveraging once the fund is short (1M), because its own short ranks first and is closed at the longs' bankruptcy price", () => {
    const none = summary('1M fund, no resolution', runFarm(['protocol.insuranceFundUsd=1000000']));
    const adl = summary('1M fund, ADL', runFarm(['protocol.insuranceFundUsd=1000000', 'protocol.lossResolution=adl']));
    expect(none.p).toBeGreaterThanOrEqual(0.95);
    expect(adl.p).toBeLessThan(0.05);
  });

  it('stops paying under size-scaled margin (Drift sqrt), because its one large short needs a higher rate than the self-match leaves', () => {
    const s = summary('sqrt margin', runFarm(['protocol.marginModel.kind=sqrt']));
    expect(s.p).toBeLessThan(0.05);
  });
});
