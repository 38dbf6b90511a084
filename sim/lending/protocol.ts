// The pool-lending family as a Protocol (sim/core/protocol.ts), run by the core step loop: prices
// move (a common index and each asset's own process), the DEX pools are arbitraged toward them, the
// attackers trade, each asset's oracle (sim/market/oracle.ts: delay, median, a single DEX reporter)
// publishes, interest accrues through the indices, queued withdrawals are paid, then the users and
// the liquidators decide and the pool applies their actions (pool.ts, liquidation.ts). Liquidators
// pay from their capital and sell what they seize into the collateral's DEX pool. Pure; no I/O.
import type { LendingSchedule } from '../../scenarios/lending-shocks.js';
import { BorrowSqueezer, OracleManipulator } from '../../agents/lending/attackers.js';
import { LendingGovernanceAttacker } from '../../agents/lending/governance-attacker.js';
import { LendingLiquidators } from '../../agents/lending/liquidators.js';
import { Borrowers, Loopers, Suppliers } from '../../agents/lending/users.js';
import type { Config } from '../config/index.js';
import type { AnyStage, Decider, Protocol, ValueBalance } from '../core/protocol.js';
import { streamFor } from '../core/rng.js';
import { Oracle } from '../market/oracle.js';
import { BookVenue } from '../market/book-venue.js';
import { SpotPool } from '../market/spot-pool.js';
import { resolvePoolParams } from './params.js';
import { AttackBook } from './attack-book.js';
import { healthSnapshot, HF_CAP, latentBadDebtUsd } from './measures.js';
import { LendingPool } from './pool.js';
import { AssetPrices, type IndexSource } from './prices.js';
import { LENDING_STATS, type LendingEnd, type LendingStatKey } from './statistics.js';
import { LENDING_COLUMNS, type LendingColumn, type LendingTimeline } from './timeline.js';
import { LENDING_REFUSALS, type LendingAction, type LendingRefusal, type LendingView } from './types.js';
import { lendingLayout, openGenesis, type LendingLayout } from './world.js';

type LendingConfig = NonNullable<Config['lending']>;

export class LendingProtocol implements Protocol<LendingColumn, LendingStatKey, LendingEnd> {
  readonly columns = LENDING_COLUMNS;
  readonly stats = LENDING_STATS;
  readonly stages: readonly AnyStage[];
  readonly pool: LendingPool;
  readonly layout: LendingLayout;
  readonly refusals: Record<LendingRefusal, number>;
  /** The attackers' wallets and their governance proposals. */
  readonly attack: AttackBook;
  private readonly lc: LendingConfig;
  private readonly prices: AssetPrices;
  private readonly dex: SpotPool[];
  private readonly dexFactor: Float64Array;
  private readonly dexOnly: boolean[];
  private readonly cex: BookVenue[];
  private readonly oracles: Oracle[];
  private readonly capital: Float64Array;
  private readonly view: { -readonly [K in keyof LendingView]: LendingView[K] };
  private readonly liquidatable: number[] = [];
  /** The reference collateral and debt assets (the borrowers'). */
  private readonly refColl: number;
  private readonly refDebt: number;
  private readonly A: number;
  // Per-step and running tallies.
  /** The next scripted proposal (schedule.proposals) to make. */
  private nextProposal = 0;
  private stepLiquidations = 0;
  private stepNotionalUsd = 0;
  private liquidations = 0;
  private liquidatedNotionalUsd = 0;
  private liquidatorBonusUsd = 0;
  private protocolFeesUsd = 0;
  private interestUsd = 0;
  private badDebtUnits: Float64Array;
  private unmetPeakUsd = 0;
  private refused = 0;
  private minHf = HF_CAP;
  private readonly startHealth: { p5: number; p50: number; atRisk5: number; atRisk10: number };

  constructor(
    readonly cfg: Config,
    private readonly schedule: LendingSchedule,
    readonly seed: number,
    source: string,
    /** A contagion world's common index (sim/contagion/): read instead of the pool's own index path. */
    index?: IndexSource,
  ) {
    const lc = cfg.lending!;
    this.lc = lc;
    const params = resolvePoolParams(cfg);
    this.layout = lendingLayout(lc);
    const names = this.layout.assetNames;
    const A = names.length;
    this.A = A;
    const stream = (s: string) => streamFor(seed, `lending.${s}`);
    const assets = names.map((n) => lc.assets[n]);
    this.prices = new AssetPrices(
      cfg.market,
      cfg.run.stepSeconds,
      schedule.common,
      schedule.assets,
      assets,
      stream('market.path'),
      stream('market.jumps'),
      names.map((n) => stream(`asset.${n}`)),
      index,
    );
    this.dex = assets.map((a) => new SpotPool(a.dex, a.initialPriceUsd));
    this.dexFactor = new Float64Array(A).fill(1);
    this.dexOnly = assets.map((a) => a.dex.arbitrageShare === 0);
    this.cex = assets.map((a) => new BookVenue(a.cex, a.initialPriceUsd));
    this.oracles = assets.map((a, k) => new Oracle(cfg.oracle, a.initialPriceUsd, stream(`oracle.${names[k]}`)));
    this.pool = new LendingPool(params, this.layout.kinds.length);
    for (let a = 0; a < A; a++) this.pool.oraclePriceUsd[a] = assets[a].initialPriceUsd;
    this.refColl = this.layout.assetIndex.get(lc.borrowers.collateralAsset)!;
    this.refDebt = this.layout.assetIndex.get(lc.borrowers.debtAsset)!;
    this.badDebtUnits = new Float64Array(A);
    this.refusals = Object.fromEntries(LENDING_REFUSALS.map((r) => [r, 0])) as Record<LendingRefusal, number>;
    openGenesis(
      this.pool,
      lc,
      this.layout,
      { borrowers: stream('genesis.borrowers'), loopers: stream('genesis.loopers') },
      source,
    );
    this.startHealth = healthSnapshot(this.pool, true);

    const liq = lc.liquidators;
    this.capital = new Float64Array(liq.count).fill(liq.capitalUsd);
    this.attack = new AttackBook(lc, cfg.governance, this.layout);
    this.view = {
      step: 0,
      pool: this.pool,
      marketPriceUsd: this.prices.priceUsd,
      dex: this.dex,
      cex: this.cex,
      gasUsd: liq.gasUsd,
      liquidatorOutage: 0,
      liquidatable: this.liquidatable,
      liquidatorCapitalUsd: this.capital,
      supplierRunShare: new Float64Array(A),
      attackerUsd: new Float64Array(lc.attackers.length),
    };
    const liquidators = new LendingLiquidators(
      liq,
      Array.from({ length: liq.count }, (_, k) => stream(`liquidator.${k}`)),
    );
    const users: Decider<LendingView, LendingAction>[] = [
      new Suppliers(lc.suppliers, this.layout.suppliers, this.layout.supplierAsset, stream('suppliers')),
      new Borrowers(lc.borrowers, this.layout.borrowers, this.refColl, this.refDebt, stream('borrowers')),
    ];
    if (lc.loopers.count > 0)
      users.push(
        new Loopers(
          lc.borrowers,
          this.layout.loopers,
          this.layout.assetIndex.get(lc.loopers.collateralAsset)!,
          this.layout.assetIndex.get(lc.loopers.debtAsset)!,
          stream('loopers'),
        ),
      );
    const attackers = lc.attackers.map((a, k) => {
      const opts = {
        ...a,
        asset: this.layout.assetIndex.get(a.asset)!,
        ...('borrowAsset' in a ? { borrowAsset: this.layout.assetIndex.get(a.borrowAsset)! } : {}),
        ...('collateralAsset' in a ? { collateralAsset: this.layout.assetIndex.get(a.collateralAsset)! } : {}),
      };
      if (a.kind === 'governance-attacker') return new LendingGovernanceAttacker(opts as never, k);
      return a.kind === 'oracle-manipulator'
        ? new OracleManipulator(opts as never, k, this.layout.attackers[k])
        : new BorrowSqueezer(opts as never, k, this.layout.attackers[k]);
    });
    const view = this.view as LendingView;
    const round = (name: string, agents: Decider<LendingView, LendingAction>[], shuffled: boolean): AnyStage =>
      ({
        kind: 'round',
        name,
        round: { agents, view, ...(shuffled ? { order: stream(`order.${name}`) } : {}) },
        apply: (a: LendingAction) => this.apply(a),
      }) as AnyStage;
    const stages: AnyStage[] = [{ kind: 'phase', name: 'market', run: (t) => this.market(t) }];
    if (attackers.length > 0) stages.push(round('attack-pre', attackers, false));
    stages.push({ kind: 'phase', name: 'oracle', run: (t) => this.oracle(t) });
    if (attackers.length > 0)
      stages.push(
        round(
          'attack-post',
          attackers.map((x) => ({ decide: (v: LendingView, out: LendingAction[]) => x.decidePostOracle(v, out) })),
          false,
        ),
      );
    stages.push(round('users', users, true), round('liquidators', [liquidators], true));
    this.stages = stages;
  }

  /** Asset `a`'s market price after the pool's next price step is `priceUsd` (a contagion world's stablecoin link). */
  pinPrice(a: number, priceUsd: number): void {
    this.prices.pin(a, priceUsd);
  }

  /** Asset `a`'s market price now, USD. */
  marketPriceUsd(a: number): number {
    return this.prices.priceUsd[a];
  }

  /** Asset `a`'s DEX pool (a contagion link trades into it before the pool's step). */
  dexPool(a: number): SpotPool {
    return this.dex[a];
  }

  /** Prices, DEX arbitrage and depth, reserve pauses. */
  private market(step: number): void {
    const s = this.schedule;
    this.stepLiquidations = 0;
    this.stepNotionalUsd = 0;
    this.pool.setStep(step);
    this.view.step = step;
    this.prices.advance(step);
    for (let a = 0; a < this.A; a++) {
      const dex = this.dex[a];
      const factor = s.assets[a].depthMultiplier[step];
      if (factor !== this.dexFactor[a]) {
        dex.scaleLiquidity(factor / this.dexFactor[a]);
        this.dexFactor[a] = factor;
      }
      // An asset whose pool no outside arbitrage reaches (arbitrageShare 0) trades there only: its market price is the pool's.
      if (this.dexOnly[a]) this.prices.priceUsd[a] = dex.priceUsd;
      else dex.arbitrage(this.prices.priceUsd[a]);
      this.cex[a].recover(this.prices.priceUsd[a]);
      const paused = s.paused[step * this.A + a] === 1;
      const was = step > 0 && s.paused[(step - 1) * this.A + a] === 1;
      if (paused && !was) this.pool.pause(a);
      else if (!paused && was) this.pool.unpause(a, step);
    }
  }

  /** Oracles publish, interest accrues, queued withdrawals are paid, the liquidatable list is refreshed. */
  private oracle(step: number): void {
    const s = this.schedule;
    const pool = this.pool;
    for (let a = 0; a < this.A; a++) {
      const frozen = s.common.oracleFrozen[step] === 1 || s.assets[a].oracleFrozen[step] === 1;
      const p = this.prices.priceUsd[a];
      this.oracles[a].update(step, p, p, this.dex[a].priceUsd, frozen);
      pool.oraclePriceUsd[a] = this.oracles[a].priceUsd;
    }
    // Scripted governance (reserveParamChange shocks) is proposed before what falls due is applied.
    const proposals = s.proposals;
    while (this.nextProposal < proposals.length && proposals[this.nextProposal].step === step) {
      const q = proposals[this.nextProposal++];
      this.attack.propose({ kind: 'propose', attacker: -1, ...q }, pool, step);
    }
    this.attack.applyDue(step, pool);
    this.attack.showWallets(this.view.attackerUsd);
    const before = this.reserveValues();
    pool.accrue();
    const after = this.reserveValues();
    this.interestUsd += after.debt - before.debt;
    this.protocolFeesUsd += after.treasury - before.treasury;
    pool.processQueue();
    this.liquidatable.length = 0;
    let minHf = HF_CAP;
    for (let i = 0; i < pool.accounts; i++) {
      const hf = pool.healthFactor(i);
      if (hf < minHf) minHf = hf;
      if (hf < 1) this.liquidatable.push(i);
    }
    this.minHf = minHf;
    const v = this.view;
    v.gasUsd = this.lc.liquidators.gasUsd * s.gasMultiplier[step];
    v.liquidatorOutage = Math.max(s.common.liquidatorOutage[step], 0);
    for (let a = 0; a < this.A; a++) v.supplierRunShare[a] = s.supplierRunShare[step * this.A + a];
  }

  /** Debt and treasury of every reserve at oracle prices, USD. */
  private reserveValues(): { debt: number; treasury: number } {
    let debt = 0;
    let treasury = 0;
    for (let a = 0; a < this.A; a++) {
      const p = this.pool.oraclePriceUsd[a];
      debt += this.pool.totalDebtUnits(a) * p;
      treasury += this.pool.reservesUnits(a) * p;
    }
    return { debt, treasury };
  }

  private refuse(r: LendingRefusal): void {
    this.refusals[r]++;
    this.refused++;
  }

  private apply(x: LendingAction): void {
    const pool = this.pool;
    const price = pool.oraclePriceUsd;
    const market = this.prices.priceUsd;
    switch (x.kind) {
      case 'supply': {
        const w = this.attack.walletOf(x.account);
        const r = pool.supply(x.account, x.asset, x.units);
        if (r) this.refuse(r);
        else if (w) this.attack.spend(w, x.asset, x.units, market);
        return;
      }
      case 'withdraw': {
        const got = pool.withdraw(x.account, x.asset, x.units);
        if (got.refusal && got.refusal !== 'liquidity') this.refuse(got.refusal);
        const w = this.attack.walletOf(x.account);
        if (w) w.units[x.asset] += got.units;
        const rest = Math.min(x.units - got.units, pool.supplyUnits(x.account, x.asset));
        if (x.queue && rest > 1e-12) pool.enqueueWithdraw(x.account, x.asset, rest);
        return;
      }
      case 'borrow': {
        const r = pool.borrow(x.account, x.asset, x.units);
        if (r) this.refuse(r);
        else {
          const w = this.attack.walletOf(x.account);
          if (w) w.units[x.asset] += x.units;
        }
        return;
      }
      case 'repay': {
        const w = this.attack.walletOf(x.account);
        const paid = pool.repay(x.account, x.asset, x.units);
        if (paid <= 0) this.refuse('no-debt');
        else if (w) this.attack.spend(w, x.asset, paid, market);
        return;
      }
      case 'liquidate': {
        const cap = this.capital[x.liquidator];
        const gas = this.view.gasUsd;
        const repay = Math.min(x.repayUnits, Math.max(0, cap - gas) / market[x.debtAsset]);
        if (!(repay > 0)) return this.refuse('empty');
        const out = pool.liquidate(x.account, x.debtAsset, x.collateralAsset, repay);
        if (typeof out === 'string') return this.refuse(out);
        // It buys what it repays on the debt asset's DEX and sells what it receives on the collateral's.
        const share = out.seizedUnits - out.protocolFeeUnits;
        const paid = this.dex[x.debtAsset].swap(out.repaidUnits);
        const received =
          x.venue === 'cex' ? this.cex[x.collateralAsset].sell(share) : -this.dex[x.collateralAsset].swap(-share);
        this.capital[x.liquidator] += received - paid - gas;
        this.liquidatorBonusUsd += share * price[x.collateralAsset] - out.repaidUnits * price[x.debtAsset];
        this.protocolFeesUsd += out.protocolFeeUnits * price[x.collateralAsset];
        this.countLiquidation(out.repaidUnits * price[x.debtAsset]);
        out.deficitUnits.forEach((u, a) => (this.badDebtUnits[a] += u));
        return;
      }
      case 'absorb': {
        const base = pool.params.baseAsset;
        const debt = pool.debtUnits(x.account, base);
        const out = pool.absorb(x.account);
        if (typeof out === 'string') return this.refuse(out);
        this.capital[x.liquidator] -= this.view.gasUsd;
        this.badDebtUnits[base] += Math.max(0, out.debtUnits - out.creditUnits);
        this.countLiquidation(debt * price[base]);
        return;
      }
      case 'buyCollateral': {
        const base = pool.params.baseAsset;
        const baseUnits = Math.min(
          x.baseUnits,
          Math.max(0, this.capital[x.liquidator] - this.view.gasUsd) / market[base],
        );
        if (!(baseUnits > 0)) return this.refuse('empty');
        const out = pool.buyCollateral(x.asset, baseUnits);
        if (typeof out === 'string') return this.refuse(out);
        const paid = (out.units * pool.storeFrontPriceUsd(x.asset)) / price[base];
        const received = -this.dex[x.asset].swap(-out.units);
        this.capital[x.liquidator] += received - paid * market[base] - this.view.gasUsd;
        this.liquidatorBonusUsd += out.units * price[x.asset] - paid * price[base];
        return;
      }
      case 'propose':
        return this.attack.propose(x, pool, this.view.step);
      case 'attackerLiquidate': {
        const w = this.attack.wallets[x.attacker];
        const gas = this.view.gasUsd;
        // It repays with the units of the debt asset it holds first, and buys the rest on the DEX.
        const held = Math.max(0, w.units[x.debtAsset]);
        const repay = Math.min(x.repayUnits, held + Math.max(0, w.usd - gas) / market[x.debtAsset]);
        if (!(repay > 0)) return this.refuse('empty');
        const out = pool.liquidate(x.account, x.debtAsset, x.collateralAsset, repay);
        if (typeof out === 'string') return this.refuse(out);
        const share = out.seizedUnits - out.protocolFeeUnits;
        const debtBefore = this.dex[x.debtAsset].priceUsd;
        const collBefore = this.dex[x.collateralAsset].priceUsd;
        const fromWallet = Math.min(held, out.repaidUnits);
        w.units[x.debtAsset] -= fromWallet;
        const bought = out.repaidUnits - fromWallet;
        const paid = bought > 0 ? this.dex[x.debtAsset].swap(bought) : 0;
        const received = -this.dex[x.collateralAsset].swap(-share);
        w.usd += received - paid - gas;
        w.costUsd += paid - bought * debtBefore + (share * collBefore - received) + gas;
        this.protocolFeesUsd += out.protocolFeeUnits * price[x.collateralAsset];
        this.countLiquidation(out.repaidUnits * price[x.debtAsset]);
        out.deficitUnits.forEach((u, a) => (this.badDebtUnits[a] += u));
        return;
      }
      case 'swap': {
        const w = this.attack.wallets[x.attacker];
        const dex = this.dex[x.asset];
        const units = x.units > 0 ? x.units : Math.max(x.units, -w.units[x.asset]);
        if (units === 0) return this.refuse('empty');
        const before = dex.priceUsd;
        const usd = dex.swap(units);
        w.usd -= usd;
        w.units[x.asset] += units;
        w.costUsd += Math.abs(usd - units * before);
        return;
      }
    }
  }

  private countLiquidation(notionalUsd: number): void {
    this.stepLiquidations++;
    this.stepNotionalUsd += notionalUsd;
    this.liquidations++;
    this.liquidatedNotionalUsd += notionalUsd;
  }

  record(step: number, tl: LendingTimeline): void {
    const pool = this.pool;
    const price = pool.oraclePriceUsd;
    let coll = 0;
    let debt = 0;
    let uMax = 0;
    let treasury = 0;
    let queued = 0;
    for (let a = 0; a < this.A; a++) {
      const r = pool.params.reserves[a];
      if (r.collateral) coll += pool.totalSupplyUnits(a) * price[a];
      debt += pool.totalDebtUnits(a) * price[a];
      uMax = Math.max(uMax, pool.utilization(a));
      treasury += pool.reservesUnits(a) * price[a];
      queued += pool.queuedUnits(a) * price[a];
    }
    const bad = this.badDebtValue();
    this.unmetPeakUsd = Math.max(this.unmetPeakUsd, queued);
    tl.step[step] = step;
    tl.time_s[step] = step * this.cfg.run.stepSeconds;
    tl.index_price_usd[step] = this.prices.priceUsd[this.refColl];
    tl.mark_price_usd[step] = this.dex[this.refColl].priceUsd;
    tl.oracle_price_usd[step] = price[this.refColl];
    tl.debt_price_usd[step] = this.prices.priceUsd[this.refDebt];
    tl.debt_oracle_price_usd[step] = price[this.refDebt];
    tl.collateral_value_usd[step] = coll;
    tl.debt_value_usd[step] = debt;
    tl.utilization_max_pct[step] = 100 * uMax;
    tl.borrow_rate_pct[step] = 100 * pool.borrowRatePerYear(this.refDebt);
    tl.liquidatable_accounts[step] = this.liquidatable.length;
    tl.min_health_factor[step] = Math.min(HF_CAP, this.minHf);
    tl.liquidations[step] = this.stepLiquidations;
    tl.liquidated_notional_usd[step] = this.stepNotionalUsd;
    tl.insurance_fund_usd[step] = treasury;
    tl.bad_debt_usd[step] = bad;
    tl.uncovered_bad_debt_usd[step] = Math.max(0, bad - Math.max(0, treasury));
    tl.queued_withdrawals_usd[step] = queued;
    tl.gas_usd[step] = this.view.gasUsd;
  }

  private badDebtValue(): number {
    let v = 0;
    for (let a = 0; a < this.A; a++) v += this.badDebtUnits[a] * this.pool.oraclePriceUsd[a];
    return v;
  }

  balance(): ValueBalance {
    return this.pool.balance();
  }

  violation(full: boolean): string | undefined {
    return this.pool.violation(full);
  }

  statContext(tl: LendingTimeline): LendingEnd {
    const pool = this.pool;
    const market = this.prices.priceUsd;
    const latent = latentBadDebtUsd(pool, market);
    const { profitUsd: profit, costUsd: cost } = this.attack.outcome(pool, this.dex, market);
    const end = healthSnapshot(pool, false);
    return {
      tl,
      waveGapSteps: this.cfg.metrics.waveGapSteps,
      badDebtUsd: this.badDebtValue(),
      latentBadDebtUsd: latent,
      reservesEndUsd: this.reserveValues().treasury,
      liquidations: this.liquidations,
      liquidatedNotionalUsd: this.liquidatedNotionalUsd,
      liquidatorBonusUsd: this.liquidatorBonusUsd,
      protocolFeesUsd: this.protocolFeesUsd,
      interestUsd: this.interestUsd,
      atRisk5Usd: this.startHealth.atRisk5,
      atRisk10Usd: this.startHealth.atRisk10,
      hfStartP5: this.startHealth.p5,
      hfStartP50: this.startHealth.p50,
      hfEndP5: end.p5,
      unmetWithdrawalsPeakUsd: this.unmetPeakUsd,
      refusedActions: this.refused,
      attackProfitUsd: profit,
      attackCostUsd: cost,
    };
  }
}
