// The number builders the section schemas share (finite numbers, rates, counts), so that every
// section states a field's range the same way. Builders only: no schema, no default, no I/O.
import { z } from 'zod';

export const num = () => z.number().finite();
export const nonNeg = () => num().nonnegative();
export const positive = () => num().positive();
export const rate = () => num().min(0).max(1);
export const count = () => z.number().int().nonnegative();
export const posCount = () => z.number().int().positive();
