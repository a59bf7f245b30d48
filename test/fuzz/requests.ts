import fc from 'fast-check';
import { validValue, type JsonSchema } from './arbitraries';
import {
  badPathSegment,
  badQueryValue,
  contentType,
  encodeLoosely,
  malformedJson,
  mutated,
  nastyValue,
} from './mutations';

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface Operation {
  method: string;
  /** OpenAPI template: `/api/registrations/{id}`. */
  path: string;
  parameters: { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  /** `x-roles`, or 'public' for an operation without security. */
  roles: string[] | 'public';
}

export interface FuzzRequest {
  method: string;
  /** Path and query, already encoded. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What kind of input this is, for the failure message. */
  kind: string;
  /** A field added to an otherwise valid body: the strict schemas must refuse it, by name. */
  unknownField?: string;
}

export interface FuzzContext {
  /** Tokens by role: requests mostly carry one the operation allows, so they reach its validation and handler. */
  tokensByRole: Record<string, string[]>;
  /** Ids of real objects, by path parameter name, so that steps on existing objects are fuzzed too. */
  knownIds: Record<string, string[]>;
  /** Known-good bodies by operation (`POST /api/policies`): mutating a real document reaches deeper than random shapes. */
  exampleBodies: Record<string, unknown[]>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
interface OpenApiOperation {
  'x-roles'?: string[];
  security?: unknown[];
  parameters?: Operation['parameters'];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
      roles: op['x-roles'] ?? 'public',
    })),
  );
}

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];

/** Generated requests for one operation: mostly well-aimed, always a little wrong somewhere. */
export function requestFor(op: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(op.method) },
        { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS) },
      ),
      path: pathFor(op, context),
      query: queryFor(op),
      auth: authorizationFor(op, context),
      body: bodyFor(op, context.exampleBodies[`${op.method} ${op.path}`] ?? []),
      idempotencyKey: fc.option(fc.oneof(fc.string({ unit: 'grapheme-ascii', maxLength: 250 }), fc.constant('é')), {
        freq: 5,
      }),
    })
    .map(({ method, path, query, auth, body, idempotencyKey }) => {
      const headers: Record<string, string> = { ...body.headers };
      if (auth !== undefined) headers.authorization = auth;
      if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
      // Another method may reach another route (HEAD is GET's): the oracle is for this operation only.
      const aimed = body.unknownField !== undefined && method === op.method;
      const unknownField = aimed ? { unknownField: body.unknownField } : {};
      return {
        method,
        url: query ? `${path}?${query}` : path,
        headers,
        body: body.text,
        kind: body.kind,
        ...unknownField,
      };
    });
}

function pathFor(op: Operation, context: FuzzContext): fc.Arbitrary<string> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  if (names.length === 0) return fc.constant(op.path);
  const segments = names.map((name) => {
    const schema = op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? { type: 'string' };
    const known = context.knownIds[name] ?? [];
    return fc.oneof(
      { weight: known.length > 0 ? 4 : 0, arbitrary: known.length > 0 ? fc.constantFrom(...known) : fc.constant('') },
      { weight: 3, arbitrary: validValue(schema).map((v) => encodeLoosely(String(v))) },
      { weight: 2, arbitrary: badPathSegment },
    );
  });
  return fc.tuple(...segments).map((values) => {
    let i = 0;
    return op.path.replace(/\{[^}]+\}/g, () => values[i++]);
  });
}

function queryFor(op: Operation): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const values = params.map((p) =>
    fc.oneof(
      { weight: p.required ? 0 : 2, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: validValue(p.schema).map((v) => String(v)) },
      { weight: 2, arbitrary: badQueryValue },
    ),
  );
  const extra = fc.option(fc.tuple(fc.constantFrom('extra', 'role', '__proto__', 'limit[a]'), badQueryValue), {
    freq: 6,
  });
  return fc.tuple(fc.tuple(...values), extra).map(([chosen, unknown]) => {
    // Not URLSearchParams: it would send a lone surrogate as U+FFFD, never reaching the server as generated.
    const pairs: string[] = [];
    const add = (name: string, value: string | string[] | undefined) => {
      for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value])
        pairs.push(`${encodeLoosely(name)}=${encodeLoosely(v)}`);
    };
    params.forEach((p, i) => add(p.name, chosen[i]));
    if (unknown) add(unknown[0], unknown[1]);
    return pairs.join('&');
  });
}

function authorizationFor(op: Operation, context: FuzzContext): fc.Arbitrary<string | undefined> {
  const all = Object.values(context.tokensByRole).flat();
  const allowed = op.roles === 'public' ? all : op.roles.flatMap((role) => context.tokensByRole[role] ?? []);
  const junk = fc.constantFrom(
    undefined,
    'Bearer',
    'Bearer ',
    'Basic ZGV2LWFkbWluOg==',
    'Bearer dev-admin extra',
    'Bearer unknown-token',
    'Bearer roe_000000000000_secret',
    'Bearer roe_',
    'Bearer a.b.c',
    'bearer dev-admin',
    `Bearer ${'x'.repeat(4_000)}`,
    // Over Node's 16 kB header limit: answered before Express, and still a problem (431).
    `Bearer ${'x'.repeat(20_000)}`,
  );
  return fc.oneof(
    { weight: 7, arbitrary: fc.constantFrom(...allowed).map((t) => `Bearer ${t}`) },
    { weight: 2, arbitrary: fc.constantFrom(...all).map((t) => `Bearer ${t}`) },
    { weight: 2, arbitrary: junk },
  );
}

interface Body {
  text?: string;
  headers: Record<string, string>;
  kind: string;
  unknownField?: string;
}

const json = (kind: string, value: unknown): Body => ({
  text: JSON.stringify(value),
  headers: { 'content-type': 'application/json' },
  kind,
});

function bodyFor(op: Operation, examples: unknown[]): fc.Arbitrary<Body> {
  const schema = op.body ?? { type: 'object', properties: {}, additionalProperties: false };
  const shaped = validValue(schema);
  const valid = examples.length > 0 ? fc.oneof(shaped, fc.constantFrom(...examples)) : shaped;
  return fc.oneof(
    { weight: op.body ? 4 : 1, arbitrary: valid.map((v) => json('valid-shaped body', v)) },
    { weight: op.body ? 5 : 1, arbitrary: mutated(valid).map((v) => json('mutated body', v)) },
    { weight: 1, arbitrary: nastyValue.map((v) => json('nasty body', v)) },
    {
      // No mass assignment: a role, an id or a status smuggled into a body is refused, not ignored.
      weight: op.body ? 1 : 0,
      arbitrary: fc
        .tuple(valid, fc.constantFrom('role', 'partnerId', 'status', 'id', 'isAdmin'))
        .map(([v, key]): Body => ({
          ...json('unknown field', { ...(v as object), [key]: 'smuggled' }),
          unknownField: key,
        })),
    },
    {
      weight: 1,
      arbitrary: malformedJson.map((text) => ({
        text,
        headers: { 'content-type': 'application/json' },
        kind: 'malformed JSON',
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, contentType).map(([v, type]): Body => ({
        text: JSON.stringify(v),
        headers: type === undefined ? {} : { 'content-type': type },
        kind: `content-type ${type ?? '(none)'}`,
      })),
    },
    { weight: op.body ? 1 : 4, arbitrary: fc.constant<Body>({ headers: {}, kind: 'no body' }) },
  );
}
