// The informational commands: `cascade scenarios` (the built-in scenarios and sweeps), `cascade
// params` (every parameter path with its default, and with --json its description and accepted
// values) and `cascade validate` (a scenario or sweep file, or a built-in name, checked completely
// without running it). Each prints text for a person or, with --json, one JSON document.
import { existsSync } from 'node:fs';
import { cellMetricNames } from '../../reports/sweep-output.js';
import { infeasibleBudgets, feasibilityWarning } from '../../reports/budget-feasibility.js';
import {
  builtinDir,
  listBuiltins,
  loadScenario,
  parseDataFile,
  readInputFile,
  resolveConfig,
} from '../../scenarios/load.js';
import { describeBuiltinSweeps, listBuiltinSweeps, loadSweep } from '../../scenarios/sweep-load.js';
import { compileForConfig } from '../../scenarios/compile.js';
import { cdpPaths, contagionPaths, lendingPaths, parameterDocs, parameterPaths } from '../config/index.js';
import { UserError } from '../core/errors.js';
import { ALL_STAT_KEYS, sweepStatKeys } from '../engine.js';
import { buildPlan } from '../sweep/sweep-plan.js';
import { packageVersion } from '../sweep/sweep.js';
import { outputFor, type OutputFlags } from './output.js';

export function scenariosCommand(args: OutputFlags): void {
  const out = outputFor(args);
  const scenarios = listBuiltins();
  const sweeps = describeBuiltinSweeps();
  const width = Math.max(18, ...scenarios.map((s) => s.name.length + 1), ...sweeps.map((s) => s.name.length + 1));
  out.text(scenarios.map((s) => `${s.name.padEnd(width)} ${s.description}\n`).join(''));
  out.text(
    `\nbuilt-in sweeps (cascade sweep <name>, cascade check <name>):\n` +
      sweeps.map((s) => `  ${s.name.padEnd(width)} ${s.description.split('\n')[0]}\n`).join(''),
  );
  out.doc({ scenarios, sweeps });
}

export function paramsCommand(args: OutputFlags): void {
  const out = outputFor(args);
  const perp = parameterPaths();
  const docs = parameterDocs();
  const documented = new Set(docs.sections.flatMap((s) => s.parameters.map((p) => p.path)));
  // A lending run's defaults (the section is absent by default); the per-asset and per-category
  // fields are patterns (lending.assets.<NAME>.ltv), listed by --json and the parameter reference.
  const lending = new Map([...lendingPaths()].filter(([path]) => documented.has(path)));
  const cdp = new Map([...cdpPaths()].filter(([path]) => documented.has(path)));
  const line = ([path, value]: [string, unknown]) => `${path} = ${JSON.stringify(value)}\n`;
  out.text(
    [...perp].map(line).join('') +
      '# pool lending (a config with a lending section, docs/lending.md): its defaults; per-asset fields: --json\n' +
      [...lending].map(line).join('') +
      '# contagion (a config with contagion and lending sections, docs/contagion.md): its defaults\n' +
      [...contagionPaths()].map(line).join('') +
      '# CDP stablecoin (a config with a cdp section): its defaults; per-collateral fields: --json\n' +
      [...cdp].map(line).join(''),
  );
  const paths = new Map([...perp, ...lending, ...contagionPaths(), ...cdp]);
  if (!out.json) return;
  // Every parameter of the schema: the concrete paths (with the defaults `params` prints) and the
  // patterns of list and map entries (attackers[].capitalUsd, markets.<NAME>.protocol...).
  const parameters = docs.sections.flatMap((section) =>
    section.parameters.map((p) => ({
      path: p.path,
      ...(section.variant ? { variant: section.variant } : {}),
      presence: p.presence,
      ...(p.presence === 'default' ? { default: paths.has(p.path) ? paths.get(p.path) : p.default } : {}),
      description: p.description,
      accepts: p.accepts,
    })),
  );
  out.doc({ parameters });
}

type ValidateKind = 'scenario' | 'sweep';

/** What a validate argument is: a file (a sweep when it has a grid or a scenario list), else a built-in name. */
function validateKind(ref: string): ValidateKind {
  if (existsSync(ref)) {
    const raw = parseDataFile(ref, readInputFile(ref));
    const isMap = raw !== null && typeof raw === 'object' && !Array.isArray(raw);
    return isMap && !('shocks' in raw) && ('grid' in raw || 'scenarios' in raw) ? 'sweep' : 'scenario';
  }
  if (listBuiltinSweeps().includes(ref)) return 'sweep';
  if (/^[a-z0-9-]+$/.test(ref) && existsSync(`${builtinDir()}/${ref}.yaml`)) return 'scenario';
  throw new UserError(
    ref,
    '',
    `no such file, and not a built-in scenario or sweep (scenarios: ${listBuiltins()
      .map((s) => s.name)
      .join(', ')}; sweeps: ${listBuiltinSweeps().join(', ')})`,
  );
}

interface Validated {
  kind: ValidateKind;
  name: string;
  summary: string;
  details: Record<string, unknown>;
  warnings: string[];
}

function validateScenario(ref: string): Validated {
  const { scenario, params } = loadScenario(ref);
  const config = resolveConfig(scenario.source, params);
  compileForConfig(scenario.shocks, new Map(scenario.series), config, scenario.source);
  return {
    kind: 'scenario',
    name: scenario.name,
    summary: `${scenario.name}: ${scenario.shocks.length} shocks, ${config.run.steps} steps`,
    details: { shocks: scenario.shocks.length, steps: config.run.steps },
    warnings: [],
  };
}

function validateSweep(ref: string): Validated {
  const sweep = loadSweep(ref, cellMetricNames(ALL_STAT_KEYS));
  // The plan validates every cell's config, as the sweep does before its first run.
  const { meta } = buildPlan(sweep, packageVersion(), sweepStatKeys(sweep));
  const gridCells = meta.cells / meta.scenarios.length;
  const runs = meta.cells * meta.replicates;
  return {
    kind: 'sweep',
    name: sweep.name,
    summary:
      `sweep ${sweep.name}: ${meta.scenarios.length} scenario(s) x ${gridCells} cell(s) x ${meta.replicates} ` +
      `replicates = ${runs} runs, ${sweep.budgets.length} budget(s)`,
    details: {
      scenarios: meta.scenarios.length,
      grid_cells: gridCells,
      replicates: meta.replicates,
      runs,
      budgets: sweep.budgets.length,
    },
    warnings: infeasibleBudgets(sweep.budgets, sweep.replicates).map(feasibilityWarning),
  };
}

export function validateCommand(args: OutputFlags & { file?: string }): number {
  const out = outputFor(args);
  const ref = String(args.file);
  let v: Validated;
  try {
    v = validateKind(ref) === 'sweep' ? validateSweep(ref) : validateScenario(ref);
  } catch (e) {
    // With --json the problems are a document on stdout too (they are on stderr either way).
    if (e instanceof UserError && out.json)
      out.doc({
        file: ref,
        ok: false,
        errors: [e, ...e.others].map((u) => ({ source: u.source, field: u.field, detail: u.detail })),
      });
    throw e;
  }
  for (const w of v.warnings) out.warn(`cascade: warning: ${w}\n`);
  out.text(`${ref}: ok (${v.summary})\n`);
  out.doc({ file: ref, ok: true, kind: v.kind, name: v.name, ...v.details, warnings: v.warnings });
  return 0;
}
