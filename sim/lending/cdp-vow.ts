// The CDP kernel's Vow, functions of the CdpVaults state: heal (surplus and system debt cancel), the
// surplus buffer (hump) and a surplus auction above it, and debt auctions (flop) that mint
// governance tokens for stablecoin to cover system debt the surplus cannot. Refusals are returned,
// never thrown. The buyers of the Vow's auctions are modelled, not agents: they trade at the
// governance-token price the caller passes, and the kernel checks no wallet.
//
// As in Maker, the Vow's auctions need the books healed first and refuse otherwise.
//
// Simplifications of Maker's Vow: no sin queue (fess, flog, wait: bad debt is healable at once); a
// debt auction's bidders compete the lot down to the fair sump / price (capped at the lot, dump),
// rather than bidding over time; the surplus auction sells everything above the buffer at once
// rather than a fixed bump per auction.
import type { CdpVaults } from './cdp-vaults.js';
import type { CdpRefusal, FlapResult, FlopResult } from './cdp-types.js';

/** The Vow's system debt (sin), stablecoin units. */
export function systemDebtUnits(cdp: CdpVaults): number {
  return cdp.sin;
}

/** The Vow's surplus (Joy), stablecoin units. */
export function surplusUnits(cdp: CdpVaults): number {
  return cdp.surplus;
}

/** Cancels up to `units` (all it can by default) of surplus against system debt; returns the amount healed. */
export function heal(cdp: CdpVaults, units = Infinity): number {
  const x = Math.max(0, Math.min(units, cdp.sin, cdp.surplus));
  if (!(x > 0)) return 0;
  cdp.sin = x === cdp.sin ? 0 : cdp.sin - x;
  cdp.surplus = x === cdp.surplus ? 0 : cdp.surplus - x;
  cdp.turnover += x;
  return x;
}

/**
 * A debt auction (Maker Flopper): when the Vow holds no surplus (heal first, as Maker requires) and
 * the system debt is at least sump, buyers pay sump of stablecoin (burned against sin) for sump /
 * govPriceUsd governance tokens, minted (dilution). Refused, with nothing changed: 'surplus-left'
 * (heal first), 'no-debt' (sin below sump), 'no-bidder' (the fair lot exceeds debtAuctionLotUnits,
 * or the price is not positive).
 */
export function flop(cdp: CdpVaults, govPriceUsd: number): FlopResult | CdpRefusal {
  const sump = cdp.params.debtAuctionSizeUnits;
  if (cdp.surplus > 0) return 'surplus-left';
  if (!(sump > 0) || cdp.sin < sump) return 'no-debt';
  if (!(govPriceUsd > 0)) return 'no-bidder';
  const minted = sump / govPriceUsd;
  if (minted > cdp.params.debtAuctionLotUnits) return 'no-bidder';
  cdp.payToVow(sump);
  cdp.govMinted += minted;
  return { minted, raised: sump };
}

/** Surplus above the buffer and the system debt: surplus - sin - hump (what a surplus auction may sell), units. */
export function surplusAboveBuffer(cdp: CdpVaults): number {
  return cdp.surplus - cdp.sin - cdp.params.surplusBufferUnits;
}

/**
 * A surplus auction (Maker Flapper, all at once): with no system debt left (heal first, as Maker
 * requires), sells the surplus above the buffer (hump) for governance tokens at `govPriceUsd`, which
 * are burned; the stablecoin goes out to the buyers. Refused, with nothing changed: 'unhealed' (sin
 * and surplus both held), 'no-surplus' (nothing above the buffer), 'no-bidder' (price not positive).
 */
export function flap(cdp: CdpVaults, govPriceUsd: number): FlapResult | CdpRefusal {
  if (cdp.sin > 0 && cdp.surplus > 0) return 'unhealed';
  const sold = surplusAboveBuffer(cdp);
  if (!(sold > 0)) return 'no-surplus';
  if (!(govPriceUsd > 0)) return 'no-bidder';
  cdp.surplus -= sold;
  cdp.supply += sold;
  cdp.turnover += sold;
  const burned = sold / govPriceUsd;
  cdp.govBurned += burned;
  return { sold, burned };
}
