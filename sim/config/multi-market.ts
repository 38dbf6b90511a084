// Several markets on one venue: the per-market overrides, how the markets' index returns
// correlate, and the correlation matrix and its Cholesky factor. Pure schemas and arithmetic: the
// resolved config of each market is built in config-schema.ts, no I/O here.
import { z } from 'zod';
import { num, rate, MAX_MARKETS } from './fields.js';

/** One overridable section of a market; checked when the market's config is resolved (config-schema.ts). */
const section = (name: string, note = '') =>
  z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      `This market's values of \`${name}\` fields, nested as in the config (\`markets.<NAME>.${name}.<field>\`); ` +
        `a field left out takes the top-level value.${note}`,
    );
export const MarketOverridesSchema = z
  .strictObject({
    market: section('market'),
    oracle: section('oracle'),
    protocol: section('protocol', ' Not `insuranceFundUsd`: the fund is shared by the markets.'),
    breakers: section('breakers'),
    agents: section('agents', ' Not the agent counts: the accounts are shared by the markets.'),
  })
  .describe(
    'Overrides of one market of a multi-market venue, for the sections a market may set: its market, oracle, protocol, breakers and agents values.',
  );

export const MultiMarketSchema = z
  .strictObject({
    correlation: num()
      .min(-1)
      .max(1)
      .default(0.7)
      .describe("Correlation of every pair of markets' index returns, unless correlationMatrix is given."),
    correlationMatrix: z
      .array(z.array(num().min(-1).max(1)).max(MAX_MARKETS))
      .max(MAX_MARKETS)
      .default([])
      .describe(
        'Full correlation matrix of the index returns (markets in file order); empty uses `correlation`. One row and column per market, symmetric, with ones on the diagonal and positive semi-definite.',
      ),
    crossMarginShare: rate()
      .default(1)
      .describe(
        "Share of trader accounts on cross margin (the first ones by id); the rest hold isolated positions. The default, all on cross margin, is Hyperliquid's default mode.",
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
