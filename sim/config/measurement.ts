// How a run is measured and checked: the cascade-wave gap, the reported market, and the invariant
// checks (with their fault injection). Schemas only: no statistic is computed here, no I/O.
import { z } from 'zod';
import { positive, count, posCount, MAX_STEPS } from './fields.js';

export const MetricsSchema = z
  .strictObject({
    waveGapSteps: count()
      .max(MAX_STEPS)
      .default(2)
      .describe('Steps without liquidations a cascade wave may span before it ends.'),
    market: z
      .string()
      .default('')
      .describe(
        "Multi-market runs: the market whose statistics the run reports (its own timeline and losses); '' (default) reports the whole venue. Must name one of `markets`.",
      ),
  })
  .describe('How run statistics are measured.');

export const InvariantsSchema = z
  .strictObject({
    tolerance: positive().max(1).default(1e-9).describe('Relative tolerance of value conservation.'),
    fullCheckEverySteps: posCount()
      .max(MAX_STEPS)
      .default(240)
      .describe(
        'Steps between full recomputations of the ledger from every account (O(accounts)); the O(1) check runs every step.',
      ),
    faultInjectionStep: z
      .number()
      .int()
      .min(-1)
      .default(-1)
      .describe(
        'Fault injection for testing error handling: the run throws an InvariantError at this step. -1 (default) never.',
      ),
  })
  .describe('Invariant checks of the ledger (value conservation), and a fault injection to test them.');
