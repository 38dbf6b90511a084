// The parameters' reference as plain data, read from the config schema: every section and every
// parameter with its dotted path, its description, its default and what it accepts. The description
// is the schema's own `.describe()` text (zod's global registry), the one place it is written; the
// rest is read from the schema (wrappers, checks, enum values), so none of it is listed by hand.
// Plain data out (reports/reference.ts formats it): reads schemas only, no I/O.
//
// Where a description sits: on a leaf, `.describe()` comes last (after `.default()`), because zod 4
// keeps it on the instance it is called on and a wrapper made later (`.default()`, `.optional()`,
// `.prefault()`, `z.preprocess()`) has none of its own; checks and refinements (`.min()`,
// `.superRefine()`) keep their schema's description. A section's text is on its schema (`ProtocolSchema = z.strictObject(...)
// .describe(...)`), used as `protocol: ProtocolSchema.prefault({})`. So the walk reads the outermost
// description found while unwrapping a field.
import { z } from 'zod';
import { ConfigSchema } from './config-schema.js';

/** What a parameter accepts, as its schema says (cross-field checks are stated in the descriptions). */
export interface ParameterAccepts {
  /**
   * 'number' or 'integer' (within `min`/`max`), 'boolean', 'string' (matching `pattern`, if any),
   * 'enum' (one of `values`), 'list' (of `items`, at most `maxItems`), 'object' (keys matching
   * `keyPattern` to `items`), 'variant' (an object whose `key` field picks one of `values`), 'any'.
   */
  type: 'number' | 'integer' | 'boolean' | 'string' | 'enum' | 'list' | 'object' | 'variant' | 'any';
  min?: number;
  /** The lower bound itself is refused (greater than `min`). */
  minExclusive?: boolean;
  max?: number;
  /** The upper bound itself is refused (less than `max`). */
  maxExclusive?: boolean;
  /** Regular expression (its source) a string must match. */
  pattern?: string;
  /** Allowed values of an enum or a literal, or the variants' `key` values. */
  values?: (string | number | boolean)[];
  /** The discriminating field of a variant. */
  key?: string;
  minItems?: number;
  maxItems?: number;
  /** A list's element, or an object's value for every key. */
  items?: ParameterAccepts;
  /** Regular expression (its source) an object's keys must match. */
  keyPattern?: string;
}

/** One parameter: a leaf of the config (a value, a list or a map), addressed by its dotted path. */
export interface ParameterDoc {
  /** `protocol.maintenanceMarginRate`; in patterns, `attackers[].capitalUsd` and `markets.<NAME>.protocol`. */
  path: string;
  /** The schema's description ('' if it has none, which the docs test refuses). */
  description: string;
  /** 'default': filled in when absent; 'required': must be given; 'optional': may be left out. */
  presence: 'default' | 'required' | 'optional';
  /** The default (JSON), when `presence` is 'default'. */
  default?: unknown;
  accepts: ParameterAccepts;
}

/** A section: an object of the config, or one entry pattern of a list or a map of objects. */
export interface SectionDoc {
  /** '' for the config itself; `protocol.funding`; `attackers[]` (one per kind); `markets.<NAME>`. */
  path: string;
  /** For one variant of a list of variants (an attacker kind): the discriminating field and its value. */
  variant?: { key: string; value: string };
  description: string;
  /** The section's own parameters, in schema order (its subsections are sections of their own). */
  parameters: ParameterDoc[];
}

/** Every section of the config schema, depth first in schema order, each with its own parameters. */
export interface ParameterDocs {
  sections: SectionDoc[];
}

type Schema = z.ZodType;

/** The field's schema without its wrappers, its outermost description and its default. */
function unwrap(field: Schema): {
  schema: Schema;
  description?: string;
  presence: ParameterDoc['presence'];
  default?: unknown;
} {
  let schema = field;
  let description: string | undefined;
  let presence: ParameterDoc['presence'] = 'required';
  let dflt: unknown;
  for (;;) {
    description ??= schema.description;
    if (schema instanceof z.ZodDefault) {
      if (presence === 'required') {
        presence = 'default';
        dflt = JSON.parse(JSON.stringify(schema._zod.def.defaultValue)) as unknown;
      }
      schema = schema.unwrap() as Schema;
    } else if (schema instanceof z.ZodPrefault) {
      if (presence === 'required') presence = 'default';
      schema = schema.unwrap() as Schema;
    } else if (schema instanceof z.ZodOptional) {
      if (presence === 'required') presence = 'optional';
      schema = schema.unwrap() as Schema;
    } else if (schema instanceof z.ZodPipe && schema.in instanceof z.ZodTransform) {
      // A preprocessed schema (`lending` fills presets first): documented as what it then parses.
      schema = schema.out as Schema;
    } else break;
  }
  return { schema, description, presence, default: dflt };
}

interface CheckDef {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
}

function checks(schema: Schema): CheckDef[] {
  return (schema._zod.def.checks ?? []).map((c) => c._zod.def as CheckDef);
}

/** What a (field-unwrapped) schema accepts. */
function accepts(schema: Schema): ParameterAccepts {
  if (schema instanceof z.ZodNumber) {
    const a: ParameterAccepts = { type: 'number' };
    for (const c of checks(schema)) {
      const v = c.value as number;
      if (c.check === 'number_format' && /int/.test(c.format ?? '')) a.type = 'integer';
      else if (c.check === 'greater_than' && (a.min === undefined || v > a.min || (v === a.min && !c.inclusive))) {
        a.min = v;
        a.minExclusive = !c.inclusive || undefined;
      } else if (c.check === 'less_than' && (a.max === undefined || v < a.max || (v === a.max && !c.inclusive))) {
        a.max = v;
        a.maxExclusive = !c.inclusive || undefined;
      }
    }
    if (a.type === 'integer') {
      // An integer above 0 is an integer from 1: state integer bounds inclusively.
      if (a.minExclusive && Number.isInteger(a.min)) [a.min, a.minExclusive] = [(a.min as number) + 1, undefined];
      if (a.maxExclusive && Number.isInteger(a.max)) [a.max, a.maxExclusive] = [(a.max as number) - 1, undefined];
    }
    return strip(a);
  }
  if (schema instanceof z.ZodBoolean) return { type: 'boolean' };
  if (schema instanceof z.ZodString) {
    const regex = checks(schema).find((c) => c.check === 'string_format' && c.format === 'regex');
    return regex?.pattern ? { type: 'string', pattern: regex.pattern.source } : { type: 'string' };
  }
  if (schema instanceof z.ZodEnum) return { type: 'enum', values: [...schema.options] };
  if (schema instanceof z.ZodLiteral) return { type: 'enum', values: [...schema.values] as (string | number)[] };
  if (schema instanceof z.ZodArray) {
    const a: ParameterAccepts = { type: 'list', items: accepts(unwrap(schema.element as Schema).schema) };
    for (const c of checks(schema)) {
      if (c.check === 'max_length') a.maxItems = c.maximum;
      if (c.check === 'min_length') a.minItems = c.minimum;
    }
    return a;
  }
  if (schema instanceof z.ZodRecord) {
    const key = unwrap(schema.keyType as Schema).schema;
    const keyPattern = key instanceof z.ZodString ? accepts(key).pattern : undefined;
    return strip({ type: 'object', keyPattern, items: accepts(unwrap(schema.valueType as Schema).schema) });
  }
  if (schema instanceof z.ZodObject) return { type: 'object' };
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const key = schema._zod.def.discriminator;
    const values = schema.options.flatMap((o) => [...variantValues(o as Schema, key)]);
    return { type: 'variant', key, values };
  }
  return { type: 'any' };
}

function strip(a: ParameterAccepts): ParameterAccepts {
  for (const k of Object.keys(a) as (keyof ParameterAccepts)[]) if (a[k] === undefined) delete a[k];
  return a;
}

/** The values of a variant's discriminating field. */
function variantValues(option: Schema, key: string): (string | number | boolean)[] {
  const field = option instanceof z.ZodObject ? (option.shape as Record<string, Schema>)[key] : undefined;
  const lit = field && unwrap(field).schema;
  return lit instanceof z.ZodLiteral ? ([...lit.values] as (string | number)[]) : [];
}

function objectSections(
  schema: z.ZodObject,
  path: string,
  description: string | undefined,
  out: SectionDoc[],
  variant?: SectionDoc['variant'],
): void {
  const section: SectionDoc = { path, ...(variant && { variant }), description: description ?? '', parameters: [] };
  out.push(section);
  const later: (() => void)[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, Schema>)) {
    const at = path === '' ? key : `${path}.${key}`;
    const f = unwrap(field);
    if (f.schema instanceof z.ZodObject) {
      const sub = f.schema;
      later.push(() => objectSections(sub, at, f.description, out));
      continue;
    }
    const doc: ParameterDoc = {
      path: at,
      description: f.description ?? '',
      presence: f.presence,
      ...(f.presence === 'default' && { default: f.default }),
      accepts: accepts(f.schema),
    };
    const entries = entrySections(f.schema, at);
    if (entries.length === 0) section.parameters.push(doc);
    else
      // A list or a map of objects is a section of its own (the value itself its one parameter),
      // followed by its entries' pattern sections.
      later.push(() => {
        out.push({ path: at, description: doc.description, parameters: [doc] });
        for (const e of entries) e(out);
      });
  }
  for (const l of later) l();
}

/** The sections of a list's or a map's entries, when they are objects (none otherwise). */
function entrySections(schema: Schema, path: string): ((out: SectionDoc[]) => void)[] {
  if (schema instanceof z.ZodArray) {
    const el = unwrap(schema.element as Schema);
    if (el.schema instanceof z.ZodDiscriminatedUnion) {
      const key = el.schema._zod.def.discriminator;
      return el.schema.options.map((o) => (out: SectionDoc[]) => {
        const option = unwrap(o as Schema);
        if (!(option.schema instanceof z.ZodObject)) return;
        const value = String(variantValues(option.schema, key)[0]);
        objectSections(option.schema, `${path}[]`, option.description, out, { key, value });
      });
    }
    if (el.schema instanceof z.ZodObject) {
      const obj = el.schema;
      return [(out) => objectSections(obj, `${path}[]`, el.description, out)];
    }
  }
  if (schema instanceof z.ZodRecord) {
    const value = unwrap(schema.valueType as Schema);
    if (value.schema instanceof z.ZodObject) {
      const obj = value.schema;
      return [(out) => objectSections(obj, `${path}.<NAME>`, value.description, out)];
    }
  }
  return [];
}

/**
 * The reference of every section and parameter of a config schema (the resolved config's by
 * default): each path `parameterPaths()` lists, and the patterns of the list and map entries (one
 * section per attacker kind, `attackers[]`; one for every market's overrides, `markets.<NAME>`).
 */
export function parameterDocs(schema: z.ZodObject = ConfigSchema): ParameterDocs {
  const sections: SectionDoc[] = [];
  objectSections(schema, '', schema.description, sections);
  return { sections };
}
