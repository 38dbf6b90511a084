// The attack set of a run (README "Attacks"): lays out the attackers' venue accounts after the traders',
// builds their agents from the `attackers` config section and their rounds before the oracle reads
// the market (proposals, spot-pool orders: actions the step loop applies like any other), and reports their accounting at the end. With no attackers the engine builds
// none of this, so runs without attackers are unchanged.
import { BadDebtFarmer } from '../../agents/bad-debt-farmer.js';
import { GovernanceAttacker } from '../../agents/governance-attacker.js';
import { InsuranceDrainer } from '../../agents/insurance-drainer.js';
import { LiquidationHunter } from '../../agents/liquidation-hunter.js';
import { OracleManipulator } from '../../agents/oracle-manipulator.js';
import { StaleOracleFrontRunner } from '../../agents/stale-oracle-front-runner.js';
import type { PreTradeAgent, PreTradeView, ProposeAction, SpotHoldings, SwapAction } from '../../agents/types.js';
import { AccountKind, type AccountKindCode } from '../core/accounts.js';
import { AttackLedger, attackReport, type AttackReport } from './attack-ledger.js';
import type { Config } from '../config/index.js';
import type { DecisionRound } from '../core/protocol.js';
import type { PerpVenue } from '../perp/perp-venue.js';
import type { Stream } from '../core/rng.js';
import type { SpotPool } from '../market/spot-pool.js';

/** Appends each attacker's accounts (two for the colluding pairs, one otherwise) to the layout; returns their ids per attacker. */
export function layoutAttackers(cfg: Config['attackers'], kinds: AccountKindCode[]): number[][] {
  // Accounts per attacker: the farmer's longs and its short, a pair for the manipulator and the drainer, one otherwise.
  const count = (a: Config['attackers'][number]) =>
    a.kind === 'bad-debt-farmer'
      ? a.accounts + 1
      : a.kind === 'oracle-manipulator' || a.kind === 'insurance-drainer'
        ? 2
        : 1;
  return cfg.map((a) => Array.from({ length: count(a) }, () => kinds.push(AccountKind.attacker) - 1));
}

/** The actions of the attackers' rounds before the oracle. */
export type PreTradeAction = SwapAction | ProposeAction;

export class AttackSet {
  readonly agents: (
    | OracleManipulator
    | InsuranceDrainer
    | LiquidationHunter
    | BadDebtFarmer
    | GovernanceAttacker
    | StaleOracleFrontRunner
  )[];
  readonly ledger: AttackLedger;

  constructor(
    private readonly cfg: Config,
    ids: readonly number[][],
    private readonly pool: SpotPool,
    /** The honest traders' accounts (the governance attacker's victims exit through them). */
    traderIds: readonly number[],
    /** The run's random stream of a concern (as the world names it). */
    stream: (name: string) => Stream,
  ) {
    const cap = cfg.breakers.openInterest.maxPerSideUsd;
    this.agents = cfg.attackers.map((a, k) => {
      switch (a.kind) {
        case 'oracle-manipulator':
          return new OracleManipulator(a, ids[k][0], ids[k][1], cap, k);
        case 'insurance-drainer':
          return new InsuranceDrainer(a, ids[k][0], ids[k][1]);
        case 'liquidation-hunter':
          return new LiquidationHunter(a, ids[k][0]);
        case 'bad-debt-farmer':
          return new BadDebtFarmer(a, ids[k].slice(0, -1), ids[k][ids[k].length - 1]);
        case 'governance-attacker':
          return new GovernanceAttacker(
            a,
            ids[k][0],
            traderIds,
            cfg.governance.minDelaySteps,
            stream(`attacker.${k}.exits`),
          );
        case 'stale-oracle-front-runner':
          return new StaleOracleFrontRunner(a, ids[k][0]);
      }
    });
    this.ledger = new AttackLedger(this.agents.length);
  }

  /**
   * A round of the attackers that act before the oracle reads the market: `propose` (governance
   * proposals, at the start of the step) or `spot` (spot-pool orders, after the pool's arbitrage).
   * Attackers decide in list order and their actions apply in that order (no shuffle: the round's
   * order is part of the model, as before any agent trades).
   */
  preTradeRound(phase: 'propose' | 'spot', view: PreTradeView): DecisionRound<PreTradeView, PreTradeAction> {
    const agents = this.agents.filter((a) =>
      phase === 'propose' ? a instanceof GovernanceAttacker : a instanceof OracleManipulator,
    ) as PreTradeAgent[];
    return { agents: agents.map((a) => ({ decide: (v, out) => a.decidePreTrade(phase, v, out) })), view };
  }

  /** Executes an attacker's spot order in the pool and books it in the ledger. */
  swap(action: SwapAction): void {
    this.ledger.swap(action.attacker, this.pool, action.units);
  }

  /** The spot position of attacker `k`. */
  holdings(k: number): Readonly<SpotHoldings> {
    return this.ledger.holdings[k];
  }

  report(venue: PerpVenue, indexPriceUsd: number): AttackReport {
    const deposited = this.agents.reduce((s, a) => s + a.depositedUsd, 0);
    const capital = this.cfg.attackers.reduce((s, a) => s + a.capitalUsd, 0);
    return attackReport(venue, this.ledger, deposited, capital, indexPriceUsd, this.cfg.protocol.insuranceFundUsd);
  }
}
