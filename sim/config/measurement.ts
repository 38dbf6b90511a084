// How a run is measured and checked: the cascade-wave gap, the reported market, and the invariant
// checks (with their fault injection). Schemas only: no statistic is computed here, no I/O.
import { z } from 'zod';
import { positive, count, posCount } from './fields.js';

/** How run statistics are measured. */
export const MetricsSchema = z.strictObject({
  /** Steps without liquidations a cascade wave may span before it ends. Default 2. */
  waveGapSteps: count().default(2),
  /** Multi-market runs: the market whose statistics the run reports (its own timeline and losses); '' (default) reports the whole venue. */
  market: z.string().default(''),
});

/** Invariant checking. */
export const InvariantsSchema = z.strictObject({
  /** Relative tolerance of value conservation. Default 1e-9. */
  tolerance: positive().default(1e-9),
  /** Steps between full recomputations of the ledger from every account (O(accounts)); the O(1) check runs every step. Default 240. */
  fullCheckEverySteps: posCount().default(240),
  /** Fault injection for testing error handling: the run throws an InvariantError at this step. -1 (default) never. */
  faultInjectionStep: z.number().int().min(-1).default(-1),
});
