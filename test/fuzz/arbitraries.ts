import fc from 'fast-check';

/** The subset of JSON Schema (2020-12) that zod's `toJSONSchema` writes into the OpenAPI document. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  examples?: unknown[];
  default?: unknown;
}

// Keeps generated bodies small: the point is shape coverage, not volume (volume is a mutation).
const MAX_ITEMS = 3;
const MAX_STRING = 40;

/** Values that satisfy `schema` as far as JSON Schema can say (refinements zod adds in code may still refuse them). */
export function validValue(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => validValue(choice, depth + 1)));
  if (schema.allOf?.length) return validValue(schema.allOf[0], depth + 1);
  const base = baseValue(schema, depth);
  // A documented example (a duration such as "PT5S") reaches code that a random string never would.
  return schema.examples?.length ? fc.oneof(fc.constantFrom(...schema.examples), base) : base;
}

function baseValue(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringValue(schema);
    case 'integer':
      return fc.integer({ min: lowerBound(schema, -1e6), max: upperBound(schema, 1e6) });
    case 'number':
      return fc.double({
        min: lowerBound(schema, -1e6),
        max: upperBound(schema, 1e6),
        noNaN: true,
        noDefaultInfinity: true,
        minExcluded: schema.exclusiveMinimum !== undefined,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)),
      });
    case 'object':
      return objectValue(schema, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

const lowerBound = (schema: JsonSchema, fallback: number) => schema.minimum ?? schema.exclusiveMinimum ?? fallback;
const upperBound = (schema: JsonSchema, fallback: number) => schema.maximum ?? schema.exclusiveMaximum ?? fallback;

/**
 * Text the store has refused or mangled: lone surrogates (either half, alone or between letters),
 * U+0000, noncharacters, bidi and zero-width controls, the last code point.
 */
export const storeHostileText: fc.Arbitrary<string> = fc.constantFrom(
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\udc00\ud800',
  'x\u0000y',
  '\uffff',
  '\ufffe',
  '\u202e\u2066rtl\u2069\u202c',
  '\u200b\ufeff\u200d',
  '\u{10ffff}',
);

/** Every string field: mostly what its schema allows, sometimes with store-hostile text in it. */
function stringValue(schema: JsonSchema): fc.Arbitrary<string> {
  const allowed = allowedString(schema);
  const hostile = fc
    .tuple(allowed, storeHostileText, fc.nat())
    .map(([text, bad, at]) => text.slice(0, at % (text.length + 1)) + bad + text.slice(at % (text.length + 1)));
  return fc.oneof({ weight: 7, arbitrary: allowed }, { weight: 1, arbitrary: hostile });
}

function allowedString(schema: JsonSchema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? MAX_STRING, MAX_STRING));
  switch (schema.format) {
    case 'email':
      return fc.emailAddress();
    case 'date':
      return isoDate().map((d) => d.slice(0, 10));
    case 'date-time':
      return isoDate();
  }
  if (schema.pattern) {
    const pattern = schema.pattern;
    // `stringMatching` understands the patterns zod writes; "\S" (not blank) needs a printable first character.
    const longest = schema.maxLength ?? Infinity;
    try {
      return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length >= minLength && s.length <= longest);
    } catch {
      // fast-check generates from no lookahead (durations, e-mail addresses): the documented
      // examples, else any text, which the server must then refuse by name.
      const examples = (schema.examples ?? []).filter((e): e is string => typeof e === 'string');
      if (examples.length > 0) return fc.constantFrom(...examples);
    }
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' });
}

const isoDate = () =>
  fc
    .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString());

function objectValue(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && typeof schema.additionalProperties === 'object') {
    // A record (`stages: {align: {...}}`): keys from `propertyNames`, values from `additionalProperties`.
    const keys = schema.propertyNames ? validValue(schema.propertyNames) : fc.string({ maxLength: 10 });
    return fc.dictionary(
      keys.map((k) => String(k)),
      validValue(schema.additionalProperties, depth + 1),
      { maxKeys: MAX_ITEMS },
    );
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) record[name] = validValue(property, depth + 1);
  const required = (schema.required ?? []).filter((name) => name in properties);
  return fc.record(record, { requiredKeys: required });
}
