// The stablecoin (depeg) link of a contagion world with a CDP: after the CDP's step (its stablecoin
// cleared against the holders' demand), the stablecoin's clearing price becomes the market price of
// the lending asset that stands for it (contagion.links.stablecoinAsset) at the pool's next price
// step, the same step: the pool's DEX arbitrage pulls that asset's DEX pool toward it and an oracle
// reading the market or the pool sees the peg. Without an asset the link only reads the price (the
// world's columns). Moves a price, no value held by a protocol. Pure; no I/O.
import type { CdpProtocol } from '../lending/cdp-protocol.js';
import type { LendingProtocol } from '../lending/protocol.js';

export class StableLink {
  /** The CDP stablecoin's clearing price of the current step, USD. */
  stablePriceUsd = 1;

  constructor(
    private readonly cdp: Pick<CdpProtocol, 'stablePriceUsd'>,
    private readonly lending: Pick<LendingProtocol, 'pinPrice' | 'marketPriceUsd'>,
    /** The lending asset's index, or undefined: no depeg link. */
    private readonly asset: number | undefined,
  ) {}

  /** After the CDP's clearing, before the pool's step. */
  run(): void {
    this.stablePriceUsd = this.cdp.stablePriceUsd;
    if (this.asset !== undefined) this.lending.pinPrice(this.asset, this.stablePriceUsd);
  }

  /** The stablecoin asset's market price now (0 without the link). */
  assetPriceUsd(): number {
    return this.asset === undefined ? 0 : this.lending.marketPriceUsd(this.asset);
  }
}
