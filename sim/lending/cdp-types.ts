// The CDP stablecoin family's shared types (MakerDAO Liquidations 2.0 style): the resolved parameters
// of the collateral types (ilks), their auctions and the Vow, the refusal reasons, the auction records
// and the results of the kernel's operations. Types and constants only: the arithmetic lives in
// cdp-vaults.ts (vaults, fees, bark), cdp-auctions.ts (Dutch and English auctions) and cdp-vow.ts.
// Collateral amounts are in the ilk's units, stablecoin amounts in stablecoin units (taken as $1),
// governance-token amounts in its units; floats, an economic model, not EVM-exact integers.

/** Maker Clipper: a falling-price (Dutch) auction of the collateral, taken in any size. */
export interface DutchAuctionParams {
  readonly kind: 'dutch';
  /** Starting price multiplier over the OSM price (buf, 1.20 for ETH-B). */
  readonly buf: number;
  /** Stairstep: seconds between price cuts (step, 60). */
  readonly stepSeconds: number;
  /** Stairstep: price multiplier per step (cut, 0.99). */
  readonly cut: number;
  /** Price curve: StairstepExponentialDecrease or LinearDecrease. */
  readonly curve: 'stairstep' | 'linear';
  /** Linear: seconds from top to a price of 0 (tau). */
  readonly tauSeconds: number;
  /** Seconds after which the auction needs a redo (tail, 5400 = 90 min). */
  readonly tailSeconds: number;
  /** Price / top below which the auction needs a redo (cusp, 0.40). */
  readonly cusp: number;
  /** Flat keeper incentive per kick or redo, stablecoin units (tip, 300). */
  readonly tip: number;
  /** Proportional keeper incentive, share of the tab (chip, 0.001). */
  readonly chip: number;
}

/** Maker Flipper (Liquidations 1.2): a rising-bid then falling-lot (English) auction. */
export interface EnglishAuctionParams {
  readonly kind: 'english';
  /** Seconds a bid stands before the auction can be dealt (ttl). */
  readonly bidDurationSeconds: number;
  /** Seconds from kick after which no more bids are taken (tau). */
  readonly auctionLengthSeconds: number;
  /** Minimum bid increment as a multiplier (beg, 1.03). */
  readonly minBidIncrement: number;
}

export type AuctionParams = DutchAuctionParams | EnglishAuctionParams;

/** One collateral type (ilk), resolved from the config. */
export interface IlkParams {
  readonly name: string;
  /** Liquidation ratio (mat, > 1; 1.30 for ETH-B): a vault is safe while ink x price / mat >= debt. */
  readonly liquidationRatio: number;
  /** Stability fee per year (fraction, compounded per second as Maker's duty is). */
  readonly stabilityFeePerYear: number;
  /** Liquidation penalty as a multiplier (chop, 1.13): the auction raises debt x chop. */
  readonly chop: number;
  /** Smallest debt a vault may hold other than 0, stablecoin units (dust). */
  readonly dustUsd: number;
  /** Per-ilk cap on the tabs of auctions in flight, stablecoin units (ilk.hole, 15M). */
  readonly hole: number;
  readonly auction: AuctionParams;
}

/** The CDP system's rules, resolved from the config. */
export interface CdpParams {
  readonly ilks: readonly IlkParams[];
  /** Global cap on the tabs of auctions in flight, stablecoin units (Hole, 100M). */
  readonly Hole: number;
  /** Surplus the Vow keeps before selling any in a surplus auction, stablecoin units (hump). */
  readonly surplusBufferUnits: number;
  /** Most governance tokens one debt auction may mint (dump / the starting lot), units. */
  readonly debtAuctionLotUnits: number;
  /** System debt one debt auction covers (sump), stablecoin units. */
  readonly debtAuctionSizeUnits: number;
  /** Seconds per step (stability-fee accrual by drip). */
  readonly stepSeconds: number;
  /** ClipperMom: the breaker may be tripped when the OSM's next price < current x this (0.5). */
  readonly breakerTolerance: number;
}

/** Why the kernel refused an operation: a returned value, never an exception. */
export const CDP_REFUSALS = [
  'empty',
  'no-collateral',
  'unsafe',
  'dust',
  'no-debt',
  'safe',
  'stopped',
  'liquidation-limit',
  'dust-room',
  'null-auction',
  'not-running',
  'wrong-kind',
  'needs-redo',
  'cannot-reset',
  'too-expensive',
  'no-partial',
  'ended',
  'bid-too-low',
  'bid-above-tab',
  'not-tend-phase',
  'not-dent-phase',
  'lot-not-lower',
  'not-finished',
  'no-bid',
  'has-bid',
  'surplus-left',
  'no-bidder',
  'no-surplus',
  'unhealed',
  'not-tripped',
] as const;
export type CdpRefusal = (typeof CDP_REFUSALS)[number];

/** An auction in flight or finished (both kinds share the record; `kind` says which fields matter). */
export interface CdpAuction {
  readonly id: number;
  readonly kind: 'dutch' | 'english';
  readonly ilk: number;
  /** The liquidated vault, whose owner gets any collateral back. */
  readonly vault: number;
  /** Whether the auction is still running (false once settled). */
  active: boolean;
  /** Debt moved to the Vow's system debt at the kick (dart x rate), stablecoin units. */
  readonly due: number;
  /** Stablecoin still to raise (Dutch: falls with each take; English: fixed at kick), units. */
  tab: number;
  /** Collateral for sale, units (English: falls in the dent phase). */
  lot: number;
  /** What this auction still adds to the ilk's and the global in-flight sums (dirt, Dirt), stablecoin units. */
  dirt: number;
  /** Stablecoin paid into the Vow by this auction so far, units. */
  paid: number;
  /** Dutch: the starting price, USD per collateral unit (top). */
  top: number;
  /** Dutch: the time of the kick or of the last redo, seconds (tic). */
  startSeconds: number;
  /** English: the standing bid in stablecoin (tend phase; = tab in dent). */
  bid: number;
  /** English: whether someone has bid. */
  hasBid: boolean;
  /** English: when the standing bid wins if not outbid, seconds (tic; Infinity without a bid). */
  bidExpirySeconds: number;
  /** English: when the auction stops taking bids, seconds since the kick or last tick (end). */
  endSeconds: number;
}

/** What a bark (liquidation kick) did. */
export interface BarkResult {
  /** The auction's id (index in CdpVaults.auctions). */
  auction: number;
  /** Normalized debt taken from the vault (dart). */
  dart: number;
  /** Collateral taken from the vault into the auction (dink), units. */
  dink: number;
  /** Debt moved to the Vow's system debt (dart x rate), stablecoin units. */
  due: number;
  /** Stablecoin the auction must raise (due x chop). */
  tab: number;
  /** Keeper incentive minted to the kicker (tip + tab x chip; 0 for English auctions), stablecoin units. */
  incentive: number;
}

/** What a Dutch take did. */
export interface TakeResult {
  /** Collateral bought, units. */
  collateral: number;
  /** Stablecoin paid (burned against the system debt), units. */
  paid: number;
  /** The price paid, USD per collateral unit. */
  priceUsd: number;
  /** Collateral returned to the vault owner because the tab was fully paid, units. */
  returned: number;
  /** Whether the auction ended with this take. */
  finished: boolean;
}

/** What settling an auction left behind. */
export interface SettleResult {
  /** Collateral handed to the winner, units. */
  collateral: number;
  /** Stablecoin the auction raised in all, units. */
  raised: number;
  /** Tab not raised (tab - raised, at least 0), stablecoin units. */
  shortfall: number;
  /** Of the debt moved to sin at the kick, what the auction did not recover (due - raised, at least 0): bad debt left in sin. */
  badDebt: number;
}

/** What a debt auction (flop) did. */
export interface FlopResult {
  /** Governance tokens minted to the buyer (dilution), units. */
  minted: number;
  /** Stablecoin received and burned against the system debt, units. */
  raised: number;
}

/** What a surplus auction (flap) did. */
export interface FlapResult {
  /** Stablecoin sold out of the surplus, units. */
  sold: number;
  /** Governance tokens bought and burned, units. */
  burned: number;
}
