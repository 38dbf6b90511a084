// The number builders and size bounds the section schemas share (finite numbers, rates, counts, USD
// amounts, step counts, the list and work bounds), so that every section states a field's range the
// same way; no number is larger in magnitude than MAX_MAGNITUDE. Builders and constants only: no
// schema, no default, no I/O.
import { z } from 'zod';

/** The largest magnitude any numeric parameter may have: a physical bound (a quadrillion USD, units or steps). */
export const MAX_MAGNITUDE = 1e15;

/** Largest USD amount of any parameter (capital, depth, caps): a trillion USD, above any venue's open interest. */
export const MAX_USD = 1e12;

/** Largest step count or step index of any parameter (windows, delays, start steps, shock steps). */
export const MAX_STEPS = 1_000_000;

/**
 * Most steps in one run (`run.steps`): 250,000 (about 174 days of one-minute steps). The timeline
 * keeps about 4 KB per step (1e6 steps took 3.3 GB), so this keeps it under about 1 GB.
 */
export const MAX_RUN_STEPS = 250_000;

/** Most markets of a multi-market venue (its correlation matrix is k x k and factored in k^3). */
export const MAX_MARKETS = 64;

/**
 * Largest `run.steps x accounts x markets` of one run (the work bound): 2e8. Accounts are the
 * traders, liquidators, arbitrageurs, the market-maker account and the attackers' accounts. 1,440
 * steps x 100,000 accounts (1.4e8) took 10 s and 130 MB; 1e6 steps x 300 accounts (3e8) took 57 s
 * and 3.3 GB; 1,440 x 1,000,000 (1.4e9) five minutes.
 */
export const MAX_ACCOUNT_STEPS = 2e8;

export const num = () => z.number().finite().min(-MAX_MAGNITUDE).max(MAX_MAGNITUDE);
export const nonNeg = () => num().nonnegative();
export const positive = () => num().positive();
export const rate = () => num().min(0).max(1);
export const count = () => z.number().int().nonnegative().max(MAX_MAGNITUDE);
export const posCount = () => z.number().int().positive().max(MAX_MAGNITUDE);
/** A USD amount from 0 to MAX_USD. */
export const usd = () => nonNeg().max(MAX_USD);
/** A positive USD amount up to MAX_USD. */
export const posUsd = () => positive().max(MAX_USD);
/** A step count or step index from 0 to MAX_STEPS. */
export const steps = () => count().max(MAX_STEPS);
/** A step count from 1 to MAX_STEPS. */
export const posSteps = () => posCount().max(MAX_STEPS);

/** A lending asset's name (a key of `lending.assets`): a letter, then up to 31 letters, digits, - and _. */
export const assetName = () =>
  z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'expected an asset name (letters, digits, - and _)');
/** A reference to a lending e-mode category: 0 (none) to 255. */
export const eModeRef = () => z.number().int().min(0).max(255);
