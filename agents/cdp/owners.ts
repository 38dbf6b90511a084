// CDP vault owners (issue 16, "Agents"): one decider for every owner vault of the run. Passive vaults
// never act; a managed vault whose collateral ratio at the OSM price (what the protocol liquidates on)
// falls below triggerRatio restores targetRatio, part by repaying debt (buying the stablecoin on its
// market) and the rest by locking collateral from its reserve; a re-optimizing owner draws more debt
// back to the target when the ratio is above releverRatio. It reads the view and appends actions; it
// never mutates the kernel, and draws exactly one uniform per managed vault per step (acting or not),
// so the owners' stream stays aligned across parameter cells (common random numbers).
import type { Decider } from '../../sim/core/protocol.js';
import type { Stream } from '../../sim/core/rng.js';
import type { CdpConfig } from '../../sim/config/cdp.js';
import type { CdpAction, CdpView } from '../../sim/lending/cdp-run-types.js';

/** The owners' rule parameters (cdp.vaultOwners). */
export type VaultOwnersOptions = Pick<
  CdpConfig['vaultOwners'],
  'triggerRatio' | 'targetRatio' | 'repayShare' | 'releverRatio' | 'reactionProbability'
>;

/** A vault's fix toward the target ratio: stablecoin to repay and collateral to lock, units. */
export interface RatioFix {
  repayUnits: number;
  addUnits: number;
}

/**
 * The fix that brings a vault of `inkUnits` collateral and `debtUnits` debt at `priceUsd` to
 * `targetRatio`: the gap G = target x debt - ink x price (USD of collateral value missing at the
 * target) is closed repayShare by repaying (each unit repaid closes target of it: repay = share x G /
 * target) and the rest by collateral (add = (1 - share) x G / price), the collateral capped by
 * `reserveUnits` and what it cannot add repaid instead. A repay that would leave a debt below `dustUnits`
 * (other than 0) repays the whole debt and adds nothing. Zero fix when the vault is at or above the target.
 */
export function ratioFix(
  inkUnits: number,
  debtUnits: number,
  priceUsd: number,
  targetRatio: number,
  repayShare: number,
  reserveUnits: number,
  dustUnits: number,
): RatioFix {
  const gap = targetRatio * debtUnits - inkUnits * priceUsd;
  if (!(gap > 0) || !(debtUnits > 0)) return { repayUnits: 0, addUnits: 0 };
  // The collateral's share as gap - repayShare x gap (not (1 - share) x gap): exact for round figures.
  const addWanted = (gap - repayShare * gap) / priceUsd;
  let addUnits = priceUsd > 0 ? Math.min(Math.max(0, reserveUnits), addWanted) : 0;
  if (!(addUnits > 0)) addUnits = 0;
  let repayUnits = (gap - addUnits * priceUsd) / targetRatio;
  if (repayUnits >= debtUnits || (repayUnits > 0 && debtUnits - repayUnits < dustUnits)) {
    repayUnits = debtUnits;
    addUnits = 0;
  }
  return { repayUnits, addUnits };
}

/**
 * Stablecoin a re-optimizing owner draws to bring a vault above `releverRatio` back down to
 * `targetRatio`: ink x price / target - debt (0 when re-levering is off or the vault is not above it).
 */
export function releverUnits(
  inkUnits: number,
  debtUnits: number,
  priceUsd: number,
  targetRatio: number,
  releverRatio: number,
): number {
  if (!(releverRatio > 0) || !(debtUnits > 0)) return 0;
  if (!((inkUnits * priceUsd) / debtUnits > releverRatio)) return 0;
  return Math.max(0, (inkUnits * priceUsd) / targetRatio - debtUnits);
}

/**
 * All owner vaults 0..vaults-1 (of ilk `ilk`) in one decider. Each step, for each managed vault in
 * index order, it draws one uniform u; it then skips the vault if it has no debt or an auction of it
 * is running; otherwise, with ratio r = ink x OSM price / debt: r < triggerRatio and u <
 * reactionProbability → repay and/or addCollateral (ratioFix); r > releverRatio > 0 and u <
 * reactionProbability → draw (releverUnits).
 */
export class VaultOwners implements Decider<CdpView, CdpAction> {
  readonly name = 'cdp-vault-owners';
  /** The managed vaults, ascending. */
  readonly managedVaults: Int32Array;
  /** Vaults with a running auction this step (reused). */
  private readonly inAuction: Uint8Array;

  constructor(
    private readonly opts: VaultOwnersOptions,
    vaults: number,
    private readonly ilk: number,
    managed: Uint8Array,
    private readonly stream: Stream,
  ) {
    const list: number[] = [];
    for (let v = 0; v < vaults; v++) if (managed[v] === 1) list.push(v);
    this.managedVaults = Int32Array.from(list);
    this.inAuction = new Uint8Array(vaults);
  }

  decide(view: CdpView, out: CdpAction[]): void {
    const list = this.managedVaults;
    if (list.length === 0) return;
    const cdp = view.cdp;
    const o = this.opts;
    const flags = this.inAuction;
    const marked: number[] = [];
    for (const id of view.activeAuctions) {
      const v = cdp.auctions[id]?.vault;
      if (v !== undefined && v < flags.length && flags[v] === 0) {
        flags[v] = 1;
        marked.push(v);
      }
    }
    const price = cdp.priceUsd[this.ilk];
    const dust = cdp.params.ilks[this.ilk].dustUsd;
    for (let j = 0; j < list.length; j++) {
      const v = list[j];
      // The draw comes first and always: a fixed number of draws per step (common random numbers).
      const u = this.stream.uniform();
      if (flags[v] === 1) continue;
      const debt = cdp.debtOf(v);
      if (!(debt > 0) || !(price > 0)) continue;
      if (!(u < o.reactionProbability)) continue;
      const ink = cdp.ink[v];
      const ratio = (ink * price) / debt;
      if (ratio < o.triggerRatio) {
        const reserve = view.ownerReserveUnits[v] ?? 0;
        const fix = ratioFix(ink, debt, price, o.targetRatio, o.repayShare, reserve, dust);
        if (fix.repayUnits > 0) out.push({ kind: 'repay', vault: v, units: fix.repayUnits });
        if (fix.addUnits > 0) out.push({ kind: 'addCollateral', vault: v, units: fix.addUnits });
      } else {
        const units = releverUnits(ink, debt, price, o.targetRatio, o.releverRatio);
        if (units > 0) out.push({ kind: 'draw', vault: v, units });
      }
    }
    for (const v of marked) flags[v] = 0;
  }
}
