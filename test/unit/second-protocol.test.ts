// A second protocol family, written only against sim/core: one fixed-rate loan against collateral,
// a borrower and a liquidator. It runs through the same step loop, conservation check and
// statistics registry as the perpetual-futures venue, which shows the core is not perp-shaped.
import { describe, expect, it } from 'vitest';
import { InvariantError } from '../../sim/core/errors.js';
import type { AnyStage, Decider, DecisionRound, Protocol, ValueBalance } from '../../sim/core/protocol.js';
import { defineRegistry, type Columns } from '../../sim/core/registry.js';
import { streamFor } from '../../sim/core/rng.js';
import { runLoop, type LoopOptions } from '../../sim/core/step-loop.js';

type LoanAction = { kind: 'borrow'; usd: number } | { kind: 'liquidate' };

interface LoanView {
  readonly step: number;
  readonly priceUsd: number;
  readonly debtUsd: number;
  readonly collateralUnits: number;
  readonly liquidationLtv: number;
}

const COLUMNS = defineRegistry('loan column', [
  { name: 'step', unit: 'step', across: 'first', description: 'step index from 0' },
  { name: 'collateral_price_usd', unit: 'usd', across: 'first', description: 'price of one collateral unit' },
  { name: 'debt_usd', unit: 'usd', across: 'sum', description: 'debt owed by the borrower, interest included' },
  { name: 'ltv', unit: 'fraction', across: 'first', description: 'debt over collateral value at the price' },
] as const);
type Column = (typeof COLUMNS.names)[number];

interface LoanEnd {
  liquidationStep: number;
  badDebtUsd: number;
  interestUsd: number;
}

const STATS = defineRegistry('loan statistic', [
  {
    name: 'liquidated',
    unit: 'flag',
    description: '1 when the loan was liquidated',
    compute: (e: LoanEnd) => (e.liquidationStep >= 0 ? 1 : 0),
  },
  {
    name: 'liquidation_step',
    unit: 'step',
    description: 'step of the liquidation, -1 when none',
    compute: (e: LoanEnd) => e.liquidationStep,
  },
  {
    name: 'bad_debt_usd',
    unit: 'usd',
    description: 'debt the seized collateral did not cover',
    compute: (e: LoanEnd) => e.badDebtUsd,
  },
  {
    name: 'interest_usd',
    unit: 'usd',
    description: 'interest accrued on the loan over the run',
    compute: (e: LoanEnd) => e.interestUsd,
  },
] as const);
type Stat = (typeof STATS.names)[number];

interface LoanParams {
  /** Log drift of the collateral price per step. */
  driftPerStep: number;
  /** Interest per step, fraction. */
  ratePerStep: number;
  liquidationLtv: number;
  /** Value the liquidator gets over the debt it repays, fraction. */
  bonus: number;
  /** Adds this much cash out of nowhere at every step (a bug the conservation check must catch). */
  leakUsd?: number;
}

class FixedLoan implements Protocol<Column, Stat, LoanEnd> {
  readonly columns = COLUMNS;
  readonly stats = STATS;
  priceUsd = 100;
  debtUsd = 0;
  collateralUnits = 10;
  liquidatorUnits = 0;
  // Cash by holder: the lending pool, the borrower, the liquidator; deposits are the external value.
  poolUsd = 1_000;
  borrowerUsd = 0;
  liquidatorUsd = 500;
  readonly depositsUsd = 1_500;
  interestUsd = 0;
  badDebtUsd = 0;
  liquidationStep = -1;
  private step = 0;
  private readonly noise: ReturnType<typeof streamFor>;
  readonly stages: readonly AnyStage[];

  constructor(
    readonly p: LoanParams,
    readonly seed: number,
  ) {
    this.noise = streamFor(seed, 'loan.price');
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const loan = this;
    const view: LoanView = {
      get step() {
        return loan.step;
      },
      get priceUsd() {
        return loan.priceUsd;
      },
      get debtUsd() {
        return loan.debtUsd;
      },
      get collateralUnits() {
        return loan.collateralUnits;
      },
      liquidationLtv: p.liquidationLtv,
    };
    const borrower: Decider<LoanView, LoanAction> = {
      decide: (v, out) => {
        if (v.step === 0) out.push({ kind: 'borrow', usd: 0.6 * v.collateralUnits * v.priceUsd });
      },
    };
    const liquidator: Decider<LoanView, LoanAction> = {
      decide: (v, out) => {
        if (v.debtUsd > 0 && v.debtUsd >= v.liquidationLtv * v.collateralUnits * v.priceUsd)
          out.push({ kind: 'liquidate' });
      },
    };
    const round: DecisionRound<LoanView, LoanAction> = {
      agents: [borrower, liquidator],
      view,
      order: streamFor(seed, 'schedule'),
    };
    this.stages = [
      { kind: 'phase', name: 'price and interest', run: (step) => this.accrue(step) },
      { kind: 'round', name: 'agents', round, apply: (a: LoanAction) => this.apply(a), end: () => this.endRound() },
    ];
  }

  accrue(step: number): void {
    this.step = step;
    this.priceUsd *= Math.exp(this.p.driftPerStep + 0.001 * this.noise.normal());
    const interest = this.debtUsd * this.p.ratePerStep;
    this.debtUsd += interest;
    this.interestUsd += interest;
  }
  apply(a: LoanAction): void {
    if (a.kind === 'borrow') {
      const usd = Math.min(a.usd, this.poolUsd);
      this.poolUsd -= usd;
      this.borrowerUsd += usd;
      this.debtUsd += usd;
      return;
    }
    // The liquidator repays what the collateral covers at a discount and takes the collateral.
    const value = this.collateralUnits * this.priceUsd;
    const repay = Math.min(this.debtUsd, value / (1 + this.p.bonus));
    this.liquidatorUsd -= repay;
    this.poolUsd += repay;
    this.badDebtUsd += this.debtUsd - repay;
    this.debtUsd = 0;
    this.liquidatorUnits += this.collateralUnits;
    this.collateralUnits = 0;
    this.liquidationStep = this.step;
  }
  endRound(): void {
    this.poolUsd += this.p.leakUsd ?? 0;
  }
  record(step: number, tl: Columns<Column>): void {
    tl.step[step] = step;
    tl.collateral_price_usd[step] = this.priceUsd;
    tl.debt_usd[step] = this.debtUsd;
    tl.ltv[step] = this.collateralUnits > 0 ? this.debtUsd / (this.collateralUnits * this.priceUsd) : 0;
  }
  balance(): ValueBalance {
    return {
      heldUsd: this.poolUsd + this.borrowerUsd + this.liquidatorUsd,
      externalUsd: this.depositsUsd,
      scaleUsd: this.depositsUsd,
    };
  }
  violation(): string | undefined {
    const units = this.collateralUnits + this.liquidatorUnits;
    return Math.abs(units - 10) > 1e-12 ? `collateral units not conserved: ${units}` : undefined;
  }
  statContext(): LoanEnd {
    return { liquidationStep: this.liquidationStep, badDebtUsd: this.badDebtUsd, interestUsd: this.interestUsd };
  }
}

const OPTS: LoopOptions = { steps: 200, seed: 7, tolerance: 1e-9, fullCheckEverySteps: 10, faultInjectionStep: -1 };
const CALM: LoanParams = { driftPerStep: 0, ratePerStep: 1e-4, liquidationLtv: 0.8, bonus: 0.05 };
const CRASH: LoanParams = { ...CALM, driftPerStep: -0.005 };

describe('a second protocol family on the core alone', () => {
  it('runs through the step loop and writes its own timeline columns in registry order', () => {
    const r = runLoop(new FixedLoan(CALM, 7), OPTS);
    expect(Object.keys(r.timeline)).toEqual(['step', 'collateral_price_usd', 'debt_usd', 'ltv']);
    expect(r.timeline.step[199]).toBe(199);
    expect(r.timeline.debt_usd[0]).toBeCloseTo(6 * r.timeline.collateral_price_usd[0], 9);
  });

  it('computes its own statistics through the registry: a calm loan accrues interest and is not liquidated', () => {
    const r = runLoop(new FixedLoan(CALM, 7), OPTS);
    expect(Object.keys(r.stats)).toEqual(['liquidated', 'liquidation_step', 'bad_debt_usd', 'interest_usd']);
    expect(r.stats.liquidated).toBe(0);
    expect(r.stats.interest_usd).toBeGreaterThan(600 * 1e-4 * 190);
  });

  it('liquidates the loan when a falling price takes its LTV past the threshold', () => {
    const r = runLoop(new FixedLoan(CRASH, 7), OPTS);
    expect(r.stats.liquidated).toBe(1);
    const step = r.stats.liquidation_step;
    // Liquidators act on the start-of-step view: the step before, the LTV had reached the threshold.
    expect(r.timeline.ltv[step - 1]).toBeGreaterThanOrEqual(0.8 * 0.99);
    expect(r.timeline.debt_usd[step]).toBe(0);
  });

  it('is a pure function of its seed', () => {
    const a = runLoop(new FixedLoan(CRASH, 7), OPTS);
    const b = runLoop(new FixedLoan(CRASH, 7), OPTS);
    expect(b.stats).toEqual(a.stats);
    expect(Array.from(b.timeline.collateral_price_usd)).toEqual(Array.from(a.timeline.collateral_price_usd));
  });

  it('has value leaks caught by the same conservation check, naming the step and the seed', () => {
    const run = () => runLoop(new FixedLoan({ ...CALM, leakUsd: 1 }, 7), OPTS);
    expect(run).toThrow(InvariantError);
    expect(run).toThrow(/step 0.*seed 7|seed 7.*step 0/);
  });
});
