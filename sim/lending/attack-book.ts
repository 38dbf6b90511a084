// The lending attackers' books: each attacker's wallet outside the pool (USD and asset units), what
// its trades cost it, and the governance proposals it makes, checked against the `governance`
// section's steward bounds (sim/controls/governance.ts) and applied to the pool's reserve
// parameters when their timelock ends. The protocol calls it; it decides nothing.
import { cpmmSellProceedsUsd } from '../../agents/lending/liquidators.js';
import type { Config } from '../config/index.js';
import { Governance } from '../controls/governance.js';
import type { SpotPool } from '../market/spot-pool.js';
import type { LendingPool } from './pool.js';
import type { GovernableReserveField, LendingAction, ReserveParams } from './types.js';
import type { LendingLayout } from './world.js';

/** An attacker's wallet outside the pool. */
export interface Wallet {
  usd: number;
  readonly units: Float64Array;
  readonly capitalUsd: number;
  /** DEX fees and slippage against the pre-trade price, USD. */
  costUsd: number;
}

export class AttackBook {
  readonly wallets: Wallet[];
  readonly governance: Governance<string>;
  private readonly governed = new Map<string, { asset: number; field: GovernableReserveField }>();

  constructor(
    lc: NonNullable<Config['lending']>,
    governance: Config['governance'],
    private readonly layout: LendingLayout,
  ) {
    const A = layout.assetNames.length;
    this.wallets = lc.attackers.map((a) => ({
      usd: a.capitalUsd,
      units: new Float64Array(A),
      capitalUsd: a.capitalUsd,
      costUsd: 0,
    }));
    this.governance = new Governance<string>(governance);
  }

  /** The wallet of a pool account that belongs to an attacker, else undefined. */
  walletOf(account: number): Wallet | undefined {
    const k = this.layout.attackers.indexOf(account);
    return k < 0 ? undefined : this.wallets[k];
  }

  /** Takes `units` of an asset from a wallet; what it lacks it buys outside at the market price. */
  spend(w: Wallet, asset: number, units: number, marketPriceUsd: Float64Array): void {
    const held = Math.min(units, Math.max(0, w.units[asset]));
    w.units[asset] -= held;
    w.usd -= (units - held) * marketPriceUsd[asset];
  }

  /** Copies each wallet's USD into the agents' view. */
  showWallets(into: Float64Array): void {
    for (let k = 0; k < this.wallets.length; k++) into[k] = this.wallets[k].usd;
  }

  /** A proposal: queued or refused by the steward bounds against the reserve's current value. */
  propose(x: Extract<LendingAction, { kind: 'propose' }>, pool: LendingPool, step: number): void {
    const path = `lending.assets.${this.layout.assetNames[x.asset]}.${x.field}`;
    this.governed.set(path, { asset: x.asset, field: x.field });
    this.governance.propose(
      { step, path, value: x.value, delaySteps: x.delaySteps },
      pool.params.reserves[x.asset][x.field],
    );
  }

  /** Applies the changes whose timelock ends at `step`; one that breaks LTV <= threshold, threshold x bonus <= 1 or bonus >= 1 is rejected. */
  applyDue(step: number, pool: LendingPool): void {
    for (const change of this.governance.due(step)) {
      const { asset, field } = this.governed.get(change.path)!;
      // The protocol owns its parameters: a governance change is the one place they move during a run.
      const r = pool.params.reserves[asset] as { -readonly [K in keyof ReserveParams]: ReserveParams[K] };
      const next = { ...r, [field]: change.value };
      const reason =
        next.ltv > next.liquidationThreshold + 1e-12
          ? `LTV ${next.ltv} would be above the threshold ${next.liquidationThreshold}`
          : next.liquidationThreshold * next.liquidationBonus > 1 + 1e-12
            ? `threshold x bonus ${next.liquidationThreshold * next.liquidationBonus} would be above 1`
            : next.liquidationBonus < 1
              ? `bonus ${next.liquidationBonus} below 1`
              : undefined;
      if (reason === undefined) r[field] = change.value;
      this.governance.record(step, change.path, change.value, reason === undefined, reason);
    }
  }

  /**
   * The attackers' profit and cost at the end: what each wallet holds, valued at what selling it into
   * the DEX pools would fetch, plus its equity left in the pool when positive (it would repay and
   * withdraw), less its capital; the cost is its DEX fees, slippage and gas.
   */
  outcome(
    pool: LendingPool,
    dex: readonly SpotPool[],
    marketPriceUsd: Float64Array,
  ): { profitUsd: number; costUsd: number } {
    const A = this.layout.assetNames.length;
    let profitUsd = 0;
    let costUsd = 0;
    this.wallets.forEach((w, k) => {
      let held = w.usd;
      for (let a = 0; a < A; a++) held += cpmmSellProceedsUsd(dex[a].reserves, dex[a].feeRate, w.units[a]);
      const i = this.layout.attackers[k];
      let equity = 0;
      for (let a = 0; a < A; a++) equity += (pool.supplyUnits(i, a) - pool.debtUnits(i, a)) * marketPriceUsd[a];
      profitUsd += held + Math.max(0, equity) - w.capitalUsd;
      costUsd += w.costUsd;
    });
    return { profitUsd, costUsd };
  }
}
