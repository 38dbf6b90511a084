// Reading a sweep file (a built-in name or a path): schema validation, the scenarios it names with
// their overrides, the grid typed by each parameter's default, and the budgets. Every user mistake
// becomes one UserError naming the sweep file and the field. Does not expand cells or run anything
// (sim/sweep/sweep-plan.ts does that).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  parameterDefault,
  parameterPaths,
  reservedSegment,
  setPath,
  type ConfigOverrides,
} from '../sim/config/index.js';
import type { ResolvedScenario } from '../sim/engine.js';
import { attempt, UserError } from '../sim/core/errors.js';
import {
  loadScenario,
  numberText,
  packageRoot,
  parseDataFile,
  readInputFile,
  refuseReservedKeys,
  zodToUserError,
} from './load.js';
import {
  MAX_SWEEP_CELLS,
  parseBudget,
  SweepFileSchema,
  type Budget,
  type SetOverrides,
  type SweepFile,
} from './sweep-schema.js';

/** A grid or override value after typing: what the config schema receives. */
export type GridValue = number | boolean | string;

/** One swept parameter and its values, in file order. */
export interface GridAxis {
  path: string;
  values: GridValue[];
}

/** A scenario entry of the sweep, resolved. */
export interface SweepScenario {
  /** The `scenario` column of the outputs: the entry's label, or the scenario's name. */
  label: string;
  scenario: ResolvedScenario;
  /** Scenario params, then the sweep-wide `set`, then the entry's `set` (before grid values). */
  overrides: ConfigOverrides;
  /** The sweep-wide and entry overrides as `path=value`, in the order applied (for replay hints). */
  sets: string[];
}

/** A validated sweep file with its scenarios read. */
export interface LoadedSweep {
  name: string;
  description: string;
  /** How errors and the manifest name the file: the path as given, or `builtin:<name>`. */
  source: string;
  /** The file as parsed (before defaults), recorded in the manifest. */
  content: unknown;
  scenarios: SweepScenario[];
  grid: GridAxis[];
  replicates: number;
  seed: number;
  budgets: Budget[];
}

export function builtinSweepDir(): string {
  return join(packageRoot(), 'scenarios', 'builtin-sweeps');
}

/** Built-in sweep names, sorted. */
export function listBuiltinSweeps(): string[] {
  return readdirSync(builtinSweepDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Built-in sweeps, sorted by name, each with its file's description ('' when it has none). */
export function describeBuiltinSweeps(): { name: string; description: string }[] {
  return listBuiltinSweeps().map((name) => {
    const file = join(builtinSweepDir(), `${name}.yaml`);
    const raw = parseDataFile(file, readInputFile(file)) as { description?: unknown };
    return { name, description: typeof raw.description === 'string' ? raw.description.trim() : '' };
  });
}

/** Maps a name or path to a sweep file: a built-in name wins only when no such path exists. */
export function locateSweep(ref: string): { file: string; source: string } {
  if (existsSync(ref)) {
    if (statSync(ref).isFile()) return { file: resolve(ref), source: ref };
    // A device or FIFO by that name: say so, rather than "no such file" (a directory may share a built-in's name).
    if (!statSync(ref).isDirectory()) readInputFile(ref);
  }
  const builtin = join(builtinSweepDir(), `${ref}.yaml`);
  if (/^[a-z0-9-]+$/.test(ref) && existsSync(builtin)) return { file: builtin, source: `builtin:${ref}` };
  throw new UserError(ref, '', `no such file, and not a built-in sweep (built-ins: ${listBuiltinSweeps().join(', ')})`);
}

/** Types a raw value by the parameter's default; throws a UserError naming `field`. */
function typeValue(source: string, field: string, path: string, raw: unknown): GridValue {
  const def = parameterDefault(path)?.value;
  if (typeof def === 'number') {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? numberText(raw) : NaN;
    if (!Number.isFinite(n)) throw new UserError(source, field, `expected a number, got ${JSON.stringify(raw)}`);
    return n;
  }
  if (typeof def === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw new UserError(source, field, `expected true or false, got ${JSON.stringify(raw)}`);
  }
  if (typeof def === 'string') {
    if (typeof raw === 'string') return raw;
    throw new UserError(source, field, `expected a string, got ${JSON.stringify(raw)}`);
  }
  throw new UserError(source, field, 'this parameter cannot be set');
}

/** Throws unless `path` is a parameter; suggests near names. */
function checkPath(source: string, field: string, path: string): void {
  const reserved = reservedSegment(path);
  if (reserved !== undefined) throw new UserError(source, field, `'${reserved}' is a reserved key, not a parameter`);
  if (parameterDefault(path)) return;
  const defaults = parameterPaths();
  const last = (path.split('.').pop() ?? '').toLowerCase();
  const near = [...defaults.keys()]
    .filter((k) => {
      const leaf = (k.split('.').pop() ?? '').toLowerCase();
      return last.length >= 3 && (leaf.includes(last) || last.includes(leaf));
    })
    .slice(0, 3);
  throw new UserError(source, field, `unknown parameter${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
}

/** Reads `set` overrides (a mapping or a `path=value` list) into typed (path, value) pairs; mistakes go to `errors`. */
function parseSets(
  source: string,
  prefix: string,
  set: SetOverrides | undefined,
  errors: UserError[],
): [string, GridValue][] {
  if (set === undefined) return [];
  const raw: [string, unknown, string][] = Array.isArray(set)
    ? set.flatMap((entry, i): [string, unknown, string][] => {
        const eq = entry.indexOf('=');
        if (eq > 0) return [[entry.slice(0, eq).trim(), entry.slice(eq + 1).trim(), `${prefix}[${i}]`]];
        errors.push(new UserError(source, `${prefix}[${i}]`, `expected 'path=value', got '${entry}'`));
        return [];
      })
    : Object.entries(set).map(([path, value]) => [path, value, `${prefix}.${path}`]);
  return raw.flatMap(([path, value, field]): [string, GridValue][] => {
    const typed = attempt(errors, () => {
      checkPath(source, field, path);
      return typeValue(source, field, path, value);
    });
    return typed === undefined ? [] : [[path, typed]];
  });
}

/** Loads a scenario named by a sweep: a path next to the sweep file, then a built-in name or a path from here. */
function resolveScenarioRef(
  sweepFile: string,
  builtin: boolean,
  ref: string,
  source: string,
  field: string,
): ReturnType<typeof loadScenario> {
  if (!builtin) {
    const beside = resolve(dirname(sweepFile), ref);
    if (existsSync(beside) && statSync(beside).isFile()) return loadScenario(beside);
  }
  try {
    return loadScenario(ref);
  } catch (e) {
    // An error inside an existing scenario file names that file; only "not found" is re-worded here.
    if (e instanceof UserError && e.source === ref && e.field === '')
      throw new UserError(source, field, `unknown scenario '${ref}': ${e.detail}`);
    throw e;
  }
}

/**
 * Reads and validates a sweep file. `metrics` are the cells.csv columns a budget may name;
 * `replicates` and `seed` replace the file's values when given (command-line overrides).
 */
export function loadSweep(
  ref: string,
  metrics: readonly string[],
  cli: { replicates?: number; seed?: number } = {},
): LoadedSweep {
  const { file, source } = locateSweep(ref);
  const builtin = source.startsWith('builtin:');
  const raw = parseDataFile(builtin ? file : source, readInputFile(file, source));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserError(source, '', 'expected a mapping with name, scenarios, grid, replicates and seed');
  refuseReservedKeys(source, raw);
  const parsed = SweepFileSchema.safeParse(raw);
  if (!parsed.success) throw zodToUserError(source, parsed.error);
  const data: SweepFile = parsed.data;
  // Before any scenario is read or any value typed: each cell's config is validated by the plan.
  const cells = Object.values(data.grid).reduce((n, values) => n * values.length, data.scenarios.length);
  if (cells > MAX_SWEEP_CELLS)
    throw new UserError(
      source,
      'grid',
      `${data.scenarios.length} scenarios x grid = ${cells} cells; at most ${MAX_SWEEP_CELLS} are supported`,
    );

  // Every mistake below is gathered and reported at once (each on its own line).
  const errors: UserError[] = [];
  const common = parseSets(source, 'set', data.set, errors);
  const loadedScenarios = data.scenarios.map((entry, i): SweepScenario | undefined => {
    const loaded = attempt(errors, () => resolveScenarioRef(file, builtin, entry.scenario, source, `scenarios[${i}]`));
    const pairs = [...common, ...parseSets(source, `scenarios[${i}].set`, entry.set, errors)];
    if (loaded === undefined) return undefined;
    let overrides = loaded.params;
    for (const [path, value] of pairs) overrides = setPath(overrides, path, value);
    const sets = pairs.map(([path, value]) => `${path}=${String(value)}`);
    return { label: entry.label ?? loaded.scenario.name, scenario: loaded.scenario, overrides, sets };
  });
  const scenarios = loadedScenarios.filter((s) => s !== undefined);
  const seen = new Map<string, number>();
  loadedScenarios.forEach((s, i) => {
    if (s === undefined) return;
    const first = seen.get(s.label);
    if (first !== undefined)
      errors.push(
        new UserError(
          source,
          `scenarios[${i}]`,
          `label '${s.label}' is already used by scenarios[${first}]; give one of them a different label`,
        ),
      );
    else seen.set(s.label, i);
  });

  const grid: GridAxis[] = Object.entries(data.grid).flatMap(([path, values]) => {
    if (!attempt(errors, () => (checkPath(source, `grid.${path}`, path), true))) return [];
    const typed: GridValue[] = [];
    const first = new Map<GridValue, number>();
    values.forEach((v, j) => {
      const t = attempt(errors, () => typeValue(source, `grid.${path}[${j}]`, path, v));
      if (t === undefined) return;
      if (first.has(t)) errors.push(new UserError(source, `grid.${path}[${j}]`, `value ${String(t)} is listed twice`));
      first.set(t, j);
      typed.push(t);
    });
    return [{ path, values: typed }];
  });

  // A scenario that failed to load still has its label (or its name) for the budgets' check.
  const labels = data.scenarios.map((entry, i) => loadedScenarios[i]?.label ?? entry.label ?? entry.scenario);
  const budgets = data.budgets.flatMap((b, i) => {
    if (b.scenario !== undefined && !labels.includes(b.scenario)) {
      errors.push(
        new UserError(
          source,
          `budgets[${i}].scenario`,
          `'${b.scenario}' is not a scenario of this sweep (scenarios: ${labels.join(', ')})`,
        ),
      );
      return [];
    }
    const budget = parseBudget(b.budget, metrics, b.scenario ?? null);
    if ('error' in budget) {
      errors.push(new UserError(source, `budgets[${i}]`, budget.error));
      return [];
    }
    return [budget];
  });
  if (errors.length > 0) throw UserError.all(errors);

  return {
    name: data.name,
    description: data.description ?? '',
    source,
    content: raw,
    scenarios,
    grid,
    replicates: cli.replicates ?? data.replicates,
    seed: cli.seed ?? data.seed,
    budgets,
  };
}
