// The contagion world as a Protocol (sim/core/protocol.ts): a perp venue (sim/perp/protocol.ts) and
// a lending pool (sim/lending/protocol.ts) built from one config and one seed (each keeps its own
// random streams: the pool's are named `lending.*`), stepped together by the core step loop: the perp
// venue's stages first, then the links, then the pool's. With links.sharedIndex the pool's assets
// read the perp venue's index instead of advancing their own; the perp flow link (link.ts) sells the
// venue's forced flow into a lending asset's DEX pool. The parts are a list (parts.ts), so a CDP part
// joins by adding one. One perp market only (the config refuses markets beside a lending section).
// Pure; no I/O.
import type { ContagionSchedules } from '../../scenarios/contagion-shocks.js';
import type { Config } from '../config/index.js';
import type { AnyStage, Protocol, ValueBalance } from '../core/protocol.js';
import type { Columns } from '../core/registry.js';
import { LendingProtocol } from '../lending/protocol.js';
import { PerpProtocol } from '../perp/protocol.js';
import { PerpFlowLink } from './link.js';
import { Composition, type AnyProtocol, type Part } from './parts.js';
import { CONTAGION_COLUMNS, CONTAGION_PARTS, CONTAGION_STATS, type ContagionEnd } from './statistics.js';

/** World columns summed over every part that has a column of that name. */
const SUMMED = [
  'liquidations',
  'liquidated_notional_usd',
  'insurance_fund_usd',
  'bad_debt_usd',
  'uncovered_bad_debt_usd',
];

export class ContagionProtocol implements Protocol<string, string, ContagionEnd> {
  readonly columns = CONTAGION_COLUMNS;
  readonly stats = CONTAGION_STATS;
  readonly stages: readonly AnyStage[];
  readonly timeline: Columns;
  readonly perp: PerpProtocol;
  readonly lending: LendingProtocol;
  readonly link: PerpFlowLink;
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
    const asset = this.lending.layout.assetIndex.get(c.links.perpFlowAsset)!;
    this.link = new PerpFlowLink(world.venue, this.lending.dexPool(asset), c.links.perpFlowShare);
    const protocols: Record<string, AnyProtocol> = {
      perp: this.perp as unknown as AnyProtocol,
      lending: this.lending as unknown as AnyProtocol,
    };
    const parts: Part[] = CONTAGION_PARTS.map((d) => ({ ...d, protocol: protocols[d.name] }));
    const linkStage: AnyStage = { kind: 'phase', name: 'perp flow link', run: () => this.link.run() };
    this.comp = new Composition(
      parts,
      CONTAGION_COLUMNS,
      cfg.run.steps,
      [{ before: 'lending', stage: linkStage }],
      cfg.invariants.tolerance,
    );
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
      },
    };
  }
}
