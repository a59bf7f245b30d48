import { z } from 'zod';
import type { RouteSpec, RouteTable } from './routes';
import { idempotencyKeySchema } from './schemas';

type JsonSchema = Record<string, unknown>;

/** The one problem schema (RFC 9457) every 4xx and 5xx of every operation answers with. */
const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'A stable slug such as /problems/validation-error' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Each bad field: its path (a.b.0) and what is wrong with it',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};
const PROBLEM_CONTENT = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * The problems any operation may answer whatever it does, declared on each: bad input, no or the
 * wrong token, a body that is too large or not JSON, too many requests, over-long URL or headers,
 * a bug, a dependency down. An operation declares its own (404, 409…) in its route's `responses`.
 */
export function standardProblems(roles: RouteSpec<never, never, never>['roles']): Record<string, string> {
  const authenticated = roles !== 'public';
  return {
    400: 'Bad input; `errors` names each bad field',
    ...(authenticated ? { 401: 'No valid bearer token', 403: "The caller's role may not do this" } : {}),
    408: 'The request headers did not arrive in time',
    413: 'The body is over 100 kB',
    415: 'The body is not application/json',
    429: 'Too many requests from this caller; Retry-After says when to retry',
    431: 'The URL or the request headers are too long',
    500: 'A bug on our side; the detail quotes the request id for the report',
    ...(authenticated ? { 503: 'The store is unreachable; Retry-After says when to retry' } : {}),
  };
}

/** The `Idempotency-Key` header of creating POSTs, as the server checks it. */
const idempotencyKeyParameter = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A repeat with the same key and caller returns the same resource and starts nothing new; the same key with another body → 422',
  schema: jsonSchemaOf(idempotencyKeySchema, 'input'),
};

function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
  return rest;
}

/**
 * What a response carries: an error is always a problem (its own schema, or the shared one); a
 * text answer (`text/event-stream`) is declared by its content type, its schema the text itself.
 */
function contentOf(status: number, schema: z.ZodType | undefined, contentType?: string): JsonSchema {
  if (contentType && !/[/+]json$/.test(contentType)) {
    return { content: { [contentType]: { schema: schema ? jsonSchemaOf(schema, 'output') : { type: 'string' } } } };
  }
  if (status >= 400) {
    return {
      content: schema ? { 'application/problem+json': { schema: jsonSchemaOf(schema, 'output') } } : PROBLEM_CONTENT,
    };
  }
  return schema ? { content: { 'application/json': { schema: jsonSchemaOf(schema, 'output') } } } : {};
}

/** Parameters from a zod object of path or query fields. */
function parametersOf(schema: z.ZodType | undefined, location: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, fieldSchema]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    ...(typeof fieldSchema.description === 'string' ? { description: fieldSchema.description } : {}),
    schema: fieldSchema,
  }));
}

const templateNames = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);

/**
 * OpenAPI treats `/partners/{id}` and `/partners/{partnerId}` as the same path and forbids both:
 * the first declared spelling names the path, and later routes' path parameters are renamed to it.
 */
function documentPathOf(canonical: Map<string, string>, path: string): { path: string; rename: Map<string, string> } {
  const shape = path.replace(/\{[^}]+\}/g, '{}');
  const documented = canonical.get(shape) ?? path;
  canonical.set(shape, documented);
  const target = templateNames(documented);
  return { path: documented, rename: new Map(templateNames(path).map((name, i) => [name, target[i]])) };
}

/** What `GET /api/openapi.json` answers, in outline (OpenAPI's own schema says the rest). */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. */
export function openApiDocument(table: RouteTable, info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const canonical = new Map<string, string>();
  for (const spec of table.specs()) {
    const { path, rename } = documentPathOf(canonical, spec.path);
    const responses: Record<string, JsonSchema> = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = {
        description: response.description,
        ...contentOf(Number(status), response.schema, response.contentType),
      };
    }
    for (const [status, description] of Object.entries(standardProblems(spec.roles))) {
      responses[status] ??= { description, content: PROBLEM_CONTENT };
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method}${path.replace(/[{}]/g, '').replace(/(^|[/_-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
      ...(spec.roles === 'public' ? { security: [] } : { 'x-roles': spec.roles }),
      parameters: [
        ...parametersOf(spec.params, 'path').map((p) => ({ ...p, name: rename.get(p.name as string) ?? p.name })),
        ...parametersOf(spec.query, 'query'),
        ...(spec.idempotencyKey ? [idempotencyKeyParameter] : []),
      ],
      ...(spec.body
        ? {
            requestBody: {
              // A body whose every field is optional may be left out: the server reads none as {}.
              required: !spec.body.safeParse({}).success,
              content: { [spec.bodyContentType ?? 'application/json']: { schema: jsonSchemaOf(spec.body, 'input') } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'RoE Orchestrator API',
      version: info.version,
      description:
        'Partner Rules of Engagement as durable, timed, explainable processes. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: problemSchema },
    },
    paths,
  };
}
