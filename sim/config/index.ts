// The model's parameters: one schema (zod) that validates user overrides, fills defaults and
// documents every field with its unit and default. Dotted paths (`protocol.maintenanceMarginRate`)
// address fields in `--set` and sweep grids. Pure data: no I/O here.
//
// The entry point every importer uses: it only re-exports, one section per file beside it, and
// must not define anything itself (a new section goes into its own file, exported here). The
// section files export only what belongs to this interface (their shared builders stay in fields.ts).
export * from './run-market.js';
export * from './oracle.js';
export * from './protocol.js';
export * from './agents.js';
export * from './breakers.js';
export * from './controls.js';
export * from './attackers.js';
export * from './measurement.js';
export * from './collateral.js';
export * from './multi-market.js';
export * from './lending.js';
export * from './lending-agents.js';
export * from './cdp.js';
export * from './contagion.js';
export * from './config-schema.js';
export * from './overrides.js';
export * from './paths.js';
export * from './docs.js';
export { MAX_ACCOUNT_STEPS, MAX_MAGNITUDE, MAX_MARKETS, MAX_RUN_STEPS, MAX_STEPS, MAX_USD } from './fields.js';
