// The contagion world as a Protocol (sim/core/protocol.ts): a perp venue (sim/perp/protocol.ts) and
// a lending pool (sim/lending/protocol.ts) built from one config and one seed (each keeps its own
// random streams: the pool's are named `lending.*`), stepped together by the core step loop: the perp
// venue's stages first, then the links, then the pool's. With links.sharedIndex the pool's assets
// read the perp venue's index instead of advancing their own; the perp flow link (link.ts) sells the
// venue's forced flow into a lending asset's DEX pool. With a `cdp` section a third part, the CDP,
// steps between the two (perp, perp flow link, cdp, stablecoin link, lending), so that each link
// reads the current step: the CDP's collateral follows the perp index (sharedIndex), its keepers sell
// auctioned collateral named like a lending asset into the pool's DEX pool for it (cdpCollateralDex)
// before the pool arbitrages and reads it, and the stablecoin's clearing price of the step becomes
// the stablecoin asset's market price (stablecoinAsset, stable-link.ts) before the pool's prices
// step. One perp market only (the config refuses markets beside a lending section). Pure; no I/O.
import type { ContagionSchedules } from '../../scenarios/contagion-shocks.js';
import type { Config } from '../config/index.js';
import type { AnyStage, Protocol, ValueBalance } from '../core/protocol.js';
import type { Columns } from '../core/registry.js';
import { CdpProtocol } from '../lending/cdp-protocol.js';
import { LendingProtocol } from '../lending/protocol.js';
import { PerpProtocol } from '../perp/protocol.js';
import { PerpFlowLink } from './link.js';
import { Composition, type AnyProtocol, type Part } from './parts.js';
import { StableLink } from './stable-link.js';
import {
  CONTAGION_CDP_COLUMNS,
  CONTAGION_CDP_PARTS,
  CONTAGION_CDP_STATS,
  CONTAGION_COLUMNS,
  CONTAGION_PARTS,
  CONTAGION_STATS,
  type ContagionEnd,
} from './statistics.js';

/** World columns summed over every part that has a column of that name. */
const SUMMED = [
  'liquidations',
  'liquidated_notional_usd',
  'insurance_fund_usd',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
];

export class ContagionProtocol implements Protocol<string, string, ContagionEnd> {
  readonly columns: typeof CONTAGION_COLUMNS;
  readonly stats: typeof CONTAGION_STATS;
  readonly stages: readonly AnyStage[];
  readonly timeline: Columns;
  readonly perp: PerpProtocol;
  readonly lending: LendingProtocol;
  readonly link: PerpFlowLink;
  /** The CDP part (a config with a cdp section) and its stablecoin link. */
  readonly cdp: CdpProtocol | undefined;
  readonly stable: StableLink | undefined;
  private readonly comp: Composition;

  constructor(
    readonly cfg: Config,
    schedules: ContagionSchedules,
    readonly seed: number,
    source: string,
  ) {
    const c = cfg.contagion!;
    this.perp = new PerpProtocol(cfg, [schedules.perp], seed, source);
    const world = this.perp.worlds[0];
    // The pool's oracle section may be its own (contagion.lendingOracle); everything else is shared.
    const lendingCfg: Config = c.lendingOracle ? { ...cfg, oracle: c.lendingOracle } : cfg;
    this.lending = new LendingProtocol(
      lendingCfg,
      schedules.lending,
      seed,
      source,
      c.links.sharedIndex ? world.market : undefined,
    );
    const lending = this.lending;
    const asset = lending.layout.assetIndex.get(c.links.perpFlowAsset)!;
    this.link = new PerpFlowLink(world.venue, lending.dexPool(asset), c.links.perpFlowShare);
    const linkStage: AnyStage = { kind: 'phase', name: 'perp flow link', run: () => this.link.run() };
    const links: { before: string; stage: AnyStage }[] = [];
    if (cfg.cdp && schedules.cdp) {
      const sharedDex = c.links.cdpCollateralDex ?? true;
      const cdp = new CdpProtocol(cfg, schedules.cdp, seed, undefined, {
        index: c.links.sharedIndex ? world.market : undefined,
        dex: (name) => {
          const a = lending.layout.assetIndex.get(name);
          return sharedDex && a !== undefined ? lending.dexPool(a) : undefined;
        },
      });
      this.cdp = cdp;
      const stableAsset = c.links.stablecoinAsset;
      const stable = new StableLink(
        cdp,
        lending,
        stableAsset === undefined ? undefined : lending.layout.assetIndex.get(stableAsset)!,
      );
      this.stable = stable;
      links.push({ before: 'cdp', stage: linkStage });
      links.push({ before: 'lending', stage: { kind: 'phase', name: 'stablecoin link', run: () => stable.run() } });
      this.columns = CONTAGION_CDP_COLUMNS;
      this.stats = CONTAGION_CDP_STATS;
    } else {
      links.push({ before: 'lending', stage: linkStage });
      this.columns = CONTAGION_COLUMNS;
      this.stats = CONTAGION_STATS;
    }
    const protocols: Record<string, AnyProtocol> = {
      perp: this.perp as unknown as AnyProtocol,
      lending: lending as unknown as AnyProtocol,
    };
    if (this.cdp) protocols.cdp = this.cdp as unknown as AnyProtocol;
    const decls = this.cdp ? CONTAGION_CDP_PARTS : CONTAGION_PARTS;
    const parts: Part[] = decls.map((d) => ({ ...d, protocol: protocols[d.name] }));
    this.comp = new Composition(parts, this.columns, cfg.run.steps, links, cfg.invariants.tolerance);
    this.stages = this.comp.stages;
    this.timeline = this.comp.timeline;
  }

  record(step: number, tl: Columns): void {
    const comp = this.comp;
    comp.record(step);
    const perp = comp.timelineOf('perp');
    tl.step[step] = step;
    tl.time_s[step] = step * this.cfg.run.stepSeconds;
    tl.index_price_usd[step] = perp.index_price_usd[step];
    tl.mark_price_usd[step] = perp.mark_price_usd[step];
    tl.oracle_price_usd[step] = perp.oracle_price_usd[step];
    for (const name of SUMMED) {
      let s = 0;
      for (const p of comp.parts) {
        const column = comp.timelineOf(p.name)[name];
        if (column) s += column[step];
      }
      tl[name][step] = s;
    }
    tl.link_flow_usd[step] = this.link.stepFlowUsd;
    tl.link_dex_price_usd[step] = this.link.dexPriceUsd;
    if (this.stable) {
      tl.link_stable_price_usd[step] = this.stable.stablePriceUsd;
      tl.link_stable_asset_price_usd[step] = this.stable.assetPriceUsd();
    }
  }

  balance(): ValueBalance {
    return this.comp.balance();
  }

  violation(full: boolean): string | undefined {
    return this.comp.violation(full);
  }

  statContext(tl: Columns): ContagionEnd {
    const link = this.link;
    let low = link.startPriceUsd;
    for (const p of tl.link_dex_price_usd) if (p < low) low = p;
    return {
      parts: this.comp.partStats(),
      world: {
        flowSoldUsd: link.soldUsd,
        flowBoughtUsd: link.boughtUsd,
        flowSteps: link.steps,
        flowDexDrawdownPct: 100 * (1 - low / link.startPriceUsd),
        ...(this.cdp && {
          cdpUncoveredUsd: Math.max(0, this.cdp.cdp.sin - this.cdp.queuedSin()),
          stableMinPriceUsd: tl.link_stable_price_usd.reduce((m, p) => Math.min(m, p), Infinity),
          stableDepegSteps: tl.link_stable_price_usd.reduce((n, p) => n + (p < 0.99 ? 1 : 0), 0),
        }),
      },
    };
  }
}
