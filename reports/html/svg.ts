// Small helpers shared by the HTML report's charts: escaping, attribute lists, coordinates and the
// colour-blind-safe palettes. Produces text only; knows nothing of runs or sweeps.

/** Escapes text for HTML/SVG content and attribute values. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

/** ` name="value"` pairs for the defined entries (values escaped). */
export function attrs(a: Record<string, string | number | undefined | null>): string {
  let out = '';
  for (const [k, v] of Object.entries(a)) if (v !== undefined && v !== null) out += ` ${k}="${esc(v)}"`;
  return out;
}

/** A coordinate with at most one decimal: small files, sub-pixel precision is invisible. */
export function px(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/**
 * Okabe & Ito's palette, distinguishable under the common colour-vision deficiencies; every line
 * also gets its own dash pattern so that the charts survive grey-scale printing.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

/** Viridis at 11 evenly spaced points (perceptually uniform, monotone in lightness, colour-blind safe). */
const VIRIDIS = [
  [68, 1, 84],
  [72, 36, 117],
  [65, 68, 135],
  [53, 95, 141],
  [42, 120, 142],
  [33, 145, 140],
  [34, 168, 132],
  [68, 190, 112],
  [122, 209, 81],
  [189, 223, 38],
  [253, 231, 37],
] as const;

/** The sequential ramp's colour at t in [0, 1] (viridis, dark purple to yellow), as #rrggbb. */
export function ramp(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - k;
  const c = VIRIDIS[k].map((a, i) => Math.round(a + (VIRIDIS[k + 1][i] - a) * f));
  return `#${c.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Black or white, whichever reads better on the background colour #rrggbb. */
export function inkOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const lum = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return lum > 0.2 ? '#000000' : '#ffffff';
}
