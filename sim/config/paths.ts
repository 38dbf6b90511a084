// The dotted parameter paths of the resolved config (`protocol.maintenanceMarginRate`): every path
// with its default, the default of a settable path (per-market ones included) and the value at a
// path. Reads configs only: never changes one, no I/O.
import { ConfigSchema, DEFAULT_CONFIG, type Config } from './config-schema.js';
import { CdpCollateralSchema } from './cdp.js';
import { LendingAssetSchema, LendingEModeSchema } from './lending.js';

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

let lendingDefaults: Map<string, unknown> | undefined;
/** The `lending.*` paths of a lending run's defaults (the section is absent from DEFAULT_CONFIG). */
export function lendingPaths(): Map<string, unknown> {
  lendingDefaults ??= new Map(
    [...parameterPaths(ConfigSchema.parse({ lending: {} }))].filter(([k]) => k.startsWith('lending.')),
  );
  return lendingDefaults;
}

let cdpDefaults: Map<string, unknown> | undefined;
/** The `cdp.*` paths of a CDP run's defaults (the section is absent from DEFAULT_CONFIG). */
export function cdpPaths(): Map<string, unknown> {
  cdpDefaults ??= new Map([...parameterPaths(ConfigSchema.parse({ cdp: {} }))].filter(([k]) => k.startsWith('cdp.')));
  return cdpDefaults;
}

/** The default at a path inside one entry of a map of objects, read from the entry schema's defaults. */
function entryDefault(entry: unknown, rest: string): { value: unknown } | undefined {
  const paths = parameterPaths(entry as Config);
  return paths.has(rest) ? { value: paths.get(rest) } : undefined;
}

/**
 * The default of a settable parameter path, or undefined if there is no such parameter. Besides the
 * config's own paths, `markets.<name>.<section>.<field>` sets one market's value of a market, oracle,
 * protocol, breakers or agents field (README "Several markets"); `lending.<field>` a lending run's
 * field, `lending.assets.<name>.<field>`, `lending.eModes.<id>.<field>` and
 * `lending.suppliers.supplyUsd.<name>` those of any asset or e-mode category; `contagion.<field>` a
 * contagion world's (contagionDefault); `cdp.<field>` a CDP run's field and
 * `cdp.collateral.<name>.<field>` that of any collateral type.
 */
export function parameterDefault(path: string): { value: unknown } | undefined {
  const defaults = parameterPaths();
  if (defaults.has(path)) return { value: defaults.get(path) };
  const m = /^markets\.([A-Za-z][A-Za-z0-9_-]*)\.((\w+)\..+)$/.exec(path);
  if (m && MARKET_SECTIONS.includes(m[3]) && defaults.has(m[2])) return { value: defaults.get(m[2]) };
  if (path.startsWith('contagion.')) return contagionDefault(path);
  if (path.startsWith('cdp.')) {
    const cdp = cdpPaths();
    if (cdp.has(path)) return { value: cdp.get(path) };
    const ilk = /^cdp\.collateral\.[A-Za-z][A-Za-z0-9_-]{0,31}\.(.+)$/.exec(path);
    return ilk ? entryDefault(CdpCollateralSchema.parse({}), ilk[1]) : undefined;
  }
  if (!path.startsWith('lending.')) return undefined;
  // A lending run's paths: its defaults (WETH and USDC), any other asset's or e-mode's fields and supplies.
  const lending = lendingPaths();
  if (lending.has(path)) return { value: lending.get(path) };
  const asset = /^lending\.assets\.[A-Za-z][A-Za-z0-9_-]{0,31}\.(.+)$/.exec(path);
  if (asset) return entryDefault(LendingAssetSchema.parse({}), asset[1]);
  const eMode = /^lending\.eModes\.\d{1,3}\.(.+)$/.exec(path);
  if (eMode) return entryDefault(LendingEModeSchema.parse({}), eMode[1]);
  if (/^lending\.suppliers\.supplyUsd\.[A-Za-z][A-Za-z0-9_-]{0,31}$/.test(path)) return { value: 0 };
  return undefined;
}

let contagionDefaults: Map<string, unknown> | undefined;
/** The `contagion.*` paths of a contagion world's defaults (the section is absent from DEFAULT_CONFIG). */
export function contagionPaths(): Map<string, unknown> {
  contagionDefaults ??= new Map(
    [...parameterPaths(ConfigSchema.parse({ lending: {}, contagion: {} }))].filter(([k]) => k.startsWith('contagion.')),
  );
  return contagionDefaults;
}

/**
 * A contagion world's path: its links' defaults, and `contagion.lendingOracle.<field>` that of the
 * top-level `oracle.<field>` (the optional section's default).
 */
function contagionDefault(path: string): { value: unknown } | undefined {
  const own = contagionPaths();
  if (own.has(path)) return { value: own.get(path) };
  const oracle = /^contagion\.lendingOracle\.(.+)$/.exec(path);
  const defaults = parameterPaths();
  if (oracle && defaults.has(`oracle.${oracle[1]}`)) return { value: defaults.get(`oracle.${oracle[1]}`) };
  // The CDP links' optional fields (absent by default): typed by what they take.
  if (path === 'contagion.links.stablecoinAsset') return { value: '' };
  if (path === 'contagion.links.cdpCollateralDex') return { value: true };
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
