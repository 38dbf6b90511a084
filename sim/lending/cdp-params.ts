// The CDP kernel's parameters resolved from a config's `cdp` section (sim/config/cdp.ts): the
// collateral types in the section's key order, each with its auction design, and the system-wide
// caps and Vow sizes. Pure; no I/O.
import type { Config } from '../config/index.js';
import type { AuctionParams, CdpParams, IlkParams } from './cdp-types.js';

type CdpCollateral = NonNullable<Config['cdp']>['collateral'][string];

function auctionOf(k: CdpCollateral): AuctionParams {
  const a = k.auction;
  return a.kind === 'dutch'
    ? {
        kind: 'dutch',
        buf: a.buf,
        stepSeconds: a.stepSeconds,
        cut: a.cut,
        curve: a.curve,
        tauSeconds: a.tauSeconds,
        tailSeconds: a.tailSeconds,
        cusp: a.cusp,
        tip: a.tip,
        chip: a.chip,
      }
    : {
        kind: 'english',
        bidDurationSeconds: a.bidDurationSeconds,
        auctionLengthSeconds: a.auctionLengthSeconds,
        minBidIncrement: a.minBidIncrement,
      };
}

/** The kernel's rules for a config with a `cdp` section. */
export function resolveCdpParams(cfg: Config): CdpParams {
  const c = cfg.cdp;
  if (!c) throw new Error('resolveCdpParams: the config has no cdp section');
  const ilks: IlkParams[] = Object.entries(c.collateral).map(([name, k]) => ({
    name,
    liquidationRatio: k.liquidationRatio,
    stabilityFeePerYear: k.stabilityFeePerYear,
    chop: k.chop,
    dustUsd: k.dustUsd,
    hole: k.hole,
    auction: auctionOf(k),
  }));
  return {
    ilks,
    Hole: c.Hole,
    surplusBufferUnits: c.surplusBufferUnits,
    debtAuctionLotUnits: c.debtAuction.lotUnits,
    debtAuctionSizeUnits: c.debtAuction.sizeUnits,
    stepSeconds: cfg.run.stepSeconds,
    breakerTolerance: c.breakerTolerance,
  };
}
