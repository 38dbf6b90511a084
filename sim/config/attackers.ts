// The adversarial agents' parameters, one schema per attack, discriminated on `kind`, and their
// inferred types. Schemas only: the strategies live in agents/ and sim/attack/, no I/O here.
import { z } from 'zod';
import { num, positive, count, posCount, MAX_USD, MAX_STEPS } from './fields.js';

/** The `kind` field that selects an attack (the discriminator of AttackerSchema). */
const kind = <K extends string>(k: K) => z.literal(k).describe(`Selects this attack: \`kind: ${k}\`.`);

export const OracleManipulatorSchema = z
  .strictObject({
    kind: kind('oracle-manipulator'),
    capitalUsd: num()
      .max(MAX_USD)
      .positive('an attacker needs capital above 0 USD')
      .describe('Total capital of the attacker (both venue accounts and the spot budget), USD; must be above 0.'),
    startStep: count()
      .max(MAX_STEPS)
      .default(60)
      .describe('Step at which the attack starts (deposit and self-matched position).'),
    spotShare: num()
      .gt(0)
      .lt(1)
      .default(0.5)
      .describe(
        'Share of the capital kept off-venue to buy the spot pool; the rest is split between the two accounts.',
      ),
    marginUse: num()
      .gt(0)
      .max(1)
      .default(0.9)
      .describe("Share of the accounts' initial-margin capacity used for the self-matched position (0..1]."),
    pumpMultiple: num()
      .max(1000)
      .gt(1)
      .default(2)
      .describe('Pool price the attacker pumps toward and holds, as a multiple of the index.'),
    holdSteps: posCount()
      .max(MAX_STEPS)
      .default(30)
      .describe('Steps the attacker keeps the pool pumped (while its spot budget lasts).'),
    unwindSteps: posCount()
      .max(MAX_STEPS)
      .default(30)
      .describe('Steps over which the bought spot units are sold back into the pool after the hold.'),
  })
  .describe(
    'Oracle manipulator (Mango Markets, October 2022; README "Attacks"): two colluding accounts self-match a large position (long on A, short on B) at the venue\'s mark, the attacker buys the thin spot pool the oracle reads, A withdraws against its unrealized profit at the pumped oracle price, and the venue keeps the loss when the price returns.',
  );

export const InsuranceDrainerSchema = z
  .strictObject({
    kind: kind('insurance-drainer'),
    capitalUsd: num()
      .max(MAX_USD)
      .positive('an attacker needs capital above 0 USD')
      .describe('Total capital, deposited half in each account, USD; must be above 0.'),
    startStep: count().max(MAX_STEPS).default(0).describe('Step of the first deposit.'),
    stopStep: count()
      .max(MAX_STEPS)
      .default(1_000_000)
      .describe(
        "Step from which it opens no new round and stops acting; a step past the run's end (the default) means never.",
      ),
    marginUse: num()
      .gt(0)
      .max(1)
      .default(0.98)
      .describe("Share of each account's initial-margin capacity a pair uses (0..1]; near 1 is maximum leverage."),
    maxRounds: posCount().max(MAX_STEPS).default(1000).describe('Most rounds (pairs opened) in a run.'),
  })
  .describe(
    'Insurance-fund drainer (README "Attacks"): two colluding accounts repeatedly self-match a maximum-leverage long/short pair, so that whenever a move carries the losing leg past bankruptcy before its liquidation the insurance fund pays its shortfall while the winning leg keeps the move.',
  );

export const LiquidationHunterSchema = z
  .strictObject({
    kind: kind('liquidation-hunter'),
    capitalUsd: num()
      .max(MAX_USD)
      .positive('an attacker needs capital above 0 USD')
      .describe('Collateral deposited into its one account, USD; must be above 0.'),
    startStep: count()
      .max(MAX_STEPS)
      .default(60)
      .describe('Step of the deposit; the first push follows one step later.'),
    pushNotionalUsd: positive()
      .max(MAX_USD)
      .default(10_000_000)
      .describe('Notional sold into the book in one push, USD.'),
    pushSteps: posCount().max(MAX_STEPS).default(3).describe('Steps the push is spread over.'),
    holdSteps: count()
      .max(MAX_STEPS)
      .default(5)
      .describe('Steps after the push during which it keeps liquidating flagged longs.'),
    unwindSteps: posCount().max(MAX_STEPS).default(5).describe('Steps over which it buys its short back.'),
    intervalSteps: posCount().max(MAX_STEPS).default(120).describe('Steps between the starts of two rounds.'),
    maxRounds: posCount().max(MAX_STEPS).default(1000).describe('Most rounds in a run.'),
  })
  .describe(
    'Liquidation hunter (README "Attacks"): sells into thin depth to push the mark (and an oracle that reads it) through a cluster of long liquidation prices, liquidates the flagged longs itself, buys back.',
  );

export const BadDebtFarmerSchema = z
  .strictObject({
    kind: kind('bad-debt-farmer'),
    capitalUsd: num()
      .max(MAX_USD)
      .positive('an attacker needs capital above 0 USD')
      .describe("Total capital (the long accounts' and the short account's collateral), USD; must be above 0."),
    startStep: count()
      .max(MAX_STEPS)
      .default(60)
      .describe('Step of the deposits; the self-matched positions follow one step later, the push two.'),
    accounts: posCount().max(1000).default(20).describe('Number of long accounts the open interest is spread over.'),
    longShare: num()
      .gt(0)
      .lt(1)
      .default(0.4)
      .describe('Share of the capital deposited into the long accounts (the rest backs the short and its push).'),
    marginUse: num()
      .gt(0)
      .max(1)
      .default(0.98)
      .describe("Share of each long account's initial-margin capacity used (0..1]; near 1 is maximum leverage."),
    pushNotionalUsd: positive()
      .max(MAX_USD)
      .default(30_000_000)
      .describe('Notional the short account sells into the book to push the mark, USD.'),
    pushSteps: posCount().max(MAX_STEPS).default(1).describe('Steps the push is spread over.'),
    holdSteps: count()
      .max(MAX_STEPS)
      .default(5)
      .describe('Steps after the push during which it liquidates its own bankrupt longs.'),
    unwindSteps: posCount().max(MAX_STEPS).default(30).describe('Steps over which it buys back the rest of its short.'),
  })
  .describe(
    'Bad-debt farmer (README "Attacks"): concentrated open interest in a thin market across many colluding accounts (maximum-leverage longs self-matched against one short), a push into the thin book that takes the oracle past the longs\' bankruptcy within one update, the short keeping the move.',
  );

export const GovernanceAttackerSchema = z
  .strictObject({
    kind: kind('governance-attacker'),
    capitalUsd: num()
      .max(MAX_USD)
      .positive('an attacker needs capital above 0 USD')
      .describe('Collateral of its liquidator account, USD; must be above 0.'),
    proposeStep: count().max(MAX_STEPS).default(60).describe('Step of the malicious proposals (and of the deposit).'),
    honestExitMeanSteps: posCount()
      .max(MAX_STEPS)
      .default(60)
      .describe(
        'Mean steps honest traders take to close their positions after the proposal (each leaves after a delay uniform in [1, 2x this]).',
      ),
  })
  .describe(
    'Governance attacker (README "Attacks"): proposes, with the shortest timelock governance allows (governance.minDelaySteps), margin at 50% and a 100% liquidation fee paid to the liquidator, then liquidates every flagged account itself; honest traders close their positions meanwhile.',
  );

export const StaleOracleFrontRunnerSchema = z
  .strictObject({
    kind: kind('stale-oracle-front-runner'),
    capitalUsd: num()
      .max(MAX_USD)
      .positive('an attacker needs capital above 0 USD')
      .describe('Collateral of its account, USD; must be above 0.'),
    startStep: count().max(MAX_STEPS).default(0).describe('Step of the deposit.'),
    minGapPct: num()
      .max(10)
      .gt(0)
      .default(0.02)
      .describe('Gap between the oracle and the index (fraction) at which it enters.'),
    marginUse: num().gt(0).max(1).default(0.9).describe('Share of its initial-margin capacity an entry uses (0..1].'),
    maxEntries: posCount().max(MAX_STEPS).default(1000).describe('Most positions it opens in a run.'),
  })
  .describe(
    'Stale-oracle front-runner (README "Attacks"): when the oracle lags the index by `minGapPct`, takes the side the stale price flatters on the book and withdraws the unrealized profit the stale oracle shows.',
  );

export const AttackerSchema = z
  .discriminatedUnion('kind', [
    OracleManipulatorSchema,
    InsuranceDrainerSchema,
    LiquidationHunterSchema,
    BadDebtFarmerSchema,
    GovernanceAttackerSchema,
    StaleOracleFrontRunnerSchema,
  ])
  .describe('One adversarial agent with its own capital and strategy, discriminated on `kind`.');
export type AttackerConfig = z.infer<typeof AttackerSchema>;
export type OracleManipulatorConfig = z.infer<typeof OracleManipulatorSchema>;
/** The attacker kinds, for error messages. */
export const ATTACKER_KINDS = [
  'oracle-manipulator',
  'insurance-drainer',
  'liquidation-hunter',
  'bad-debt-farmer',
  'governance-attacker',
  'stale-oracle-front-runner',
] as const;
export type BadDebtFarmerConfig = z.infer<typeof BadDebtFarmerSchema>;
export type StaleOracleFrontRunnerConfig = z.infer<typeof StaleOracleFrontRunnerSchema>;
export type GovernanceAttackerConfig = z.infer<typeof GovernanceAttackerSchema>;
export type LiquidationHunterConfig = z.infer<typeof LiquidationHunterSchema>;
export type InsuranceDrainerConfig = z.infer<typeof InsuranceDrainerSchema>;
