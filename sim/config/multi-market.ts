// Several markets on one venue: the per-market overrides, how the markets' index returns
// correlate, and the correlation matrix and its Cholesky factor. Pure schemas and arithmetic: the
// resolved config of each market is built in config-schema.ts, no I/O here.
import { z } from 'zod';
import { num, rate } from './fields.js';

/** Overrides of one market of a multi-market venue, nested as in the config, for the sections a market may set. */
const section = () => z.record(z.string(), z.unknown()).optional();
export const MarketOverridesSchema = z.strictObject({
  market: section(),
  oracle: section(),
  protocol: section(),
  breakers: section(),
  agents: section(),
});

export const MultiMarketSchema = z
  .strictObject({
    correlation: num()
      .min(-1)
      .max(1)
      .default(0.7)
      .describe("Correlation of every pair of markets' index returns, unless correlationMatrix is given. Default 0.7."),
    correlationMatrix: z
      .array(z.array(num().min(-1).max(1)))
      .default([])
      .describe(
        'Full correlation matrix of the index returns (markets in file order); empty uses `correlation`. Default [].',
      ),
    crossMarginShare: rate()
      .default(1)
      .describe(
        "Share of trader accounts on cross margin (the first ones by id); the rest hold isolated positions. Default 1 (Hyperliquid's default mode).",
      ),
  })
  .describe('How the markets of a multi-market venue move together and share collateral.');

/** The markets' correlation matrix: the given one, or `correlation` off the diagonal. */
export function correlationMatrix(mm: z.infer<typeof MultiMarketSchema>, k: number): number[][] {
  if (mm.correlationMatrix.length > 0) return mm.correlationMatrix;
  return Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => (r === c ? 1 : mm.correlation)));
}

/** Lower Cholesky factor of a symmetric positive-definite matrix with a unit diagonal, or undefined if it is not one. */
export function choleskyFactor(m: readonly (readonly number[])[]): number[][] | undefined {
  const k = m.length;
  const l = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let r = 0; r < k; r++) {
    if (m[r][r] !== 1) return undefined;
    for (let c = 0; c <= r; c++) {
      if (m[r][c] !== m[c][r]) return undefined;
      let sum = m[r][c];
      for (let j = 0; j < c; j++) sum -= l[r][j] * l[c][j];
      if (r === c) {
        // Correlations of 1 (a crash) are allowed: a zero pivot copies the earlier factor.
        if (sum < -1e-12) return undefined;
        l[r][r] = Math.sqrt(Math.max(sum, 0));
      } else if (l[c][c] > 0) l[r][c] = sum / l[c][c];
      else if (Math.abs(sum) > 1e-9) return undefined;
    }
  }
  return l;
}
