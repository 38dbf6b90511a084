// The resolved config: every section under its key (the key order is the order summary.json
// prints), the checks that span sections (multi-market limits), the defaults, and each market's
// resolved config. Assembles the section schemas; defines no field of its own beyond the lists of
// attackers and markets, and does no I/O.
import { z } from 'zod';
import { AgentsSchema } from './agents.js';
import { AttackerSchema } from './attackers.js';
import { BreakersSchema } from './breakers.js';
import { CollateralSchema } from './collateral.js';
import { GovernanceSchema, MonitoringSchema } from './controls.js';
import { InvariantsSchema, MetricsSchema } from './measurement.js';
import { choleskyFactor, correlationMatrix, MarketOverridesSchema, MultiMarketSchema } from './multi-market.js';
import { CdpSchema, cdpAccountCount } from './cdp.js';
import { ContagionSchema } from './contagion.js';
import { LendingSchema, lendingAccountCount, MAX_GRACE_SECONDS } from './lending.js';
import { OracleSchema } from './oracle.js';
import { MAX_ACCOUNT_STEPS, MAX_MARKETS } from './fields.js';
import { mergeOverrides } from './overrides.js';
import { ProtocolSchema } from './protocol.js';
import { MarketSchema, RunSchema } from './run-market.js';

const ConfigObjectSchema = z
  .strictObject({
    run: RunSchema.prefault({}),
    market: MarketSchema.prefault({}),
    oracle: OracleSchema.prefault({}),
    protocol: ProtocolSchema.prefault({}),
    breakers: BreakersSchema.prefault({}),
    governance: GovernanceSchema.prefault({}),
    monitoring: MonitoringSchema.prefault({}),
    agents: AgentsSchema.prefault({}),
    attackers: z
      .array(AttackerSchema)
      .max(100)
      .default([])
      .describe(
        'Adversarial agents (README "Attacks"), their accounts after the traders\'; none by default. At most 100, in a single-market config only.',
      ),
    metrics: MetricsSchema.prefault({}),
    invariants: InvariantsSchema.prefault({}),
    collateral: CollateralSchema.prefault({}),
    markets: z
      .record(
        z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,31}$/, 'expected a market name (letters, digits, - and _)'),
        MarketOverridesSchema,
      )
      .default({})
      .describe(
        `Several markets (README "Several markets"): market name -> overrides of that market's market, oracle, protocol, breakers and agents sections on top of the rest of the config. Empty (default): one market; otherwise at least two and at most ${MAX_MARKETS}, and no attackers or multi-asset collateral.`,
      ),
    multiMarket: MultiMarketSchema.prefault({}),
    // Last, and absent unless given: a config without it resolves (and prints) as before.
    lending: LendingSchema.optional(),
    cdp: CdpSchema.optional(),
    // Absent unless given, like lending: a perp venue and a lending pool in one world (needs lending).
    contagion: ContagionSchema.optional(),
  })
  .describe(
    "The parameters of a run, one section per key: a scenario's `params` (nested), `--set path=value` and sweep grids (dotted paths) override them.",
  );

/**
 * The accounts of a run for the work bound: traders, liquidators, arbitrageurs, the market maker and
 * the attackers'; in a lending run (a `lending` section) the lending accounts instead (suppliers,
 * borrowers, loopers, explicit accounts, attackers and liquidators).
 */
export function accountCount(cfg: z.infer<typeof ConfigObjectSchema>): number {
  if (cfg.cdp && !cfg.contagion) return cdpAccountCount(cfg.cdp);
  const a = cfg.agents;
  const attackers = cfg.attackers.reduce((n, x) => n + (x.kind === 'bad-debt-farmer' ? x.accounts + 1 : 2), 0);
  const perp = a.traders.count + a.liquidators.count + a.arbitrageurs.count + 1 + attackers;
  // A contagion world runs both: the perp venue's accounts and the pool's.
  const cdp = cfg.cdp ? cdpAccountCount(cfg.cdp) : 0;
  if (cfg.lending) return lendingAccountCount(cfg.lending) + (cfg.contagion ? perp + cdp : 0);
  return perp;
}

export const ConfigSchema = ConfigObjectSchema.superRefine((cfg, ctx) => {
  const names = Object.keys(cfg.markets);
  // Before any per-market work (the k x k correlation matrix, its k^3 factor, one parse per market).
  if (names.length > MAX_MARKETS) {
    ctx.addIssue({
      code: 'custom',
      path: ['markets'],
      message: `${names.length} markets; at most ${MAX_MARKETS} are supported`,
    });
    return;
  }
  const work = cfg.run.steps * accountCount(cfg) * Math.max(1, names.length);
  if (work > MAX_ACCOUNT_STEPS)
    ctx.addIssue({
      code: 'custom',
      path: ['run', 'steps'],
      message: `run.steps x accounts x markets = ${work.toExponential(1)} exceeds ${MAX_ACCOUNT_STEPS.toExponential()} (the work bound, docs/reference/parameters.md): use fewer steps or accounts`,
    });
  if (cfg.cdp) {
    if (cfg.lending && !cfg.contagion)
      ctx.addIssue({
        code: 'custom',
        path: ['cdp'],
        message: 'a config with both cdp and lending sections needs a contagion section (one family per run otherwise)',
      });
    if (names.length > 0)
      ctx.addIssue({ code: 'custom', path: ['markets'], message: 'a CDP run has one system: leave markets empty' });
    if (cfg.attackers.length > 0 && !cfg.contagion)
      ctx.addIssue({
        code: 'custom',
        path: ['attackers'],
        message: 'the perp attackers do not act in a CDP run: use cdp.attackers',
      });
  }
  if (cfg.contagion) {
    if (!cfg.lending)
      ctx.addIssue({
        code: 'custom',
        path: ['contagion'],
        message: 'a contagion world needs a lending section (the lending pool it links to the perp venue)',
      });
    else if (!(cfg.contagion.links.perpFlowAsset in cfg.lending.assets))
      ctx.addIssue({
        code: 'custom',
        path: ['contagion', 'links', 'perpFlowAsset'],
        message: `unknown asset '${cfg.contagion.links.perpFlowAsset}' (lending.assets: ${Object.keys(cfg.lending.assets).join(', ')})`,
      });
    const stable = cfg.contagion.links.stablecoinAsset;
    if (stable !== undefined) {
      if (!cfg.cdp)
        ctx.addIssue({
          code: 'custom',
          path: ['contagion', 'links', 'stablecoinAsset'],
          message: 'the stablecoin link needs a cdp section (the CDP whose stablecoin it prices)',
        });
      else if (cfg.lending && !(stable in cfg.lending.assets))
        ctx.addIssue({
          code: 'custom',
          path: ['contagion', 'links', 'stablecoinAsset'],
          message: `unknown asset '${stable}' (lending.assets: ${Object.keys(cfg.lending.assets).join(', ')})`,
        });
    }
  }
  if (cfg.lending) {
    const grace = cfg.lending.graceSteps * cfg.run.stepSeconds;
    if (grace > MAX_GRACE_SECONDS)
      ctx.addIssue({
        code: 'custom',
        path: ['lending', 'graceSteps'],
        message: `graceSteps x run.stepSeconds = ${grace} s is above ${MAX_GRACE_SECONDS.toLocaleString('en-US')} s (Aave's longest grace period, 4 h, A5)`,
      });
    if (names.length > 0)
      ctx.addIssue({ code: 'custom', path: ['markets'], message: 'a lending run has one pool: leave markets empty' });
    if (cfg.attackers.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['attackers'],
        message: 'the perp attackers do not act in a lending run: use lending.attackers',
      });
  }
  if (cfg.metrics.market !== '' && !names.includes(cfg.metrics.market))
    ctx.addIssue({
      code: 'custom',
      path: ['metrics', 'market'],
      message: names.length
        ? `unknown market '${cfg.metrics.market}' (markets: ${names.join(', ')})`
        : 'needs a multi-market config (markets: ...)',
    });
  if (names.length === 0) return;
  if (cfg.attackers.length > 0)
    ctx.addIssue({
      code: 'custom',
      path: ['attackers'],
      message: 'attackers need a single market (a limit of this version)',
    });
  if (cfg.collateral.enabled)
    ctx.addIssue({
      code: 'custom',
      path: ['collateral', 'enabled'],
      message: 'multi-asset collateral needs a single market (a limit of this version)',
    });
  if (names.length < 2) {
    ctx.addIssue({ code: 'custom', path: ['markets'], message: 'a multi-market venue needs at least two markets' });
    return;
  }
  const m = cfg.multiMarket.correlationMatrix;
  if (m.length > 0) {
    const bad = m.length !== names.length || m.some((row) => row.length !== names.length);
    if (bad) {
      ctx.addIssue({
        code: 'custom',
        path: ['multiMarket', 'correlationMatrix'],
        message: `must be ${names.length} x ${names.length} (one row and column per market)`,
      });
      return;
    }
  }
  if (!choleskyFactor(correlationMatrix(cfg.multiMarket, names.length)))
    ctx.addIssue({
      code: 'custom',
      path: ['multiMarket', m.length > 0 ? 'correlationMatrix' : 'correlation'],
      message: 'is not a valid correlation matrix (symmetric, ones on the diagonal, positive semi-definite)',
    });
  for (const name of names) {
    const ov = cfg.markets[name];
    const agents = (ov.agents ?? {}) as Record<string, unknown>;
    for (const [pop, v] of Object.entries(agents)) {
      if (v !== null && typeof v === 'object' && 'count' in v)
        ctx.addIssue({
          code: 'custom',
          path: ['markets', name, 'agents', pop, 'count'],
          message: 'accounts are shared by the markets: set agent counts at the top level',
        });
    }
    if (ov.protocol && 'insuranceFundUsd' in ov.protocol)
      ctx.addIssue({
        code: 'custom',
        path: ['markets', name, 'protocol', 'insuranceFundUsd'],
        message: 'the insurance fund is shared by the markets: set protocol.insuranceFundUsd at the top level',
      });
    const parsed = ConfigObjectSchema.safeParse(mergeOverrides({ ...cfg, markets: {} }, ov));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      ctx.addIssue({ code: 'custom', path: ['markets', name, ...issue.path], message: issue.message });
    }
  }
});

/** The full, resolved parameter set of a run. */
export type Config = z.infer<typeof ConfigSchema>;

/** The defaults, resolved once. */
export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

const marketCache = new WeakMap<Config, { name: string; config: Config }[]>();

/** The resolved config of each market of a multi-market config, in file order ([] for one market). */
export function marketConfigs(cfg: Config): { name: string; config: Config }[] {
  let out = marketCache.get(cfg);
  if (!out) {
    out = Object.entries(cfg.markets).map(([name, ov]) => ({
      name,
      config: ConfigObjectSchema.parse(mergeOverrides({ ...cfg, markets: {} }, ov)) as Config,
    }));
    marketCache.set(cfg, out);
  }
  return out;
}
