// The package as a user gets it: `npm pack` of this repository, the tarball installed into an empty
// directory (offline, from the npm cache `npm ci` filled), `npx cascade run flash-crash` there, and
// a TypeScript consumer compiled against the exported types (with a variant that must not compile).
//
// `npm pack --ignore-scripts`: the tier's global setup built dist/ already, and the prepack script
// (which empties dist/ for a clean build) must not run under the other CLI tests' feet.
// `npm ci` caches the dependencies' tarballs by integrity but not the registry's metadata, so a bare
// `npm install <tarball> --offline` could not resolve cascade's dependencies: the empty directory
// gets a package-lock.json made from this repository's (the runtime dependencies' entries, with
// their integrity), and the install resolves nothing and takes every tarball from the cache.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROOT, tempDir } from '../helpers/sweep-helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  license?: string;
  engines?: Record<string, string>;
};
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** The environment of the npm children: without the npm_* variables of an enclosing `npm run`, but its cache. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('npm_') || ['npm_config_cache', 'npm_config_registry', 'npm_config_userconfig'].includes(k))
      env[k] = v;
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

function run(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: 'utf8', timeout: 120_000 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let work: string;
let app: string;
let tarball: string;
let files: string[];

beforeAll(() => {
  work = tempDir('cascade-pack-');
  const packed = JSON.parse(
    ok(run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT), 'npm pack'),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, packed[0].filename);
  files = packed[0].files.map((f) => f.path);

  app = join(work, 'app');
  mkdirSync(app);
  const spec = `file:../${packed[0].filename}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  const packages: Record<string, unknown> = {
    '': { name: 'app', dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages))
    if (path !== '' && !entry.dev && !entry.devOptional) packages[path] = entry;
  writeFileSync(
    join(app, 'package-lock.json'),
    JSON.stringify({ name: 'app', lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  // Offline first; npm may still want a dependency's registry document it has not cached (seen for
  // hyparquet-writer after a plain `npm install`), and then the registry (which CI may reach) serves it.
  const offline = run(NPM, ['install', tarball, '--offline', '--no-audit', '--no-fund'], app);
  if (offline.status !== 0 && /ENOTCACHED/.test(offline.stderr))
    ok(run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app), 'npm install <tarball>');
  else ok(offline, 'npm install <tarball> --offline');
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the npm package', () => {
  test('npm pack makes a tarball of the compiled code with its declarations and the built-in scenarios, sweeps and data, and nothing of test/ or bench/', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('dist/sim/cli/main.js');
    expect(files).toContain('dist/sim/api.js');
    expect(files).toContain('dist/sim/api.d.ts');
    expect(files).toContain('dist/sim/sweep/sweep-worker.js');
    expect(files).toContain('scenarios/builtin/flash-crash.yaml');
    expect(files).toContain('scenarios/builtin-sweeps/default.yaml');
    expect(files.some((f) => f.startsWith('scenarios/data/') && f.endsWith('.csv'))).toBe(true);
    expect(
      files.filter(
        (f) => /^(test|bench|dist\/test|dist\/bench)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')),
      ),
    ).toEqual([]);
  });

  test('the tarball installed offline into an empty directory runs `npx cascade run flash-crash` and writes its files', () => {
    const r = run(
      NPX,
      [
        '--no',
        '--offline',
        'cascade',
        'run',
        'flash-crash',
        '--set',
        'agents.traders.count=200',
        '--set',
        'run.steps=700',
        '--out',
        'o',
      ],
      app,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('cascade run: flash-crash');
    const summary = JSON.parse(readFileSync(join(app, 'o', 'summary.json'), 'utf8')) as { scenario?: string };
    expect(JSON.stringify(summary)).toContain('flash-crash');
    expect(readFileSync(join(app, 'o', 'timeline.csv'), 'utf8').split('\n').length).toBeGreaterThan(700);
  });

  test('a JavaScript consumer imports the package by name and runs a simulation and plans a built-in sweep', () => {
    writeFileSync(
      join(app, 'use.mjs'),
      [
        `import { simulate, planSweep, RUN_STATISTICS, CELL_METRICS, version } from '${pkg.name}';`,
        `const r = simulate('flash-crash', { set: ['agents.traders.count=200', 'run.steps=700'] });`,
        `const plan = planSweep('default', { replicates: 2 });`,
        `console.log(JSON.stringify({ steps: r.steps, stats: RUN_STATISTICS.length, metrics: CELL_METRICS.length, runs: plan.meta.total_runs, version: version() }));`,
      ].join('\n'),
    );
    const out = JSON.parse(ok(run(process.execPath, ['use.mjs'], app), 'node use.mjs')) as Record<string, unknown>;
    expect(out).toMatchObject({ steps: 700, version: pkg.version });
    expect(out.stats).toBeGreaterThan(10);
    expect(out.metrics).toBeGreaterThan(10);
    expect(out.runs).toBeGreaterThan(0);
  });

  test('a TypeScript consumer compiles against the exported types, and a consumer with a type error does not', () => {
    writeFileSync(
      join(app, 'consumer.ts'),
      [
        `import { simulate, runSimulation, loadScenario, resolveConfig, planSweep, readResults, evaluateBudgets,`,
        `  compareResults, RUN_STATISTICS, UserError, type RunResult, type Results, type Check, type SweepPlan,`,
        `  type FieldMeta, type Comparison } from '${pkg.name}';`,
        `const r: RunResult = simulate('flash-crash', { seed: 2, set: ['run.steps=700'] });`,
        `const liquidations: number = r.stats.liquidations;`,
        `const { scenario, params } = loadScenario('calm');`,
        `const again: RunResult = runSimulation({ scenario, config: resolveConfig(scenario.source, params), seed: 1 });`,
        `const plan: SweepPlan = planSweep('default', { replicates: 2 });`,
        `const res: Results = readResults('results');`,
        `const checks: Check[] = evaluateBudgets(res.cells, res.budgets, res.cellColumns);`,
        `const side = { dir: 'results', name: res.meta.name, cells: res.cells, runs: res.runs };`,
        `const cmp: Comparison = compareResults(side, side);`,
        `const meta: readonly FieldMeta[] = RUN_STATISTICS;`,
        `const e: Error = new UserError('file', 'field', 'detail');`,
        `console.log(liquidations, again.steps, plan.meta.total_runs, checks.length, cmp.cells.length, meta.length, e);`,
      ].join('\n'),
    );
    // Wrong on purpose: a number where a string is declared, a string seed.
    writeFileSync(
      join(app, 'wrong.ts'),
      [
        `import { simulate } from '${pkg.name}';`,
        `const steps: string = simulate('calm').steps;`,
        `simulate('calm', { seed: '1' });`,
        `console.log(steps);`,
      ].join('\n'),
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          // A consumer on Node has @types/node; the app borrows this repository's.
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['consumer.ts', 'wrong.ts'],
      }),
    );
    // One compiler run for both files: every error must be in wrong.ts, and there must be some.
    const r = run(
      process.execPath,
      [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      app,
    );
    const errors = r.stdout.split('\n').filter((l) => / error TS\d+/.test(l));
    expect(errors.filter((l) => !l.startsWith('wrong.ts('))).toEqual([]);
    expect(errors.map((l) => l.replace(/:.*/, ''))).toEqual(['wrong.ts(2,7)', 'wrong.ts(3,20)']);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(app, 'node_modules', pkg.name, 'dist', 'sim', 'api.d.ts'))).toBe(true);
  });
});
