// The CDP world at step 0 (issue 16): the vault layout (the vault owners' vaults 0..V-1, then the
// stablecoin arbitrageurs' vault V, of ilk 0) and the genesis positions opened through the kernel's
// own rules (lock, then draw), the owners' collateral reserves, the agents' wallets and the holders'
// float. Pure; no I/O.
//
// The Vow's initial surplus: the kernel's books (supply + surplus = vault debt + sin) take a surplus
// only with debt behind it, so the arbitrage vault draws it at genesis and pays it into the Vow
// (payToVow: with no sin it all becomes surplus): the system's own capital, as Maker's surplus is
// past fees. The arbitrage vault draws at least the ilk's dust; what it drew beyond the surplus is
// the arbitrageurs' inventory of coins. The keepers' and attackers' coins are drawn by the same vault
// (they bought them from the arbitrageurs before the run), so the holders' float at step 0 is the
// coins the owners drew and sold.
import type { CdpConfig } from '../config/index.js';
import type { Stream } from '../core/rng.js';
import type { CdpVaults } from './cdp-vaults.js';

export interface CdpLayout {
  /** Collateral names in the config's key order (ilk indices). */
  readonly ilkNames: readonly string[];
  /** The vault owners' ilk. */
  readonly ownerIlk: number;
  /** Number of owners' vaults (0..ownerVaults-1). */
  readonly ownerVaults: number;
  /** The arbitrage vault's index (the last). */
  readonly arbVault: number;
  /** Each vault's ilk (the arbitrage vault: ilk 0). */
  readonly vaultIlks: Int32Array;
}

export function cdpLayout(c: CdpConfig): CdpLayout {
  const ilkNames = Object.keys(c.collateral);
  const ownerIlk = ilkNames.indexOf(c.vaultOwners.collateral);
  const ownerVaults = c.vaultOwners.count;
  const vaultIlks = new Int32Array(ownerVaults + 1).fill(ownerIlk);
  vaultIlks[ownerVaults] = 0;
  return { ilkNames, ownerIlk, ownerVaults, arbVault: ownerVaults, vaultIlks };
}

/** The step-0 wallets and float the protocol starts from. */
export interface CdpGenesis {
  /** Per owner's vault: whether its owner manages its ratio (1) or never acts (0). */
  readonly managed: Uint8Array;
  /** Per owner's vault: collateral held outside the vault, units. */
  readonly ownerReserveUnits: Float64Array;
  /** Coins the arbitrageurs hold (drawn at genesis beyond the surplus), units. */
  readonly arbInventoryUnits: number;
  /** Coins the vault owners drew and sold to the holders at step 0, units. */
  readonly ownerDrawnUnits: number;
}

/**
 * Opens every vault at the kernel's prices (set before: cdp.priceUsd = the initial market prices):
 * each owner's debt lognormal around debtUsd, its ratio uniform in [minRatio, maxRatio], ink =
 * debt x ratio / price, a draw the kernel refuses (below dust) leaving the vault with collateral
 * only. Then the arbitrage vault: it draws the initial surplus (paid into the Vow), at least dust,
 * and `agentCoinsUnits` (the keepers' and attackers' coins, handed to them by the caller).
 */
export function openCdpGenesis(
  cdp: CdpVaults,
  c: CdpConfig,
  layout: CdpLayout,
  streams: { vaults: Stream; managed: Stream },
  arbCollateralUsd: number,
  agentCoinsUnits: number,
): CdpGenesis {
  const o = c.vaultOwners;
  const price = cdp.priceUsd[layout.ownerIlk];
  const managed = new Uint8Array(layout.ownerVaults);
  const reserve = new Float64Array(layout.ownerVaults);
  let drawn = 0;
  for (let v = 0; v < layout.ownerVaults; v++) {
    const debt = o.debtUsd * Math.exp(o.debtSigma * streams.vaults.normal());
    const ratio = o.minRatio + (o.maxRatio - o.minRatio) * streams.vaults.uniform();
    managed[v] = streams.managed.uniform() < o.managedShare ? 1 : 0;
    const ink = (debt * ratio) / price;
    if (!(ink > 0)) continue;
    cdp.open(v, ink);
    reserve[v] = o.collateralReserveShare * ink;
    // The ratio is at least the liquidation ratio; a hair below debt guards the float rounding of the check.
    const units = debt * (1 - 1e-12);
    if (cdp.draw(v, units) === undefined) drawn += units;
  }
  const arb = layout.arbVault;
  const p0 = cdp.priceUsd[0];
  cdp.open(arb, arbCollateralUsd / p0);
  const dust = cdp.params.ilks[0].dustUsd;
  const first = Math.max(c.initialSurplusUnits, dust, 1);
  const r = cdp.draw(arb, first + agentCoinsUnits);
  if (r !== undefined) throw new Error(`openCdpGenesis: the arbitrage vault's first draw was refused (${r})`);
  if (c.initialSurplusUnits > 0) cdp.payToVow(c.initialSurplusUnits);
  return {
    managed,
    ownerReserveUnits: reserve,
    arbInventoryUnits: first - c.initialSurplusUnits,
    ownerDrawnUnits: drawn,
  };
}
