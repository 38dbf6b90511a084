// The CDP family's protocol (sim/lending/cdp-protocol.ts) in hand-built small worlds with hand-written
// deciders: the OSM publishes one hop late; a vault made unsafe by a jump is barked and a Dutch take
// settles it, with the figures worked by hand; an English auction is dealt to its only bidder; a
// keeper's forced buy-back lifts the stablecoin above $1 and the arbitrageurs mint from their vault.
// No volatility anywhere (market, collateral), a pool arbitraged fully to the market each step, no
// stability fee: every figure is arithmetic.
import { describe, expect, it } from 'vitest';
import { compileCdpShocks } from '../../scenarios/cdp-shocks.js';
import { resolveConfig } from '../../scenarios/load.js';
import { ShockSchema } from '../../scenarios/schema.js';
import type { Decider } from '../../sim/core/protocol.js';
import { createColumns } from '../../sim/core/registry.js';
import { CdpProtocol } from '../../sim/lending/cdp-protocol.js';
import type { CdpAction, CdpView } from '../../sim/lending/cdp-run-types.js';

type D = Decider<CdpView, CdpAction>;

/** A decider from a function of the view. */
const decider = (f: (v: CdpView) => CdpAction[]): D => ({ decide: (v, out) => void out.push(...f(v)) });

function world(
  cdp: Record<string, unknown>,
  shocks: unknown[],
  keepers: D[] = [],
  extra: Record<string, unknown> = {},
): { p: CdpProtocol; step: (t: number) => void } {
  const config = resolveConfig('test', {
    run: { steps: 20, stepSeconds: 60 },
    market: { annualVolatility: 0 },
    ...extra,
    cdp: {
      collateral: {
        ETH: {
          stabilityFeePerYear: 0,
          dex: { arbitrageShare: 1, liquidityUsd: 1e12 },
          ...((cdp.eth as Record<string, unknown>) ?? {}),
        },
      },
      osmDelaySeconds: 0,
      vaultOwners: { count: 3, debtUsd: 10_000, debtSigma: 0, minRatio: 1.5, maxRatio: 1.5, managedShare: 0 },
      keepers: { count: 1 },
      ...Object.fromEntries(Object.entries(cdp).filter(([k]) => k !== 'eth')),
    },
  });
  const schedule = compileCdpShocks(
    shocks.map((s) => ShockSchema.parse(s)),
    new Map(),
    config,
    'test',
  );
  const p = new CdpProtocol(config, schedule, 1, () => ({ owners: [], keepers, attackers: [] }));
  const tl = createColumns(p.columns, config.run.steps);
  const step = (t: number) => {
    for (const stage of p.stages) {
      if (stage.kind === 'phase') stage.run(t);
      else {
        const out: unknown[] = [];
        for (const a of stage.round.agents) a.decide(stage.round.view, out);
        for (const a of out) stage.apply(a);
      }
    }
    p.record(t, tl);
    expect(p.violation(true)).toBeUndefined();
    const b = p.balance();
    expect(Math.abs(b.heldUsd - b.externalUsd)).toBeLessThan(1e-9 * b.scaleUsd);
  };
  return { p, step };
}

const JUMP = { kind: 'priceJump', market: 'ETH', step: 1, pct: -0.2 };

describe('the OSM of a CDP run', () => {
  it('publishes a price one hop after the hop that read it (hop 3 steps: a jump at step 4 is seen at step 9)', () => {
    const { p, step } = world({ osmDelaySeconds: 180 }, [{ kind: 'priceJump', market: 'ETH', step: 4, pct: -0.5 }]);
    const seen: number[] = [];
    for (let t = 0; t < 12; t++) {
      step(t);
      seen.push(p.cdp.priceUsd[0]);
    }
    expect(p.hopSteps).toBe(3);
    expect(p.prices.priceUsd[0]).toBeCloseTo(1000, 6);
    // Hops at 0, 3, 6, 9: the hop at 6 queues 1000 (read then), the hop at 9 publishes it.
    expect(seen.slice(0, 9).every((x) => Math.abs(x - 2000) < 1e-6)).toBe(true);
    expect(seen[9]).toBeCloseTo(1000, 6);
    expect(seen[11]).toBeCloseTo(1000, 6);
  });

  it('publishes the oracle price at once without an OSM (osmDelaySeconds 0)', () => {
    const { p, step } = world({}, [{ kind: 'priceJump', market: 'ETH', step: 4, pct: -0.5 }]);
    for (let t = 0; t < 5; t++) step(t);
    expect(p.cdp.priceUsd[0]).toBeCloseTo(1000, 6);
  });
});

describe('a Dutch liquidation in a CDP run', () => {
  // 3 vaults of 10,000 debt at ratio 1.5 at $2,000 (7.5 ETH each); a 20% jump at step 1 makes them
  // unsafe (7.5 x 1,600 / 1.3 = 9,230.8 < 10,000). The keeper barks vault 0 at step 1 and takes it all at step 3.
  const keeper = decider((v) =>
    v.step === 1 && v.unsafe.includes(0)
      ? [{ kind: 'bark', keeper: 0, vault: 0 }]
      : v.step === 3
        ? [{ kind: 'take', keeper: 0, auction: 0, maxCollateral: 100, maxPriceUsd: Infinity }]
        : [],
  );
  const run = () => {
    const w = world({ stablecoin: { arbitrageCapitalUsdPerStep: 5_000 } }, [JUMP], [keeper]);
    for (let t = 0; t < 4; t++) w.step(t);
    return w.p;
  };

  it('kicks an auction of the whole vault: tab = debt x chop, top = OSM price x buf, incentive tip + chip x tab', () => {
    const w = world({}, [JUMP], [keeper]);
    w.step(0);
    w.step(1);
    const a = w.p.cdp.auctions[0];
    expect(a.tab).toBeCloseTo(11_300, 6);
    expect(a.lot).toBeCloseTo(7.5, 9);
    expect(a.top).toBeCloseTo(1_920, 6);
    expect(w.p.view.keeperStableUnits[0]).toBeCloseTo(2_000_000 + 300 + 11.3, 6);
    expect(w.p.tally.keeperIncentivesUnits).toBeCloseTo(311.3, 6);
  });

  it('settles with a take two cuts later: 11,300 / (1,920 x 0.99^2) ETH bought, the rest returned to the owner, the penalty to the surplus', () => {
    const p = run();
    const price = 1_920 * 0.99 ** 2;
    const bought = 11_300 / price;
    const a = p.cdp.auctions[0];
    expect(a.active).toBe(false);
    expect(a.paid).toBeCloseTo(11_300, 6);
    // The owner's reserve outside the vault (collateralReserveShare 0.5 of 7.5 ETH) gets the rest of the lot.
    expect(p.view.ownerReserveUnits[0]).toBeCloseTo(3.75 + 7.5 - bought, 9);
    expect(p.tally.paidUsd).toBeCloseTo(11_300, 6);
    expect(p.tally.marketValueUsd).toBeCloseTo(bought * 1_600, 6);
    // Sold into a 1e12-deep pool at its 0.3% fee.
    expect(p.tally.collateralSoldUsd).toBeCloseTo(bought * 1_600 * 0.997, 3);
    expect(p.tally.badDebtUnits).toBe(0);
    expect(p.tally.settled).toBe(1);
    expect(p.tally.settledDurationSeconds).toBe(120);
    // The incentive was healed from the surplus at step 2; the take paid the due and 1,300 of penalty.
    expect(p.cdp.sin).toBeCloseTo(0, 6);
    expect(p.cdp.surplus).toBeCloseTo(1_000_000 - 311.3 + 1_300, 6);
    // The keeper bought its 11,300 back from the holders.
    expect(p.view.keeperStableUnits[0]).toBeCloseTo(2_000_000 + 311.3, 6);
  });

  it("lifts the stablecoin above $1 by the keeper's buy-back, and the arbitrageurs mint 5,000 from their vault", () => {
    const p = run();
    const arbVault = p.layout.arbVault;
    // Float 30,000 - 11,300 bought back + 5,000 minted and sold; demand at $1 stays 30,000 (elasticity 4).
    expect(p.holdersUnits).toBeCloseTo(23_700, 3);
    expect(p.stablePriceUsd).toBeCloseTo((30_000 / 23_700) ** 0.25, 6);
    expect(p.stablePriceUsd).toBeGreaterThan(1.06);
    expect(p.cdp.debtOf(arbVault)).toBeCloseTo(1_000_000 + 2_000_000 + 5_000, 3);
  });
});

describe('an English liquidation in a CDP run', () => {
  const keeper = decider((v) =>
    v.step === 1 && v.unsafe.includes(0)
      ? [{ kind: 'bark', keeper: 0, vault: 0 }]
      : v.step === 2
        ? [{ kind: 'tend', bidder: { keeper: 0 }, auction: 0, bidUnits: 5_000 }]
        : [],
  );

  it('is dealt to its only bidder once its bid has stood bidDurationSeconds: the lot sold on the DEX, due - bid left as bad debt', () => {
    const { p, step } = world(
      { eth: { auction: { kind: 'english', bidDurationSeconds: 120, auctionLengthSeconds: 600 } } },
      [JUMP],
      [keeper],
    );
    for (let t = 0; t < 4; t++) step(t);
    expect(p.cdp.auctions[0].active).toBe(true);
    expect(p.view.keeperStableUnits[0]).toBeCloseTo(2_000_000 - 5_000, 6);
    step(4);
    const a = p.cdp.auctions[0];
    expect(a.active).toBe(false);
    expect(p.tally.settled).toBe(1);
    expect(p.tally.badDebtUnits).toBeCloseTo(10_000 - 5_000, 6);
    expect(p.tally.collateralSoldUsd).toBeCloseTo(7.5 * 1_600 * 0.997, 3);
    expect(p.tally.settledDurationSeconds).toBe(240 - 60);
    // No incentive in an English kick; the keeper bought back its 5,000 at the deal.
    expect(p.view.keeperStableUnits[0]).toBeCloseTo(2_000_000, 6);
    step(5);
    // The 5,000 left in sin is healed from the surplus once the auction no longer holds it.
    expect(p.cdp.sin).toBeCloseTo(0, 6);
    expect(p.cdp.surplus).toBeCloseTo(1_000_000 - 5_000, 6);
  });
});

describe('the protocol checks of a CDP run', () => {
  it("refuses a keeper's action above its gas ceiling ('gas-ceiling') and in an outage ('keeper-outage') without throwing", () => {
    const keeper = decider((v) =>
      v.step >= 1 ? v.unsafe.map((vault) => ({ kind: 'bark' as const, keeper: 0, vault })) : [],
    );
    const { p, step } = world(
      { keepers: { count: 1, maxGasUsd: 50 } },
      [
        JUMP,
        { kind: 'gasSpike', step: 1, steps: 1, multiplier: 10 },
        { kind: 'liquidatorOutage', step: 2, steps: 1, share: 1 },
      ],
      [keeper],
    );
    for (let t = 0; t < 4; t++) step(t);
    expect(p.refusals['gas-ceiling']).toBe(3);
    expect(p.refusals['keeper-outage']).toBe(3);
    expect(p.cdp.auctions.length).toBe(3);
  });
});

describe('debt auctions in a CDP run', () => {
  it('cover bad debt the surplus cannot: a zero bid leaves 10,000 of sin, two flops of 4,000 mint 4 governance tokens each from the holders, 2,000 stays below a lot', () => {
    const keeper = decider((v) =>
      v.step === 1 && v.unsafe.includes(0)
        ? [{ kind: 'bark', keeper: 0, vault: 0 }]
        : v.step === 2
          ? [{ kind: 'tend', bidder: { keeper: 0 }, auction: 0, bidUnits: 0 }]
          : [],
    );
    const { p, step } = world(
      {
        eth: { auction: { kind: 'english', bidDurationSeconds: 120, auctionLengthSeconds: 600 } },
        initialSurplusUnits: 0,
        debtAuction: { sizeUnits: 4_000, govPriceUsd: 1_000 },
      },
      [JUMP],
      [keeper],
    );
    for (let t = 0; t < 4; t++) step(t);
    // Queued behind the running auction, the kick's debt is not auctioned yet.
    expect(p.cdp.sin).toBeCloseTo(10_000, 6);
    expect(p.tally.debtAuctions).toBe(0);
    const before = p.holdersUnits;
    step(4);
    // Dealt at step 4 for nothing: the whole due is bad debt, no longer queued, and the Vow auctions it.
    expect(p.tally.badDebtUnits).toBeCloseTo(10_000, 6);
    expect(p.tally.zeroBidWins).toBe(1);
    expect(p.tally.debtAuctions).toBe(2);
    expect(p.tally.govMintedUnits).toBeCloseTo(8, 9);
    expect(p.cdp.sin).toBeCloseTo(2_000, 6);
    // The bidders bought their 8,000 from the holders; the arbitrageurs refilled the float at $1 from
    // their 5,000 of inventory (the dust their vault drew at genesis) and 3,000 newly drawn.
    expect(p.holdersUnits).toBeCloseTo(before, 3);
    expect(p.stablePriceUsd).toBeCloseTo(1, 9);
    expect(p.arbInventoryUnits).toBeCloseTo(0, 6);
    expect(p.cdp.debtOf(p.layout.arbVault)).toBeCloseTo(5_000 + 2_000_000 + 3_000, 3);
  });
});
