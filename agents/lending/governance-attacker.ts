// The governance attacker on a lending pool: a captured governance proposes a lower liquidation
// threshold (and LTV) and a higher bonus for one collateral asset, with the shortest timelock it
// dares; once the change is in force the attacker liquidates, from its own wallet, the borrowers
// the change made unhealthy, for as long as the bonus beats the DEX slippage and gas. It decides
// only: the protocol checks the proposal against the steward bounds and applies what passes.
import type { Decider } from '../../sim/core/protocol.js';
import type { LendingAction, LendingView } from '../../sim/lending/types.js';
import { cpmmSellProceedsUsd, planLiquidation } from './liquidators.js';

export interface GovernanceAttackerOptions {
  /** The collateral asset whose parameters it changes. */
  asset: number;
  /** Proposed liquidation threshold (the LTV is proposed down to it when above), fraction. */
  liquidationThreshold: number;
  /** Proposed liquidation bonus, multiplier. */
  liquidationBonus: number;
  /** Timelock of its proposals, steps. */
  delaySteps: number;
  /** Step of the proposals. */
  step: number;
}

/** Most accounts it liquidates in one step. */
const MAX_PER_STEP = 20;

export class LendingGovernanceAttacker implements Decider<LendingView, LendingAction> {
  readonly name = 'lending-governance-attacker';

  constructor(
    private readonly opts: GovernanceAttackerOptions,
    /** Its index among the attackers. */
    readonly attacker: number,
  ) {}

  /** Pre-oracle round: nothing (it neither trades nor pumps). */
  decide(): void {}

  /** Post-oracle round: the proposals at its step, then its liquidations at every step after. */
  decidePostOracle(view: LendingView, out: LendingAction[]): void {
    const o = this.opts;
    const k = this.attacker;
    if (view.step === o.step) {
      const r = view.pool.params.reserves[o.asset];
      const base = { kind: 'propose' as const, attacker: k, asset: o.asset, delaySteps: o.delaySteps };
      // The LTV first, so that it never exceeds the threshold once both are in force.
      if (r.ltv > o.liquidationThreshold) out.push({ ...base, field: 'ltv', value: o.liquidationThreshold });
      out.push({ ...base, field: 'liquidationThreshold', value: o.liquidationThreshold });
      out.push({ ...base, field: 'liquidationBonus', value: o.liquidationBonus });
      return;
    }
    // It liquidates only once its change is in force: it is an attack, not a keeper business.
    if (view.step < o.step || view.pool.params.reserves[o.asset].liquidationThreshold !== o.liquidationThreshold)
      return;
    let capital = view.attackerUsd[k];
    let taken = 0;
    // The collateral pool as its own sales this step leave it (it sells after each liquidation).
    const dex = view.dex[o.asset];
    const pool = { baseUnits: dex.reserves.baseUnits, quoteUsd: dex.reserves.quoteUsd };
    for (const account of view.liquidatable) {
      if (taken >= MAX_PER_STEP || capital <= view.gasUsd) break;
      const plan = planLiquidation(view, account, capital);
      if (!plan || plan.collateralAsset !== o.asset) continue;
      const proceeds = cpmmSellProceedsUsd(pool, dex.feeRate, plan.receivedUnits);
      if (!(proceeds > plan.costUsd)) continue;
      pool.baseUnits += plan.receivedUnits;
      pool.quoteUsd -= proceeds;
      out.push({
        kind: 'attackerLiquidate',
        attacker: k,
        account,
        debtAsset: plan.debtAsset,
        collateralAsset: plan.collateralAsset,
        repayUnits: plan.repayUnits,
      });
      capital -= plan.costUsd;
      taken++;
    }
  }
}
