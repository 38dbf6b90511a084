// Number and CSV formatting shared by every writer: deterministic text for the same floats.
import { stringify } from 'csv-stringify/sync';
import type { FieldMeta } from '../sim/core/registry.js';

/** Integers as they are; other numbers to 12 significant digits (trailing zeros dropped). */
export function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(12)));
}

/** CSV text with a header row; every row has the header's length. */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return stringify([
    header as string[],
    ...rows.map((r) => r.map((v) => (typeof v === 'number' ? formatNumber(v) : v))),
  ]);
}

/** How the registry's units read in tables (the reference pages, the run report). */
export const REGISTRY_UNIT_TEXT: Record<FieldMeta['unit'], string> = {
  usd: 'USD',
  pct: '%',
  fraction: 'fraction',
  ratio: 'ratio',
  count: 'count',
  step: 'step',
  steps: 'steps',
  s: 's',
  flag: '0/1',
  bits: 'bit mask',
  usd_per_pct: 'USD per 1%',
  rate: 'fraction per funding interval',
};
