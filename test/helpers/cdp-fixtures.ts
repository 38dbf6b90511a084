// The CDP kernel's test fixtures: ETH-B parameters (MECHANISMS section 9), a small system of ilks
// and vaults, an underwater vault, and a helper that unwraps a refusal into a test failure.
import { expect } from 'vitest';
import { CdpVaults } from '../../sim/lending/cdp-vaults.js';
import type { CdpParams, DutchAuctionParams, EnglishAuctionParams, IlkParams } from '../../sim/lending/cdp-types.js';

export const DUTCH: DutchAuctionParams = {
  kind: 'dutch',
  buf: 1.2,
  stepSeconds: 60,
  cut: 0.99,
  curve: 'stairstep',
  tauSeconds: 3600,
  tailSeconds: 5400,
  cusp: 0.4,
  tip: 300,
  chip: 0.001,
};

export const ENGLISH: EnglishAuctionParams = {
  kind: 'english',
  bidDurationSeconds: 10_800,
  auctionLengthSeconds: 172_800,
  minBidIncrement: 1.03,
};

/** ETH-B (mat 1.3, chop 1.13, dust 5,000, hole 15M) with a 5% fee, its auction overridden by `auction`. */
export function ethB(
  over: Partial<IlkParams> = {},
  auction: Partial<DutchAuctionParams> | EnglishAuctionParams = {},
): IlkParams {
  return {
    name: 'ETH-B',
    liquidationRatio: 1.3,
    stabilityFeePerYear: 0.05,
    chop: 1.13,
    dustUsd: 5000,
    hole: 15e6,
    auction: auction.kind === 'english' ? auction : { ...DUTCH, ...auction },
    ...over,
  };
}

/** A system of the given ilks (Hole 100M, hump 500k, flop 250 tokens for 10k, hourly steps) and vault ilks. */
export function system(ilks: IlkParams[], vaultIlks: number[] = [0, 0], over: Partial<CdpParams> = {}): CdpVaults {
  const params: CdpParams = {
    ilks,
    Hole: 100e6,
    surplusBufferUnits: 500_000,
    debtAuctionLotUnits: 250,
    debtAuctionSizeUnits: 10_000,
    stepSeconds: 3600,
    breakerTolerance: 0.5,
    ...over,
  };
  return new CdpVaults(params, vaultIlks);
}

/** Vault 0: 10 ETH at $2,000 with 15,000 of debt, then ETH at `priceUsd` (unsafe below $1,950). */
export function underwater(cdp: CdpVaults, priceUsd = 1900): CdpVaults {
  cdp.priceUsd[0] = 2000;
  expect(cdp.lock(0, 10)).toBeUndefined();
  expect(cdp.draw(0, 15_000)).toBeUndefined();
  cdp.priceUsd[0] = priceUsd;
  return cdp;
}

export function ok<T>(x: T | string): T {
  if (typeof x === 'string') throw new Error(`refused: ${x}`);
  return x;
}
