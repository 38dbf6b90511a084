// The CDP stablecoin family as a Protocol (sim/core/protocol.ts), run by the core step loop (issue 16).
// Each step: the market (collateral prices on the common index, each collateral's DEX pool arbitraged
// toward its price and drained by depthDrain shocks); the oracle phase (each collateral's oracle feeds
// the OSM, which publishes one hop late; the breaker; the clock and the stability fee; English auctions
// settled or restarted; the Vow's heal, debt and surplus auctions; the unsafe-vault scan); the vault
// owners' round and the keepers' and attackers' round (each shuffled), whose actions are applied with
// the checks here (cdp-actions.ts); then the stablecoin's clearing against the holders' demand with
// the arbitrageurs (stablecoin.ts). The kernel (cdp-vaults.ts and friends) keeps the books; this
// class keeps the wallets around it: the holders' float, the keepers' and attackers' coins and USD,
// the arbitrageurs' inventory. Pure; no I/O.
import type { CdpSchedule } from '../../scenarios/cdp-shocks.js';
import { buildCdpAgents } from '../../agents/cdp/index.js';
import type { CdpConfig, Config } from '../config/index.js';
import type { AnyStage, Decider, Protocol, ValueBalance } from '../core/protocol.js';
import { streamFor, type Stream } from '../core/rng.js';
import { Oracle } from '../market/oracle.js';
import { SpotPool } from '../market/spot-pool.js';
import { biddingClosed, deal, tick, tripBreaker } from './cdp-auctions.js';
import {
  CDP_RUN_REFUSALS,
  CdpActions,
  type CdpActionHost,
  type CdpRunRefusal,
  type CdpTallies,
} from './cdp-actions.js';
import { resolveCdpParams } from './cdp-params.js';
import type { CdpAction, CdpView } from './cdp-run-types.js';
import { CDP_STATS, type CdpEnd, type CdpStatKey } from './cdp-statistics.js';
import { CDP_COLUMNS, type CdpColumn, type CdpTimeline } from './cdp-timeline.js';
import { CDP_REFUSALS } from './cdp-types.js';
import { CDP_BOOKS_TOLERANCE, CdpVaults } from './cdp-vaults.js';
import { flap, flop, heal, surplusAboveBuffer } from './cdp-vow.js';
import { cdpLayout, openCdpGenesis, type CdpLayout } from './cdp-world.js';
import { AssetPrices, type IndexSource } from './prices.js';
import { clearingPriceUsd, clearStep, type StablecoinMarketParams } from './stablecoin.js';

/** The agents of a run (tests may hand their own). */
export interface CdpAgents {
  owners: Decider<CdpView, CdpAction>[];
  keepers: Decider<CdpView, CdpAction>[];
  attackers: Decider<CdpView, CdpAction>[];
}

/** How a contagion world (sim/contagion/) plugs a CDP into its other parts; absent: the CDP runs alone. */
export interface CdpWorldLinks {
  /** The common index to read instead of advancing the CDP's own. */
  readonly index?: IndexSource;
  /** Per collateral name: another protocol's DEX pool the keepers sell into (its owner arbitrages and drains it), or undefined: the CDP's own. */
  readonly dex?: (collateral: string) => SpotPool | undefined;
}

/** The arbitrage vault's collateral at genesis, as a multiple of what it may ever owe (ample: never unsafe in practice). */
const ARB_COLLATERAL_MULTIPLE = 20;

type MutableView = { -readonly [K in keyof CdpView]: CdpView[K] };

export { CDP_RUN_REFUSALS, type CdpRunRefusal };

export class CdpProtocol implements Protocol<CdpColumn, CdpStatKey, CdpEnd>, CdpActionHost {
  readonly columns = CDP_COLUMNS;
  readonly stats = CDP_STATS;
  readonly stages: readonly AnyStage[];
  readonly cdp: CdpVaults;
  readonly layout: CdpLayout;
  readonly refusals: Record<CdpRunRefusal, number>;
  /** Steps at which the breaker tripped on some ilk. */
  readonly breakerTripSteps: number[] = [];
  readonly cc: CdpConfig;
  readonly prices: AssetPrices;
  readonly dex: SpotPool[];
  /** The holders' float: coins outside the system held by no agent, units. */
  holdersUnits: number;
  /** The holders' float at step 0 (the demand's scale). */
  readonly holders0: number;
  /** The arbitrageurs' coins not yet sold or wiped, units. */
  arbInventoryUnits: number;
  /** The stablecoin's market price, USD (the last clearing). */
  stablePriceUsd = 1;
  /** OSM: the published (current) and the queued (next) price per ilk. */
  readonly osmCur: Float64Array;
  readonly osmNxt: Float64Array;
  /** Steps per OSM hop (0: no OSM). */
  readonly hopSteps: number;
  readonly view: MutableView;
  readonly actions: CdpActions;
  readonly tally: CdpTallies;
  private readonly oracles: Oracle[];
  private readonly dexFactor: Float64Array;
  /** Per ilk: its DEX pool is another protocol's (it arbitrages and drains it, not the CDP). */
  private readonly external: readonly boolean[];
  private readonly market: StablecoinMarketParams;
  private stepBarks = 0;
  private vaultsUnsafe = 0;
  private readonly unsafe: number[] = [];
  private active: number[] = [];

  constructor(
    readonly cfg: Config,
    private readonly schedule: CdpSchedule,
    readonly seed: number,
    agents?: (s: Parameters<typeof buildCdpAgents>[0]) => CdpAgents,
    links?: CdpWorldLinks,
  ) {
    const cc = cfg.cdp!;
    this.cc = cc;
    const stream = (s: string): Stream => streamFor(seed, `cdp.${s}`);
    this.layout = cdpLayout(cc);
    const names = this.layout.ilkNames;
    const cols = names.map((n) => cc.collateral[n]);
    this.prices = new AssetPrices(
      cfg.market,
      cfg.run.stepSeconds,
      schedule.common,
      schedule.collateral,
      cols,
      stream('market.path'),
      stream('market.jumps'),
      names.map((n) => stream(`collateral.${n}`)),
      links?.index,
    );
    const external = names.map((n) => links?.dex?.(n));
    this.external = external.map((d) => d !== undefined);
    this.dex = cols.map((k, i) => external[i] ?? new SpotPool(k.dex, k.initialPriceUsd));
    this.dexFactor = new Float64Array(names.length).fill(1);
    this.oracles = cols.map((k, i) => new Oracle(cfg.oracle, k.initialPriceUsd, stream(`oracle.${names[i]}`)));
    this.osmCur = Float64Array.from(cols, (k) => k.initialPriceUsd);
    this.osmNxt = Float64Array.from(cols, (k) => k.initialPriceUsd);
    this.hopSteps = cc.osmDelaySeconds > 0 ? Math.max(1, Math.round(cc.osmDelaySeconds / cfg.run.stepSeconds)) : 0;
    this.cdp = new CdpVaults(resolveCdpParams(cfg), this.layout.vaultIlks);
    this.cdp.priceUsd.set(this.osmCur);
    const s = cc.stablecoin;
    this.market = {
      elasticity: s.elasticity,
      arbitrageCapitalUsdPerStep: s.arbitrageCapitalUsdPerStep,
      minPriceUsd: s.minPriceUsd,
      maxPriceUsd: s.maxPriceUsd,
    };

    // Wallets: keepers' coins, the zero bidders' coins and the peg attackers' USD.
    const kc = cc.keepers;
    const keeperCoins = new Float64Array(kc.count).fill(kc.capitalUnits);
    const attackerCoins = Float64Array.from(cc.attackers, (a) => (a.kind === 'zero-bidder' ? a.capitalUnits : 0));
    const attackerUsd = Float64Array.from(cc.attackers, (a) => (a.kind === 'peg-attacker' ? a.capitalUsd : 0));
    const agentCoins = keeperCoins.reduce((x, y) => x + y, 0) + attackerCoins.reduce((x, y) => x + y, 0);
    const owed = cc.initialSurplusUnits + agentCoins + s.arbitrageCapitalUsdPerStep * cfg.run.steps;
    const gen = openCdpGenesis(
      this.cdp,
      cc,
      this.layout,
      { vaults: stream('genesis.vaults'), managed: stream('genesis.managed') },
      ARB_COLLATERAL_MULTIPLE * cc.collateral[names[0]].liquidationRatio * Math.max(owed, 1),
      agentCoins,
    );
    this.arbInventoryUnits = gen.arbInventoryUnits;
    this.holdersUnits = gen.ownerDrawnUnits;
    this.holders0 = gen.ownerDrawnUnits;
    this.refusals = Object.fromEntries([...CDP_REFUSALS, ...CDP_RUN_REFUSALS].map((r) => [r, 0])) as Record<
      CdpRunRefusal,
      number
    >;
    this.view = {
      step: 0,
      nowSeconds: 0,
      cdp: this.cdp,
      marketPriceUsd: this.prices.priceUsd,
      dex: this.dex,
      stablePriceUsd: 1,
      gasUsd: kc.gasUsd,
      gasMultiplier: 1,
      keeperOutage: 0,
      keeperStableUnits: keeperCoins,
      unsafe: this.unsafe,
      activeAuctions: this.active,
      ownerReserveUnits: gen.ownerReserveUnits,
      attackerStableUnits: attackerCoins,
      attackerUsd,
    };
    this.actions = new CdpActions(this);
    this.tally = this.actions.tally;

    const built = (agents ?? buildCdpAgents)({
      cfg: cc,
      ownerVaults: this.layout.ownerVaults,
      ownerIlk: this.layout.ownerIlk,
      managed: gen.managed,
      stream: (n) => stream(`agent.${n}`),
    });
    const view = this.view as CdpView;
    const round = (name: string, list: Decider<CdpView, CdpAction>[]): AnyStage =>
      ({
        kind: 'round',
        name,
        round: { agents: list, view, order: stream(`order.${name}`) },
        apply: (a: CdpAction) => this.actions.apply(a),
      }) as AnyStage;
    this.stages = [
      { kind: 'phase', name: 'market', run: (t) => this.marketPhase(t) },
      { kind: 'phase', name: 'oracle', run: (t) => this.oraclePhase(t) },
      round('owners', built.owners),
      round('keepers', [...built.keepers, ...built.attackers]),
      { kind: 'phase', name: 'clearing', run: (t) => this.clearing(t) },
    ];
  }

  refuse(r: CdpRunRefusal): void {
    this.refusals[r]++;
    this.tally.refused++;
  }

  /** Collateral prices advance; each DEX pool is drained or refilled and arbitraged toward its price. */
  private marketPhase(step: number): void {
    this.stepBarks = 0;
    this.view.step = step;
    this.prices.advance(step);
    for (let i = 0; i < this.dex.length; i++) {
      if (this.external[i]) continue;
      const factor = this.schedule.collateral[i].depthMultiplier[step];
      if (factor !== this.dexFactor[i]) {
        this.dex[i].scaleLiquidity(factor / this.dexFactor[i]);
        this.dexFactor[i] = factor;
      }
      this.dex[i].arbitrage(this.prices.priceUsd[i]);
    }
  }

  /** Oracles and the OSM, breaker, clock and fees, English settlement, the Vow, the unsafe scan. */
  private oraclePhase(step: number): void {
    const cdp = this.cdp;
    const s = this.schedule;
    const hop = this.hopSteps;
    for (let i = 0; i < this.oracles.length; i++) {
      const frozen = s.common.oracleFrozen[step] === 1 || s.collateral[i].oracleFrozen[step] === 1;
      const p = this.prices.priceUsd[i];
      this.oracles[i].update(step, p, p, this.dex[i].priceUsd, frozen);
      const read = this.oracles[i].priceUsd;
      if (hop === 0) {
        this.osmCur[i] = read;
        this.osmNxt[i] = read;
      } else if (step % hop === 0) {
        this.osmCur[i] = this.osmNxt[i];
        this.osmNxt[i] = read;
      }
      cdp.priceUsd[i] = this.osmCur[i];
      if (this.cc.breaker && cdp.stopped[i] < 2 && tripBreaker(cdp, i, this.osmCur[i], this.osmNxt[i]) === undefined) {
        this.tally.breakerTrips++;
        if (this.breakerTripSteps[this.breakerTripSteps.length - 1] !== step) this.breakerTripSteps.push(step);
      }
    }
    cdp.setTime(step * this.cfg.run.stepSeconds);
    cdp.drip();
    // English auctions: deal those whose bidding closed with a bid, restart those past their end without one.
    for (const id of this.active) {
      const a = cdp.auctions[id];
      if (!a.active || a.kind !== 'english') continue;
      if (a.hasBid && biddingClosed(cdp, a)) {
        const bid = a.bid;
        const res = deal(cdp, id);
        if (typeof res === 'string') this.refuse(res);
        else this.actions.settled(a, res.collateral, bid, res.raised, res.badDebt);
      } else if (!a.hasBid && cdp.nowSeconds >= a.endSeconds) tick(cdp, id);
    }
    this.vow();
    this.scan();
    const v = this.view;
    v.nowSeconds = cdp.nowSeconds;
    v.gasMultiplier = s.gasMultiplier[step];
    v.gasUsd = this.cc.keepers.gasUsd * v.gasMultiplier;
    v.keeperOutage = Math.max(s.common.liquidatorOutage[step], 0);
    v.stablePriceUsd = this.stablePriceUsd;
  }

  /**
   * The system debt of the running auctions (what they may still raise against their due): Maker's
   * sin queue (Vow.fess at the kick), which heal and debt auctions leave alone while the auction runs.
   */
  queuedSin(): number {
    let q = 0;
    for (const id of this.active) {
      const a = this.cdp.auctions[id];
      if (a.active) q += Math.max(0, a.due - a.paid);
    }
    return Math.min(q, this.cdp.sin);
  }

  /**
   * Heal, then debt auctions while sin beyond the queue (queuedSin) is left with no surplus (within
   * the bidders' capital), then a flap. The kernel has no sin queue: the limits are kept here.
   */
  private vow(): void {
    const cdp = this.cdp;
    const queued = this.queuedSin();
    heal(cdp, Math.max(0, cdp.sin - queued));
    let capital = this.cc.keepers.debtAuctionCapitalUnits;
    const sump = cdp.params.debtAuctionSizeUnits;
    // The bidders buy the coins they pay from the holders.
    while (cdp.surplus <= 0 && cdp.sin - queued >= sump && capital >= sump && this.holdersUnits >= sump) {
      const r = flop(cdp, this.cc.debtAuction.govPriceUsd);
      if (typeof r === 'string') break;
      this.holdersUnits -= r.raised;
      capital -= r.raised;
      this.tally.debtAuctions++;
      this.tally.govMintedUnits += r.minted;
      this.tally.debtAuctionRaisedUnits += r.raised;
    }
    if (cdp.sin <= 0 && surplusAboveBuffer(cdp) > 0) {
      const r = flap(cdp, this.cc.debtAuction.govPriceUsd);
      if (typeof r !== 'string') {
        this.holdersUnits += r.sold;
        this.tally.surplusAuctions++;
      }
    }
  }

  /** The unsafe owners' vaults at the OSM price (the arbitrage vault is not scanned) and the running auctions. */
  private scan(): void {
    const cdp = this.cdp;
    this.unsafe.length = 0;
    for (let v = 0; v < this.layout.ownerVaults; v++) if (cdp.art[v] > 0 && !cdp.isSafe(v)) this.unsafe.push(v);
    this.vaultsUnsafe = this.unsafe.length;
    this.active = this.active.filter((id) => cdp.auctions[id].active);
    this.view.activeAuctions = this.active;
  }

  /** A new auction joins the running list (ids rise, so the list stays ascending). */
  kicked(id: number): void {
    this.active.push(id);
    this.stepBarks++;
  }

  /**
   * The stablecoin's clearing: the holders' float against their demand; the arbitrageurs sell above
   * $1 (inventory first, then drawn from their vault) and buy below it (wiping their vault's debt
   * down to dust, holding the rest).
   */
  private clearing(step: number): void {
    const demand = this.cc.stablecoin.demandAtPegShare * this.holders0 * this.schedule.demandMultiplier[step];
    const c = clearStep(this.market, this.holdersUnits, demand, 0);
    const cdp = this.cdp;
    const arb = this.layout.arbVault;
    if (c.arbitrageUnits > 0) {
      const fromInventory = Math.min(this.arbInventoryUnits, c.arbitrageUnits);
      this.arbInventoryUnits -= fromInventory;
      let sold = fromInventory;
      const rest = c.arbitrageUnits - fromInventory;
      if (rest > 0 && cdp.draw(arb, rest) === undefined) sold += rest;
      this.holdersUnits += sold;
    } else if (c.arbitrageUnits < 0) {
      const bought = Math.min(-c.arbitrageUnits, Math.max(0, this.holdersUnits));
      this.holdersUnits -= bought;
      const room = cdp.debtOf(arb) - cdp.params.ilks[0].dustUsd;
      const units = Math.min(bought, room);
      let wiped = 0;
      if (units > 0) {
        const r = cdp.wipe(arb, units);
        if (typeof r === 'number') wiped = r;
      }
      this.arbInventoryUnits += bought - wiped;
    }
    this.stablePriceUsd = clearingPriceUsd(this.market, this.holdersUnits, demand, 0);
    this.view.stablePriceUsd = this.stablePriceUsd;
  }

  /** Keepers able to act now: none above their gas ceiling, else those not in an outage. */
  keepersActive(): number {
    const n = this.cc.keepers.count;
    if (this.view.gasUsd > this.cc.keepers.maxGasUsd) return 0;
    return n - Math.min(n, Math.floor(this.view.keeperOutage * n));
  }

  record(step: number, tl: CdpTimeline): void {
    const cdp = this.cdp;
    const k = this.layout.ownerIlk;
    tl.step[step] = step;
    tl.time_s[step] = step * this.cfg.run.stepSeconds;
    tl.index_price_usd[step] = this.prices.priceUsd[k];
    tl.mark_price_usd[step] = this.dex[k].priceUsd;
    tl.oracle_price_usd[step] = cdp.priceUsd[k];
    tl.liquidations[step] = this.stepBarks;
    tl.insurance_fund_usd[step] = cdp.surplus;
    tl.bad_debt_usd[step] = this.tally.badDebtUnits;
    tl.stable_price_usd[step] = this.stablePriceUsd;
    tl.supply_units[step] = cdp.supply;
    tl.holders_float_units[step] = this.holdersUnits;
    tl.system_debt_usd[step] = cdp.sin;
    tl.auctions_active[step] = this.active.reduce((n, id) => n + (cdp.auctions[id].active ? 1 : 0), 0);
    tl.auction_debt_usd[step] = cdp.Dirt;
    tl.vault_debt_usd[step] = cdp.vaultDebtUnits();
    tl.vaults_unsafe[step] = this.vaultsUnsafe;
    tl.gas_multiplier[step] = this.view.gasMultiplier;
    tl.keepers_active[step] = this.keepersActive();
  }

  /**
   * The kernel's books in USD at the OSM prices (cdp.balance): vault debt + sin - surplus + locked
   * and auctioned collateral against the supply and the collateral that came in less what left.
   * Outside them: the holders, the agents' wallets and the arbitrageurs (their coins are the supply,
   * checked in violation()), the owners' reserves and the DEX pools.
   */
  balance(): ValueBalance {
    return this.cdp.balance();
  }

  /** The kernel's invariants, then the wallets: holders + keepers + attackers + arbitrageurs = supply. */
  violation(full: boolean): string | undefined {
    const k = this.cdp.violation(full);
    if (k !== undefined) return k;
    const v = this.view;
    let coins = this.holdersUnits + this.arbInventoryUnits;
    for (const x of v.keeperStableUnits) coins += x;
    for (const x of v.attackerStableUnits) coins += x;
    const tol = CDP_BOOKS_TOLERANCE * (1 + this.cdp.turnover);
    const gap = coins - this.cdp.supply;
    if (!(Math.abs(gap) <= tol)) return `holders + agents' + arbitrageurs' coins - supply = ${gap}`;
    if (!(this.holdersUnits >= -tol)) return `negative holders' float ${this.holdersUnits}`;
    for (let i = 0; i < v.keeperStableUnits.length; i++)
      if (!(v.keeperStableUnits[i] >= -tol)) return `keeper ${i}: negative coins ${v.keeperStableUnits[i]}`;
    return undefined;
  }

  statContext(tl: CdpTimeline): CdpEnd {
    const t = this.tally;
    const v = this.view;
    let pnl = 0;
    this.cc.attackers.forEach((a, m) => {
      const start = a.kind === 'zero-bidder' ? a.capitalUnits : a.capitalUsd;
      pnl += v.attackerUsd[m] + v.attackerStableUnits[m] * this.stablePriceUsd - start;
    });
    return {
      tl,
      stepSeconds: this.cfg.run.stepSeconds,
      auctions: this.cdp.auctions.length,
      vaultsLiquidated: t.barked.size,
      settledDurationSeconds: t.settledDurationSeconds,
      settled: t.settled,
      paidUsd: t.paidUsd,
      marketValueUsd: t.marketValueUsd,
      zeroBidWins: t.zeroBidWins,
      badDebtUnits: t.badDebtUnits,
      keeperIncentivesUnits: t.keeperIncentivesUnits + t.attackerIncentivesUnits,
      keeperProfitUsd: t.keeperProfitUsd,
      keeperGasUsd: t.keeperGasUsd,
      sinEnd: this.cdp.sin,
      uncoveredSinEnd: Math.max(0, this.cdp.sin - this.queuedSin()),
      debtAuctionRaisedUnits: t.debtAuctionRaisedUnits,
      surplusEnd: this.cdp.surplus,
      debtAuctions: t.debtAuctions,
      govMintedUnits: t.govMintedUnits,
      surplusAuctions: t.surplusAuctions,
      collateralSoldUsd: t.collateralSoldUsd,
      ownerBuybackUnits: t.ownerBuybackUnits,
      attackerPnlUsd: pnl,
      breakerTrips: t.breakerTrips,
      refused: t.refused,
    };
  }
}
