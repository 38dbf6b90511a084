// The parameters' reference data (sim/config/docs.ts): every parameter `cascade params` lists, every
// section, attacker kind and per-market override carries a description of at least three words (the
// schema's `.describe()` text), its default is the one the config resolves to, and what it accepts
// is read from the schema. A parameter added without a description fails here.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resolveConfig } from '../../scenarios/load.js';
import { UserError } from '../../sim/core/errors.js';
import { MAX_USD } from '../../sim/config/fields.js';
import {
  ATTACKER_KINDS,
  DEFAULT_CONFIG,
  parameterDocs,
  parameterPaths,
  RunSchema,
  type Config,
  type ParameterDoc,
  type ParameterDocs,
} from '../../sim/config/index.js';

const words = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/** The documented parameters by path (the config's own sections; attacker and market patterns aside). */
function byPath(docs: ParameterDocs): Map<string, ParameterDoc> {
  const out = new Map<string, ParameterDoc>();
  for (const s of docs.sections) if (!s.variant) for (const p of s.parameters) out.set(p.path, p);
  return out;
}

/** The paths among `paths` without a documented parameter of at least three words. */
function undescribed(paths: Iterable<string>, docs: ParameterDocs): string[] {
  const documented = byPath(docs);
  return [...paths].filter((p) => words(documented.get(p)?.description ?? '') < 3);
}

describe('the parameter docs', () => {
  const docs = parameterDocs();

  it('describe every path that cascade params lists in at least three words', () => {
    expect(parameterPaths().size).toBeGreaterThan(150);
    expect(undescribed(parameterPaths().keys(), docs)).toEqual([]);
  });

  it('describe every section, attacker kind and per-market override, and every parameter in them', () => {
    const short = docs.sections.flatMap((s) => [
      ...(words(s.description) < 3 ? [`section '${s.path}'${s.variant ? ` (${s.variant.value})` : ''}`] : []),
      ...s.parameters.filter((p) => words(p.description) < 3).map((p) => p.path),
    ]);
    expect(short).toEqual([]);
  });

  it('fail a parameter added without a description', () => {
    // A config fragment with one new field described and one not: the check names the second.
    const schema = z.strictObject({
      run: RunSchema.prefault({}),
      extra: z
        .strictObject({
          described: z.number().default(1).describe('A knob with a description.'),
          newKnob: z.number().min(0).default(2),
        })
        .describe('A section added for this test.')
        .prefault({}),
    });
    const paths = parameterPaths(schema.parse({}) as unknown as Config).keys();
    expect(undescribed(paths, parameterDocs(schema))).toEqual(['extra.newKnob']);
    // A description placed before `.default()` is kept (the walk reads through the wrappers).
    const inner = z.strictObject({ k: z.number().describe('Described before its default.').default(3) });
    expect(undescribed(['k'], parameterDocs(inner))).toEqual([]);
  });

  it('give each parameter the default the resolved config has, as cascade params shows it', () => {
    const documented = byPath(docs);
    for (const [path, value] of parameterPaths()) {
      const doc = documented.get(path);
      expect(doc?.presence, path).toBe('default');
      expect(doc?.default, path).toEqual(JSON.parse(JSON.stringify(value)));
    }
    expect(DEFAULT_CONFIG.attackers).toEqual([]);
  });

  it('read what a parameter accepts from the schema: type, bounds and enum values', () => {
    const d = byPath(docs);
    expect(d.get('run.steps')?.accepts).toEqual({ type: 'integer', min: 1, max: 250_000 });
    expect(d.get('protocol.maintenanceMarginRate')?.accepts).toEqual({
      type: 'number',
      min: 0,
      minExclusive: true,
      max: 1,
      maxExclusive: true,
    });
    expect(d.get('market.minBookFill')?.accepts).toEqual({ type: 'number', min: 0, max: 1 });
    expect(d.get('invariants.faultInjectionStep')?.accepts).toEqual({ type: 'integer', min: -1 });
    expect(d.get('oracle.aggregation')?.accepts).toEqual({ type: 'enum', values: ['composite', 'median', 'pool'] });
    expect(d.get('protocol.socializeLosses')?.accepts).toEqual({ type: 'boolean' });
    expect(d.get('multiMarket.correlationMatrix')?.accepts).toEqual({
      type: 'list',
      items: { type: 'list', items: { type: 'number', min: -1, max: 1 }, maxItems: 64 },
      maxItems: 64,
    });
    expect(d.get('attackers')?.accepts).toEqual({
      type: 'list',
      maxItems: 100,
      items: { type: 'variant', key: 'kind', values: [...ATTACKER_KINDS] },
    });
    expect(d.get('markets')?.accepts.keyPattern).toBe('^[A-Za-z][A-Za-z0-9_-]{0,31}$');
  });

  it('document each attacker kind once, with its fields and which of them are required', () => {
    // The perp attackers (the lending section's, `lending.attackers[]`, are variants of their own).
    const kinds = docs.sections.filter((s) => s.variant && s.path === 'attackers[]');
    expect(kinds.map((s) => s.variant?.value)).toEqual([...ATTACKER_KINDS]);
    for (const s of kinds) {
      expect(s.path).toBe('attackers[]');
      const kind = s.parameters.find((p) => p.path === 'attackers[].kind');
      expect(kind?.accepts).toEqual({ type: 'enum', values: [s.variant?.value] });
      const capital = s.parameters.find((p) => p.path === 'attackers[].capitalUsd');
      expect(capital?.presence).toBe('required');
      expect(capital?.accepts).toEqual({ type: 'number', min: 0, minExclusive: true, max: MAX_USD });
    }
    const manipulator = kinds[0].parameters.find((p) => p.path === 'attackers[].pumpMultiple');
    expect(manipulator).toMatchObject({ presence: 'default', default: 2 });
  });

  it('document the per-market overrides once, as the markets.<NAME> pattern', () => {
    const markets = docs.sections.filter((s) => s.path.startsWith('markets.'));
    expect(markets.map((s) => s.path)).toEqual(['markets.<NAME>']);
    expect(markets[0].parameters.map((p) => p.path)).toEqual(
      ['market', 'oracle', 'protocol', 'breakers', 'agents'].map((s) => `markets.<NAME>.${s}`),
    );
    for (const p of markets[0].parameters) expect(p.presence).toBe('optional');
  });
});

describe('physical ranges', () => {
  it('refuse an absurd but finite market price or volatility naming the parameter (issue 13, defect 7)', () => {
    const source = 'builtin:calm';
    expect(() => resolveConfig(source, {}, ['market.initialPriceUsd=1e308'])).toThrow(
      /market\.initialPriceUsd: Too big/,
    );
    expect(() => resolveConfig(source, {}, ['market.initialPriceUsd=2e9'])).toThrow(
      /expected number to be <=1000000000/,
    );
    expect(() => resolveConfig(source, {}, ['market.annualVolatility=1e300'])).toThrow(/market\.annualVolatility/);
  });

  it('bound every numeric parameter by MAX_MAGNITUDE', () => {
    expect(() => resolveConfig('builtin:calm', {}, ['protocol.insuranceFundUsd=1e300'])).toThrow(UserError);
  });
});
