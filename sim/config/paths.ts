// The dotted parameter paths of the resolved config (`protocol.maintenanceMarginRate`): every path
// with its default, the default of a settable path (per-market ones included) and the value at a
// path. Reads configs only: never changes one, no I/O.
import { DEFAULT_CONFIG, type Config } from './config-schema.js';

/** Every parameter's dotted path and its default value. */
export function parameterPaths(config: Config = DEFAULT_CONFIG): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (node: unknown, prefix: string): void => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else out.set(prefix, node);
  };
  walk(config, '');
  return out;
}

const MARKET_SECTIONS = ['market', 'oracle', 'protocol', 'breakers', 'agents'];

/**
 * The default of a settable parameter path, or undefined if there is no such parameter. Besides the
 * config's own paths, `markets.<name>.<section>.<field>` sets one market's value of a market, oracle,
 * protocol, breakers or agents field (README "Several markets").
 */
export function parameterDefault(path: string): { value: unknown } | undefined {
  const defaults = parameterPaths();
  if (defaults.has(path)) return { value: defaults.get(path) };
  const m = /^markets\.([A-Za-z][A-Za-z0-9_-]*)\.((\w+)\..+)$/.exec(path);
  if (m && MARKET_SECTIONS.includes(m[3]) && defaults.has(m[2])) return { value: defaults.get(m[2]) };
  return undefined;
}

/** Reads the value at a dotted path of a resolved config. */
export function getPath(config: Config, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
