// End-of-run and step-0 measures of a lending pool that walk its accounts: health-factor quantiles,
// liquidation at risk, latent bad debt. Reads the pool only; never changes it.
import type { LendingPoolView } from './types.js';

/** Health factors above this are recorded as this (an account with little debt has a huge one). */
export const HF_CAP = 100;

/**
 * The 5th percentile and median of the health factors of the accounts with debt, and (with `atRisk`)
 * the collateral that a 5% and a 10% fall of every collateral price (debt prices held) would make
 * liquidatable, USD.
 */
export function healthSnapshot(
  pool: LendingPoolView,
  atRisk: boolean,
): { p5: number; p50: number; atRisk5: number; atRisk10: number } {
  const hfs: number[] = [];
  let atRisk5 = 0;
  let atRisk10 = 0;
  for (let i = 0; i < pool.accounts; i++) {
    const hf = pool.healthFactor(i);
    if (!Number.isFinite(hf)) continue;
    hfs.push(Math.min(HF_CAP, hf));
    if (!atRisk) continue;
    // A fall of every collateral price by f scales the health factor by (1 - f).
    const coll = pool.health(i).collateralUsd;
    if (hf * 0.95 < 1) atRisk5 += coll;
    if (hf * 0.9 < 1) atRisk10 += coll;
  }
  hfs.sort((a, b) => a - b);
  const q = (p: number) => (hfs.length === 0 ? 0 : hfs[Math.min(hfs.length - 1, Math.floor(p * hfs.length))]);
  return { p5: q(0.05), p50: q(0.5), atRisk5, atRisk10 };
}

/** Debt of the accounts whose collateral at `marketPriceUsd` is worth less, less that collateral, USD. */
export function latentBadDebtUsd(pool: LendingPoolView, marketPriceUsd: Float64Array): number {
  const n = pool.params.reserves.length;
  let latent = 0;
  for (let i = 0; i < pool.accounts; i++) {
    let coll = 0;
    let debt = 0;
    for (let a = 0; a < n; a++) {
      if (pool.params.reserves[a].collateral) coll += pool.supplyUnits(i, a) * marketPriceUsd[a];
      debt += pool.debtUnits(i, a) * marketPriceUsd[a];
    }
    if (debt > coll) latent += debt - coll;
  }
  return latent;
}
