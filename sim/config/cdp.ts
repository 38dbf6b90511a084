// The CDP stablecoin family's parameters (MakerDAO style, Liquidations 2.0 Dutch auctions or the
// Liquidations 1.2 English auctions): the collateral types and their auctions, the Vow (surplus
// buffer, debt auctions), the OSM delay, the stablecoin's market, the agent populations (vault
// owners, keepers) and the attackers (a zero bidder, a peg attacker), with the cross-field checks
// within the section. Schemas only: the resolved kernel parameters are built in sim/lending/cdp-params.ts.
import { z } from 'zod';
import { assetName, count, nonNeg, num, posCount, positive, rate, usd, posUsd, MAX_STEPS } from './fields.js';
import { SpotPoolSchema } from './oracle.js';

/** Most collateral types of one CDP system. */
export const MAX_CDP_COLLATERALS = 16;
/** Most attackers of one CDP run. */
export const MAX_CDP_ATTACKERS = 8;

/** A stablecoin amount from 0 to 1e12 units (taken as $1 each). */
const stable = () => usd();

export const CdpAuctionSchema = z
  .strictObject({
    kind: z
      .enum(['dutch', 'english'])
      .default('dutch')
      .describe(
        "The auction design: 'dutch' (Maker Clipper, Liquidations 2.0: a falling price, taken in any size) or 'english' (Maker Flipper, Liquidations 1.2: rising bids for the lot, then falling lots for the tab).",
      ),
    buf: num()
      .min(1)
      .max(10)
      .default(1.2)
      .describe('Dutch: starting price as a multiple of the OSM price (Maker ETH-B buf 1.20, M4).'),
    stepSeconds: posCount()
      .max(86_400)
      .default(60)
      .describe('Dutch stairstep curve: seconds between price cuts (Maker ETH-B step 60 s, M4).'),
    cut: num()
      .gt(0)
      .lt(1)
      .default(0.99)
      .describe('Dutch stairstep curve: price multiplier per cut (Maker ETH-B cut 0.99, M4).'),
    curve: z
      .enum(['stairstep', 'linear'])
      .default('stairstep')
      .describe(
        "Dutch price curve: 'stairstep' (StairstepExponentialDecrease) or 'linear' (LinearDecrease to 0 over tauSeconds).",
      ),
    tauSeconds: posCount()
      .max(10_000_000)
      .default(3_600)
      .describe('Dutch linear curve: seconds from the top price to a price of 0 (tau).'),
    tailSeconds: posCount()
      .max(10_000_000)
      .default(5_400)
      .describe('Dutch: seconds after which an auction needs a reset (redo) (Maker ETH-B tail 90 min, M4).'),
    cusp: num()
      .default(0.4)
      .describe(
        'Dutch: price / top below which an auction needs a reset (redo), strictly between 0 and 1 (Maker ETH-B cusp 0.40, M4).',
      ),
    tip: stable()
      .default(300)
      .describe('Dutch: flat keeper incentive per kick or reset, stablecoin units (Maker ETH-B tip 300 DAI, M4).'),
    chip: rate()
      .default(0.001)
      .describe('Dutch: proportional keeper incentive, share of the tab (Maker ETH-B chip 0.1%, M4).'),
    bidDurationSeconds: posCount()
      .max(10_000_000)
      .default(600)
      .describe('English: seconds a bid stands before the auction can be settled (Flipper ttl; 10 min in March 2020).'),
    auctionLengthSeconds: posCount()
      .max(10_000_000)
      .default(21_600)
      .describe('English: seconds from the kick after which no bid is taken (Flipper tau; 6 h in March 2020).'),
    minBidIncrement: num()
      .gt(1)
      .max(2)
      .default(1.03)
      .describe('English: minimum bid increment as a multiplier (Flipper beg 1.03).'),
  })
  .describe("A collateral type's liquidation auction (its fields apply to the design `kind` names).");

export const CdpCollateralSchema = z
  .strictObject({
    initialPriceUsd: positive().max(1e9).default(2_000).describe('Market price at step 0, USD.'),
    annualVolatility: nonNeg()
      .max(20)
      .default(0)
      .describe("Annualized volatility of the collateral's own GBM component, on top of the common index (fraction)."),
    indexBeta: num()
      .min(-10)
      .max(10)
      .default(1)
      .describe("Beta of the collateral's log return to the scenario's common index."),
    liquidationRatio: num()
      .default(1.3)
      .describe(
        'Liquidation ratio (Maker mat): a vault is safe while collateral x OSM price / ratio covers its debt. At least 1 (Maker ETH-B 130%, M4).',
      ),
    stabilityFeePerYear: nonNeg()
      .max(10)
      .default(0.02)
      .describe('Stability fee per year (fraction), compounded per step through the rate index (Maker jug duty).'),
    chop: num()
      .min(1)
      .max(2)
      .default(1.13)
      .describe('Liquidation penalty as a multiplier: an auction raises debt x chop (Maker ETH-B 13%, M4).'),
    dustUsd: stable()
      .default(5_000)
      .describe('Smallest debt a vault may hold other than 0, stablecoin units (Maker dust; a model default).'),
    hole: stable()
      .default(15_000_000)
      .describe('Per-collateral cap on the tabs of auctions in flight, stablecoin units (Maker ilk.hole 15M, M4).'),
    auction: CdpAuctionSchema.prefault({}),
    dex: SpotPoolSchema.extend({
      liquidityUsd: positive()
        .max(1e12)
        .default(20_000_000)
        .describe('USD on each side of the pool at the start (its depth).'),
    })
      .prefault({})
      .describe(
        "The collateral's DEX pool, where keepers sell what they buy in auctions (arbitraged toward the market).",
      ),
  })
  .describe('A collateral type (Maker ilk).');

export const CdpStablecoinSchema = z
  .strictObject({
    name: assetName()
      .default('DAI')
      .describe("The stablecoin's name (in reports, and the lending asset a contagion run prices by it)."),
    elasticity: positive()
      .max(100)
      .default(4)
      .describe("Price elasticity of the holders' demand: demand at price p is demand-at-peg x p^-elasticity (> 0)."),
    demandAtPegShare: positive()
      .max(100)
      .default(1)
      .describe(
        "Holders' demand at $1 as a multiple of the supply at step 0 (1: the market clears at $1 at the start).",
      ),
    arbitrageCapitalUsdPerStep: usd()
      .default(100_000)
      .describe('USD the stablecoin arbitrageurs put to work per step: they mint and sell above $1 and buy below it.'),
    minPriceUsd: positive()
      .max(1)
      .default(0.5)
      .describe('Lowest market price of the stablecoin, USD (no buyers at all).'),
    maxPriceUsd: num()
      .min(1)
      .max(100)
      .default(2)
      .describe('Highest market price of the stablecoin, USD (no float at all).'),
  })
  .describe(
    "The stablecoin's market: supply clears against holders' demand, the vault owners' flow and the arbitrageurs.",
  );

export const CdpVaultOwnersSchema = z
  .strictObject({
    count: count().max(1_000_000).default(500).describe('Number of vaults (one owner each).'),
    collateral: assetName().default('ETH').describe('The collateral type of the vaults (a key of `cdp.collateral`).'),
    debtUsd: usd().default(40_000).describe("A vault's median debt at step 0, stablecoin units (lognormal)."),
    debtSigma: nonNeg().max(5).default(1).describe("Log standard deviation of the vaults' debts at step 0."),
    minRatio: num()
      .min(1)
      .max(100)
      .default(1.5)
      .describe(
        'Lowest collateral ratio at step 0 (collateral value / debt); ratios are uniform between minRatio and maxRatio.',
      ),
    maxRatio: num().min(1).max(100).default(3).describe('Highest collateral ratio at step 0.'),
    managedShare: rate()
      .default(0.6)
      .describe('Share of the owners who manage their ratio (the others never act: passive vaults).'),
    triggerRatio: num()
      .min(1)
      .max(100)
      .default(1.6)
      .describe("A managed owner acts when the vault's ratio at the OSM price falls below this."),
    targetRatio: num().min(1).max(100).default(2).describe('A managed owner restores this ratio when it acts.'),
    repayShare: rate()
      .default(0.7)
      .describe(
        'Share of the fix made by repaying debt (buying the stablecoin on its market and wiping); the rest is collateral added.',
      ),
    releverRatio: num()
      .min(0)
      .max(100)
      .default(0)
      .describe(
        'Re-optimizing owners draw more debt (and sell it) back to the target when the ratio is above this; 0: never.',
      ),
    reactionProbability: rate()
      .default(0.2)
      .describe('Chance per step that a managed owner whose vault needs action acts that step.'),
    collateralReserveShare: nonNeg()
      .max(100)
      .default(0.5)
      .describe(
        "Collateral an owner holds outside the vault to top it up, as a share of the vault's collateral at step 0.",
      ),
  })
  .describe('The vault owners: they open vaults at step 0 and manage (or ignore) their collateral ratio.');

export const CdpKeepersSchema = z
  .strictObject({
    count: count()
      .max(10_000)
      .default(5)
      .describe('Number of auction keepers (they kick, take or bid, and sell on the DEX).'),
    capitalUnits: stable().default(2_000_000).describe("Each keeper's stablecoin to pay for collateral, units."),
    gasUsd: usd().default(10).describe('Gas cost of one keeper transaction, USD (a gasSpike shock multiplies it).'),
    maxGasUsd: usd()
      .default(200)
      .describe(
        "Gas cost per transaction above which a keeper's transactions do not get in (its bids fail, as on 12 March 2020): participation collapses in a gas spike.",
      ),
    minProfitUsd: usd()
      .default(50)
      .describe('A keeper takes or bids only when its expected profit after gas and the DEX sale exceeds this, USD.'),
    minDiscount: rate()
      .default(0.02)
      .describe('Discount to the market price a keeper asks for before it takes a Dutch lot or bids, fraction.'),
    maxPerStep: posCount().max(10_000).default(10).describe('Most auction actions one keeper makes per step.'),
    debtAuctionCapitalUnits: stable()
      .default(5_000_000)
      .describe('Stablecoin the debt-auction bidders may pay per step for newly minted governance tokens, units.'),
  })
  .describe('The auction keepers: finite capital, a gas cost and a gas ceiling.');

const attackerKind = <K extends string>(k: K) => z.literal(k).describe(`Selects this attack: \`kind: ${k}\`.`);

const CdpZeroBidderSchema = z
  .strictObject({
    kind: attackerKind('zero-bidder'),
    capitalUnits: stable().default(100_000).describe("The zero bidder's stablecoin, units."),
    bidUnits: stable()
      .default(0)
      .describe('What it bids for a whole English lot nobody else bid on, stablecoin units (0: a zero bid).'),
    maxGasUsd: usd()
      .default(100_000)
      .describe(
        "Gas cost per transaction it is willing to pay (a high gas price gets its bids in when the keepers' fail).",
      ),
    gasUsd: usd().default(10).describe('Its gas cost per transaction at normal gas, USD (a gasSpike multiplies it).'),
    kicks: z
      .boolean()
      .default(true)
      .describe(
        'Whether it also kicks unsafe vaults (English: to have lots to bid on; Dutch: for the kick incentive when it beats its gas).',
      ),
    maxKicksPerStep: posCount().max(10_000).default(20).describe('Most vaults it kicks per step.'),
    dutchTakeBelowMarketShare: rate()
      .default(0.5)
      .describe(
        'It takes a Dutch lot only at a price at most this share of the market price (a lowball bidder; cusp resets keep most prices above it).',
      ),
  })
  .describe('An English-auction bidder who bids (near) zero on every lot and wins when competition is gone.');

const CdpPegAttackerSchema = z
  .strictObject({
    kind: attackerKind('peg-attacker'),
    capitalUsd: posUsd().default(2_000_000).describe("The peg attacker's capital, USD."),
    buyStep: count()
      .max(MAX_STEPS)
      .default(30)
      .describe('Step at which it buys the stablecoin (before the forced deleverage).'),
    sellAbovePriceUsd: num()
      .min(1)
      .max(100)
      .default(1.01)
      .describe('It sells everything once the stablecoin trades above this price, USD.'),
    sellByStep: count()
      .max(MAX_STEPS)
      .default(1_000_000)
      .describe('It sells whatever it holds at this step at the latest.'),
  })
  .describe('A peg attacker: buys the stablecoin before a forced deleverage and sells into the squeeze.');

export const CdpAttackerSchema = z
  .discriminatedUnion('kind', [CdpZeroBidderSchema, CdpPegAttackerSchema])
  .describe('An attacker of the CDP system.');

export const CdpDebtAuctionSchema = z
  .strictObject({
    lotUnits: positive()
      .max(1e12)
      .default(250_000)
      .describe('Most governance tokens one debt auction may mint (Maker dump), units.'),
    sizeUnits: positive()
      .max(1e12)
      .default(50_000)
      .describe('System debt one debt auction covers (Maker sump), stablecoin units.'),
    govPriceUsd: positive().max(1e9).default(1_000).describe("The governance token's price, USD (MKR)."),
  })
  .describe('Debt auctions (Maker Flopper): mint governance tokens to buy back system debt once the surplus is gone.');

const CdpObjectSchema = z.strictObject({
  collateral: z
    .record(assetName(), CdpCollateralSchema)
    .default({ ETH: CdpCollateralSchema.parse({}) })
    .describe(`The collateral types, name -> parameters (1 to ${MAX_CDP_COLLATERALS}; default one, ETH).`),
  Hole: stable()
    .default(100_000_000)
    .describe('Global cap on the tabs of auctions in flight, stablecoin units (Maker Hole 100M, M4).'),
  initialSurplusUnits: stable().default(1_000_000).describe("The Vow's surplus at step 0, stablecoin units."),
  surplusBufferUnits: stable()
    .default(1_000_000)
    .describe('Surplus the Vow keeps before selling any in surplus auctions (Maker hump), stablecoin units.'),
  debtAuction: CdpDebtAuctionSchema.prefault({}),
  osmDelaySeconds: count()
    .max(10_000_000)
    .default(3_600)
    .describe(
      "Oracle security module delay: the OSM publishes each hop the price read one hop earlier, seconds (Maker OSM 3,600 s, M3; 0: the oracle's price at once).",
    ),
  breaker: z
    .boolean()
    .default(false)
    .describe(
      "Whether someone trips the auction breaker (ClipperMom, level 1: no new kicks) when the OSM's next price is below its current one x breakerTolerance.",
    ),
  breakerTolerance: rate().default(0.5).describe('ClipperMom tolerance (Maker 0.5, M4).'),
  stablecoin: CdpStablecoinSchema.prefault({}),
  vaultOwners: CdpVaultOwnersSchema.prefault({}),
  keepers: CdpKeepersSchema.prefault({}),
  attackers: z
    .array(CdpAttackerSchema)
    .max(MAX_CDP_ATTACKERS)
    .default([])
    .describe(`The attackers (at most ${MAX_CDP_ATTACKERS}; none by default).`),
});

/** The section's cross-field checks: each a one-line issue at the field's path. */
function checkCdp(c: z.infer<typeof CdpObjectSchema>, ctx: z.RefinementCtx): void {
  const names = Object.keys(c.collateral);
  if (names.length === 0 || names.length > MAX_CDP_COLLATERALS)
    ctx.addIssue({
      code: 'custom',
      path: ['collateral'],
      message: `${names.length} collateral types; 1 to ${MAX_CDP_COLLATERALS} are supported`,
    });
  for (const [name, k] of Object.entries(c.collateral)) {
    if (!(k.liquidationRatio >= 1))
      ctx.addIssue({
        code: 'custom',
        path: ['collateral', name, 'liquidationRatio'],
        message: `${k.liquidationRatio} is below 1: a vault must hold at least its debt in collateral (Maker ETH-B: 1.30)`,
      });
    const cusp = k.auction.cusp;
    if (!(cusp > 0 && cusp < 1))
      ctx.addIssue({
        code: 'custom',
        path: ['collateral', name, 'auction', 'cusp'],
        message: `${cusp} is outside (0, 1): an auction resets when its price falls below cusp x its top price (Maker ETH-B: 0.40)`,
      });
    if (k.auction.kind === 'dutch' && k.auction.curve === 'stairstep' && k.auction.stepSeconds > k.auction.tailSeconds)
      ctx.addIssue({
        code: 'custom',
        path: ['collateral', name, 'auction', 'stepSeconds'],
        message: `${k.auction.stepSeconds} s is longer than tailSeconds (${k.auction.tailSeconds} s): the price would never fall before a reset`,
      });
  }
  const unknown = (path: (string | number)[], n: string) =>
    ctx.addIssue({
      code: 'custom',
      path,
      message: `unknown collateral '${n}' (collateral: ${names.join(', ')})`,
    });
  const v = c.vaultOwners;
  if (!names.includes(v.collateral)) unknown(['vaultOwners', 'collateral'], v.collateral);
  const mat = c.collateral[v.collateral]?.liquidationRatio ?? 1;
  if (v.maxRatio < v.minRatio)
    ctx.addIssue({
      code: 'custom',
      path: ['vaultOwners', 'maxRatio'],
      message: `${v.maxRatio} is below minRatio (${v.minRatio})`,
    });
  if (v.minRatio < mat)
    ctx.addIssue({
      code: 'custom',
      path: ['vaultOwners', 'minRatio'],
      message: `${v.minRatio} is below the liquidation ratio ${mat}: vaults would open unsafe`,
    });
  if (v.targetRatio < v.triggerRatio)
    ctx.addIssue({
      code: 'custom',
      path: ['vaultOwners', 'targetRatio'],
      message: `${v.targetRatio} is below triggerRatio (${v.triggerRatio}): an owner would act again at once`,
    });
  if (v.releverRatio > 0 && v.releverRatio <= v.targetRatio)
    ctx.addIssue({
      code: 'custom',
      path: ['vaultOwners', 'releverRatio'],
      message: `${v.releverRatio} is not above targetRatio (${v.targetRatio})`,
    });
  const s = c.stablecoin;
  if (s.maxPriceUsd <= s.minPriceUsd)
    ctx.addIssue({ code: 'custom', path: ['stablecoin', 'maxPriceUsd'], message: 'must be above minPriceUsd' });
}

export const CdpSchema = CdpObjectSchema.superRefine(checkCdp).describe(
  'A CDP stablecoin run (MakerDAO style): a config with this section simulates vaults, collateral auctions and the stablecoin instead of the perp venue. Absent by default.',
);

/** The resolved cdp section. */
export type CdpConfig = z.infer<typeof CdpObjectSchema>;
/** One resolved collateral type. */
export type CdpCollateralConfig = z.infer<typeof CdpCollateralSchema>;
/** One resolved attacker. */
export type CdpAttackerConfig = z.infer<typeof CdpAttackerSchema>;

/** The accounts of a CDP run for the work bound: vaults, keepers and attackers. */
export function cdpAccountCount(c: CdpConfig): number {
  return c.vaultOwners.count + c.keepers.count + c.attackers.length;
}

/** Maps that `setPath` seeds when a path enters them: the default collateral list. */
export const CDP_SEEDS: Readonly<Record<string, () => Record<string, unknown>>> = {
  'cdp.collateral': () => ({ ETH: {} }),
};
