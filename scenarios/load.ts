// Reading scenario files (YAML or JSON, built-in names or paths), validating them against the
// schema, reading replay series, and resolving the run config from the scenario's params plus
// `--set` overrides. All user mistakes become one-line UserErrors naming the file and field.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML, { LineCounter } from 'yaml';
import type { z } from 'zod';
import {
  ATTACKER_KINDS,
  ConfigSchema,
  parameterDefault,
  parameterPaths,
  reservedKeyPath,
  reservedSegment,
  setPath,
  type Config,
  type ConfigOverrides,
} from '../sim/config/index.js';
import type { ResolvedScenario } from '../sim/engine.js';
import { formatPath, UserError } from '../sim/core/errors.js';
import { parsePriceCsv, type PriceSeries } from './price-series.js';
import { SHOCK_KINDS, ScenarioFileSchema, type ScenarioFile } from './schema.js';

/** The package root (holds package.json), found from this module whether it runs from source or dist. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

export function builtinDir(): string {
  return join(packageRoot(), 'scenarios', 'builtin');
}

/** Built-in scenario names with their one-line descriptions, sorted by name. */
export function listBuiltins(): { name: string; description: string }[] {
  // Sorted by name, not file name: 'lending-crash' before 'lending-crash-compound' ('.' sorts after '-').
  return readdirSync(builtinDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort()
    .map((name) => {
      const s = readScenarioFile(join(builtinDir(), `${name}.yaml`));
      return { name: s.name, description: s.description };
    });
}

/** Maps a name or path to a file: a built-in name wins only when no such path exists. */
export function locateScenario(ref: string): string {
  if (existsSync(ref)) {
    if (statSync(ref).isFile()) return resolve(ref);
    // A device or FIFO by that name: say so, rather than "no such file" (a directory may share a built-in's name).
    if (!statSync(ref).isDirectory()) readInputFile(ref);
  }
  const builtin = join(builtinDir(), `${ref}.yaml`);
  if (/^[a-z0-9-]+$/.test(ref) && existsSync(builtin)) return builtin;
  const names = readdirSync(builtinDir())
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
  throw new UserError(ref, '', `no such file, and not a built-in scenario (built-ins: ${names.join(', ')})`);
}

/** Largest scenario, sweep or replay file read, in bytes (64 MB): a larger one is refused before reading. */
export const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Reads an input file as UTF-8 after checking it is a regular file under MAX_INPUT_FILE_BYTES, so a
 * device (/dev/zero) or a FIFO is refused instead of read without bound or waited on forever. Errors
 * are UserErrors of `source` and `field`; they name `path` too when a field refers to it.
 */
export function readInputFile(path: string, source: string = path, field = ''): string {
  const named = field === '' ? '' : ` ${path}`;
  const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new UserError(source, field, `cannot read${named}: not a regular file`);
    size = st.size;
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(source, field, `cannot read${named}: ${code(e)}`);
  }
  if (size > MAX_INPUT_FILE_BYTES)
    throw new UserError(
      source,
      field,
      `cannot read${named}: ${size} bytes, over the limit of ${MAX_INPUT_FILE_BYTES} (64 MB)`,
    );
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(source, field, `cannot read${named}: ${code(e)}`);
  }
}

/** The first key of a YAML document repeated within its map (scalar keys), with its offset; linear in the document. */
function duplicateKey(doc: YAML.Document): { key: string; offset: number | undefined } | undefined {
  let found: { key: string; offset: number | undefined } | undefined;
  YAML.visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key: unknown = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
        if (seen.has(key)) {
          found = { key: String(key), offset: YAML.isNode(pair.key) ? pair.key.range?.[0] : undefined };
          return YAML.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return found;
}

/** Parses YAML or JSON text by the file's extension; syntax errors name the line. */
export function parseDataFile(file: string, text: string): unknown {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new UserError(file, '', `invalid JSON: ${(e as Error).message}`);
    }
  }
  if (ext !== '.yaml' && ext !== '.yml') throw new UserError(file, '', 'expected a .yaml, .yml or .json file');
  const lines = new LineCounter();
  // The yaml package's own uniqueKeys check compares every pair of keys of a map (quadratic: 2 s
  // for 5,000 keys); duplicateKey below does the same check with a set per map, in linear time.
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: false, lineCounter: lines });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const line = lines.linePos(err.pos[0]).line;
    throw new UserError(file, line ? `line ${line}` : '', `invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const dup = duplicateKey(doc);
  if (dup) {
    const line = dup.offset === undefined ? 0 : lines.linePos(dup.offset).line;
    throw new UserError(file, line ? `line ${line}` : '', `invalid YAML: map keys must be unique ('${dup.key}')`);
  }
  try {
    return doc.toJS();
  } catch (e) {
    // The yaml package refuses documents whose aliases expand too far (maxAliasCount: billion laughs).
    throw new UserError(file, '', `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Throws a UserError naming the file and field if the parsed tree has a `__proto__`, `constructor` or `prototype` key. */
export function refuseReservedKeys(file: string, raw: unknown): void {
  const path = reservedKeyPath(raw);
  if (path)
    throw new UserError(file, formatPath(path), `'${String(path[path.length - 1])}' is a reserved key, not a field`);
}

/** One zod issue as a UserError with the field path. */
function issueError(file: string, issue: z.ZodError['issues'][number], prefix: readonly PropertyKey[]): UserError {
  const path = [...prefix, ...issue.path];
  let detail = issue.message;
  if (issue.code === 'invalid_union' && path.includes('attackers')) {
    detail = `unknown attacker kind (expected one of: ${ATTACKER_KINDS.join(', ')})`;
  } else if (issue.code === 'invalid_union' && path[path.length - 1] === 'kind') {
    detail = `unknown shock kind (expected one of: ${SHOCK_KINDS.join(', ')})`;
  } else if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    detail = `unknown shock kind (expected one of: ${SHOCK_KINDS.join(', ')})`;
  } else if (issue.code === 'unrecognized_keys') {
    return new UserError(file, formatPath([...path, issue.keys[0]]), 'unknown field');
  } else if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    // A map key that fails its pattern (a market or asset name): the key's own message.
    detail = issue.issues[0].message;
  } else if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
    detail = `required field is missing (expected ${issue.expected})`;
  }
  return new UserError(file, formatPath(path), detail);
}

/** Turns every zod issue into a UserError with its field path: the first, carrying the others. */
export function zodToUserError(file: string, error: z.ZodError, prefix: readonly PropertyKey[] = []): UserError {
  return UserError.all(error.issues.map((issue) => issueError(file, issue, prefix)));
}

/** Reads and validates a scenario file (no series loading); every mistake in it is reported at once. */
export function readScenarioFile(file: string): ScenarioFile {
  const raw = parseDataFile(file, readInputFile(file));
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserError(file, '', 'expected a mapping with name, description, params and shocks');
  refuseReservedKeys(file, raw);
  const errors: UserError[] = [];
  const parsed = ScenarioFileSchema.safeParse(raw);
  if (!parsed.success) errors.push(zodToUserError(file, parsed.error));
  // The params are checked against the config schema even when the rest of the file has mistakes.
  const params = (raw as { params?: unknown }).params ?? {};
  const paramsOk = params !== null && typeof params === 'object' && !Array.isArray(params);
  if (paramsOk) {
    const cfg = ConfigSchema.safeParse(params);
    if (!cfg.success) errors.push(zodToUserError(file, cfg.error, ['params']));
  }
  if (errors.length > 0 || !parsed.success) throw UserError.all(errors);
  return parsed.data;
}

/** Reads a scenario by name or path, with the price series of its replay shocks. */
export function loadScenario(ref: string): { scenario: ResolvedScenario; params: ConfigOverrides } {
  const file = locateScenario(ref);
  const data = readScenarioFile(file);
  const series: [number, PriceSeries][] = [];
  data.shocks.forEach((shock, i) => {
    if (shock.kind !== 'replay') return;
    const csv = resolve(dirname(file), shock.file);
    series.push([i, parsePriceCsv(readInputFile(csv, file, `shocks[${i}].file`), csv)]);
  });
  const source = file.startsWith(builtinDir()) ? `builtin:${data.name}` : file;
  return {
    scenario: { name: data.name, description: data.description, source, shocks: data.shocks, series },
    params: data.params,
  };
}

/** Parses one `--set path=value` into the overrides, typed by the parameter's default. */
export function applySet(overrides: ConfigOverrides, assignment: string): ConfigOverrides {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new UserError('--set', assignment, "expected 'path=value'");
  const path = assignment.slice(0, eq).trim();
  const text = assignment.slice(eq + 1).trim();
  const reserved = reservedSegment(path);
  if (reserved !== undefined) throw new UserError('--set', path, `'${reserved}' is a reserved key, not a parameter`);
  const known = parameterDefault(path);
  if (!known) {
    const near = [...parameterPaths().keys()].filter((k) => k.endsWith(path.split('.').pop() ?? '')).slice(0, 3);
    throw new UserError('--set', path, `unknown parameter${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`);
  }
  const def = known.value;
  let value: unknown;
  if (typeof def === 'number') {
    value = numberText(text);
    if (!Number.isFinite(value)) throw new UserError('--set', path, `expected a number, got '${text}'`);
  } else if (typeof def === 'boolean') {
    if (text !== 'true' && text !== 'false')
      throw new UserError('--set', path, `expected true or false, got '${text}'`);
    value = text === 'true';
  } else value = text;
  return setPath(overrides, path, value);
}

/** The run config: defaults, then the scenario's params, then each `--set`, validated as a whole. */
export function resolveConfig(source: string, params: ConfigOverrides, sets: readonly string[] = []): Config {
  let overrides = params;
  for (const s of sets) overrides = applySet(overrides, s);
  const parsed = ConfigSchema.safeParse(overrides);
  if (!parsed.success) {
    // The scenario's own params were validated when its file was read: if they still pass alone,
    // the --set assignments broke the config (possibly through a cross-field rule on another field).
    const fromSet = sets.length > 0 && ConfigSchema.safeParse(params).success;
    throw zodToUserError(fromSet ? '--set' : source, parsed.error, fromSet ? [] : ['params']);
  }
  return parsed.data;
}

/** A decimal number with `_` allowed between digits (`1_000_000`, as budgets take it); NaN when it is none. */
const GROUPED = /^[-+]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][-+]?\d+)?$/;

/** The number a parameter value written as text means (`--set`, sweep grids and sets); NaN when none. */
export function numberText(text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  return GROUPED.test(t) ? Number(t.replace(/_/g, '')) : Number(t);
}
