// The Vow of the CDP kernel (sim/lending/cdp-vow.ts): heal, the surplus buffer (hump) and the
// surplus auction above it, and debt auctions (flop) minting governance tokens to cover bad debt.
import { describe, expect, it } from 'vitest';
import { ENGLISH, ethB, ok, system, underwater } from '../helpers/cdp-fixtures.js';
import { CDP_YEAR_SECONDS, CdpVaults } from '../../sim/lending/cdp-vaults.js';
import { deal, tend } from '../../sim/lending/cdp-auctions.js';
import { flap, flop, heal, surplusAboveBuffer, surplusUnits, systemDebtUnits } from '../../sim/lending/cdp-vow.js';
import type { DutchAuctionParams, EnglishAuctionParams } from '../../sim/lending/cdp-types.js';

/** Vault 0 liquidated into an English auction won by a zero bid: 15,000 of bad debt in sin. */
function badDebt(): CdpVaults {
  const cdp = underwater(system([ethB({}, ENGLISH)]));
  ok(cdp.bark(0));
  tend(cdp, 0, 0);
  cdp.setTime(10_800);
  ok(deal(cdp, 0));
  return cdp;
}

/** Vault 1 (ilk 0) with 1,000,000 of debt and a 100% fee over one year-long step: 1,000,000 of surplus. */
function withSurplus(cdp: CdpVaults): CdpVaults {
  const price = cdp.priceUsd[0];
  cdp.priceUsd[0] = 2000;
  cdp.lock(1, 1000);
  expect(cdp.draw(1, 1_000_000)).toBeUndefined();
  cdp.priceUsd[0] = price;
  cdp.drip();
  return cdp;
}

function yearly(auction: EnglishAuctionParams | Partial<DutchAuctionParams> = ENGLISH): CdpVaults {
  return system([ethB({ stabilityFeePerYear: 1 }, auction)], [0, 0], { stepSeconds: CDP_YEAR_SECONDS });
}

describe('heal', () => {
  it('cancels the surplus against the system debt', () => {
    const cdp = badDebt();
    cdp.priceUsd[0] = 2000;
    cdp.lock(1, 10);
    cdp.draw(1, 10_000);
    const before = cdp.rate[0];
    cdp.drip();
    const fee = 10_000 * (cdp.rate[0] - before);
    expect(heal(cdp)).toBeCloseTo(fee, 9);
    expect(surplusUnits(cdp)).toBe(0);
    expect(systemDebtUnits(cdp)).toBeCloseTo(15_000 - fee, 9);
    expect(cdp.violation()).toBeUndefined();
  });
});

describe('the surplus buffer', () => {
  it('keeps hump of surplus and sells only what is above it', () => {
    const cdp = withSurplus(yearly());
    expect(cdp.surplus).toBeCloseTo(1_000_000, 9);
    expect(surplusAboveBuffer(cdp)).toBeCloseTo(500_000, 9);
    const r = ok(flap(cdp, 25));
    expect(r.sold).toBeCloseTo(500_000, 9);
    expect(r.burned).toBeCloseTo(20_000, 9);
    expect(cdp.surplus).toBeCloseTo(500_000, 9);
    expect(flap(cdp, 25)).toBe('no-surplus');
    expect(cdp.violation()).toBeUndefined();
  });
});

describe('the surplus auction', () => {
  it('is refused while the Vow holds system debt and surplus both', () => {
    const cdp = withSurplus(
      system([ethB({ stabilityFeePerYear: 1 }, ENGLISH)], [0, 0], { stepSeconds: CDP_YEAR_SECONDS }),
    );
    ok(underwater(cdp).bark(0));
    expect(flap(cdp, 25)).toBe('unhealed');
    heal(cdp);
    expect(ok(flap(cdp, 25)).sold).toBeCloseTo(1_000_000 - 15_000 - 500_000, 9);
  });
});

describe('debt auctions', () => {
  it('mint governance tokens for sump of stablecoin burned against sin', () => {
    const cdp = badDebt();
    const r = ok(flop(cdp, 50));
    expect(r.minted).toBeCloseTo(200, 9);
    expect(r.raised).toBe(10_000);
    expect(cdp.govMinted).toBeCloseTo(200, 9);
    expect(cdp.sin).toBeCloseTo(5000, 9);
    expect(cdp.violation()).toBeUndefined();
  });

  it('are refused once the system debt left is below sump', () => {
    const cdp = badDebt();
    ok(flop(cdp, 50));
    expect(flop(cdp, 50)).toBe('no-debt');
  });

  it('find no bidder when sump buys more than the lot of governance tokens', () => {
    expect(flop(badDebt(), 39.99)).toBe('no-bidder');
  });

  it('are refused while the Vow holds surplus, which must be healed first', () => {
    const cdp = withSurplus(yearly());
    expect(flop(cdp, 50)).toBe('surplus-left');
  });
});
