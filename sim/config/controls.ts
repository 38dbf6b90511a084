// The venue's other controls: real-time monitoring, the emergency guardian and governance bounds
// on scripted parameter changes. Schemas only: the controls live in sim/controls/, no I/O here.
import { z } from 'zod';
import { nonNeg, count, posCount } from './fields.js';

/** Real-time monitoring: detectors over live metrics with thresholds; alerts change nothing by themselves. */
export const MonitoringSchema = z.strictObject({
  /** Switches the detectors on (they are passive: results other than the alert statistics do not change). Default true. */
  enabled: z.boolean().default(true),
  /** Oracle-vs-index divergence that raises an alert (fraction); 0 disables. Default 0.02. */
  oracleDivergencePct: nonNeg().default(0.02),
  /** Notional liquidated in one step, as a share of open interest, that raises an alert; 0 disables. Default 0.01. */
  liquidationRatePct: nonNeg().default(0.01),
  /** Insurance-fund drawdown from its peak that raises an alert (fraction); 0 disables. Default 0.25. */
  insuranceDrawdownPct: nonNeg().default(0.25),
  /** Number of largest accounts whose share of open interest is watched. Default 10. */
  concentrationTopAccounts: posCount().max(1000).default(10),
  /** Share of open interest in those accounts that raises an alert; 0 disables. Default 0.25. */
  concentrationShare: nonNeg().default(0.25),
  /** Steps between measurements of concentration (an O(accounts) scan). Default 60. */
  concentrationEverySteps: posCount().default(60),
});

/** The emergency guardian: pauses the market or liquidations after a detector fires. */
export const GuardianSchema = z.strictObject({
  /** Switches the guardian on. Default false. */
  enabled: z.boolean().default(false),
  /** The monitoring detector that triggers it. Default 'oracleDivergence'. */
  trigger: z
    .enum(['oracleDivergence', 'liquidationRate', 'insuranceDrawdown', 'concentration'])
    .default('oracleDivergence'),
  /** Steps between the detector firing and the pause (human or multisig reaction time). Default 5. */
  latencySteps: count().default(5),
  /** Steps the pause lasts. Default 60. */
  pauseSteps: posCount().default(60),
  /** What is paused: the market (trading), liquidations, or both. Default 'market'. */
  scope: z.enum(['market', 'liquidations', 'all']).default('market'),
  /** Steps after the unpause during which liquidations stay off (Aave grace period, at most 4 h). Default 0. */
  liquidationGraceSteps: count().default(0),
});

/** Governance: risk-steward bounds on scripted parameter changes, and the guardian. */
export const GovernanceSchema = z.strictObject({
  /** Largest absolute change of a parameter in one proposal; 0 means unbounded. Default 0. */
  maxAbsoluteChange: nonNeg().default(0),
  /** Largest relative change of a parameter in one proposal (Aave steward caps: 1.0 = 100%); 0 means unbounded. Default 0. */
  maxRelativeChange: nonNeg().default(0),
  /** Shortest timelock a proposal may carry, steps. Default 0. */
  minDelaySteps: count().default(0),
  /** Fewest steps between two changes of the same parameter (Aave steward: 3 days). Default 0. */
  minStepsBetweenUpdates: count().default(0),
  guardian: GuardianSchema.prefault({}),
});
