// The number builders the section schemas share (finite numbers, rates, counts), so that every
// section states a field's range the same way; no number is larger in magnitude than MAX_MAGNITUDE. Builders only: no schema, no default, no I/O.
import { z } from 'zod';

/** The largest magnitude any numeric parameter may have: a physical bound (a quadrillion USD, units or steps). */
export const MAX_MAGNITUDE = 1e15;

export const num = () => z.number().finite().min(-MAX_MAGNITUDE).max(MAX_MAGNITUDE);
export const nonNeg = () => num().nonnegative();
export const positive = () => num().positive();
export const rate = () => num().min(0).max(1);
export const count = () => z.number().int().nonnegative().max(MAX_MAGNITUDE);
export const posCount = () => z.number().int().positive().max(MAX_MAGNITUDE);
