// A world of several protocols, generically: each part is a Protocol (sim/core/protocol.ts) under a
// name, and the world's timeline columns and run statistics are the parts' own, prefixed with the
// part's name and `_` (`perp_bad_debt_usd`), built from the parts' registries (units carried over,
// descriptions prefixed by the part), after a few world columns and statistics of the composite's
// own. Its conservation is the parts' summed (each part's own books balance on their own). Knows no
// protocol family: sim/contagion/protocol.ts names the parts. Pure; no I/O.
import type { AnyStage, Protocol, ValueBalance } from '../core/protocol.js';
import {
  computeStats,
  createColumns,
  defineRegistry,
  type ColumnSpec,
  type Columns,
  type Registry,
  type StatSpec,
} from '../core/registry.js';

/** A protocol of any columns, statistics and end context (a part's own types stay with it). */
export type AnyProtocol = Protocol<string, string, unknown>;

/** What a part declares before any run: its name (the prefix) and its registries. */
export interface PartDecl {
  readonly name: string;
  /** How its columns' and statistics' descriptions are prefixed ('the perp venue'). */
  readonly label: string;
  readonly columns: Registry<ColumnSpec>;
  readonly stats: Registry<{ name: string; unit: StatSpec['unit']; description: string }>;
}

/** One part of a running world: its declaration and its protocol. */
export interface Part extends PartDecl {
  readonly protocol: AnyProtocol;
}

/** The end context of a composite's statistics: each part's statistics by part name, and the world's own. */
export interface CompositeEnd<World> {
  readonly parts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly world: World;
}

/** The prefixed name of a part's column or statistic. */
export const prefixed = (part: string, name: string): string => `${part}_${name}`;

/** The world's columns, then every part's, prefixed, in part order. */
export function compositeColumns(world: readonly ColumnSpec[], parts: readonly PartDecl[]): Registry<ColumnSpec> {
  return defineRegistry('timeline column', [
    ...world,
    ...parts.flatMap((p) =>
      p.columns.specs.map((c): ColumnSpec => ({
        name: prefixed(p.name, c.name),
        unit: c.unit,
        across: c.across,
        description: `${p.label}: ${c.description}`,
      })),
    ),
  ]);
}

/** Every part's statistics, prefixed, in part order, then the world's own (cross-protocol) statistics. */
export function compositeStats<World>(
  parts: readonly PartDecl[],
  world: readonly StatSpec<string, CompositeEnd<World>>[],
): Registry<StatSpec<string, CompositeEnd<World>>> {
  return defineRegistry('run statistic', [
    ...world,
    ...parts.flatMap((p) =>
      p.stats.specs.map((s): StatSpec<string, CompositeEnd<World>> => ({
        name: prefixed(p.name, s.name),
        unit: s.unit,
        description: `${p.label}: ${s.description}`,
        compute: (c) => c.parts[p.name][s.name],
      })),
    ),
  ]);
}

/**
 * The parts' shared bookkeeping: each part's timeline (its own, or one made from its columns), the
 * world timeline whose prefixed columns are the parts' own arrays (no copy), the stages in order
 * (`links` run before the part they name), the summed balance and the first part's violation.
 */
export class Composition {
  readonly timeline: Columns;
  readonly stages: readonly AnyStage[];
  private readonly timelines: Columns[];

  constructor(
    readonly parts: readonly Part[],
    columns: Registry<ColumnSpec>,
    steps: number,
    links: readonly { before: string; stage: AnyStage }[],
    /** Relative tolerance of each part's own conservation check (invariants.tolerance). */
    private readonly tolerance: number,
  ) {
    this.timelines = parts.map((p) => p.protocol.timeline ?? createColumns(p.protocol.columns, steps));
    const tl = {} as Columns;
    const worldCount = columns.names.length - parts.reduce((n, p) => n + p.columns.names.length, 0);
    // The world's own columns first (key order is output order), then the parts' arrays under their prefixed names.
    for (const name of columns.names.slice(0, worldCount)) tl[name] = new Float64Array(steps);
    parts.forEach((p, k) => {
      for (const name of p.columns.names) tl[prefixed(p.name, name)] = this.timelines[k][name];
    });
    this.timeline = tl;
    for (const l of links)
      if (!parts.some((p) => p.name === l.before)) throw new Error(`link '${l.stage.name}': no part '${l.before}'`);
    this.stages = parts.flatMap((p) => [
      ...links.filter((l) => l.before === p.name).map((l) => l.stage),
      ...p.protocol.stages,
    ]);
  }

  /** The timeline of part `name`. */
  timelineOf(name: string): Columns {
    return this.timelines[this.parts.findIndex((p) => p.name === name)];
  }

  /** Every part records step `step` into its own timeline. */
  record(step: number): void {
    this.parts.forEach((p, k) => p.protocol.record(step, this.timelines[k]));
  }

  /** Held, external and scale summed over the parts: each part conserves value on its own books. */
  balance(): ValueBalance {
    let held = 0;
    let external = 0;
    let scale = 0;
    for (const p of this.parts) {
      const b = p.protocol.balance();
      held += b.heldUsd;
      external += b.externalUsd;
      scale += b.scaleUsd;
    }
    return { heldUsd: held, externalUsd: external, scaleUsd: Math.max(1, scale) };
  }

  /**
   * The first part's broken invariant, prefixed with its name: its own conservation (the summed check
   * of `balance` could hide one part's gap in another's scale), then its own invariants.
   */
  violation(full: boolean): string | undefined {
    for (const p of this.parts) {
      const b = p.protocol.balance();
      const gap = b.heldUsd - b.externalUsd;
      if (!(Math.abs(gap) <= this.tolerance * b.scaleUsd))
        return `${p.name}: value not conserved: held ${b.heldUsd.toFixed(6)} USD vs deposits - withdrawals ${b.externalUsd.toFixed(6)} USD (gap ${gap.toExponential(3)})`;
      const broken = p.protocol.violation(full);
      if (broken !== undefined) return `${p.name}: ${broken}`;
    }
    return undefined;
  }

  /** Each part's run statistics, by part name. */
  partStats(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    this.parts.forEach((p, k) => {
      out[p.name] = computeStats(p.protocol.stats, p.protocol.statContext(this.timelines[k]));
    });
    return out;
  }
}
