// Nested partial overrides as a user writes them (`--set`, sweep grids, per-market sections):
// setting a dotted path and merging overrides into a base. Plain-object helpers: no schema, no
// validation (the caller parses the result), no I/O.

/** Nested partial overrides as a user writes them. */
export type ConfigOverrides = Record<string, unknown>;

/** Returns a copy of the overrides with the value set at a dotted path (creating objects on the way). */
export function setPath(overrides: ConfigOverrides, path: string, value: unknown): ConfigOverrides {
  const copy = structuredClone(overrides);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** `base` with the plain-object `overrides` merged in, recursively (arrays and values replace). */
export function mergeOverrides<T>(base: T, overrides: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides)) {
    const b = out[k];
    const plain = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = plain(v) && plain(b) ? mergeOverrides(b, v as Record<string, unknown>) : v;
  }
  return out as T;
}
