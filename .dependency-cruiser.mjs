// dependency-cruiser: the layering rules of the design (DESIGN.md, "Layout" and the paragraph after
// it), checked by `npm run lint` (depcruise over sim agents scenarios reports bench; test/ is only
// seen where something imports it, which rule 1 forbids to the engine). A well-kept tool resolves the
// imports as TypeScript does (tsconfig.json) instead of hand-written checks.
//
// Paths are relative to the repository root; a node built-in is matched by its bare name (`fs` for
// `node:fs`). Type-only imports are seen (tsPreCompilationDeps), so `import type` edges take part in
// every rule unless a rule says otherwise (rule 3 exempts them on purpose).
//
// There is no baseline of known violations: every rule holds on main, and a violation fails lint.
// A rule that stands in the way is changed here on purpose (and docs/architecture.md with it).

/**
 * The engine layers: the model itself. No I/O, no threads, nothing of orchestration or output.
 * sim/contagion (a world of several protocol families: it composes perp and lending) is one of them.
 */
const ENGINE = '^(sim/(core|config|market|perp|lending|contagion|controls|attack)|agents)/';
/** The protocol families and mechanisms: what core and the sweep must not know. */
const FINANCE = '^(sim/(perp|lending|contagion|market|controls|attack)|agents)/';
/** Scenario files that read the disk (the rest of scenarios/ is pure). */
const SCENARIO_IO = '^scenarios/(load|sweep-load)[.]ts$';
/** Node built-ins that do I/O or start threads and processes. */
const IO_BUILTINS = '^(node:)?(fs|fs/promises|worker_threads|child_process|cluster|os)$';
/** Orchestration, output and tooling: nothing the model may lean on. */
const NOT_FOR_THE_ENGINE = ['^reports/', '^sim/sweep/', '^sim/cli/', '^bench/', '^test/', SCENARIO_IO];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'engine-no-io-no-orchestration',
      comment:
        'Rule 1. The engine layers (sim/core, config, market, perp, lending, contagion, controls, attack and agents/) ' +
        'import nothing from reports/, sim/sweep/, sim/cli/, bench/, test/ or the scenario loaders ' +
        '(scenarios/load.ts, sweep-load.ts), and no node:fs, worker_threads, child_process, cluster or os: ' +
        'the model does no I/O and knows nothing of threads. Results flow out through the caller.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: NOT_FOR_THE_ENGINE },
    },
    {
      name: 'engine-no-io-builtins',
      comment: 'Rule 1 (built-ins). The engine layers do no I/O and start no threads or processes.',
      severity: 'error',
      from: { path: ENGINE },
      to: { dependencyTypes: ['core'], path: IO_BUILTINS },
    },
    {
      name: 'pure-scenarios-no-io',
      comment:
        'Rule 1, extended to what the engine imports from scenarios/: the schemas, shocks and price ' +
        'series are pure (only load.ts and sweep-load.ts read files), so the engine stays free of I/O ' +
        'through them too.',
      severity: 'error',
      from: { path: '^scenarios/', pathNot: SCENARIO_IO },
      to: { path: [...NOT_FOR_THE_ENGINE, IO_BUILTINS] },
    },
    {
      name: 'core-knows-no-protocol',
      comment:
        'Rule 2. sim/core/ (rng, accounts, errors, the step loop, the statistics registry) knows no ' +
        'protocol family: nothing from sim/perp, lending, contagion, market, controls, attack, agents/, the scenario ' +
        'files or the run composition root (sim/engine.ts). Nor from sim/config: the config schema is the ' +
        "protocols' parameters, and core takes what it needs as arguments.",
      severity: 'error',
      from: { path: '^sim/core/' },
      to: { path: [FINANCE, '^sim/config/', '^sim/engine[.]ts$', '^scenarios/'] },
    },
    {
      name: 'reports-only-types-from-sim',
      comment:
        'Rule 3. reports/ reads results: from sim/ it imports types only (`import type`), except ' +
        'sim/core/errors.ts, whose error classes are values (UserError is thrown and caught by class). ' +
        'Column and statistic names reach reports through the results (key order is registry order) ' +
        'and the plan through a PlanLocator the sweep hands the writers.',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^sim/', pathNot: '^sim/core/errors[.]ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sweep-knows-no-finance',
      comment:
        'Rule 4. sim/sweep/ (pool, plan, journal, merge, progress) knows no finance: nothing from ' +
        'sim/perp, lending, contagion, market, controls, attack or agents/; it reaches the model through sim/engine.ts.',
      severity: 'error',
      from: { path: '^sim/sweep/' },
      to: { path: FINANCE },
    },
    {
      name: 'pool-knows-nothing-of-runs',
      comment:
        'Rule 4, the machinery: the worker pool, the progress line, the journal and the line reader know ' +
        'nothing of what a run is: no sim/ module outside sim/sweep/ but the error classes. The plan, the ' +
        'worker and the sweep reach the model only through sim/engine.ts, the composition root (the run ' +
        'function, its types and its statistic names; previous rule for the layers behind it).',
      severity: 'error',
      from: { path: '^sim/sweep/(pool|progress|line-reader|sweep-journal|out-lock)[.]ts$' },
      to: { path: '^sim/', pathNot: ['^sim/sweep/', '^sim/core/errors[.]ts$'] },
    },
    {
      name: 'no-circular',
      comment:
        'Rule 5. No import cycles anywhere, type-only imports included: the venue owns its action types ' +
        '(sim/perp/actions.ts) and the cross-link interface sits with its types (venue-types.ts), so no ' +
        'layer of the venue needs the class above it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-dev-dep',
      comment:
        'Rule 6. Production code (sim/, agents/, scenarios/, reports/) imports no devDependency: they ' +
        'are not installed with the package. bench/ and test/ are development code and may.',
      severity: 'error',
      from: { path: '^(sim|agents|scenarios|reports)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: ['node_modules/@types/'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to no file or package would let a rule miss an edge.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'A package imported but not declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    // process.getBuiltinModule('fs') is an import too.
    detectProcessBuiltinModuleCalls: true,
    // Parse the TypeScript itself, so that `import type` edges are kept (and marked type-only).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.d.ts', '.mjs', '.cjs'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    // Unchanged files are not parsed again (node_modules/.cache/dependency-cruiser).
    cache: true,
    progress: { type: 'none' },
  },
};
