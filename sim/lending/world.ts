// The lending world at step 0: the account layout (suppliers, borrowers, loopers, the scenario's
// explicit accounts, the attackers), and the genesis positions opened through the pool's own rules.
// A generated position the pool would refuse is sized down to what it allows; an explicit account the
// pool refuses is the user's mistake (a UserError naming the account). Pure; no I/O.
import type { Config } from '../config/index.js';
import { UserError } from '../core/errors.js';
import type { Stream } from '../core/rng.js';
import type { LendingPool } from './pool.js';

type LendingConfig = NonNullable<Config['lending']>;

/** Kinds of pool accounts, for statistics by population. */
export const LendingKind = { supplier: 0, borrower: 1, looper: 2, explicit: 3, attacker: 4 } as const;

export interface LendingLayout {
  /** Asset index by name, in the config's order. */
  readonly assetIndex: ReadonlyMap<string, number>;
  readonly assetNames: readonly string[];
  /** Kind of each pool account (LendingKind). */
  readonly kinds: Uint8Array;
  readonly suppliers: number[];
  /** Each supplier's asset. */
  readonly supplierAsset: number[];
  readonly borrowers: number[];
  readonly loopers: number[];
  readonly explicit: number[];
  readonly attackers: number[];
}

export function lendingLayout(cfg: LendingConfig): LendingLayout {
  const assetNames = Object.keys(cfg.assets);
  const assetIndex = new Map(assetNames.map((n, a) => [n, a]));
  const kinds: number[] = [];
  const take = (kind: number, n: number) => {
    const ids: number[] = [];
    for (let k = 0; k < n; k++) {
      ids.push(kinds.length);
      kinds.push(kind);
    }
    return ids;
  };
  // Suppliers are shared out over the assets they supply in proportion to the USD each gets (at least one each).
  const supplied = Object.entries(cfg.suppliers.supplyUsd).filter(([, usd]) => usd > 0);
  const totalUsd = supplied.reduce((s, [, usd]) => s + usd, 0);
  const supplierAsset: number[] = [];
  for (const [name, usd] of supplied) {
    const n = Math.max(1, Math.round((cfg.suppliers.count * usd) / totalUsd));
    for (let k = 0; k < n; k++) supplierAsset.push(assetIndex.get(name)!);
  }
  const suppliers = take(LendingKind.supplier, supplierAsset.length);
  const borrowers = take(LendingKind.borrower, cfg.borrowers.count);
  const loopers = take(LendingKind.looper, cfg.loopers.count);
  const explicit = take(LendingKind.explicit, cfg.accounts.length);
  const attackers = take(LendingKind.attacker, cfg.attackers.length);
  return {
    assetIndex,
    assetNames,
    kinds: Uint8Array.from(kinds),
    suppliers,
    supplierAsset,
    borrowers,
    loopers,
    explicit,
    attackers,
  };
}

/**
 * Opens the step-0 positions at the pool's oracle prices (set before): suppliers first (the cash
 * borrowers draw), then the explicit accounts, the borrowers and the loopers. `source` names the
 * scenario in errors about explicit accounts.
 */
export function openGenesis(
  pool: LendingPool,
  cfg: LendingConfig,
  layout: LendingLayout,
  streams: { borrowers: Stream; loopers: Stream },
  source: string,
): void {
  const price = pool.oraclePriceUsd;
  const idx = (name: string) => layout.assetIndex.get(name)!;
  // Suppliers: each asset's USD shared equally among its suppliers.
  const perAsset = new Map<number, number[]>();
  layout.suppliers.forEach((i, k) => {
    const a = layout.supplierAsset[k];
    perAsset.set(a, [...(perAsset.get(a) ?? []), i]);
  });
  for (const [name, usd] of Object.entries(cfg.suppliers.supplyUsd)) {
    const ids = perAsset.get(idx(name)) ?? [];
    for (const i of ids) pool.supply(i, idx(name), usd / ids.length / price[idx(name)]);
  }
  cfg.accounts.forEach((acct, k) => {
    const i = layout.explicit[k];
    if (acct.eMode !== 0) {
      const r = pool.setEMode(i, acct.eMode);
      if (r)
        throw new UserError(
          source,
          `params.lending.accounts[${k}].eMode`,
          `the pool refused e-mode ${acct.eMode} (${r})`,
        );
    }
    for (const [name, units] of Object.entries(acct.supply)) {
      const r = pool.supply(i, idx(name), units);
      if (r)
        throw new UserError(
          source,
          `params.lending.accounts[${k}].supply.${name}`,
          `the pool refused the supply (${r})`,
        );
    }
    for (const [name, units] of Object.entries(acct.debt)) {
      const r = pool.borrow(i, idx(name), units);
      if (r)
        throw new UserError(source, `params.lending.accounts[${k}].debt.${name}`, `the pool refused the borrow (${r})`);
    }
  });
  const b = cfg.borrowers;
  openLeveraged(pool, layout.borrowers, idx(b.collateralAsset), idx(b.debtAsset), b.eMode, (i) => {
    const collateralUsd = b.collateralUsdMedian * Math.exp(b.collateralUsdSigma * streams.borrowers.normal());
    const hf = b.healthFactorMin + (b.healthFactorMax - b.healthFactorMin) * streams.borrowers.uniform();
    return {
      collateralUsd,
      debtUsd: (collateralUsd * pool.riskOf(i, idx(b.collateralAsset), 'liquidationThreshold')) / hf,
    };
  });
  const l = cfg.loopers;
  openLeveraged(pool, layout.loopers, idx(l.collateralAsset), idx(l.debtAsset), l.eMode, () => {
    // A loop of borrow-swap-supply ends at collateral = equity x leverage, debt = equity x (leverage - 1).
    const equityUsd = l.equityUsdMedian * Math.exp(streams.loopers.normal());
    return { collateralUsd: equityUsd * l.leverage, debtUsd: equityUsd * (l.leverage - 1) };
  });
}

function openLeveraged(
  pool: LendingPool,
  ids: readonly number[],
  coll: number,
  debt: number,
  eMode: number,
  size: (i: number) => { collateralUsd: number; debtUsd: number },
): void {
  const price = pool.oraclePriceUsd;
  for (const i of ids) {
    if (eMode !== 0) pool.setEMode(i, eMode);
    const { collateralUsd, debtUsd } = size(i);
    if (pool.supply(i, coll, collateralUsd / price[coll]) !== undefined) continue;
    // Sized down to what the pool allows: 99.9% of the borrow power, the reserve's cash and its cap.
    const power = pool.health(i).borrowPowerUsd - pool.health(i).debtUsd;
    const cap = pool.params.reserves[debt].borrowCapUnits - pool.totalDebtUnits(debt);
    const units = Math.min(
      debtUsd / price[debt],
      (0.999 * power) / price[debt],
      0.999 * pool.cashUnits(debt),
      0.999 * cap,
    );
    if (units > 0) pool.borrow(i, debt, units);
  }
}
