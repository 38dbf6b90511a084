// The pool-lending interest arithmetic: utilization, the kinked borrow-rate curve (Aave's default
// interest-rate strategy), the supply rate and the per-step growth factor of a borrow index. Pure
// functions of numbers: no pool state, no accounts, no allocation.
import { YEAR_SECONDS, type RateModel } from './types.js';

/**
 * Utilization of a reserve: debt / (cash + debt), fraction 0..1 (0 when both are 0).
 * @param cashUnits supplied and not lent, units (a negative cash is read as 0)
 * @param debtUnits lent, units
 */
export function utilization(cashUnits: number, debtUnits: number): number {
  const cash = Math.max(0, cashUnits);
  const debt = Math.max(0, debtUnits);
  const total = cash + debt;
  return total > 0 ? debt / total : 0;
}

/**
 * Borrow rate per year (fraction) at utilization `u`: base + slope1 x u / uOpt up to the kink, then
 * base + slope1 + slope2 x (u - uOpt) / (1 - uOpt). `u` is clamped to 0..1.
 */
export function borrowRatePerYear(model: RateModel, u: number): number {
  const x = Math.min(1, Math.max(0, u));
  const opt = model.optimalUtilization;
  if (x <= opt) return model.baseRatePerYear + (model.slope1PerYear * x) / opt;
  // opt < x <= 1 here, so 1 - opt > 0.
  return model.baseRatePerYear + model.slope1PerYear + (model.slope2PerYear * (x - opt)) / (1 - opt);
}

/**
 * Supply rate per year (fraction) at utilization `u`: borrow rate x u x (1 - reserveFactor): the
 * suppliers' share of the borrowers' interest, spread over all supply.
 */
export function supplyRatePerYear(model: RateModel, u: number, reserveFactor: number): number {
  const x = Math.min(1, Math.max(0, u));
  return borrowRatePerYear(model, x) * x * (1 - reserveFactor);
}

/**
 * Growth factor of a borrow index over one step: 1 + rate x stepSeconds / YEAR_SECONDS. Linear within
 * a step, so over many steps the index compounds once per step (Aave compounds per second; with
 * steps of minutes the difference is negligible).
 * @param ratePerYear borrow rate, per year (fraction)
 * @param stepSeconds seconds per step
 */
export function stepGrowthFactor(ratePerYear: number, stepSeconds: number): number {
  return 1 + (ratePerYear * stepSeconds) / YEAR_SECONDS;
}
