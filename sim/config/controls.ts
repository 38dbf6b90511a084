// The venue's other controls: real-time monitoring, the emergency guardian and governance bounds
// on scripted parameter changes. Schemas only: the controls live in sim/controls/, no I/O here.
import { z } from 'zod';
import { nonNeg, count, posCount, MAX_USD, MAX_STEPS } from './fields.js';

export const MonitoringSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe('Switches the detectors on (they are passive: results other than the alert statistics do not change).'),
    oracleDivergencePct: nonNeg()
      .max(10)
      .default(0.02)
      .describe('Oracle-vs-index divergence that raises an alert (fraction); 0 disables.'),
    liquidationRatePct: nonNeg()
      .max(10)
      .default(0.01)
      .describe('Notional liquidated in one step, as a share of open interest, that raises an alert; 0 disables.'),
    insuranceDrawdownPct: nonNeg()
      .max(1)
      .default(0.25)
      .describe('Insurance-fund drawdown from its peak that raises an alert (fraction); 0 disables.'),
    concentrationTopAccounts: posCount()
      .max(1000)
      .default(10)
      .describe('Number of largest accounts whose share of open interest is watched.'),
    concentrationShare: nonNeg()
      .max(1)
      .default(0.25)
      .describe('Share of open interest in those accounts that raises an alert; 0 disables.'),
    concentrationEverySteps: posCount()
      .max(MAX_STEPS)
      .default(60)
      .describe('Steps between measurements of concentration (an O(accounts) scan).'),
  })
  .describe('Real-time monitoring: detectors over live metrics with thresholds; alerts change nothing by themselves.');

export const GuardianSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Switches the guardian on.'),
    trigger: z
      .enum(['oracleDivergence', 'liquidationRate', 'insuranceDrawdown', 'concentration'])
      .default('oracleDivergence')
      .describe('The monitoring detector that triggers it.'),
    latencySteps: count()
      .max(MAX_STEPS)
      .default(5)
      .describe('Steps between the detector firing and the pause (human or multisig reaction time).'),
    pauseSteps: posCount().max(MAX_STEPS).default(60).describe('Steps the pause lasts.'),
    scope: z
      .enum(['market', 'liquidations', 'all'])
      .default('market')
      .describe('What is paused: the market (trading), liquidations, or both.'),
    liquidationGraceSteps: count()
      .max(MAX_STEPS)
      .default(0)
      .describe('Steps after the unpause during which liquidations stay off (Aave grace period, at most 4 h).'),
  })
  .describe('The emergency guardian: pauses the market or liquidations after a detector fires.');

export const GovernanceSchema = z
  .strictObject({
    maxAbsoluteChange: nonNeg()
      .max(MAX_USD)
      .default(0)
      .describe('Largest absolute change of a parameter in one proposal; 0 means unbounded.'),
    maxRelativeChange: nonNeg()
      .max(1000)
      .default(0)
      .describe(
        'Largest relative change of a parameter in one proposal (Aave steward caps: 1.0 = 100%); 0 means unbounded.',
      ),
    minDelaySteps: count().max(MAX_STEPS).default(0).describe('Shortest timelock a proposal may carry, steps.'),
    minStepsBetweenUpdates: count()
      .max(MAX_STEPS)
      .default(0)
      .describe('Fewest steps between two changes of the same parameter (Aave steward: 3 days).'),
    guardian: GuardianSchema.prefault({}),
  })
  .describe('Governance: risk-steward bounds on scripted parameter changes, and the guardian.');
