// Nested partial overrides as a user writes them (`--set`, sweep grids, per-market sections):
// setting a dotted path and merging overrides into a base. Plain-object helpers: no schema, no
// validation (the caller parses the result), no I/O.
import { CDP_SEEDS } from './cdp.js';
import { LENDING_SEEDS } from './lending.js';

/** Nested partial overrides as a user writes them. */
export type ConfigOverrides = Record<string, unknown>;

/**
 * Keys no parameter has and a plain object must not take from user input: `__proto__` is dropped by
 * the schema's records (or, assigned, replaces an object's prototype), `constructor` and `prototype`
 * shadow what every object inherits. JSON.parse and the yaml package both make them own properties.
 */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The first reserved key among the segments of a dotted path, or undefined. */
export function reservedSegment(path: string): string | undefined {
  return path.split('.').find((k) => RESERVED_KEYS.includes(k));
}

/**
 * The path to the first reserved key of a parsed data tree (objects and arrays), or undefined. Walks
 * with an explicit stack, visiting each node once: linear in the tree's size, whatever its depth.
 */
export function reservedKeyPath(tree: unknown): (string | number)[] | undefined {
  interface Entry {
    node: unknown;
    key: string | number;
    parent: Entry | undefined;
  }
  const pathOf = (e: Entry | undefined): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let x = e; x && x.parent; x = x.parent) out.unshift(x.key);
    return out;
  };
  const stack: Entry[] = [{ node: tree, key: '', parent: undefined }];
  while (stack.length > 0) {
    const e = stack.pop() as Entry;
    const { node } = e;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push({ node: node[i], key: i, parent: e });
      continue;
    }
    const keys = Object.keys(node);
    for (const k of keys) if (RESERVED_KEYS.includes(k)) return [...pathOf(e), k];
    for (let i = keys.length - 1; i >= 0; i--)
      stack.push({ node: (node as Record<string, unknown>)[keys[i]], key: keys[i], parent: e });
  }
  return undefined;
}

/**
 * Returns a copy of the overrides with the value set at a dotted path (creating objects on the way).
 * A map with default entries that the path enters and the overrides lack (`lending.assets`,
 * LENDING_SEEDS) starts from its default entries, so that setting one entry keeps the others.
 */
export function setPath(overrides: ConfigOverrides, path: string, value: unknown): ConfigOverrides {
  const reserved = reservedSegment(path);
  if (reserved !== undefined) throw new Error(`setPath: '${reserved}' is not a parameter name (${path})`);
  const copy = structuredClone(overrides);
  const keys = path.split('.');
  let node: Record<string, unknown> = copy;
  keys.slice(0, -1).forEach((key, i) => {
    const next = node[key];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const seed = { ...LENDING_SEEDS, ...CDP_SEEDS }[keys.slice(0, i + 1).join('.')];
      node[key] = seed ? seed() : {};
    }
    node = node[key] as Record<string, unknown>;
  });
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
