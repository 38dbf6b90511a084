// The CDP family's run contract (issue 16): what its agents see each step (CdpView) and the actions
// they may ask for (CdpAction), between the protocol (sim/lending/cdp-protocol.ts) and the agents
// (agents/cdp/). Types only. Indices: vaults 0..V-1 (the vault owners' vaults, then the arbitrage
// vault), collateral types (ilks) 0..K-1 in the config's key order, keepers 0..N-1, attackers 0..M-1.
import type { SpotPool } from '../market/spot-pool.js';
import type { CdpVaults } from './cdp-vaults.js';

/** Who acts in an auction: a keeper (its index) or an attacker (its index in cdp.attackers). */
export type CdpBidder = { readonly keeper: number } | { readonly attacker: number };

export type CdpAction =
  /** Kick a liquidation auction of an unsafe vault (Dog.bark); a Dutch kick pays the kicker tip + chip. */
  | { readonly kind: 'bark'; readonly keeper: number; readonly vault: number }
  /** Buy up to `maxCollateral` of a Dutch lot at the current price if it is at most `maxPriceUsd` (Clipper.take). */
  | {
      readonly kind: 'take';
      readonly keeper: number;
      readonly auction: number;
      readonly maxCollateral: number;
      readonly maxPriceUsd: number;
    }
  /** Reset a Dutch auction past tail or cusp (Clipper.redo); pays the caller tip + chip. */
  | { readonly kind: 'redo'; readonly keeper: number; readonly auction: number }
  /** English tend: bid `bidUnits` of stablecoin for the whole lot. */
  | { readonly kind: 'tend'; readonly bidder: CdpBidder; readonly auction: number; readonly bidUnits: number }
  /** English dent: accept `lotUnits` of collateral for the whole tab. */
  | { readonly kind: 'dent'; readonly bidder: CdpBidder; readonly auction: number; readonly lotUnits: number }
  /** A vault owner buys `units` of stablecoin on its market and repays (wipes) them. */
  | { readonly kind: 'repay'; readonly vault: number; readonly units: number }
  /** A vault owner locks `units` more collateral from its reserve outside the vault. */
  | { readonly kind: 'addCollateral'; readonly vault: number; readonly units: number }
  /** A vault owner draws `units` more debt and sells the stablecoin on its market (re-levering). */
  | { readonly kind: 'draw'; readonly vault: number; readonly units: number }
  /** An attacker (a zero bidder) kicks an unsafe vault's auction; a Dutch kick pays it tip + chip. */
  | { readonly kind: 'attackerBark'; readonly attacker: number; readonly vault: number }
  /** An attacker (a zero bidder) buys up to `maxCollateral` of a Dutch lot at the current price if at most `maxPriceUsd`. */
  | {
      readonly kind: 'attackerTake';
      readonly attacker: number;
      readonly auction: number;
      readonly maxCollateral: number;
      readonly maxPriceUsd: number;
    }
  /** A peg attacker buys stablecoin with `usd` of its capital at the market price. */
  | { readonly kind: 'pegBuy'; readonly attacker: number; readonly usd: number }
  /** A peg attacker sells `units` of the stablecoin it holds at the market price. */
  | { readonly kind: 'pegSell'; readonly attacker: number; readonly units: number };

/** What every agent reads in a step (read-only by convention: only the protocol mutates). */
export interface CdpView {
  readonly step: number;
  /** Time now, seconds (the auctions' clock). */
  readonly nowSeconds: number;
  /** The kernel: vaults, rates, auctions (read only). Its priceUsd is the OSM's current price per ilk. */
  readonly cdp: CdpVaults;
  /** Market price per ilk, USD per collateral unit. */
  readonly marketPriceUsd: Float64Array;
  /** Each ilk's DEX pool, where keepers sell collateral (read only: agents quote it, the protocol trades). */
  readonly dex: readonly SpotPool[];
  /** The stablecoin's market price, USD (last step's clearing). */
  readonly stablePriceUsd: number;
  /** A keeper transaction's gas cost this step, USD (keepers.gasUsd x the gasSpike multiplier). */
  readonly gasUsd: number;
  /** The gasSpike multiplier this step (1 without one). */
  readonly gasMultiplier: number;
  /** Share of the keepers out of action this step (liquidatorOutage shocks; the first ones by index). */
  readonly keeperOutage: number;
  /** Each keeper's stablecoin, units. */
  readonly keeperStableUnits: Float64Array;
  /** Unsafe vaults at the OSM price not yet in an auction, ascending (the protocol's scan this step). */
  readonly unsafe: readonly number[];
  /** Running auctions' ids, ascending. */
  readonly activeAuctions: readonly number[];
  /** Each vault owner's collateral held outside its vault (reserve for top-ups), units. */
  readonly ownerReserveUnits: Float64Array;
  /** Each attacker's stablecoin, units. */
  readonly attackerStableUnits: Float64Array;
  /** Each attacker's USD not in the stablecoin. */
  readonly attackerUsd: Float64Array;
}
