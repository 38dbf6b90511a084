// The governance attacker (README "Attacks") and the honest traders' exit it provokes. The attacker
// controls governance: at `proposeStep` it proposes, with the shortest timelock governance allows,
// initial and maintenance margin at 50% and a liquidation fee of 100% of the closed notional, all
// of it to the liquidator; when the changes land it liquidates every flagged account itself and
// collects the fees, which the liquidated accounts' equity, the insurance fund and then the winners
// (socialization) pay. Honest traders see the proposal and leave: each closes its position after a
// delay drawn uniformly in [1, 2 * honestExitMeanSteps] steps and stays flat from then on. The
// timelock against the time honest users need to exit decides the damage. Decides from the
// read-only view; never mutates the world.
import type { GovernanceAttackerConfig } from '../sim/config/index.js';
import type { Proposal } from '../sim/controls/governance.js';
import type { Stream } from '../sim/core/rng.js';
import type { Action, Agent, PreTradeAgent, PreTradeView, ProposeAction, SwapAction, WorldView } from './types.js';

/** The malicious changes, in the order they must apply (initial margin before maintenance). */
export const MALICIOUS_CHANGES = [
  { path: 'protocol.initialMarginRate', value: 0.5 },
  { path: 'protocol.maintenanceMarginRate', value: 0.5 },
  { path: 'protocol.liquidationFeeRate', value: 1 },
  { path: 'protocol.liquidatorFeeShare', value: 1 },
] as const;

export class GovernanceAttacker implements Agent, PreTradeAgent {
  readonly name = 'governance-attacker';
  /** Collateral deposited so far, USD. */
  depositedUsd = 0;
  /** Step at which each trader (by position in `traderIds`) leaves; -1 before the proposal. */
  private readonly exitStep: Int32Array;

  constructor(
    private readonly cfg: GovernanceAttackerConfig,
    readonly id: number,
    private readonly traderIds: readonly number[],
    /** The shortest timelock governance accepts (governance.minDelaySteps), steps. */
    private readonly minDelaySteps: number,
    private readonly exits: Stream,
  ) {
    this.exitStep = new Int32Array(traderIds.length).fill(-1);
  }

  /** The proposals the attacker makes at `step` (all at `proposeStep`, with the shortest allowed timelock). */
  proposals(step: number): Proposal[] {
    if (step !== this.cfg.proposeStep) return [];
    return MALICIOUS_CHANGES.map((c) => ({ step, path: c.path, value: c.value, delaySteps: this.minDelaySteps }));
  }

  /** Its proposals, at the start of the step (before governance applies what is due). */
  decidePreTrade(phase: 'propose' | 'spot', view: PreTradeView, out: (SwapAction | ProposeAction)[]): void {
    if (phase === 'propose') for (const proposal of this.proposals(view.step)) out.push({ kind: 'propose', proposal });
  }

  decide(view: WorldView, out: Action[]): void {
    const c = this.cfg;
    const s = view.step;
    const v = view.venue;
    const a = v.accounts;
    // Funded a step ahead, so that it liquidates from the step the changes land (a timelock of 0 lands at once).
    if (s === Math.max(0, c.proposeStep - 1)) {
      out.push({ kind: 'deposit', account: this.id, amountUsd: c.capitalUsd });
      this.depositedUsd += c.capitalUsd;
    }
    if (s < c.proposeStep) return;
    if (s === c.proposeStep) {
      // Honest traders learn of the proposal now; each leaves after its own delay.
      const span = 2 * c.honestExitMeanSteps;
      for (let k = 0; k < this.traderIds.length; k++) this.exitStep[k] = s + 1 + this.exits.int(span);
    }
    // Honest exits: a trader past its exit step closes any position it holds (trading allowed).
    if (!v.tradingHalted)
      for (let k = 0; k < this.traderIds.length; k++) {
        const i = this.traderIds[k];
        if (this.exitStep[k] >= 0 && s >= this.exitStep[k] && a.size[i] !== 0 && a.flagStep[i] < 0 && v.equity(i) > 0)
          out.push({ kind: 'trade', account: i, size: -a.size[i], depositUsd: 0 });
      }
    // The strike: once the fee is the whole notional, liquidate everything flagged.
    if (v.liquidationFeeRate >= 1 && v.liquidatorFeeShare >= 1)
      for (const i of v.flagged)
        if (a.flagStep[i] >= 0 && i !== this.id)
          out.push({ kind: 'liquidate', liquidator: this.id, account: i, worstPriceUsd: a.size[i] > 0 ? 0 : Infinity });
  }
}
