// Attack accounting (README "Attacks"): the attackers' spot-pool trades, their venue costs (read from
// the venue's generic per-account-kind fee and slippage tallies), and at the end of a run their
// profit, cost and return, the protocol's loss, and the closure terms that show where the attackers'
// gain came from (counterparties, spot liquidity providers, the venue). Reads the venue; never
// changes it (spot swaps go through the pool it is given).
import type { SpotHoldings } from '../../agents/oracle-manipulator.js';
import { AccountKind } from '../core/accounts.js';
import type { PerpVenue } from '../perp/perp-venue.js';
import type { SpotPool } from '../market/spot-pool.js';

/** The attackers' end-of-run accounting, USD unless named otherwise. */
export interface AttackReport {
  /** Total capital of the attackers (venue collateral and spot budget). */
  capitalUsd: number;
  /** Collateral deposited into the attackers' venue accounts. */
  depositedUsd: number;
  /** Collateral withdrawn from them. */
  withdrawnUsd: number;
  /** Positive equity left in the attackers' accounts at the oracle price (negative equity is the venue's). */
  endEquityUsd: number;
  /** USD paid to, and received from, the spot pool, and units still held (valued at the index). */
  spotPaidUsd: number;
  spotReceivedUsd: number;
  spotUnits: number;
  spotValueUsd: number;
  /** withdrawn + end equity - deposited + spot received - spot paid + spot value. */
  profitUsd: number;
  /** Venue trading and liquidation fees and book slippage paid by attackers, plus spot fees and price impact. */
  costUsd: number;
  /** profit / capital (fraction). */
  roi: number;
  /** Closure: -(change of value) of every other venue account (walk-away value: positive equity + withdrawn - deposited). */
  counterpartyLossUsd: number;
  /** Closure: the spot pool's liquidity providers and its external arbitrageurs (the attacker's spot PnL, negated back). */
  lpLossUsd: number;
  /** Closure: insurance drawdown + unresolved uncovered bad debt + latent bad debt - trading fee revenue. */
  venueLossUsd: number;
}

export class AttackLedger {
  /** One spot position per attacker. */
  readonly holdings: SpotHoldings[];
  /** Spot pool fees and price impact (paid beyond the pre-trade price) of the attackers' swaps, USD. */
  spotFeesUsd = 0;
  spotImpactUsd = 0;

  constructor(attackers: number) {
    this.holdings = Array.from({ length: attackers }, () => ({ units: 0, paidUsd: 0, receivedUsd: 0 }));
  }

  /** Swaps `units` (positive buys) for attacker `k` in the pool; a sale is capped at the units held. */
  swap(k: number, pool: SpotPool, units: number): void {
    const h = this.holdings[k];
    const size = units < 0 ? -Math.min(-units, h.units) : units;
    if (!(size !== 0 && Number.isFinite(size))) return;
    const before = pool.priceUsd;
    const baseBefore = pool.reserves.baseUnits;
    const usd = pool.swap(size);
    const got = baseBefore - pool.reserves.baseUnits;
    const f = pool.feeRate;
    h.units += got;
    if (usd > 0) {
      h.paidUsd += usd;
      this.spotFeesUsd += usd - usd / (1 + f);
      this.spotImpactUsd += usd / (1 + f) - got * before;
    } else {
      h.receivedUsd -= usd;
      const gross = -usd / (1 - f);
      this.spotFeesUsd += gross * f;
      this.spotImpactUsd += -got * before - gross;
    }
  }
}

/**
 * Venue fees paid by attacker accounts: taker fees of their trades, self-matched trades and liquidation
 * sales, and the liquidation fees of their liquidated positions, except a liquidator share one attacker
 * account pays another (the farmer's short liquidating its own longs), which is not an attack cost, USD.
 */
export function attackerFeesUsd(venue: PerpVenue): number {
  return venue.feesPaidByKindUsd[AccountKind.attacker];
}

/** Book slippage against the mark price of the attacker accounts' trades (not their liquidation sales), USD. */
export function attackerSlippageUsd(venue: PerpVenue): number {
  return venue.slippagePaidByKindUsd[AccountKind.attacker];
}

/**
 * The end-of-run report over every account of kind attacker. `depositedUsd` is what the attackers
 * deposited, `capitalUsd` their total capital.
 */
export function attackReport(
  venue: PerpVenue,
  ledger: AttackLedger,
  depositedUsd: number,
  capitalUsd: number,
  indexPriceUsd: number,
  initialInsuranceUsd: number,
): AttackReport {
  const a = venue.accounts;
  let endEquity = 0;
  let net = 0;
  let others = 0;
  let latent = 0;
  for (let i = 0; i < a.count; i++) {
    const e = venue.equity(i);
    if (e < 0) latent -= e;
    if (a.kind[i] === AccountKind.attacker) {
      endEquity += Math.max(0, e);
      net += a.netDeposits[i];
    } else others += Math.max(0, e) - a.netDeposits[i];
  }
  let paid = 0;
  let received = 0;
  let units = 0;
  for (const h of ledger.holdings) {
    paid += h.paidUsd;
    received += h.receivedUsd;
    units += h.units;
  }
  const spotValue = units * indexPriceUsd;
  const spotPnl = received - paid + spotValue;
  const profit = endEquity - net + spotPnl;
  const t = venue.totals;
  return {
    capitalUsd,
    depositedUsd,
    withdrawnUsd: depositedUsd - net,
    endEquityUsd: endEquity,
    spotPaidUsd: paid,
    spotReceivedUsd: received,
    spotUnits: units,
    spotValueUsd: spotValue,
    profitUsd: profit,
    costUsd: attackerFeesUsd(venue) + attackerSlippageUsd(venue) + ledger.spotFeesUsd + ledger.spotImpactUsd,
    roi: capitalUsd > 0 ? profit / capitalUsd : 0,
    counterpartyLossUsd: -others,
    lpLossUsd: spotPnl,
    venueLossUsd:
      initialInsuranceUsd -
      venue.insuranceFundUsd +
      t.unresolvedBadDebtUsd +
      venue.pendingSocializationUsd +
      latent -
      // Trading-fee revenue: the insurance fund's share is already in its balance.
      (t.tradingFeesUsd - t.tradingFeesToInsuranceUsd),
  };
}

/**
 * protocol_loss_usd: what the venue and its users lose to bad debt by the end of the run: the insurance
 * fund's drawdown from its initial balance (0 if it grew), uncovered bad debt left unresolved, latent
 * bad debt (negative equity of accounts still open, at the oracle price) and loss socialized onto
 * accounts in profit, USD.
 */
export function protocolLossUsd(venue: PerpVenue, initialInsuranceUsd: number, latentBadDebtUsd: number): number {
  const t = venue.totals;
  return (
    Math.max(0, initialInsuranceUsd - venue.insuranceFundUsd) +
    t.unresolvedBadDebtUsd +
    latentBadDebtUsd +
    t.socializedLossUsd
  );
}
