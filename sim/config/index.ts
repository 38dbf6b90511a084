// The model's parameters: one schema (zod) that validates user overrides, fills defaults and
// documents every field with its unit and default. Dotted paths (`protocol.maintenanceMarginRate`)
// address fields in `--set` and sweep grids. Pure data: no I/O here.
//
// The entry point every importer uses: it only re-exports, one section per file beside it, and
// must not define anything itself (a new section goes into its own file, exported here).
export { RunSchema, MarketSchema } from './run-market.js';
export { SpotPoolSchema, OracleSchema } from './oracle.js';
export {
  FundingSchema,
  MarginTiersSchema,
  VolatilityMarginSchema,
  MarginModelSchema,
  InsuranceSchema,
  BackstopSchema,
  AdlSchema,
  ProtocolSchema,
} from './protocol.js';
export { TradersSchema, MarketMakersSchema, LiquidatorsSchema, ArbitrageursSchema, AgentsSchema } from './agents.js';
export { PriceBandSchema, WithdrawalLimitSchema, OpenInterestSchema, BreakersSchema } from './breakers.js';
export { MonitoringSchema, GuardianSchema, GovernanceSchema } from './controls.js';
export {
  OracleManipulatorSchema,
  InsuranceDrainerSchema,
  LiquidationHunterSchema,
  BadDebtFarmerSchema,
  GovernanceAttackerSchema,
  StaleOracleFrontRunnerSchema,
  AttackerSchema,
  ATTACKER_KINDS,
  type AttackerConfig,
  type OracleManipulatorConfig,
  type BadDebtFarmerConfig,
  type StaleOracleFrontRunnerConfig,
  type GovernanceAttackerConfig,
  type LiquidationHunterConfig,
  type InsuranceDrainerConfig,
} from './attackers.js';
export { MetricsSchema, InvariantsSchema } from './measurement.js';
export { CollateralSchema } from './collateral.js';
export { MarketOverridesSchema, MultiMarketSchema, correlationMatrix, choleskyFactor } from './multi-market.js';
export { ConfigSchema, DEFAULT_CONFIG, marketConfigs, type Config } from './config-schema.js';
export { setPath, mergeOverrides, type ConfigOverrides } from './overrides.js';
export { parameterPaths, parameterDefault, getPath } from './paths.js';
