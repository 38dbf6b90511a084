// The CDP stablecoin's market price (issue 16): each step the outstanding supply clears against the
// holders' demand, an exogenous demand at the peg that falls with the price (constant elasticity),
// plus this step's net flow of vault owners (forced buy-backs to repay debt add demand, new debt sold
// adds supply), and arbitrageurs with finite capital who lean against the deviation from $1 (they sell
// newly minted coins above the peg and buy below it, up to their capital). A depeg is then an outcome:
// a crash that forces vaults to buy back pushes the price above $1; a flight of holders pushes it below.
// Pure arithmetic on numbers given; no state of its own beyond the arbitrageurs' inventory. No I/O.

/** How the stablecoin's market clears. */
export interface StablecoinMarketParams {
  /** Price elasticity of the holders' demand (> 0): demand at price p is demandAtPeg x p^-elasticity. */
  readonly elasticity: number;
  /** USD the arbitrageurs can put to work in one step (minting and selling above $1, buying below). */
  readonly arbitrageCapitalUsdPerStep: number;
  /** The price never leaves [minPriceUsd, maxPriceUsd] (a market with no buyers or no sellers at all). */
  readonly minPriceUsd: number;
  readonly maxPriceUsd: number;
}

/** One step's clearing. */
export interface Clearing {
  /** The market price, USD per coin. */
  priceUsd: number;
  /** Coins the arbitrageurs sold (positive, above the peg) or bought (negative, below it) this step. */
  arbitrageUnits: number;
}

/**
 * The price at which holders' demand `demandAtPeg x p^-e` plus the vault owners' net buying `netBuyUnits`
 * absorbs `supplyUnits` (p = (demandAtPeg / (supply - netBuy))^(1/e)), before arbitrage, clamped to the
 * price bounds (no float of coins left to holders: the highest price).
 */
export function clearingPriceUsd(
  p: StablecoinMarketParams,
  supplyUnits: number,
  demandAtPegUnits: number,
  netBuyUnits: number,
): number {
  const float = supplyUnits - netBuyUnits;
  if (!(float > 0)) return p.maxPriceUsd;
  if (!(demandAtPegUnits > 0)) return p.minPriceUsd;
  const price = Math.pow(demandAtPegUnits / float, 1 / p.elasticity);
  return Math.min(p.maxPriceUsd, Math.max(p.minPriceUsd, price));
}

/**
 * Clears one step with the arbitrageurs: above $1 they add up to `arbitrageCapitalUsdPerStep` coins of
 * supply (minted at $1 and sold), below $1 they absorb up to that capital in coins (bought at about
 * the price), each side no further than the quantity that brings the price back to $1.
 */
export function clearStep(
  p: StablecoinMarketParams,
  supplyUnits: number,
  demandAtPegUnits: number,
  netBuyUnits: number,
): Clearing {
  const raw = clearingPriceUsd(p, supplyUnits, demandAtPegUnits, netBuyUnits);
  const float = supplyUnits - netBuyUnits;
  let arbitrage = 0;
  if (raw > 1) {
    // At $1 holders want demandAtPeg coins: the arbitrageurs supply the gap, up to their capital.
    const gap = demandAtPegUnits - float;
    arbitrage = Math.min(Math.max(0, gap), p.arbitrageCapitalUsdPerStep);
  } else if (raw < 1) {
    const gap = float - demandAtPegUnits;
    // Below the peg a dollar buys more than one coin; they spend at most their capital at the raw price.
    arbitrage = -Math.min(Math.max(0, gap), p.arbitrageCapitalUsdPerStep / raw);
  }
  const priceUsd = arbitrage === 0 ? raw : clearingPriceUsd(p, supplyUnits + arbitrage, demandAtPegUnits, netBuyUnits);
  return { priceUsd, arbitrageUnits: arbitrage };
}
