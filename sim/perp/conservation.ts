// The perpetual-futures venue's side of value conservation (design contract 4): the value a venue
// holds, its own invariants (balanced open interest, running totals, no negative trader collateral),
// and ConservationCheck, which checks one venue or the markets of a venue sharing one fund at a step
// (the step loop does the same through PerpProtocol.balance and violation). Reads; never changes.
import type { Config } from '../config/index.js';
import { AccountKind } from '../core/accounts.js';
import { InvariantError } from '../core/errors.js';
import { checkConservation } from '../core/step-loop.js';
import type { PerpVenue } from './perp-venue.js';

/** Checks a venue, or several markets' venues with the fund they share, at one step; throws InvariantError. */
export class ConservationCheck {
  constructor(
    private readonly cfg: Config['invariants'],
    private readonly seed: number,
  ) {}

  /** `sharedFund`: several markets' fund (its initial size is external value no market counted as a deposit). */
  check(
    step: number,
    venues: PerpVenue | readonly PerpVenue[],
    full: boolean,
    sharedFund?: { initialUsd: number; usd: number },
  ): void {
    const list: readonly PerpVenue[] = Array.isArray(venues) ? venues : [venues as PerpVenue];
    let held = sharedFund ? sharedFund.usd : 0;
    let external = sharedFund ? sharedFund.initialUsd : 0;
    let scale = external;
    for (const v of list) {
      held += heldUsd(v, sharedFund === undefined);
      external += v.totals.depositsUsd - v.totals.withdrawalsUsd;
      scale += v.totals.depositsUsd;
    }
    checkConservation(
      { heldUsd: held, externalUsd: external, scaleUsd: Math.max(1, scale) },
      this.cfg.tolerance,
      step,
      this.seed,
    );
    for (const v of list) {
      const broken = venueViolation(v, full, this.cfg.tolerance);
      if (broken) throw new InvariantError(step, this.seed, broken);
    }
  }
}

/**
 * Value held by a venue (design contract 4): collateral + unrealized PnL - funding owed + its own insurance
 * fund (`withFund`) + collateral assets + fee revenue (trading fees less the insurance fund's share) -
 * socialization pending - uncovered debt not yet resolved, USD.
 */
export function heldUsd(venue: PerpVenue, withFund: boolean): number {
  const t = venue.accounts.totals;
  const v = venue.totals;
  const p = venue.oraclePriceUsd;
  const f = venue.fundingIndexUsd;
  const unrealized = p * t.size - t.cost - f * t.size + t.sizeFunding;
  return (
    t.cash +
    unrealized +
    (withFund ? venue.insuranceFundUsd : 0) +
    venue.collateralHeldUsd() +
    v.tradingFeesUsd -
    v.tradingFeesToInsuranceUsd -
    venue.pendingSocializationUsd -
    v.unresolvedBadDebtUsd
  );
}

/**
 * A venue's own invariants: open interest balances; on `full` steps the running totals match a
 * recomputation from every account and no trader's collateral is negative.
 */
export function venueViolation(venue: PerpVenue, full: boolean, tolerance: number): string | undefined {
  const a = venue.accounts;
  const t = a.totals;
  const tol = tolerance * Math.max(1, venue.totals.depositsUsd);
  if (Math.abs(t.size * venue.oraclePriceUsd) > tol) return `open interest unbalanced: net size ${t.size} units`;
  if (!full) return undefined;
  const fresh = a.recomputeTotals();
  for (const key of ['cash', 'cost', 'sizeFunding'] as const)
    if (!(Math.abs(fresh[key] - t[key]) <= tol)) return `running total '${key}' drifted: ${t[key]} vs ${fresh[key]}`;
  for (let i = 0; i < a.count; i++)
    if (a.kind[i] === AccountKind.trader && !(a.cash[i] >= -tol))
      return `account ${i} has negative collateral ${a.cash[i]}`;
  return undefined;
}
